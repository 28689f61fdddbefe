"""The opportunity view: classes and levels monotone, the funnel adds up, priorities ordered,
named errors for bad rows, the sample region's problems, and the app in both languages."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salestrain
from salestrain.base.errors import DataError, SalestrainError
from salestrain.base.i18n import t
from salestrain.base.tables import read_text_table
from salestrain.core.funnel.stages import DEFAULT_STAGES
from salestrain.core.strategy import opportunity as opp
from salestrain.io.opportunity import sample_opportunities, validate_opportunities

STAGE_NAMES = list(DEFAULT_STAGES.names)
ORDER = {"A": 3, "B": 2, "C": 1, "large": 3, "medium": 2, "small": 1,
         **{level: k for k, level in enumerate(opp.WIN_LEVELS)}}


@pytest.fixture(autouse=True)
def english():
    salestrain.set_language("en")
    yield
    salestrain.set_language("en")


@st.composite
def tables(draw, min_rows: int = 1, max_rows: int = 30) -> pd.DataFrame:
    n_customers = draw(st.integers(1, 8))
    potential = draw(st.lists(st.floats(0, 2e7), min_size=n_customers, max_size=n_customers))
    strategic = draw(st.lists(st.integers(1, 5), min_size=n_customers, max_size=n_customers))
    n = draw(st.integers(min_rows, max_rows))
    rows = []
    for k in range(n):
        c = draw(st.integers(0, n_customers - 1))
        rows.append({"opp_id": f"P{k:03d}", "customer": f"C{c}", "rep": "r", "project": "",
                     "potential": potential[c], "strategic": strategic[c],
                     "amount": draw(st.floats(0, 1e7)), "win_rate": draw(st.floats(0, 1)),
                     "stage": draw(st.sampled_from(STAGE_NAMES)), "hours": draw(st.floats(0, 80))})
    return pd.DataFrame(rows)


# -- the four dimensions are monotone in their inputs --------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 2e7), st.integers(1, 5)), min_size=1, max_size=12),
       st.data())
def test_raising_potential_or_strategic_value_never_lowers_a_customers_class(customers, data):
    k = data.draw(st.integers(0, len(customers) - 1))
    potential = pd.Series([c[0] for c in customers], dtype=float)
    strategic = pd.Series([c[1] for c in customers])
    before = opp.value_class(opp.value_scores(potential, strategic))[k]
    more = potential.copy()
    more[k] += data.draw(st.floats(0, 1e7))
    after_potential = opp.value_class(opp.value_scores(more, strategic))[k]
    higher = strategic.copy()
    higher[k] = data.draw(st.integers(int(strategic[k]), 5))
    after_strategic = opp.value_class(opp.value_scores(potential, higher))[k]
    assert ORDER[after_potential] >= ORDER[before]
    assert ORDER[after_strategic] >= ORDER[before]


def test_the_biggest_most_strategic_customer_is_a_and_the_smallest_least_strategic_c():
    potential = pd.Series([1e5, 1e6, 5e6, 2e7])
    strategic = pd.Series([1, 3, 3, 5])
    assert list(opp.value_class(opp.value_scores(potential, strategic))) == ["C", "B", "B", "A"]


@settings(max_examples=80, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_win_level_rises_with_the_estimate_and_each_level_has_its_probability(a, b):
    low, high = sorted((a, b))
    level_low, level_high = opp.win_level(np.array([low, high]))
    assert ORDER[level_high] >= ORDER[level_low]
    rules = opp.DEFAULT_RULES
    assert rules.probability_of(level_high) >= rules.probability_of(level_low)


def test_level_boundaries_and_the_probability_of_each_level_lie_inside_it():
    assert list(opp.win_level(np.array([0.0, 0.249, 0.25, 0.5, 0.75, 1.0]))) == [
        "behind", "behind", "even", "ahead", "sole", "sole"]
    # Each level's probability reads back as the same level (the what-if relies on it).
    rules = opp.DEFAULT_RULES
    probs = np.array([rules.probability_of(x) for x in opp.WIN_LEVELS])
    assert list(opp.win_level(probs)) == list(opp.WIN_LEVELS)


@settings(max_examples=80, deadline=None)
@given(st.floats(0, 1e8), st.floats(0, 1e8), st.floats(1, 1e7))
def test_amount_class_rises_with_the_amount_against_a_fixed_reference(a, b, reference):
    low, high = sorted((a, b))
    c_low, c_high = opp.amount_class(np.array([low, high]), reference)
    assert ORDER[c_high] >= ORDER[c_low]


def test_amount_classes_follow_the_reference_algorithm():
    # Reference = the median deal (1,000); large from 2x, small below 0.5x.
    amounts = pd.Series([400.0, 500.0, 1000.0, 1999.0, 2000.0])
    ref = opp.reference_amount(amounts)
    assert ref == 1000.0
    assert list(opp.amount_class(amounts, ref)) == ["small", "medium", "medium", "medium", "large"]
    fixed = opp.Rules(reference_amount=200.0)
    assert opp.reference_amount(amounts, fixed) == 200.0


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(opp.VALUE_CLASSES), st.sampled_from(opp.AMOUNT_CLASSES),
       st.sampled_from(opp.WIN_LEVELS), st.sampled_from(["value", "amount", "level"]))
def test_a_better_dimension_never_lowers_the_priority(value, amount, level, which):
    better = {"value": ("A", amount, level), "amount": (value, "large", level),
              "level": (value, amount, "sole")}[which]
    before = opp.priority_points(np.array([value]), np.array([amount]), np.array([level]))[0]
    after = opp.priority_points(*(np.array([x]) for x in better))[0]
    assert after >= before
    bands = ["efficient", "develop", "focus"]
    assert bands.index(opp.band_of(np.array([after]))[0]) >= bands.index(opp.band_of(np.array([before]))[0])


# -- the funnel adds up, the ranking is ordered ---------------------------------------------
@settings(max_examples=50, deadline=None)
@given(tables())
def test_the_customer_funnel_adds_up_to_the_table(table):
    view = opp.opportunity_view(table)
    funnel = view.funnel
    assert int(funnel.counts.to_numpy().sum()) == len(table)
    assert funnel.amounts.to_numpy().sum() == pytest.approx(table["amount"].sum(), rel=1e-9, abs=1e-6)
    for stage in STAGE_NAMES:
        assert funnel.counts.loc[stage].sum() == (table["stage"] == stage).sum()
    for cls in opp.VALUE_CLASSES:
        assert funnel.counts[cls].sum() == (view.deals["value_class"] == cls).sum()
    # Weighted amounts: a won deal counts in full, an open one at its level's probability.
    assert funnel.weighted.loc["won"].sum() == pytest.approx(funnel.amounts.loc["won"].sum())
    assert (funnel.weighted.to_numpy() <= funnel.amounts.to_numpy() + 1e-6).all()


@settings(max_examples=50, deadline=None)
@given(tables())
def test_ranking_holds_every_open_deal_highest_priority_first(table):
    view = opp.opportunity_view(table)
    ranking = view.ranking
    assert set(ranking["opp_id"]) == set(table.loc[table["stage"] != "won", "opp_id"])
    points = ranking["points"].to_numpy()
    assert (np.diff(points) <= 0).all()
    for _, same in ranking.groupby("points"):
        assert (np.diff(same["weighted"].to_numpy()) <= 1e-9).all()
    focus = [a for a in view.actions if a.kind == "focus"]
    if focus:
        assert focus[0].deals == tuple(ranking[ranking["band"] == "focus"]["opp_id"].head(3))


@settings(max_examples=40, deadline=None)
@given(tables(min_rows=2), st.data())
def test_moving_a_deal_changes_only_that_deal(table, data):
    k = data.draw(st.integers(0, len(table) - 1))
    stage = data.draw(st.sampled_from(STAGE_NAMES))
    before = table.copy()
    moved = opp.move_deal(table, table["opp_id"].iloc[k], stage, 0.6)
    assert moved["stage"].iloc[k] == stage and moved["win_rate"].iloc[k] == 0.6
    assert moved.drop(index=table.index[k]).equals(table.drop(index=table.index[k]))
    assert table.equals(before)  # the input is not changed


# -- the sample region shows the course's problems --------------------------------------------
def test_the_sample_region_makes_four_problems_visible_and_the_director_acts_on_each():
    view = opp.opportunity_view(sample_opportunities("en"))
    kinds = [f.kind for f in view.findings]
    assert kinds == ["thin_stage", "big_a_behind", "late_behind", "c_time_sink"]
    thin = view.findings[0]
    assert thin.values["stage"] == "proposal" and thin.values["count"] == 2
    assert set(view.findings[2].deals) == {"P22", "P25"}  # negotiation deals we are behind in
    sink = view.findings[3]
    assert sink.values["hours_share"] >= 0.2 and sink.values["hours_share"] >= 2 * sink.values["weighted_share"]
    assert [a.kind for a in view.actions] == ["focus", *kinds]
    assert view.actions[0].deals == ("P21", "P19", "P18")
    assert view.reference == 650_000


def test_winning_the_proposal_battle_clears_the_thin_stage():
    table = sample_opportunities("en")
    moved = opp.move_deal(table, "P11", "proposal", opp.DEFAULT_RULES.probability_of("ahead"))
    kinds = [f.kind for f in opp.opportunity_view(moved).findings]
    assert "thin_stage" not in kinds


def test_the_two_sample_files_hold_the_same_numbers_row_by_row():
    en, zh = sample_opportunities("en"), sample_opportunities("zh_CN")
    numbers = ["opp_id", "potential", "strategic", "amount", "win_rate", "stage", "hours"]
    pd.testing.assert_frame_equal(en[numbers], zh[numbers])
    assert zh["customer"].iloc[0] == "东岳能源" and en["customer"].iloc[0] == "Dongyue Energy"


def test_no_problem_when_the_funnel_is_healthy():
    rows = [("P1", "A", 1e7, 5, 1e6, 0.9, "negotiation", 10), ("P2", "B", 1e6, 1, 1e5, 0.6, "proposal", 2),
            ("P3", "B", 1e6, 1, 1e5, 0.6, "intention", 2), ("P4", "B", 1e6, 1, 1e5, 0.3, "potential", 2),
            ("P5", "B", 1e6, 1, 1e5, 0.3, "potential", 2)]
    table = pd.DataFrame(rows, columns=["opp_id", "customer", "potential", "strategic", "amount", "win_rate",
                                        "stage", "hours"]).assign(rep="r", project="")
    view = opp.opportunity_view(table)
    assert view.findings == ()
    assert [a.kind for a in view.actions] == ["focus"]


# -- bad rows: named errors ------------------------------------------------------------------
BAD = """opp_id,customer,rep,potential,strategic,amount,win_rate,stage,hours
P1,Acme,Li,1000000,3,50000,40%,proposal,4
P2,Acme,Li,2000000,3,60000,140%,proposal,4
P1,Beta,Li,500000,7,70000,30%,closing,-2
P4,Gamma,Li,lots,2,80000,30%,won,
"""


def _problems(text: str, lang: str = "en") -> DataError:
    salestrain.set_language(lang)
    raw = read_text_table(io.StringIO(text), "deals.csv")
    with pytest.raises(DataError) as err:
        validate_opportunities(raw, "deals.csv")
    return err.value


def test_bad_rows_name_the_line_the_field_the_value_and_the_fix():
    err = _problems(BAD)
    found = {(p.line, p.field): p.message for p in err.problems}
    assert "deals.csv" in str(err)
    assert "140" in found[(3, "win_rate")] and "0% to 100%" in found[(3, "win_rate")]
    assert "2,000,000" in found[(3, "potential")] and "Acme" in found[(3, "potential")] \
        and "line 2" in found[(3, "potential")]
    assert "'P1'" in found[(4, "opp_id")] and "line 2" in found[(4, "opp_id")]
    assert "7" in found[(4, "strategic")] and "1 (low) to 5 (high)" in found[(4, "strategic")]
    assert "'closing'" in found[(4, "stage")] and "proposal" in found[(4, "stage")]
    assert "-2" in found[(4, "hours")]
    assert "'lots'" in found[(5, "potential")] and "yuan" in found[(5, "potential")]
    assert (5, "hours") not in found  # an empty hours cell means none


def test_errors_speak_chinese_in_a_chinese_session():
    err = _problems(BAD, "zh_CN")
    assert "处问题" in str(err) and "不是漏斗阶段" in str(err) and "战略价值" in str(err)


def test_a_missing_column_is_named_with_the_columns_found():
    err = _problems("opp_id,customer,rep,amount\nP1,A,Li,5\n")
    fields = {p.field for p in err.problems}
    assert {"potential", "strategic", "win_rate", "stage"} <= fields
    assert all("add it to the header row" in p.message for p in err.problems)


def test_bad_rules_and_bad_what_ifs_are_named():
    with pytest.raises(SalestrainError, match="value_cuts"):
        opp.Rules(value_cuts=(0.3, 0.6))
    with pytest.raises(SalestrainError, match="level_probability"):
        opp.Rules(level_probability=(0.5, 0.4, 0.6, 0.8))
    with pytest.raises(SalestrainError, match="reference_amount"):
        opp.Rules(reference_amount=0)
    table = sample_opportunities("en")
    with pytest.raises(DataError, match="no opportunity 'P99'"):
        opp.move_deal(table, "P99", "won")
    with pytest.raises(DataError) as err:
        opp.move_deal(table, "P01", "signed", 1.4)
    assert {p.field for p in err.value.problems} == {"stage", "win_rate"}


def test_chinese_stage_names_are_read_as_the_funnel_stages():
    zh = sample_opportunities("zh_CN")
    assert set(zh["stage"]) == set(STAGE_NAMES)


# -- the app, in-process, in both languages ---------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_app_filters_and_what_if_recompute_the_view(lang):
    from salestrain.apps.opportunity import opportunity_app

    salestrain.set_language(lang)
    app = opportunity_app()
    result = app.result
    assert all(result.shown) and result.moved is None
    assert t("opportunity.problem.thin_stage", stage=t("funnel.stage.proposal"), count=2,
             before=t("funnel.stage.intention"), before_count=9, expected="5") in app.problems.value
    first_png = app.matrix_view.image.value
    app.controls["value"].value = "A"
    assert sum(app.result.shown) == (app.result.view.open_deals["value_class"] == "A").sum()
    assert app.matrix_view.image.value != first_png
    app.controls["threshold"].value = 0.5
    open_ = app.result.view.open_deals
    assert sum(app.result.shown) == ((open_["value_class"] == "A") & (open_["win_rate"] >= 0.5)).sum()
    funnel_png = app.funnel_view.image.value
    app.set(deal="P11", move_stage="proposal", move_level="ahead")
    assert app.result.moved_to == ("proposal", "ahead")
    assert "thin_stage" not in [f.kind for f in app.result.view.findings]
    assert app.funnel_view.image.value != funnel_png
    assert t("funnel.stage.proposal") in app.summary.value
    app.set(deal="", move_stage="", move_level="")
    assert app.result.moved is None and "thin_stage" in [f.kind for f in app.result.view.findings]
    if lang == "zh_CN":
        assert "漏斗暴露的问题" in app.problems.value and "总监的行动" in app.actions_html.value
        assert "万" in app.summary.value
    else:
        assert "RMB" in app.summary.value


def test_a_picked_deal_that_is_not_moved_is_only_ringed():
    from salestrain.apps.opportunity import opportunity_app

    app = opportunity_app(deal="P10")
    assert app.result.moved == "P10" and app.result.moved_from is None
    assert [f.kind for f in app.result.view.findings][0] == "thin_stage"


@pytest.mark.parametrize("kwargs", [
    {"level_floors": (0.25, 0.5, 0.75, 0.9)},  # four floors for four levels: one too many
    {"value_cuts": (0.5,)},
    {"level_probability": (0.1, 0.3, 0.5, 0.7)},  # "sole" at 70 % would read back as "ahead"
    {"sink_hours_share": 0.0},
    {"sink_factor": 0.5},
])
def test_rules_a_what_if_could_not_keep_are_refused_by_name(kwargs):
    with pytest.raises(SalestrainError, match=next(iter(kwargs))):
        opp.Rules(**kwargs)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_both_figures_read_from_the_back_of_the_room(lang):
    """Issue 20: 13 pt text (18 px, marked on the image for the browser checks), a caption
    under each figure, ids only on A customers' deals and on the deal picked for a what-if."""
    from matplotlib.text import Text

    from salestrain.apps.opportunity import opportunity_app

    salestrain.set_language(lang)
    app = opportunity_app()
    app.set(deal="P22")  # a B customer's deal: labelled because it is picked
    for view in (app.matrix_view, app.funnel_view):
        marks = [int(c.rsplit("-", 1)[1]) for c in view.image._dom_classes if c.startswith("salestrain-text-")]
        assert len(marks) == 1 and marks[0] >= 18
        assert view.caption.value.strip() and view.caption.layout.display != "none"
    ids = {a.get_text() for a in app.matrix._artists if isinstance(a, Text)}
    open_ = app.result.view.open_deals
    assert ids == set(open_.loc[open_["value_class"] == "A", "opp_id"]) | {"P22"}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_app_cards_carry_the_summarys_bold_money_and_follow_the_what_if(lang):
    """Issue 20: the open pipeline and its weighted value as cards over the figures."""
    import html
    import re

    from salestrain.apps.opportunity import opportunity_app

    salestrain.set_language(lang)
    app = opportunity_app()
    bold = re.findall(r"<b>(.*?)</b>", app.summary.value)
    cards = app.headlines(app.result)
    assert [html.escape(c.value) for c in cards] == bold
    assert all(c.label in app.headline_cards.value and html.escape(c.value) in app.headline_cards.value for c in cards)
    assert str(len(app.result.view.open_deals)) in cards[0].label
    assert ("万" in app.headline_cards.value) == (lang == "zh_CN")
    # Filters only fade bubbles: the cards stay. Winning a battle (P11 from even to ahead)
    # leaves the open amount and raises what it is worth by win level.
    app.controls["value"].value = "A"
    assert app.headlines(app.result) == cards
    app.set(deal="P11", move_level="ahead")
    moved = app.headlines(app.result)
    assert moved[0] == cards[0]
    assert app.result.view.open_deals["weighted"].sum() > opportunity_app().result.view.open_deals["weighted"].sum()
    assert moved[1].value != cards[1].value and html.escape(moved[1].value) in app.summary.value
