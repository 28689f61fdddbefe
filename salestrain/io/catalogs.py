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
            problems.append(doc.problem((*loc, category), i18n.t(
                "content.catalog.no_category", language=lang, category=category,
                categories=i18n.t("content.separator").join(sorted(wanted)))))
        elif not isinstance(form, str):
            problems.append(doc.problem((*loc, category), i18n.t("content.catalog.not_text", value=form)))
    missing = sorted(wanted - set(value))
    if missing:
        problems.append(doc.problem(loc, i18n.t("content.catalog.missing_forms", language=lang,
                                                forms=i18n.t("content.separator").join(missing))))
    return problems


def validate_catalog(doc: YamlDoc) -> list[Problem]:
    lang = doc.path.parent.name
    stem = doc.path.stem
    if doc.raw is None:
        return []
    if not isinstance(doc.raw, dict):
        return [doc.problem((), i18n.t("content.catalog.not_mapping"))]
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
            problems.append(doc.problem(loc, i18n.t("content.catalog.not_text", value=value)))
            continue
        else:
            message = value
        try:
            fields = i18n.placeholders(message)
        except ValueError as exc:
            problems.append(doc.problem(loc, i18n.t("content.catalog.bad_placeholder", error=exc)))
            continue
        if lang != i18n.DEFAULT_LANGUAGE:
            if key not in english:
                problems.append(doc.problem(loc, i18n.t("content.catalog.not_in_english", key=key)))
            elif fields != i18n.placeholders(english[key]):
                problems.append(doc.problem(loc, i18n.t(
                    "content.catalog.placeholders_differ", fields=sorted(fields),
                    english=sorted(i18n.placeholders(english[key])))))
            elif isinstance(message, i18n.Plural) and not isinstance(english[key], i18n.Plural):
                problems.append(doc.problem(loc, i18n.t("content.catalog.not_plural_in_english")))
    return problems
