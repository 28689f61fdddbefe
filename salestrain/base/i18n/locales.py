"""Which shipped language a requested locale reads, and what it falls back to.

The rules are declared here once and used by every text a person reads (catalog
messages, scenario and case text, lesson prose), so no corner of the toolkit picks a
language its own way.

- A request is normalised (``zh-CN``, ``zh_CN.UTF-8``, ``ZH_cn`` are the same) and read
  with CLDR's likely-subtags data (via Babel) to find its script: ``zh``, ``zh_SG`` and
  ``zh_Hans`` are Simplified Chinese and read ``zh_CN``.
- Traditional Chinese (``zh_TW``, ``zh_HK``, ``zh_MO``, ``zh_Hant``) is **not** served
  Simplified text: the vocabulary and the characters differ, and a reader in Taipei or
  Hong Kong should not be handed a mainland text as if it were theirs. It falls back to
  English with a one-line notice until a ``zh_TW`` catalog exists.
- Any other language, or a tag that is not a locale at all, falls back to English with
  a one-line notice. Never an exception: a learner who set ``SALESTRAIN_LANG=fr`` gets
  a working lesson and one line saying why it is in English.
- Within a shipped language, a missing text falls back along :data:`FALLBACK_CHAINS`
  (``zh_CN`` -> ``en``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

LANGUAGES = ("en", "zh_CN")
DEFAULT_LANGUAGE = "en"
# Where a shipped language looks when one of its texts is missing, in order.
FALLBACK_CHAINS: dict[str, tuple[str, ...]] = {"en": ("en",), "zh_CN": ("zh_CN", "en")}
# Requests that mean "no preference" (a POSIX locale), answered silently with English.
_NEUTRAL = {"", "c", "posix"}


@dataclass(frozen=True)
class Resolution:
    """What a request for ``requested`` gets: a shipped language, and why if it differs."""

    requested: str
    language: str
    notice: str | None = None  # catalog key of the one-line notice, when the request is not met


def _normalise(tag: str) -> str:
    # "zh_CN.UTF-8@pinyin" -> "zh_CN"; "zh-hant-tw" -> "zh_hant_tw"
    return tag.strip().split(".")[0].split("@")[0].replace("-", "_")


def resolve_locale(requested: str) -> Resolution:
    """The shipped language for a locale tag (never raises for a string)."""
    tag = _normalise(requested)
    if tag in LANGUAGES:
        return Resolution(requested, tag)
    if tag.lower() in _NEUTRAL:
        return Resolution(requested, DEFAULT_LANGUAGE)
    from babel import Locale, UnknownLocaleError  # lazily: start-up stays fast
    from babel.core import get_global

    try:
        locale = Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        return Resolution(requested, DEFAULT_LANGUAGE, "i18n.notice.unknown")
    if locale.language == "en":
        return Resolution(requested, "en")
    if locale.language == "zh":
        script = locale.script
        if script is None:
            likely = get_global("likely_subtags")
            full = likely.get(f"zh_{locale.territory}") if locale.territory else None
            full = full or likely.get("zh", "zh_Hans_CN")
            script = Locale.parse(full).script
        if script == "Hans":
            return Resolution(requested, "zh_CN")
        return Resolution(requested, DEFAULT_LANGUAGE, "i18n.notice.traditional")
    return Resolution(requested, DEFAULT_LANGUAGE, "i18n.notice.unknown")


def fallback_chain(language: str) -> tuple[str, ...]:
    """The languages a text is looked up in, in order, for a shipped ``language``."""
    return FALLBACK_CHAINS.get(language, (DEFAULT_LANGUAGE,))


_noticed: set[str] = set()


def notify_once(resolution: Resolution, message: str) -> None:
    """Write the fallback notice to stderr, once per requested tag in this process."""
    if resolution.notice is None or resolution.requested in _noticed:
        return
    _noticed.add(resolution.requested)
    print(message, file=sys.stderr)


def forget_notices() -> None:
    """Let every notice be shown again (for tests)."""
    _noticed.clear()
