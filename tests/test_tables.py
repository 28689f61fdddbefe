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
