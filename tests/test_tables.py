"""Reading a user's CSV as text: every failure before the cell checks is a named DataError."""

from __future__ import annotations

from io import StringIO

import pytest

from salestrain.base.errors import DataError
from salestrain.base.i18n import set_language
from salestrain.base.tables import read_text_table


def test_cells_stay_text_and_an_excel_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_bytes("\ufeffdeal_id, amount\nD1, 007\nD2,\n".encode())
    frame = read_text_table(path)
    assert list(frame.columns) == ["deal_id", "amount"]
    # "007" and an empty cell survive as typed, so a checker can name them.
    assert frame["amount"].tolist() == ["007", ""]
    typed = read_text_table(StringIO("table,price\nA,2\n"), "typed rows")
    assert typed.to_dict("records") == [{"table": "A", "price": "2"}]


@pytest.mark.parametrize(("content", "message", "detail"), [
    (None, "does not exist; check the path", None),
    ("table,price\nCafé,1\n".encode("latin-1"), "is not UTF-8 text",
     "(encoding): invalid continuation byte; save it as UTF-8 CSV"),
    (b'a,b\n"x,1\n', "is not a readable CSV", "(format): "),
    (b"", "is empty; it needs a header row and at least one row of data", None),
])
def test_each_unreadable_file_names_itself_and_the_fix(tmp_path, content, message, detail):
    path = tmp_path / "table.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError) as info:
        read_text_table(path)
    text = str(info.value)
    assert text.startswith(f"{path} ") or text.startswith(f"{path}:")
    assert message in text
    if detail:
        assert f"{path}: {detail}" in text


def test_what_an_empty_file_needs_is_the_callers_and_messages_follow_the_language(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="a header row and one row per deal"):
        read_text_table(path, needs="one row per deal")
    set_language("zh_CN")
    try:
        with pytest.raises(DataError, match="是空文件；需要一行表头，之后至少一行数据"):
            read_text_table(path, "pipeline.csv")
        with pytest.raises(DataError, match="pipeline.csv：文件不存在"):
            read_text_table(tmp_path / "nope.csv", "pipeline.csv")
    finally:
        set_language(None)


def test_blank_cells_are_empty_text_or_missing_values_and_nothing_else():
    import numpy as np
    import pandas as pd

    from salestrain.base.tables import is_blank

    for blank in (None, float("nan"), np.nan, pd.NA, pd.NaT, "", "   "):
        assert is_blank(blank), blank
    for value in (0, 0.0, "0", "x", False, [], [None]):
        assert not is_blank(value), value


# -- the one grammar (issue 12 item 3) ---------------------------------------------------------
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from salestrain.base.tables import (  # noqa: E402
    AMBIGUOUS,
    BAD,
    BLANK,
    NOT_FINITE,
    OK,
    TOO_LARGE,
    parse_dates,
    parse_numbers,
    parse_percents,
)
from salestrain.io.funnel import read_pipeline, validate_pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HEAD = "deal_id,account,stage,amount,expected_close,owner\n"


def _text(values) -> pd.Series:
    return pd.Series(values, dtype=object)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**14), st.sampled_from([",", " ", "\u00a0", ""]))
def test_a_number_written_with_thousands_separators_reads_back(value, sep):
    written = f"{value:,}".replace(",", sep)
    values, codes = parse_numbers(_text([written, f"-{written}", f"¥{written}"]))
    assert codes.tolist() == [OK, OK, OK]
    assert values.tolist() == [float(value), -float(value), float(value)]


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_a_float_in_any_python_spelling_reads_back_exactly(value):
    values, codes = parse_numbers(_text([repr(value), f"{value:e}", f"{value:.17g}"]))
    assert codes.tolist() == [OK] * 3
    assert values[0] == value and values[2] == value
    assert values[1] == pytest.approx(value, rel=1e-6, abs=1e-300)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=1e15, max_value=1e308, exclude_min=True))
def test_numbers_beyond_the_sane_bound_and_non_numbers_are_named(value):
    values, codes = parse_numbers(_text([repr(value), repr(-value), "nan", "NaN", "inf", "-Infinity",
                                         "1e999", "12k", "1,2", ""]))
    assert codes.tolist() == [TOO_LARGE, TOO_LARGE, NOT_FINITE, NOT_FINITE, NOT_FINITE,
                              NOT_FINITE, TOO_LARGE, BAD, BAD, BLANK]
    assert np.isnan(values).all()


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_a_percentage_and_its_share_mean_the_same(basis_points):
    share = basis_points / 10_000
    values, codes = parse_percents(_text([f"{basis_points / 100}%", repr(share), f"{basis_points / 100} %"]))
    assert codes.tolist() == [OK] * 3
    assert values == pytest.approx([share] * 3, abs=1e-15)


@settings(max_examples=40, deadline=None)  # five parses per example
@given(st.dates(min_value=pd.Timestamp("1900-01-01").date(), max_value=pd.Timestamp("2200-12-31").date()))
def test_a_date_in_each_accepted_spelling_reads_back(day):
    spellings = [day.isoformat(), f"{day.year}/{day.month:02d}/{day.day:02d}",
                 f"{day.year}年{day.month}月{day.day}日", f"{day.year}.{day.month}.{day.day}"]
    dates, codes = parse_dates(_text(spellings))
    assert codes.tolist() == [OK] * 4
    assert all(d.date() == day for d in dates)
    dotted = f"{day.day:02d}.{day.month:02d}.{day.year}"
    us = f"{day.month:02d}/{day.day:02d}/{day.year}"
    read, codes = parse_dates(_text([dotted, us]))
    assert codes.tolist() == [AMBIGUOUS, AMBIGUOUS]  # never guessed
    assert parse_dates(_text([dotted]), "dmy")[0].iloc[0].date() == day
    assert parse_dates(_text([us]), "mdy")[0].iloc[0].date() == day
    assert parse_dates(_text([dotted]), "%d.%m.%Y")[0].iloc[0].date() == day


def test_impossible_dates_are_not_dates_not_ambiguous():
    _, codes = parse_dates(_text(["2026-02-31", "31/02/2026", "soon", "2026-13-01", ""]))
    assert codes.tolist() == [BAD, BAD, BAD, BAD, BLANK]


def test_nan_inf_and_huge_amounts_are_named_errors_not_a_crash(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEAD + "A1,X,proposal,NaN,2026-12-10,Lin\nA2,Y,proposal,inf,2026-12-10,Lin\n"
                    "A3,Z,proposal,1e308,2026-12-10,Lin\nA4,W,proposal,\"12,000\",2026-12-10,Lin\n")
    with pytest.raises(DataError) as info:
        read_pipeline(path)
    found = {(p.line, p.field) for p in info.value.problems}
    assert found == {(2, "amount"), (3, "amount"), (4, "amount")}
    text = str(info.value)
    assert f"{path}:2: amount: 'NaN' is not a number (NaN or infinity)" in text
    assert f"{path}:4: amount: '1e308' is beyond 1e+15" in text


def test_a_duplicated_column_is_a_named_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("deal_id,account,stage,amount,expected_close,owner,amount\n"
                    "A1,X,proposal,100,2026-12-10,Lin,200\n")
    with pytest.raises(DataError) as info:
        read_pipeline(path)
    assert [(p.line, p.field) for p in info.value.problems] == [(1, "amount")]
    assert "column 'amount' appears twice (columns 4 and 7)" in str(info.value)


def test_dotted_dates_are_ambiguous_unless_the_format_is_given(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEAD + "A1,X,proposal,100,01.12.2026,Lin\nA2,X,proposal,100,2026-12-03,Lin\n")
    with pytest.raises(DataError) as info:
        read_pipeline(path)
    assert [(p.line, p.field) for p in info.value.problems] == [(2, "expected_close")]
    assert "'01.12.2026' is ambiguous" in str(info.value) and "--date-format" in str(info.value)
    dmy = read_pipeline(path, date_format="dmy")
    assert dmy["expected_close"].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-01", "2026-12-03"]
    mdy = read_pipeline(path, date_format="mdy")
    assert mdy["expected_close"].iloc[0] == pd.Timestamp("2026-01-12")


def test_a_header_only_file_is_a_named_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEAD)
    with pytest.raises(DataError, match="has a header row but no data; it needs one row per deal"):
        read_pipeline(path)


def test_big_files_show_the_first_twenty_problems_and_the_count():
    n = 5000
    df = pd.DataFrame({"deal_id": [f"D{i}" for i in range(n)], "account": "X", "stage": "proposal",
                       "amount": ["oops"] * n, "expected_close": "2026-12-01", "owner": "o"})
    with pytest.raises(DataError) as info:
        validate_pipeline(df, source="big.csv")
    assert len(info.value.problems) == 20
    assert [p.line for p in info.value.problems] == list(range(2, 22))
    assert "has 5,000 problems (showing the first 20; 4980 more)" in str(info.value)


def _run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT), "SALESTRAIN_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "salestrain", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def test_a_gbk_pipeline_with_chinese_accounts_forecasts_like_its_utf8_twin(tmp_path):
    text = (HEAD + "A1,青河物流有限公司,proposal,\"100,000\",2026-12-10,林浩\n"
            "A2,红叶食品集团,谈判,250000,2026年12月20日,周梅\n"
            "A3,蓝石银行,won,40000,2026/12/02,林浩\n")
    gbk, utf8 = tmp_path / "gbk.csv", tmp_path / "utf8.csv"
    gbk.write_bytes(text.encode("gbk"))
    utf8.write_bytes(text.encode("utf-8"))
    table = read_pipeline(gbk)
    assert table["account"].tolist() == ["青河物流有限公司", "红叶食品集团", "蓝石银行"]
    assert table["amount"].tolist() == [100000.0, 250000.0, 40000.0]
    from_gbk = _run_cli("forecast", str(gbk), "--target", "200000", cwd=tmp_path)
    from_utf8 = _run_cli("forecast", str(utf8), "--target", "200000", cwd=tmp_path)
    assert from_gbk.returncode == 0 and from_utf8.returncode == 0, from_gbk.stderr
    # the same forecast: 40,000 won, then 250,000 at 0.7 and 100,000 at 0.5
    assert "Traceback" not in from_gbk.stderr
    assert from_gbk.stdout.replace(str(gbk), "F") == from_utf8.stdout.replace(str(utf8), "F")
    p_hit = 0.7  # >= 200,000 needs the 250,000 deal: P = 0.7
    assert f"{p_hit:.1%}" in from_gbk.stdout
    assert "GBK/GB18030" in from_gbk.stderr and "GBK" not in from_utf8.stderr


def test_the_cli_names_ambiguous_dates_and_reads_them_with_date_format(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEAD + "A1,X,won,100,01.12.2026,Lin\n")
    bad = _run_cli("forecast", str(path), "--target", "50", cwd=tmp_path)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "'01.12.2026' is ambiguous" in bad.stderr
    ok = _run_cli("forecast", str(path), "--target", "50", "--month", "2026-12",
                  "--date-format", "dmy", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "100.0%" in ok.stdout


def test_any_other_encoding_gets_the_excel_csv_utf8_fix(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("deal_id,name\nA1,\u00c9l\u00e9onore \u00e0 l\u2019h\u00f4tel\n".encode("utf-16"))
    with pytest.raises(DataError, match="CSV UTF-8"):
        read_text_table(path)


def test_a_filtered_frame_is_read_by_position_not_by_its_index():
    import pandas as pd

    from salestrain.io.funnel import validate_pipeline

    frame = pd.DataFrame({"deal_id": ["X", "A", "B"], "account": ["x", "a", "b"],
                          "stage": ["won", "proposal", "potential"], "amount": [9.0, 100.0, 50.0],
                          "expected_close": ["2026-12-01"] * 3, "owner": ["o"] * 3})
    clean = validate_pipeline(frame.iloc[1:], source="filtered")
    assert list(clean["stage"]) == ["proposal", "potential"] and list(clean["amount"]) == [100.0, 50.0]


POOL_PROBE = """
import pyarrow as pa, sys
from salestrain.base.tables import read_text_table
frame = read_text_table(sys.argv[1], "deals.csv")
print(pa.default_memory_pool().backend_name, len(frame))
"""


@pytest.mark.parametrize("chosen", [None, "mimalloc"])
def test_the_reader_keeps_arrow_memory_off_its_cache_unless_the_user_chose_a_pool(tmp_path, chosen):
    # Arrow's cached pool held 80 MB of a 1M-row read (issue 12); a user's explicit
    # ARROW_DEFAULT_MEMORY_POOL is theirs to keep.
    import os
    import subprocess
    import sys

    path = tmp_path / "deals.csv"
    path.write_text("deal_id,amount\nD1,12000\nD2,3000\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen:
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    out = subprocess.run([sys.executable, "-c", POOL_PROBE, str(path)], capture_output=True,
                         text=True, check=True, env=env).stdout.split()
    assert out == [chosen or "system", "2"]


def test_large_blocks_are_mapped_on_their_own_on_linux():
    import sys

    from salestrain.base.memory import return_large_blocks

    assert return_large_blocks() is sys.platform.startswith("linux")
