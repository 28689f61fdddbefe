"""Big tables take the quick paths (cells parsed once per distinct value, columns checked on
two threads, a byte-level look before trimming): the answers and the problems named must be
the ones a small table gets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salestrain.base import tables
from salestrain.base.errors import DataError
from salestrain.io.funnel import read_pipeline

ROWS = 60_000  # above both thresholds: _DISTINCT_MIN_ROWS and _PARALLEL_MIN_ROWS
START = np.datetime64("2026-12-01")


def _table(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    amounts = rng.integers(1, 5_000, ROWS) * 100
    days = rng.integers(0, 90, ROWS)
    text = amounts.astype(str).astype(object)
    text[::7] = [f"{a:,}" for a in amounts[::7]]  # "12,000", as spreadsheets write it
    frame = pd.DataFrame({
        "deal_id": [f"D{i:06d}" for i in range(ROWS)],
        "account": rng.choice(["Acme", "Borealis", "华信银行", "Kestrel"], ROWS),
        "stage": rng.choice(["potential", "Proposal", "negotiation", "won"], ROWS),
        "amount": text,
        "expected_close": (START + days.astype("timedelta64[D]")).astype(str),
        "owner": rng.choice(["Lin Hao", "Zhou Mei"], ROWS),
    })
    return frame, amounts.astype(float), START + days.astype("timedelta64[D]")


def test_a_clean_big_table_reads_back_exactly_with_padding_trimmed(tmp_path):
    frame, amounts, dates = _table(np.random.default_rng(3))
    frame.loc[500, "amount"] = " 12,000 "
    amounts[500] = 12_000
    frame.loc[501, "account"] = "Acme  "
    frame.loc[502, "account"] = "\u3000华信银行"  # an ideographic space, as IMEs type it
    frame.loc[503, "owner"] = "\tLin Hao"
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)

    out = read_pipeline(path)

    assert len(out) == ROWS
    np.testing.assert_array_equal(out["amount"].to_numpy(), amounts)
    np.testing.assert_array_equal(out["expected_close"].to_numpy(),
                                  dates.astype("datetime64[ns]"))
    assert out.loc[501, "account"] == "Acme" and out.loc[502, "account"] == "华信银行"
    assert out.loc[503, "owner"] == "Lin Hao"
    assert set(out["stage"]) == {"potential", "proposal", "negotiation", "won"}
    assert out["probability"].notna().all()


def _bad_table(tmp_path):
    frame, _, _ = _table(np.random.default_rng(4))
    frame.loc[100, "amount"] = "12,0x0"
    frame.loc[200, "expected_close"] = "2026-02-31"
    frame.loc[300, "deal_id"] = "D000005"
    frame.loc[400, "stage"] = "maybe"
    frame.loc[600, "expected_close"] = "01.02.2026"
    frame.loc[59_999, "amount"] = "inf"
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    return path


def test_every_bad_cell_of_a_big_table_is_named_by_line_and_column(tmp_path):
    with pytest.raises(DataError) as info:
        read_pipeline(_bad_table(tmp_path))
    named = [(p.line, p.field) for p in info.value.problems]
    # line = row + 2 (the header is line 1); the duplicate is reported on the later row
    assert named == [(102, "amount"), (202, "expected_close"), (302, "deal_id"),
                     (402, "stage"), (602, "expected_close"), (60_001, "amount")]
    text = str(info.value)
    assert "'12,0x0'" in text and "'2026-02-31'" in text and "'D000005'" in text
    assert "line 7" in text  # where D000005 first appears (row 5)


def _small_paths(monkeypatch):
    monkeypatch.setattr(tables, "_DISTINCT_MIN_ROWS", 10**12)
    monkeypatch.setattr(tables, "_PARALLEL_MIN_ROWS", 10**12)


def test_the_quick_paths_give_the_answer_of_the_cell_by_cell_paths(tmp_path, monkeypatch):
    frame, _, _ = _table(np.random.default_rng(5))
    frame.loc[42, "account"] = " Kestrel "
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    quick = read_pipeline(path)
    _small_paths(monkeypatch)
    plain = read_pipeline(path)
    pd.testing.assert_frame_equal(quick, plain)


def test_the_quick_paths_name_the_problems_of_the_cell_by_cell_paths(tmp_path, monkeypatch):
    path = _bad_table(tmp_path)
    with pytest.raises(DataError) as quick:
        read_pipeline(path)
    _small_paths(monkeypatch)
    with pytest.raises(DataError) as plain:
        read_pipeline(path)
    assert str(quick.value) == str(plain.value)
    assert quick.value.problems == plain.value.problems


_CELL = st.text(alphabet=[" ", "\t", "\u3000", "\u00a0", "a", "华", "1", ","], max_size=6)


@given(st.lists(_CELL, min_size=1, max_size=40))
def test_text_cells_strip_exactly_what_python_strips(cells):
    series = pd.Series(cells, dtype=tables.TEXT)
    assert list(tables.text_cells(series)) == [c.strip() for c in cells]
