"""One translation path: every text a person reads is resolved by :func:`t`.

Three kinds of text go through it, with the same language choice and fallback rules:

- **catalog messages**: YAML files under ``salestrain/base/i18n/<language>/``; every file
  in a language folder is merged, so each module keeps its own file (``funnel.yaml``,
  ``grading.yaml``...). Keys are dotted and the file's name is their first part:
  ``target`` nested under ``app`` in ``funnel.yaml`` is the key ``funnel.app.target``.
  A message is a string, or plural forms ``{one: ..., other: ...}`` chosen by ``count``
  with CLDR rules (``t("grading.grade.summary", count=n, ...)``).
- **content text**: a :class:`Text` from a scenario or case file,
  ``{en: ..., zh_CN: ...}``; ``t(text)`` resolves it exactly like a key.
- **lesson prose**: paired notebooks built from one source resolve each prose cell the
  same way (:mod:`salestrain.io.lessons`).

The language is chosen, in order, by :func:`set_language`, the environment variable
``SALESTRAIN_LANG``, and finally English; :mod:`.locales` declares how a requested locale
maps to a shipped language (zh_TW is not silently zh_CN) and the fallback chain
(``zh_CN`` -> ``en``). A key missing from English raises ``KeyError`` so a test catches
it before a learner does. See docs/i18n.md.
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable, Mapping
from functools import cache
from numbers import Real
from pathlib import Path

import yaml

from salestrain.base.i18n.locales import (
    DEFAULT_LANGUAGE,
    FALLBACK_CHAINS,
    LANGUAGES,
    Resolution,
    fallback_chain,
    forget_notices,
    notify_once,
    resolve_locale,
)
from salestrain.base.i18n.text import (
    PLURAL_CATEGORIES,
    Plural,
    Text,
    plural_categories,
    plural_category,
)

CATALOG_DIR = Path(__file__).parent
ENV_VAR = "SALESTRAIN_LANG"

Message = str | Plural

_chosen: str | None = None


def available_languages() -> tuple[str, ...]:
    return LANGUAGES


def resolve(lang: str) -> str:
    """The shipped language for a locale tag; prints the one-line notice if it differs."""
    resolution = resolve_locale(lang)
    if resolution.notice is not None:
        notify_once(resolution, t(resolution.notice, lang=resolution.language,
                                  requested=resolution.requested,
                                  available=", ".join(LANGUAGES)))
    return resolution.language


def set_language(lang: str | None) -> str:
    """Choose the language for messages and plots; ``None`` returns to the default.

    Any locale tag is accepted: an unsupported one (``fr``, ``zh_TW``) reads English
    and prints one line saying so, instead of raising in front of a learner.
    """
    global _chosen
    _chosen = None if lang is None else resolve(lang)
    # Plots pick their fonts per language; tell them without importing matplotlib here.
    for listener in _listeners:
        listener(get_language())
    return get_language()


def get_language() -> str:
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV_VAR)
    if env:
        return resolve(env)
    return DEFAULT_LANGUAGE


_listeners: list[Callable[[str], object]] = []


def on_language_change(listener: Callable[[str], object]) -> None:
    """Register ``listener(lang)``, called after every :func:`set_language`."""
    _listeners.append(listener)


def catalog_files(lang: str) -> list[Path]:
    return sorted((CATALOG_DIR / lang).glob("*.yaml"))


def _flatten(prefix: str, value: object, out: dict[str, Message]) -> None:
    if Plural.looks_like(value):
        out[prefix] = Plural({str(k): "" if v is None else str(v) for k, v in value.items()})  # type: ignore[union-attr]
    elif isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = "" if value is None else str(value)


@cache
def catalog(lang: str) -> dict[str, Message]:
    """All messages of one language, flattened to dotted keys (plural forms as Plural)."""
    messages: dict[str, Message] = {}
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


def _lookup(key: str | Mapping[str, str], language: str) -> tuple[Message, str] | None:
    """The message for ``key`` along ``language``'s fallback chain, and its language."""
    for candidate in fallback_chain(language):
        found = key.get(candidate) if isinstance(key, Mapping) else catalog(candidate).get(key)
        if found is not None:
            return found, candidate
    return None


def t(key: str | Text, /, lang: str | None = None, **values: object) -> str:
    """The text for a catalog ``key`` or a content :class:`Text`, in the current language.

    ``lang`` overrides the current language for this call (any locale tag, resolved by
    the same rules as :func:`set_language`). ``values`` fill ``{name}`` placeholders; a
    plural message needs ``count``; a numeric ``count`` is shown with thousands separators.
    """
    language = get_language() if lang is None else resolve(lang)
    found = _lookup(key, language)
    if found is None:
        if isinstance(key, Mapping):
            if not key:
                return ""
            # A content text in no language of the chain (a Chinese-only scenario read
            # in English): showing it beats an empty screen; `validate` reports the gap.
            found = next(iter(key.values())), next(iter(key))
        else:
            raise KeyError(f"message key {key!r} is missing from the English catalog")
    message, written_in = found
    if isinstance(message, Plural):
        message = _plural_form(key, message, written_in, values.get("count"))
    count = values.get("count")
    if isinstance(count, Real) and not isinstance(count, bool):
        # `count` is always a number of things: shown with the language's separators.
        from salestrain.base.formats import format_number  # base-internal, lazily (Babel)

        values = {**values, "count": format_number(count, lang=written_in)}
    return message.format(**values) if values else message


def _plural_form(key: object, message: Plural, language: str, count: object) -> str:
    if isinstance(count, bool) or not isinstance(count, Real):
        raise TypeError(f"message {key!r} has plural forms; pass count=<a number>, got {count!r}")
    # The form follows the rules of the language the message is written in (after a
    # fallback to English, English rules), so "1 submission" never reads "1 submissions".
    return message.get(plural_category(count, language)) or message["other"]


def placeholders(text: Message) -> set[str]:
    """The ``{name}`` fields a message expects (for plural forms: in any form)."""
    forms = text.values() if isinstance(text, Plural) else [text]
    return {f for form in forms for _, f, _, _ in string.Formatter().parse(form) if f}


__all__ = [
    "CATALOG_DIR", "DEFAULT_LANGUAGE", "ENV_VAR", "FALLBACK_CHAINS", "LANGUAGES",
    "PLURAL_CATEGORIES", "Plural", "Resolution", "Text", "available_languages", "catalog",
    "catalog_files", "fallback_chain", "forget_notices", "get_language", "has_key",
    "on_language_change", "placeholders", "plural_categories", "plural_category", "reload",
    "resolve", "resolve_locale", "set_language", "t",
]
