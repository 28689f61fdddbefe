"""Numbers, money, percentages and dates as a reader of each language expects them.

All formatting follows CLDR through Babel (the data JupyterLab's own translations
use); the language is the current one (:func:`salestrain.base.i18n.get_language`)
unless ``lang`` names another, resolved by the same rules as every text.

| call | en | zh_CN |
|---|---|---|
| ``format_number(1234567)`` | 1,234,567 | 1,234,567 |
| ``format_percent(0.305, decimals=1)`` | 30.5% | 30.5% |
| ``format_money(1_234_567)`` | RMB 1,234,567 | ¥123.46万 |
| ``format_money(9_800)`` | RMB 9,800 | ¥9,800 |
| ``format_date(date(2026, 12, 1))`` | 1 Dec 2026 | 2026年12月1日 |
| ``format_compact(300_000)`` (plot axes) | 300K | 30万 |

Chinese readers count large amounts in 万 (10^4) and 亿 (10^8), not thousands and
millions; CLDR's compact patterns for zh carry exactly those units, so money from 1万
up is shown that way by default (rounded to two decimals of the unit: not exact, use
``compact=False`` where every yuan matters). English keeps the full amount with "RMB",
the code B2B documents in English use for the yuan.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from salestrain.base.i18n import get_language, resolve

CURRENCY = "CNY"
_ZH_COMPACT_FROM = 10_000  # one 万
_DATE_PATTERN = {"en": "d MMM y", "zh_CN": "long"}  # 1 Dec 2026 / 2026年12月1日


def _lang(lang: str | None) -> str:
    return get_language() if lang is None else resolve(lang)


def _finite(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"cannot format {value!r} as a number; give a finite number")
    return value


def format_number(value: float, lang: str | None = None, decimals: int | None = None) -> str:
    """A count or amount with thousands separators; ``decimals`` fixes the fraction digits."""
    from babel.numbers import format_decimal

    value = _finite(value)
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_lang(lang))


def format_percent(share: float, lang: str | None = None, decimals: int = 0) -> str:
    """A share (0.3) as a percentage (30%); ``decimals`` digits after the point."""
    from babel.numbers import format_percent as babel_percent

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return babel_percent(_finite(share), format=pattern, locale=_lang(lang))


def format_compact(value: float, lang: str | None = None, fraction_digits: int = 1) -> str:
    """A short number for axes and tiles: 300K / 1.2M in English, 30万 / 1.2亿 in Chinese."""
    from babel.numbers import format_compact_decimal

    return format_compact_decimal(_finite(value), format_type="short", locale=_lang(lang),
                                  fraction_digits=fraction_digits)


def format_money(amount: float, lang: str | None = None, *, compact: bool | None = None,
                 decimals: int = 0) -> str:
    """An amount in yuan: "RMB 1,234,567" in English, "¥123.46万" in Chinese.

    ``compact=None`` follows the language's habit (Chinese: 万/亿 from 1万 up; English:
    the full amount); ``True``/``False`` force it. ``decimals`` applies to full amounts.
    """
    from babel.numbers import format_compact_currency, format_currency

    amount = _finite(amount)
    language = _lang(lang)
    if compact is None:
        compact = language.startswith("zh") and abs(amount) >= _ZH_COMPACT_FROM
    if compact:
        text = format_compact_currency(amount, CURRENCY, locale=language, fraction_digits=2)
        return text.replace("CN¥", "RMB ") if language == "en" else text
    if language == "en":
        return ("-" if amount < 0 else "") + "RMB " + format_number(abs(amount), language, decimals)
    pattern = "¤#,##0" + ("." + "0" * decimals if decimals else "")
    return format_currency(amount, CURRENCY, format=pattern, locale=language, currency_digits=False)


def format_date(day: dt.date, lang: str | None = None) -> str:
    """A calendar date: "1 Dec 2026" in English (no day/month ambiguity), "2026年12月1日"."""
    from babel.dates import format_date as babel_date

    if not isinstance(day, dt.date):
        raise ValueError(f"cannot format {day!r} as a date; give a datetime.date")
    language = _lang(lang)
    return babel_date(day, _DATE_PATTERN.get(language, "medium"), locale=language)


def axis_formatter(lang: str | None = None, money: bool = False) -> Callable[..., str]:
    """A tick formatter for matplotlib (``ax.yaxis.set_major_formatter(axis_formatter())``).

    The language is fixed when the formatter is made, so a figure never mixes units.
    """
    language = _lang(lang)

    def tick(value: float, _pos: int | None = None) -> str:
        if not math.isfinite(value):
            return ""
        if money:
            return format_money(value, language, compact=abs(value) >= 1000 or None)
        return format_compact(value, language)

    return tick


__all__ = ["CURRENCY", "axis_formatter", "format_compact", "format_date", "format_money",
           "format_number", "format_percent"]
