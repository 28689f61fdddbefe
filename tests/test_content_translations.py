"""Content files carry their texts as {en, zh_CN}; `validate` reports missing ones at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

import salestrain
from salestrain.base.errors import ContentError
from salestrain.io.content import validate_path
from salestrain.io.negotiation import DATA_DIR as NEGOTIATION_DIR
from salestrain.io.negotiation import load_scenario as load_negotiation
from salestrain.io.objections.scenarios import DATA_DIR as OBJECTIONS_DIR
from salestrain.io.objections.scenarios import load_scenario
from tests.objections.helpers import small_yaml

ROOT = Path(__file__).resolve().parent.parent


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_english_only_draft_passes_and_plays():
    # the authoring exercise writes plain strings: short for {en: ...}
    _, problems = validate_path(OBJECTIONS_DIR)
    assert problems == []


def test_english_draft_is_valid(tmp_path):
    path = _write(tmp_path, small_yaml())
    assert validate_path(path)[1] == []
    assert salestrain.t(load_scenario(path).nodes[0].say) == "Too expensive."


def test_a_half_translated_file_is_reported_field_by_field_with_its_line(tmp_path):
    text = small_yaml().replace('title: "Tiny"', 'title: {en: "Tiny", zh_CN: "小场景"}')
    path = _write(tmp_path, text)
    _, problems = validate_path(path)
    texts = [str(p) for p in problems]
    line_of_say = text.splitlines().index('    say: "Too expensive."') + 1
    assert any(f"s.yaml:{line_of_say}: nodes.0.say:" in t and "zh_CN" in t for t in texts), texts
    assert not any(": title:" in t for t in texts)
    # it still loads: a learner gets English for the lines not yet translated
    scenario = load_scenario(path)
    assert salestrain.t(scenario.title, lang="zh_CN") == "小场景"
    assert salestrain.t(scenario.nodes[0].say, lang="zh_CN") == "Too expensive."


def test_a_wrong_language_key_is_a_named_error_at_its_line(tmp_path):
    text = small_yaml().replace('    say: "And?"', '    say: {en: "And?", zh: "然后呢？"}')
    path = _write(tmp_path, text)
    _, problems = validate_path(path)
    line = text.splitlines().index('    say: {en: "And?", zh: "然后呢？"}') + 1
    assert any(f":{line}: nodes.1.say:" in str(p) and "'zh'" not in "" and "zh" in str(p)
               and "en, zh_CN" in str(p) for p in problems), problems
    with pytest.raises(ContentError):
        load_scenario(path)


def test_every_shipped_scenario_is_complete_in_every_language():
    for folder in (OBJECTIONS_DIR, NEGOTIATION_DIR, ROOT / "cases" / "pharma-displacement"):
        _, problems = validate_path(folder)
        assert [str(p) for p in problems] == []


def test_no_scenario_uses_the_old_zh_suffix():
    for path in [*OBJECTIONS_DIR.glob("*.yaml"), *NEGOTIATION_DIR.glob("*.yaml"),
                 *(ROOT / "cases").rglob("*.yaml")]:
        assert "_zh:" not in path.read_text(encoding="utf-8"), path


def test_negotiation_texts_use_the_same_fallback(tmp_path, capsys):
    en = load_negotiation("price-sensitive-buyer", lang="en")
    zh = load_negotiation("price-sensitive-buyer", lang="zh")  # a spelling t() accepts
    tw = load_negotiation("price-sensitive-buyer", lang="zh_TW")
    assert "价格" in zh.title and tw.title == en.title
    salestrain.set_language("zh_CN")
    assert load_negotiation("price-sensitive-buyer").title == zh.title
    salestrain.set_language(None)
    half = (NEGOTIATION_DIR / "price-sensitive-buyer.yaml").read_text(encoding="utf-8").replace(
        '  zh_CN: "价格敏感的买家：包装生产线"\n', "", 1)
    path = _write(tmp_path, half, "half.yaml")
    _, problems = validate_path(path)
    assert any("half.yaml:3: title:" in str(p) and "zh_CN" in str(p) for p in problems), problems
    assert load_negotiation(path, lang="zh_CN").title == en.title
