"""Numbers, money, percentages and dates in both languages (CLDR via Babel)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import salestrain
from salestrain.base.formats import (
    axis_formatter,
    format_compact,
    format_date,
    format_money,
    format_number,
    format_percent,
)


@pytest.mark.parametrize("value, en, zh", [
    (1_234_567, "RMB 1,234,567", "¥123.46万"),
    (9_800, "RMB 9,800", "¥9,800"),
    (12_000, "RMB 12,000", "¥1.2万"),
    (1_200_000, "RMB 1,200,000", "¥120万"),
    (123_456_789, "RMB 123,456,789", "¥1.23亿"),
    (-1_234_567, "-RMB 1,234,567", "-¥123.46万"),
    (0, "RMB 0", "¥0"),
])
def test_money_in_both_languages(value, en, zh):
    assert format_money(value, "en") == en
    assert format_money(value, "zh_CN") == zh


def test_money_follows_the_current_language_and_can_be_forced():
    assert format_money(1_234_567) == "RMB 1,234,567"
    salestrain.set_language("zh_CN")
    try:
        assert format_money(1_234_567) == "¥123.46万"
        assert format_money(1_234_567, compact=False) == "¥1,234,567"
        assert format_date(dt.date(2026, 12, 1)) == "2026年12月1日"
    finally:
        salestrain.set_language(None)
    assert format_money(1_234_567, "en", compact=True) == "RMB 1.23M"


def test_numbers_percent_dates_and_axes():
    assert format_number(1_234_567, "en") == format_number(1_234_567, "zh_CN") == "1,234,567"
    assert format_number(2.5, "en", decimals=2) == "2.50"
    assert format_percent(0.3, "en") == "30%" and format_percent(0.305, "zh_CN", decimals=1) == "30.5%"
    assert format_date(dt.date(2026, 12, 1), "en") == "1 Dec 2026"
    assert format_date(dt.datetime(2027, 3, 9, 15, 0), "zh_CN") == "2027年3月9日"
    en, zh = axis_formatter("en"), axis_formatter("zh_CN")
    assert [en(v, 0) for v in (0, 300_000, 1_200_000)] == ["0", "300K", "1.2M"]
    assert [zh(v, 0) for v in (0, 300_000, 1_200_000, 120_000_000)] == ["0", "30万", "120万", "1.2亿"]
    assert axis_formatter("zh_CN", money=True)(300_000) == "¥30万"
    assert format_compact(45_000, "zh_CN") == "4.5万"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "12", None, True])
def test_not_a_number_is_a_named_error(bad):
    with pytest.raises(ValueError, match="finite number"):
        format_money(bad)


def _parse_zh_money(text: str) -> float:
    match = re.fullmatch(r"(-?)¥([\d,]+(?:\.\d+)?)(万|亿)?", text)
    assert match, text
    unit = {"万": 1e4, "亿": 1e8, None: 1}[match.group(3)]
    return (-1 if match.group(1) else 1) * float(match.group(2).replace(",", "")) * unit


@given(st.integers(min_value=-10**11, max_value=10**11))
def test_money_reads_back_to_the_amount(amount):
    # English shows every yuan; Chinese rounds to 0.01 of its unit (万 or 亿), never more.
    assert int(format_money(amount, "en").replace("RMB ", "").replace(",", "")) == amount
    shown = format_money(amount, "zh_CN")
    unit = 1e8 if abs(amount) >= 1e8 else 1e4 if abs(amount) >= 1e4 else 1
    assert abs(_parse_zh_money(shown) - amount) <= 0.005 * unit + 1e-6 * abs(amount)
    if unit == 1:
        assert "万" not in shown and "亿" not in shown


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_chinese_dates_read_back(day):
    y, m, d = re.fullmatch(r"(\d+)年(\d+)月(\d+)日", format_date(day, "zh_CN")).groups()
    assert dt.date(int(y), int(m), int(d)) == day
    assert dt.datetime.strptime(format_date(day, "en"), "%d %b %Y").date() == day
