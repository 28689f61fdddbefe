"""Bad instrument files and bad assessment CSVs give file:line (or line and column) errors."""

import textwrap

import pytest

from salestrain.base.errors import ContentError, DataError
from salestrain.core.coaching import progress
from salestrain.io.coaching.content import DEFAULT_INSTRUMENT, load_instrument
from salestrain.io.coaching.files import read_assessments_csv, sample_team
from salestrain.io.content import validate_path

GOOD_ITEMS = """\
  - id: discovery
    dimension: capability
    weight: 1
    label: coaching.item.discovery
    stage: need_recognition
  - id: motivation
    dimension: willingness
    weight: 1
    label: Motivation
"""


def write(tmp_path, text, name="instrument.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_shipped_instrument_validates():
    assert validate_path(DEFAULT_INSTRUMENT) == (1, [])


def test_instrument_errors_name_line_field_value_and_fix(tmp_path):
    path = write(tmp_path, """\
        kind: assessment-instrument
        id: broken
        thresholds:
          capability: 6
          border: middle
        items:
          - id: discovery
            dimension: capability
            weight: -2
            label: Discovery
            stage: closing
          - id: discovery
            dimension: skill
            weight: 1
            label: Again
          - id: motivation
            dimension: willingness
            weight: 1
            label: Motivation
            stage: decision
        """)
    _, problems = validate_path(path)
    text = "\n".join(str(p) for p in problems)
    assert f"{path}:5: thresholds.border:" in text and "'middle'" in text
    assert f"{path}:9: items.0.weight:" in text and "greater than 0" in text and "-2" in text
    assert f"{path}:11: items.0.stage:" in text and "unknown stage" in text and "need_recognition" in text
    assert f"{path}:13: items.1.dimension:" in text and "'skill'" in text
    with pytest.raises(ContentError):
        load_instrument(path)


def test_instrument_semantic_errors(tmp_path):
    path = write(tmp_path, "kind: assessment-instrument\nid: x\nthresholds:\n  willingness: 5\n"
                 "items:\n" + GOOD_ITEMS + "  - id: motivation\n    dimension: willingness\n"
                 "    weight: 2\n    label: again\n    stage: decision\n")
    _, problems = validate_path(path)
    text = "\n".join(str(p) for p in problems)
    assert f"{path}:4: thresholds.willingness: 5 is not inside the scale (1-5)" in text
    assert f"{path}:15: items.2.id: duplicate item id 'motivation' (also item 2)" in text
    assert f"{path}:19: items.2.stage: motivation is a willingness item" in text


def test_a_trainers_own_instrument_loads(tmp_path):
    path = write(tmp_path, "kind: assessment-instrument\nid: mine\nscale: {min: 0, max: 10}\n"
                 "thresholds: {capability: 6, willingness: 5, border: low}\nitems:\n" + GOOD_ITEMS)
    inst = load_instrument(path)
    assert inst.scale_max == 10 and inst.thresholds.border == "low"
    assert inst.item("motivation").label == "Motivation"


CSV_HEADER = "rep,date,rater,discovery,product_knowledge,motivation\n"


def test_assessment_csv_errors_name_line_column_value_and_fix(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text(CSV_HEADER
                    + "Lin Qiao,2026-03-31,self,3,4,5\n"
                    + "Lin Qiao,31/03/2026,boss,3,9,x\n"
                    + ",2026-03-31,manager,,,\n"
                    + "Lin Qiao,2026-03-31,self,2,2,2\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_assessments_csv(path)
    text = str(err.value)
    assert f"{path}:3: date: '31/03/2026' is not a date; write YYYY-MM-DD" in text
    assert f"{path}:3: rater: 'boss' is not a rater; write self or manager" in text
    assert f"{path}:3: product_knowledge: 9 is outside 1-5" in text
    assert f"{path}:3: motivation: 'x' is not a number" in text
    assert f"{path}:4: rep: empty" in text
    assert f"{path}:5: (row): same rep, date and rater as line 2" in text


def test_assessment_csv_header_errors_suggest_the_fix(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("rep,date,discovry,motivation\nLin Qiao,2026-03-31,3,3\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_assessments_csv(path)
    text = str(err.value)
    assert f"{path}:1: rater: missing column 'rater'" in text
    assert "unknown column 'discovry'; did you mean 'discovery'?" in text
    with pytest.raises(DataError, match="does not exist"):
        read_assessments_csv(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="is empty"):
        read_assessments_csv(tmp_path / "empty.csv")


def test_sample_team_progress_has_every_quadrant_and_movement():
    prog = progress(sample_team(), load_instrument())
    assert set(prog["style"]) == {"direct", "guide", "excite", "delegate"}
    assert prog.groupby("rep")["date"].nunique().min() == 2


def test_a_bad_score_is_explained_in_chinese_with_its_line_and_column(tmp_path, zh):
    path = tmp_path / "scores.csv"
    path.write_text(CSV_HEADER + "Lin Qiao,2026-03-31,self,3,9,x\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_assessments_csv(path)
    text = str(err.value)
    assert f"{path} 有 2 处问题" in text
    assert f"{path}:2: product_knowledge: 9 超出了 1-5 的范围；请填 1 到 5 之间的分数" in text
    assert f"{path}:2: motivation: 'x' 不是数字" in text
    with pytest.raises(DataError, match="nope.csv：文件不存在"):
        read_assessments_csv(tmp_path / "nope.csv")


def test_the_sample_week_speaks_the_learners_language():
    # issue 14: the Chinese time-matrix app showed all nine tasks in English.
    import re

    from salestrain.io.coaching.files import sample_week

    english, chinese = sample_week("en"), sample_week("zh_CN")
    assert len(chinese) == len(english) == 9
    for column in ("hours", "important", "urgent"):  # the same week, only the words differ
        assert chinese[column].tolist() == english[column].tolist()
    assert not any(re.search("[A-Za-z]", task) for task in chinese["task"])
    assert all(re.search("[\u4e00-\u9fff]", task) for task in chinese["task"])
    assert sample_week("fr")["task"].tolist() == english["task"].tolist()
