"""Pipeline tables: validation errors name line, column, value and fix; CRM mappings."""

import re

import pandas as pd
import pytest

from salestrain.base import i18n
from salestrain.base.errors import DataError
from salestrain.core.funnel import (
    DEFAULT_STAGES,
    Stages,
    category_rollup,
    in_period,
)
from salestrain.io.funnel import (
    MALFORMED_PIPELINE,
    data_path,
    read_pipeline,
    sample_history,
    sample_pipeline,
    validate_pipeline,
    write_samples,
)

GOOD = """deal_id,account,stage,amount,expected_close,owner
A1,Qinghe Logistics,proposal,100000,2026-12-10,Lin Hao
A2,Redleaf Foods,negotiation,"250,000",2026-12-20,Zhou Mei
A3,Bluestone Bank,won,40000,2026-12-02,Lin Hao
"""


def write(tmp_path, text, name="p.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_with_stage_probabilities(tmp_path):
    p = read_pipeline(write(tmp_path, GOOD))
    assert list(p["deal_id"]) == ["A1", "A2", "A3"]
    assert list(p["probability"]) == [0.5, 0.7, 1.0]
    assert list(p["amount"]) == [100000.0, 250000.0, 40000.0]
    assert list(p["category"]) == ["best_case", "commit", "closed"]
    assert p["expected_close"].dt.month.tolist() == [12, 12, 12]


def test_the_malformed_sample_reports_every_problem_by_line_and_column():
    path = data_path(MALFORMED_PIPELINE)
    with pytest.raises(DataError) as info:
        read_pipeline(path)
    found = {(p.line, p.field) for p in info.value.problems}
    assert found == {(3, "stage"), (4, "amount"), (5, "amount"), (6, "expected_close"), (8, "deal_id")}
    text = str(info.value)
    assert f"{path}:3: stage: unknown stage 'closing'" in text
    assert "'-45000' is negative" in text
    assert "'31/02/2026' is not a date; write it as YYYY-MM-DD" in text
    assert "duplicate id 'D0006' (first on line 7)" in text


def test_missing_columns_name_what_the_file_has(tmp_path):
    path = write(tmp_path, "id,company,value\n1,x,3\n")
    with pytest.raises(DataError) as info:
        read_pipeline(path)
    fields = {p.field for p in info.value.problems}
    assert fields == {"stage", "expected_close", "owner"}
    assert "the file has: deal_id, account, amount" in str(info.value)


def test_crm_column_names_map_and_overrides_apply(tmp_path):
    text = ("Opportunity ID,Account Name,Sales Stage,Deal Value,Close Date,Opportunity Owner,"
            "Win Chance\nX1,Jadeport Pharma,谈判,120000,2026/12/15,Grace Tan,35%\n"
            "X2,Westhill Energy,Intention,80000,2026-12-01,Grace Tan,\n")
    path = write(tmp_path, text)
    p = read_pipeline(path, mapping={"Win Chance": "probability"})
    assert list(p["stage"]) == ["negotiation", "intention"]
    assert list(p["probability"]) == [0.35, 0.3]
    assert list(p["override"]) == [True, False]


def test_bad_probability_override_and_category(tmp_path):
    text = GOOD.replace("deal_id,account,stage,amount,expected_close,owner",
                        "deal_id,account,stage,amount,expected_close,owner,probability,category")
    lines = text.strip().split("\n")
    lines[1] += ",1.4,commit"
    lines[2] += ",,maybe"
    lines[3] += ",,"
    with pytest.raises(DataError) as info:
        read_pipeline(write(tmp_path, "\n".join(lines) + "\n"))
    found = {(p.line, p.field) for p in info.value.problems}
    assert found == {(2, "probability"), (3, "category")}


def test_dataframe_input_uses_the_source_name():
    df = pd.DataFrame({"deal_id": ["a"], "account": ["x"], "stage": ["nope"], "amount": [1],
                       "expected_close": ["2026-12-01"], "owner": ["o"]})
    with pytest.raises(DataError, match="crm-export:2: stage"):
        validate_pipeline(df, source="crm-export")


def test_custom_stages_and_bad_stage_definitions():
    stages = Stages.from_pairs([("lead", 0.05), ("demo", 0.4), ("closed won", 1.0)])
    df = pd.DataFrame({"deal_id": ["a", "b"], "account": ["x", "y"], "stage": ["Demo", "lead"],
                       "amount": [10, 20], "expected_close": ["2026-12-01"] * 2, "owner": ["o"] * 2})
    p = validate_pipeline(df, stages)
    assert list(p["probability"]) == [0.4, 0.05]
    with pytest.raises(DataError, match="outside 0..1"):
        Stages.from_pairs([("lead", 1.5)])


def test_month_filter_and_category_rollup():
    p = sample_pipeline()
    dec = in_period(p, "2026-12")
    assert 0 < len(dec) < len(p)
    assert (dec["expected_close"].dt.month == 12).all()
    roll = category_rollup(dec)
    assert roll.loc["closed", "amount"] == dec.loc[dec["stage"] == "won", "amount"].sum()
    counted = roll.drop(index="omitted")
    assert roll.loc["pipeline", "cumulative"] == pytest.approx(counted["amount"].sum())
    assert roll["deals"].sum() == len(dec)
    with pytest.raises(DataError, match="YYYY-MM"):
        in_period(p, "December")


def test_shipped_samples_are_exactly_the_generators_output(tmp_path):
    for path in write_samples(tmp_path):
        shipped = data_path(path.name)
        assert shipped.read_bytes() == path.read_bytes(), path.name
    assert len(sample_pipeline()) == 60
    assert set(sample_history()["stage"]) <= {*DEFAULT_STAGES.names, "lost"}


# -- messages in the learner's language -----------------------------------------------------
CJK = re.compile(r"[\u4e00-\u9fff]")



def test_every_funnel_message_has_a_chinese_text():
    english = {k for k in i18n.catalog("en") if k.startswith("funnel.")}
    chinese_keys = set(i18n.catalog("zh_CN"))
    assert english - chinese_keys == set()
    errors = [k for k in english if k.startswith("funnel.error.")]
    assert len(errors) > 20
    # "(encoding)" and the like are labels too: every error text is really translated.
    # (placeholder check on the catalog entry: a plural message needs count= to render)
    assert all(CJK.search(i18n.t(k, lang="zh_CN")) for k in errors if "{" not in str(i18n.catalog("en")[k]))


def test_the_malformed_sample_is_reported_in_chinese_with_line_column_and_value(zh):
    path = data_path(MALFORMED_PIPELINE)
    with pytest.raises(DataError) as info:
        read_pipeline(path)
    problems = info.value.problems
    # Translation must not lose a single problem or its location.
    assert {(p.line, p.field) for p in problems} == {
        (3, "stage"), (4, "amount"), (5, "amount"), (6, "expected_close"), (8, "deal_id")}
    assert all(CJK.search(p.message) for p in problems)
    text = str(info.value)
    assert text.startswith(f"{path} 有 5 处问题")
    assert f"{path}:3: stage: 未知阶段 'closing'" in text
    assert "potential, intention, proposal, negotiation, won" in text  # the stages to choose from
    assert f"{path}:4: amount: '-45000' 是负数" in text
    assert f"{path}:6: expected_close: '31/02/2026' 不是日期；请写成 YYYY-MM-DD" in text
    assert f"{path}:8: deal_id: 编号 'D0006' 重复（首次出现在第 7 行）" in text
    assert "unknown stage" not in text and "is negative" not in text


def test_missing_columns_bad_month_and_stage_changes_in_chinese(zh, tmp_path):
    with pytest.raises(DataError) as info:
        read_pipeline(write(tmp_path, "id,company,value\n1,x,3\n"))
    text = str(info.value)
    assert "缺少列 stage, expected_close, owner" in text
    assert "文件中的列有：deal_id, account, amount" in text
    assert "mapping={'<你的列名>': 'owner'}" in text
    with pytest.raises(DataError, match="'December' 不是月份；请写成 YYYY-MM，例如 2026-12"):
        in_period(sample_pipeline(), "December")
    with pytest.raises(DataError, match="未知阶段 'closing'"):
        DEFAULT_STAGES.with_probabilities({"closing": 0.5})
    with pytest.raises(DataError) as info:
        Stages.from_pairs([("lead", 1.5)])
    assert "stages: lead: 概率 1.5 不在 0..1 之间" in str(info.value)


def test_unreadable_files_are_named_in_chinese(zh, tmp_path):
    with pytest.raises(DataError, match="文件不存在"):
        read_pipeline(tmp_path / "nope.csv")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("deal_id,account\nA1,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError) as info:
        read_pipeline(latin1)
    assert f"{latin1} 不是 UTF-8 文本" in str(info.value)
    assert "（编码）" in str(info.value) and "请另存为 UTF-8 编码的 CSV" in str(info.value)
    empty = write(tmp_path, "", "empty.csv")
    with pytest.raises(DataError, match="是空文件"):
        read_pipeline(empty)
