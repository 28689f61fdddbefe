"""The deals teaching notes teach are the engine's best (issue 15: 'model answers in teaching
notes are Pareto-optimal; a test checks them with the engine')."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from salestrain.base.errors import ContentError
from salestrain.core.negotiation.analysis import nash_point, pareto_frontier
from salestrain.io.negotiation import load_scenario, scenario_names

ROOT = Path(__file__).resolve().parents[2]
FILES = [*(ROOT / "salestrain" / "data" / "negotiation" / f"{n}.yaml" for n in scenario_names()),
         ROOT / "cases" / "pharma-displacement" / "negotiation-role-play.yaml"]


def _answer(path: Path) -> tuple[dict, list[int]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return doc, [doc["model_answer"][i["name"]] - 1 for i in doc["issues"]]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_taught_deal_beats_both_batnas_and_nothing_beats_it(path):
    doc, deal = _answer(path)
    domain = load_scenario(path).domain
    k = domain.index_of(deal)
    assert (domain.utilities[k] >= domain.reservations).all()
    assert k in set(pareto_frontier(domain).tolist())
    note = doc["teaching_note"]["en"]
    if "Nash point" in note:  # the note names it: the largest product of the gains
        assert k == nash_point(domain)
    if "best joint" in note:  # the largest sum
        assert np.isclose(domain.utilities[k].sum(), domain.utilities.sum(axis=1).max())


@pytest.mark.parametrize(("answer", "words"), [
    # the plain 15 % discount: the buyer's worry was cash and breakdowns, so it still walks, and a
    # trade beats it for both
    ({"price": 4, "payment": 1, "service": 1, "delivery": 1}, ["buyer", "better for one"]),
    ({"price": 1, "payment": 1, "service": 1, "delivery": 1}, ["buyer"]),  # list price, nothing traded
    ({"price": 1, "payment": 3, "service": 3}, ["'delivery'"]),
])
def test_a_wrong_model_answer_is_refused_at_its_line(tmp_path, answer, words):
    source = ROOT / "salestrain" / "data" / "negotiation" / "price-sensitive-buyer.yaml"
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    doc["model_answer"] = answer
    path = tmp_path / "play.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as bad:
        load_scenario(path)
    text = "\n".join(str(p) for p in bad.value.problems)
    assert "model_answer" in text and all(w in text for w in words), text
