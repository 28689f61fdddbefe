"""Catalog messages and the one resolver, :func:`t` (see the package docstring).

``t`` takes a catalog key or any language mapping (a content :class:`~.text.Text`, a
lesson's prose block) and resolves both along the same fallback chain.
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
    LANGUAGES,
    fallback_chain,
    notify_once,
    resolve_locale,
)
from salestrain.base.i18n.plurals import Plural, plural_category

CATALOG_DIR = Path(__file__).parent  # en/ and zh_CN/ sit beside this module
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


# libyaml's safe loader reads the same YAML as PyYAML's own, ten times faster: the catalogs
# are 3,000+ messages, and pure-Python parsing cost half a second on every first message.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def catalog(lang: str) -> dict[str, Message]:
    """All messages of one language, flattened to dotted keys (plural forms as Plural)."""
    messages: dict[str, Message] = {}
    for path in catalog_files(lang):
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_LOADER) or {}
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


def t(key: str | Mapping[str, str], /, lang: str | None = None, **values: object) -> str:
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
        from babel.numbers import format_decimal  # lazily: start-up stays fast

        values = {**values, "count": format_decimal(count, locale=written_in)}
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


