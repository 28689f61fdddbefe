"""Item banks: parallel pre/post forms are validated like every content kind."""

from __future__ import annotations

import pytest
import yaml

from salestrain.base.errors import ContentError
from salestrain.io.content import validate_path
from salestrain.io.item_bank import load_item_bank


def item(k: int, points: float = 1) -> dict:
    return {"id": f"i{k}", "minutes": 1, "question": {
        "kind": "choice", "points": points, "prompt": {"en": f"Q{k}", "zh_CN": f"第{k}题"},
        "options": [{"id": "a", "text": "A", "credit": 1}, {"id": "b", "text": "B"}]}}


def bank(**changes) -> dict:
    data = {"kind": "item-bank", "module": "funnel", "title": {"en": "Funnel", "zh_CN": "漏斗"},
            "minutes": 10, "certify_at": 0.8, "items": [item(k) for k in range(6)],
            "forms": {"pre": ["i0", "i1", "i2"], "post": ["i3", "i4", "i5"]}}
    data.update(changes)
    return data


def write(tmp_path, data) -> object:
    path = tmp_path / "checks.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_parallel_bank_loads_with_its_forms(tmp_path):
    loaded = load_item_bank(write(tmp_path, bank()))
    assert [q.id for q in loaded.form("pre")] == ["i0", "i1", "i2"]
    assert loaded.points("pre") == loaded.points("post") == 3


@pytest.mark.parametrize(("changes", "words"), [
    ({"forms": {"pre": ["i0", "i1", "i3"], "post": ["i3", "i4", "i5"]}}, "both forms"),
    ({"forms": {"pre": ["i0", "i1"], "post": ["i3", "i4", "i5"]}}, "same number"),
    ({"items": [item(k, points=2 if k == 0 else 1) for k in range(6)]}, "equal"),
    ({"forms": {"pre": ["i0", "i1", "nope"], "post": ["i3", "i4", "i5"]}}, "not an item"),
    ({"minutes": 2}, "more than 2"),
    ({"forms": {"pre": ["i0"]}}, "exactly the forms"),
    ({"items": [item(0), {**item(1), "question": {"kind": "number", "prompt": "x"}}]}, "answer"),
])
def test_a_bank_that_is_not_parallel_is_named_with_its_fix(tmp_path, changes, words):
    path = write(tmp_path, bank(**changes))
    _, problems = validate_path(path)
    assert any(words in str(p) for p in problems), problems
    with pytest.raises(ContentError):
        load_item_bank(path)
