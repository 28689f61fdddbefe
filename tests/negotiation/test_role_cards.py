"""Confidential role cards (issue 15): each side prints its own facts, never the other's."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import set_language
from salestrain.cli.main import main
from salestrain.core.negotiation.cards import role_card
from salestrain.io.negotiation import load_scenario, scenario_names
from tests.language import english_phrases

ROOT = Path(__file__).resolve().parents[2]
CASE_PLAY = ROOT / "cases" / "pharma-displacement" / "negotiation-role-play.yaml"
SCENARIOS = [*scenario_names(), str(CASE_PLAY)]


@pytest.mark.parametrize("name", SCENARIOS, ids=lambda n: Path(n).stem)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_a_cards_points_add_up_to_the_sides_utility(name, data):
    scenario = load_scenario(name)
    issues = scenario.domain.issues
    deal = [data.draw(st.integers(0, len(i.options) - 1)) for i in issues]
    for role in ("seller", "buyer"):
        card = role_card(scenario, role)
        points = sum(issue.options[k][1] for issue, k in zip(card.issues, deal, strict=True))
        utility = getattr(scenario.domain, role).utility(issues, deal)
        assert points == pytest.approx(100 * utility)
        assert card.walk_away == pytest.approx(100 * getattr(scenario.domain, role).reservation)


def _marked_scenario(tmp_path: Path) -> Path:
    """The case's role play with a marker in every private text of each side."""
    doc = yaml.safe_load(CASE_PLAY.read_text(encoding="utf-8"))
    for role in ("seller", "buyer"):
        doc["roles"][role]["brief"]["en"] += f" PRIVATE-BRIEF-{role.upper()}"
        doc["roles"][role]["batna"]["en"] += f" PRIVATE-BATNA-{role.upper()}"
    # distinct walk-aways and point values per side, so a leak would show as a number too
    doc["roles"]["seller"]["reservation"], doc["roles"]["buyer"]["reservation"] = 0.371, 0.293
    path = tmp_path / "marked.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_each_card_holds_its_own_side_and_nothing_of_the_other(tmp_path):
    scenario = _marked_scenario(tmp_path)
    out = tmp_path / "cards"
    done = CliRunner().invoke(main, ["negotiation", "cards", str(scenario), "--out", str(out)])
    assert done.exit_code == 0, done.output
    pages = {role: (out / f"ruikang-qc-lab-{role}.html").read_text(encoding="utf-8")
             for role in ("seller", "buyer")}
    for role, other in itertools.permutations(("seller", "buyer")):
        assert f"PRIVATE-BRIEF-{role.upper()}" in pages[role]
        assert f"PRIVATE-BATNA-{role.upper()}" in pages[role]
        assert f"PRIVATE-BRIEF-{other.upper()}" not in pages[role]
        assert f"PRIVATE-BATNA-{other.upper()}" not in pages[role]
    assert "37.1" in pages["seller"] and "37.1" not in pages["buyer"]
    assert "29.3" in pages["buyer"] and "29.3" not in pages["seller"]
    # both sides read the shared facts
    shared = load_scenario(scenario).shared
    assert all(shared[:60] in page for page in pages.values())


def test_cards_are_never_written_over_without_force(tmp_path):
    out = tmp_path / "cards"
    args = ["negotiation", "cards", "price-sensitive-buyer", "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    seller = out / "price-sensitive-buyer-seller.html"
    buyer = out / "price-sensitive-buyer-buyer.html"
    seller.write_text("the trainer's own notes", encoding="utf-8")
    buyer.unlink()
    refused = CliRunner().invoke(main, args)
    # a named user error (the entry point prints it as one line), not a crash
    assert isinstance(refused.exception, SalestrainError) and "--force" in str(refused.exception)
    # refused before either card is written: no half set
    assert seller.read_text(encoding="utf-8") == "the trainer's own notes" and not buyer.exists()
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert "the trainer's own notes" not in seller.read_text(encoding="utf-8")


def test_a_chinese_card_is_chinese(tmp_path):
    out = tmp_path / "cards"
    try:
        done = CliRunner().invoke(main, ["--lang", "zh_CN", "negotiation", "cards", str(CASE_PLAY),
                                         "--out", str(out)])
    finally:
        set_language(None)
    assert done.exit_code == 0, done.output
    page = (out / "ruikang-qc-lab-buyer.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in page and "保密角色卡：瑞康制药（买方）" in page and "九五折" in page
    assert english_phrases(page.split("<body>", 1)[1]) == []
