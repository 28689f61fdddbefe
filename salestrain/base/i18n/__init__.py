"""Message catalogs: every learner-facing string comes from here.

Catalogs are YAML files under ``salestrain/base/i18n/<language>/``; every file in a
language folder is merged, so each module keeps its own file (``funnel.yaml``,
``grading.yaml``...) and modules never edit each other's catalogs. Keys are dotted
and the file's name is their first part: ``target`` nested under ``app`` in
``funnel.yaml`` is the key ``funnel.app.target``.

The language is chosen, in order, by :func:`set_language`, the environment variable
``SALESTRAIN_LANG``, and finally English. A key missing from the chosen language
falls back to English; a key missing from English raises ``KeyError`` so a test
catches it before a learner does.
"""

from __future__ import annotations

import os
import string
from functools import cache
from pathlib import Path

import yaml

CATALOG_DIR = Path(__file__).parent
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "zh_CN")
ENV_VAR = "SALESTRAIN_LANG"

_chosen: str | None = None


def available_languages() -> tuple[str, ...]:
    return LANGUAGES


def _normalise(lang: str) -> str:
    """Accept the spellings people type: zh, zh-CN, zh_CN.UTF-8, EN."""
    base = lang.split(".")[0].replace("-", "_")
    if base.lower().startswith("zh"):
        return "zh_CN"
    if base.lower().startswith("en"):
        return "en"
    raise ValueError(
        f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}"
    )


def set_language(lang: str | None) -> str:
    """Choose the language for messages and plots; ``None`` returns to the default."""
    global _chosen
    _chosen = None if lang is None else _normalise(lang)
    # Plots pick their fonts per language; tell them without importing matplotlib here.
    for listener in _listeners:
        listener(get_language())
    return get_language()


def get_language() -> str:
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV_VAR)
    if env:
        try:
            return _normalise(env)
        except ValueError:
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


_listeners: list = []


def on_language_change(listener) -> None:
    """Register ``listener(lang)``, called after every :func:`set_language`."""
    _listeners.append(listener)


def catalog_files(lang: str) -> list[Path]:
    return sorted((CATALOG_DIR / lang).glob("*.yaml"))


def _flatten(prefix: str, value: object, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = "" if value is None else str(value)


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, flattened to dotted keys."""
    messages: dict[str, str] = {}
    for path in catalog_files(lang):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        _flatten(path.stem, data, messages)
    return messages


def reload() -> None:
    """Forget loaded catalogs (after a trainer edits a catalog file)."""
    catalog.cache_clear()


def has_key(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return key in catalog(lang)


def t(key: str, /, lang: str | None = None, **values: object) -> str:
    """The message for ``key`` in the current language, formatted with ``values``."""
    lang = lang or get_language()
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"message key {key!r} is missing from the English catalog")
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a message expects (for catalog validation)."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}
