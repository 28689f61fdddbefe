"""Validation of the message catalogs (``salestrain/base/i18n/<lang>/*.yaml``)."""

from __future__ import annotations

from typing import Any

from salestrain.base import i18n
from salestrain.base.errors import Problem
from salestrain.io.yamlio import YamlDoc


def _walk(node: Any, loc: tuple) -> list[tuple[tuple, Any]]:
    if isinstance(node, dict):
        out = []
        for key, value in node.items():
            out.extend(_walk(value, (*loc, key)))
        return out
    return [(loc, node)]


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
        if not isinstance(value, str):
            problems.append(doc.problem(loc, f"messages are text, got {value!r}; quote it"))
            continue
        try:
            fields = i18n.placeholders(value)
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
    return problems
