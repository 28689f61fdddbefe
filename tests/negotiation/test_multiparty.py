"""A three-party role play (issue 15): manufacturer, hospital and distributor."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from salestrain.base.errors import ContentError
from salestrain.base.i18n import set_language
from salestrain.cli.main import main
from salestrain.core.negotiation.analysis import pareto_mask
from salestrain.core.negotiation.multiparty import (
    analyse_multi,
    judge,
    multi_class_debrief,
    pareto_mask_n,
    utility_matrix,
)
from salestrain.io.multiparty import DATA_DIR, load_multi

SHIPPED = DATA_DIR / "imaging-centre.yaml"
utilities = st.integers(1, 40).flatmap(lambda n: arrays(float, (n, 3), elements=st.sampled_from(
    [0.0, 0.1, 0.25, 0.5, 0.75, 1.0])))


@settings(max_examples=80, deadline=None)
@given(u=utilities)
def test_every_deal_off_the_frontier_is_beaten_by_one_on_it(u):
    mask = pareto_mask_n(u)
    assert mask.any()
    front = u[mask]
    for i in np.flatnonzero(~mask):
        assert ((front >= u[i]).all(axis=1) & (front > u[i]).any(axis=1)).any()
    for i in np.flatnonzero(mask):  # and nothing beats a frontier deal
        assert not ((u >= u[i]).all(axis=1) & (u > u[i]).any(axis=1)).any()


@settings(max_examples=80, deadline=None)
@given(u=arrays(float, st.tuples(st.integers(1, 40), st.just(2)),
                elements=st.sampled_from([0.0, 0.2, 0.35, 0.5, 0.8, 1.0])))
def test_with_two_parties_it_is_the_two_party_frontier(u):
    # the two-party sweep of analysis.pareto_mask is a different algorithm: they must agree
    assert (pareto_mask_n(u) == pareto_mask(u)).all()


def test_the_teaching_notes_deal_is_the_balanced_one_and_every_party_accepts_it():
    scenario = load_multi("imaging-centre")
    analysis = analyse_multi(scenario)
    verdict = judge(scenario, scenario.model_answer, analysis)
    assert verdict.below_walk_away == () and verdict.pareto_optimal and verdict.better_for_all is None
    assert scenario.model_answer == analysis.nash
    deals, u = utility_matrix(scenario)
    gains = u - scenario.walk_aways()
    ok = (gains >= -1e-9).all(axis=1)
    assert np.prod(gains[deals.index(analysis.nash)]) == pytest.approx(np.prod(gains[ok], axis=1).max())


def test_the_teaching_notes_numbers_are_the_engines():
    scenario = load_multi("imaging-centre", lang="en")
    note = scenario.teaching_note
    price_talk = judge(scenario, (3, 0, 0, 0, 0))  # 12% off, Tianhe services, the rest as offered
    assert set(price_talk.below_walk_away) == {"manufacturer", "distributor"}
    said = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", note.split("walk-aways")[0])[-2:]]
    assert said == pytest.approx([100 * price_talk.utilities["manufacturer"],
                                  100 * price_talk.utilities["distributor"]])
    balanced = [100 * v for v in judge(scenario, scenario.model_answer).utilities.values()]
    assert f"{balanced[0]:g}, {balanced[1]:g} and {balanced[2]:g} points" in note
    best = analyse_multi(scenario).best_joint
    hospital = judge(scenario, best).utilities["hospital"]
    assert hospital == pytest.approx(scenario.parties["hospital"].reservation)  # "exactly at its walk-away"


def _edited(tmp_path: Path, change) -> Path:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "play.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "words"), [
    # the price talk as the model answer: two parties would block it
    (lambda d: d.update(model_answer={"discount": 4, "service": 1, "delivery": 1, "payment": 1, "training": 1}),
     ["manufacturer", "distributor"]),
    (lambda d: d["model_answer"].pop("training"), ["'training'"]),
    (lambda d: d["model_answer"].update(delivery=9), ["9", "1 to 3"]),
    (lambda d: d["parties"].pop("distributor"), ["parties"]),
])
def test_a_bad_play_file_is_named_at_its_line(tmp_path, change, words):
    path = _edited(tmp_path, change)
    with pytest.raises(ContentError) as bad:
        load_multi(path)
    text = "\n".join(str(p) for p in bad.value.problems)
    assert f"{path}:" in text and all(w in text for w in words), text


def test_a_dominated_model_answer_is_refused_with_the_deal_that_beats_it(tmp_path):
    # a deal every party accepts but another deal beats: a trainer must not teach it
    scenario = load_multi("imaging-centre")
    analysis = analyse_multi(scenario)
    beaten = next(d for d, ok, front in zip(analysis.deals, analysis.acceptable, analysis.pareto, strict=True)
                  if ok and not front)
    answer = {i.name: k + 1 for i, k in zip(scenario.issues, beaten, strict=True)}
    path = _edited(tmp_path, lambda d: d.update(model_answer=answer))
    with pytest.raises(ContentError) as bad:
        load_multi(path)
    assert "better for one" in str(bad.value.problems[0])


def test_three_cards_each_with_only_its_own_party(tmp_path):
    def mark(doc):
        for party, block in doc["parties"].items():
            block["brief"]["en"] += f" SECRET-{party.upper()}"
    path = _edited(tmp_path, mark)
    out = tmp_path / "cards"
    done = CliRunner().invoke(main, ["negotiation", "cards", str(path), "--out", str(out)])
    assert done.exit_code == 0, done.output
    pages = {p: (out / f"imaging-centre-{p}.html").read_text(encoding="utf-8")
             for p in ("manufacturer", "hospital", "distributor")}
    for party, page in pages.items():
        assert f"SECRET-{party.upper()}" in page
        assert [p for p in pages if p != party and f"SECRET-{p.upper()}" in page] == []


def test_the_class_debrief_ranks_the_balanced_deal_first_and_flags_the_price_talk(tmp_path):
    scenario = load_multi("imaging-centre", lang="en")
    sheet = pd.DataFrame({"table": ["A", "B", "C"], "discount": ["12%", "2", ""], "service": ["1", "3", ""],
                          "delivery": ["1", "8 weeks", ""], "payment": ["1", "1", ""],
                          "training": ["1", "5 days", ""]})
    table = multi_class_debrief(scenario, sheet).set_index("table")
    assert table.loc["B", "rank"] == 1 and table.loc["B", "pareto"]
    assert set(table.loc["A", "below"]) == {"manufacturer", "distributor"} and table.loc["A", "rank"] == 3
    assert not table.loc["C", "agreement"]
    csv = tmp_path / "class.csv"
    sheet.to_csv(csv, index=False)
    try:
        shown = CliRunner().invoke(main, ["--lang", "zh_CN", "negotiation", "debrief", str(csv), "--scenario",
                                          "imaging-centre"])
    finally:
        set_language(None)
    # the Chinese labels: '12%' and '8 weeks' are English option labels, named as bad cells
    assert shown.exit_code != 0
    numbered = sheet.assign(discount=["4", "2", ""], delivery=["1", "1", ""], training=["1", "2", ""])
    numbered.to_csv(csv, index=False)
    try:
        shown = CliRunner().invoke(main, ["--lang", "zh_CN", "negotiation", "debrief", str(csv), "--scenario",
                                          "imaging-centre"])
    finally:
        set_language(None)
    assert shown.exit_code == 0, shown.output
    assert "均衡方案" in shown.output and "帕累托最优" in shown.output and "未成交" in shown.output
