from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from salestrain.base.errors import ContentError
from salestrain.io import content
from salestrain.io.content import load_model, parse_model, register_kind, validate_path
from salestrain.io.yamlio import load_yaml


class _Item(BaseModel):
    name: str
    weight: float = Field(ge=0, le=1)


class _Doc(BaseModel):
    kind: str
    items: list[_Item]


@register_kind("test-doc", "a document used only by these tests")
def _validate_test_doc(doc):
    _, problems = parse_model(doc, _Doc)
    return problems


def _write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_problems_name_file_line_field_and_value(tmp_path):
    path = _write(tmp_path, "kind: test-doc\nitems:\n  - name: a\n    weight: 0.5\n  - name: b\n    weight: 7\n")
    checked, problems = validate_path(path)
    assert checked == 1
    assert [str(p) for p in problems] == [
        f"{path}:6: items.1.weight: Input should be less than or equal to 1 (got 7)"
    ]


def test_missing_field_points_at_its_parent(tmp_path):
    path = _write(tmp_path, "kind: test-doc\nitems:\n  - weight: 0.5\n")
    [problem] = validate_path(path)[1]
    assert problem.line == 3 and problem.field == "items.0.name" and "required" in problem.message


def test_syntax_error_has_a_line(tmp_path):
    path = _write(tmp_path, "kind: test-doc\nitems: [\n  - a: b\n")
    [problem] = validate_path(path)[1]
    assert problem.file == str(path) and problem.line is not None and problem.field == "(syntax)"


def test_unknown_or_missing_kind(tmp_path):
    p1 = _write(tmp_path, "kind: nonsense\n", "a.yaml")
    p2 = _write(tmp_path, "title: x\n", "b.yaml")
    _, problems = validate_path(tmp_path)
    assert len(problems) == 2
    assert "unknown kind 'nonsense'" in str(problems[0]) and str(problems[0]).startswith(f"{p1}:1: kind:")
    assert "no top-level `kind:`" in str(problems[1]) and str(p2) in str(problems[1])


def test_load_model_raises_one_error_listing_everything(tmp_path):
    path = _write(tmp_path, "kind: test-doc\nitems:\n  - name: a\n    weight: -1\n  - weight: 2\n")
    with pytest.raises(ContentError) as info:
        load_model(path, _Doc)
    assert len(info.value.problems) == 3
    assert f"{path}:4: items.0.weight" in str(info.value)


def test_line_of_falls_back_to_deepest_known_part(tmp_path):
    doc = load_yaml(_write(tmp_path, "a:\n  b:\n    - 1\n    - 2\n"))
    assert doc.line_of(("a", "b", 1)) == 4
    assert doc.line_of(("a", "zzz")) == 1
    assert doc.data == {"a": {"b": [1, 2]}}


def test_every_registered_kind_has_a_summary():
    for kind in content.kinds().values():
        assert kind.summary


def test_a_folder_walk_leaves_other_tools_yaml_alone(tmp_path):
    # environment.yml, a CI file: not ours, so not flagged when validating a checkout
    _write(tmp_path, "name: salestrain\ndependencies: [python]\n", "environment.yml")
    (tmp_path / ".github").mkdir()
    _write(tmp_path / ".github", "on: push\n", "ci.yml")
    content = tmp_path / "scenarios"
    content.mkdir()
    _write(content, "kind: test-doc\nitems:\n  - name: a\n    weight: 0.5\n", "good.yaml")
    _write(content, "title: forgot its kind\n", "bad.yaml")
    checked, problems = validate_path(tmp_path)
    assert checked == 2  # the two files in the content folder
    assert [p.file for p in problems] == [str(content / "bad.yaml")]
    # named explicitly, a file is always checked
    assert validate_path(tmp_path / "environment.yml")[1][0].message.startswith("no top-level")


def _broken_exercise(folder: Path, name: str, qid: str) -> Path:
    import json

    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": f"%%tests {qid}\n- name: x\n  answer: y\n  expect: 1\n  feedback: no.such.key\n"}]
    path = folder / name
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_notebooks_are_checked_in_parallel_with_the_same_findings(tmp_path):
    import salestrain.grading.exercise_files  # noqa: F401 - registers the notebook validator

    folder = tmp_path / "exercises"
    folder.mkdir()
    for i in range(3):
        _broken_exercise(folder, f"ex{i}.ipynb", f"q{i}")
    serial = validate_path(folder, jobs=1)
    parallel = validate_path(folder, jobs=2)
    assert serial == parallel
    assert serial[0] == 3 and len(serial[1]) >= 3
    assert [p.file.split(":")[0] for p in serial[1]] == sorted(p.file.split(":")[0] for p in serial[1])
