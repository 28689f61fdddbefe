"""What a learner reads of data: localised tables, exhibits in the learner's language, and
the output check nbval runs on every Chinese notebook."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from salestrain.apps.tables import format_cell, show_table, table_html
from salestrain.base.i18n import set_language
from salestrain.io.cases import read_exhibit
from tests.language import CJK, english_phrases
from tests.nbval_language import language_of, output_texts

COLUMNS = {"account": {"en": "Account", "zh_CN": "客户"}, "amount": {"en": "Amount", "zh_CN": "金额"},
           "p": {"en": "Chance", "zh_CN": "概率"}, "stage": {"en": "Stage", "zh_CN": "阶段"}}
FRAME = pd.DataFrame({"account": ["<b>Acme</b>", "信和"], "amount": [1_234_567.0, 89_000.4],
                      "p": [0.3, 0.866667], "stage": ["proposal", "negotiation"], "code": ["x", "y"]})


@pytest.fixture(params=["en", "zh_CN"])
def lang(request):
    set_language(request.param)
    yield request.param
    set_language(None)


def test_a_table_shows_its_columns_labelled_and_formatted_in_the_language(lang):
    shown = show_table(FRAME, COLUMNS, formats={"amount": "money", "p": "percent"},
                       values={"stage": "funnel.stage"})
    markup, plain = shown._repr_html_(), repr(shown)
    assert "0.866667" not in markup and "1234567" not in markup  # no raw floats
    assert "87%" in plain and "1,234,567" in plain
    assert "code" not in plain  # only the columns asked for
    assert "&lt;b&gt;Acme&lt;/b&gt;" in markup and "<b>Acme" not in markup  # data is escaped
    if lang == "zh_CN":
        assert "客户" in plain and "方案" in plain and "谈判" in plain
        assert not english_phrases(markup)
    else:
        assert "Account" in plain and "Proposal" in plain and not CJK.search(plain.replace("信和", ""))


def test_a_missing_column_and_an_unknown_format_are_named():
    with pytest.raises(KeyError, match="nope"):
        table_html(FRAME, {"nope": {"en": "x"}})
    with pytest.raises(ValueError, match="money"):
        format_cell(3, "currency")


def test_cells_format_as_each_language_writes_them():
    set_language("zh_CN")
    try:
        assert format_cell(dt.date(2026, 12, 1), "date") == "2026年12月1日"
        assert format_cell(1_234_567, "compact_money").endswith("万")
        assert format_cell(True) == "是" and format_cell(float("nan"), "money") == "–"
    finally:
        set_language(None)
    assert format_cell(dt.datetime(2026, 12, 1, 9), "date", None) == "1 Dec 2026"


def test_an_exhibit_is_read_in_the_session_language(tmp_path, lang):
    (tmp_path / "contacts.csv").write_text("id,name\nC1,Chen Jing\n", encoding="utf-8")
    (tmp_path / "contacts.zh_CN.csv").write_text("id,name\nC1,陈静\n", encoding="utf-8")
    (tmp_path / "plants.csv").write_text("id,mw\nP1,30\n", encoding="utf-8")
    contacts = read_exhibit(tmp_path / "contacts.csv")
    assert contacts.loc[0, "name"] == ("陈静" if lang == "zh_CN" else "Chen Jing")
    # no translation beside it: the English file, in any language
    assert read_exhibit(tmp_path / "plants.csv").loc[0, "mw"] == 30


def test_the_notebook_output_check_reads_what_a_learner_sees(tmp_path):
    assert language_of(tmp_path / "notebooks" / "zh_CN" / "01.ipynb") == "zh_CN"
    assert language_of(tmp_path / "cases" / "x" / "x.zh_CN.ipynb") == "zh_CN"
    assert language_of(tmp_path / "notebooks" / "01.ipynb") is None
    english = FRAME.rename(columns={"p": "chance"}).to_html()
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "weighted forecast of December\n"},
        {"output_type": "execute_result", "data": {"text/html": english, "text/plain": "x"}},
        {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {},
                                                 "text/plain": "VBox(children=(Label(value='a b c'),))"}},
        {"output_type": "display_data", "data": {"image/png": "iVBOR"}},
    ]
    texts = output_texts(outputs)
    assert len(texts) == 2  # the widget's repr and the image are not read
    assert english_phrases(texts[0]) and english_phrases(texts[1])
    # in an exercise, the header row of column codes is allowed; its cells are not
    header_only = pd.DataFrame({"deal": [1], "expected close": [2], "amount": [3]}).to_html()
    assert english_phrases(output_texts([{"output_type": "execute_result",
                                          "data": {"text/html": header_only}}])[0])
    assert not english_phrases(output_texts([{"output_type": "execute_result",
                                              "data": {"text/html": header_only}}],
                                            codes_in_headers=True)[0])
