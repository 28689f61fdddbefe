"""Validation of the message catalogs (``salestrain/base/i18n/<lang>/*.yaml``).

A message is a string or, where it counts something, plural forms keyed by CLDR
category (``one``/``other`` in English, ``other`` alone in Chinese): each language
must give exactly the categories its plural rules use, so "1 problems" cannot ship.
"""

from __future__ import annotations

from typing import Any

from salestrain.base import i18n
from salestrain.base.errors import Problem
from salestrain.io.yamlio import YamlDoc


def _walk(node: Any, loc: tuple) -> list[tuple[tuple, Any]]:
    if isinstance(node, dict) and not i18n.Plural.looks_like(node):
        out = []
        for key, value in node.items():
            out.extend(_walk(value, (*loc, key)))
        return out
    return [(loc, node)]


def _plural_problems(doc: YamlDoc, loc: tuple, value: dict, lang: str) -> list[Problem]:
    problems = []
    wanted = i18n.plural_categories(lang)
    for category, form in value.items():
        if category not in wanted:
            problems.append(doc.problem((*loc, category), (
                f"{lang} has no plural category {category!r} (its categories: "
                f"{', '.join(sorted(wanted))}); remove this form")))
        elif not isinstance(form, str):
            problems.append(doc.problem((*loc, category), f"messages are text, got {form!r}; quote it"))
    missing = sorted(wanted - set(value))
    if missing:
        problems.append(doc.problem(loc, f"plural forms {', '.join(missing)} are missing for {lang}; "
                                         "add one line per category"))
    return problems


def validate_catalog(doc: YamlDoc) -> list[Problem]:
    lang = doc.path.parent.name
    stem = doc.path.stem
    if doc.raw is None:
        return []
    if not isinstance(doc.raw, dict):
        return [doc.problem((), "a catalog is a mapping of keys to messages")]
    english = i18n.catalog(i18n.DEFAULT_LANGUAGE)
    problems = []
    for loc, value in _walk(doc.raw, ()):
        key = ".".join([stem, *map(str, loc)])
        if i18n.Plural.looks_like(value):
            found = _plural_problems(doc, loc, value, lang)
            problems.extend(found)
            if found:
                continue
            message: i18n.Message = i18n.Plural({str(k): str(v) for k, v in value.items()})
        elif not isinstance(value, str):
            problems.append(doc.problem(loc, f"messages are text, got {value!r}; quote it"))
            continue
        else:
            message = value
        try:
            fields = i18n.placeholders(message)
        except ValueError as exc:
            problems.append(doc.problem(loc, f"bad placeholder: {exc}; write {{name}}, and {{{{ for a brace"))
            continue
        if lang != i18n.DEFAULT_LANGUAGE:
            if key not in english:
                problems.append(doc.problem(loc, f"key {key!r} is not in the English catalog; "
                                                 "add it to en first or fix the spelling"))
            elif fields != i18n.placeholders(english[key]):
                problems.append(doc.problem(
                    loc, f"placeholders {sorted(fields)} differ from English "
                         f"{sorted(i18n.placeholders(english[key]))}; use the same names"))
            elif isinstance(message, i18n.Plural) and not isinstance(english[key], i18n.Plural):
                problems.append(doc.problem(loc, "English has one form for this message; give one "
                                                 "form here too, or plural forms in English first"))
    return problems
