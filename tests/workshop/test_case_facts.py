"""Facts the case texts state, pinned against their exhibits and the negotiation engine."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from salestrain.core.negotiation.analysis import nash_point, pareto_frontier
from salestrain.io.negotiation import load_scenario

CASES = Path(__file__).resolve().parents[2] / "cases"


def _deal(domain, **chosen):
    return domain.index_of(chosen)


def test_pharma_epilogue_package_is_pareto_optimal_and_beats_both_batnas():
    note = (CASES / "pharma-displacement" / "teaching-note.md").read_text(encoding="utf-8")
    epilogue = note.split("## Epilogue", 1)[1]
    assert "five-year service package at 8%" in epilogue and "four-week PoC" in epilogue
    domain = load_scenario(CASES / "pharma-displacement" / "negotiation-role-play.yaml").domain
    signed = _deal(domain, discount="8%", payment="4 quarterly instalments",
                   service="5-year service package", proof_of_concept="4 weeks in one Ruikang lab")
    assert signed in set(pareto_frontier(domain).tolist())
    assert (domain.utilities[signed] > domain.reservations).all()
    # on Exhibit 4's 0-100 scale, as every other value in the case
    values = re.search(r"worth (\d+\.\d+) to Mingda and (\d+\.\d+) to Ruikang on Exhibit 4", epilogue)
    assert values is not None
    assert [float(v) for v in values.groups()] == [round(100 * float(u), 2)
                                                   for u in domain.utilities[signed]]
    assert "end of its fourth week" in epilogue  # a four-week PoC passes in its fourth week
    chinese = (CASES / "pharma-displacement" / "teaching-note.zh_CN.md").read_text(encoding="utf-8")
    assert all(v in chinese for v in values.groups())


def test_pharma_role_play_best_joint_package_is_the_nash_point():
    scenario = load_scenario(CASES / "pharma-displacement" / "negotiation-role-play.yaml")
    domain = scenario.domain
    best = _deal(domain, discount="5%", payment="4 quarterly instalments",
                 service="5-year service package", proof_of_concept="4 weeks in one Ruikang lab")
    assert nash_point(domain) == best
    assert "5% off with four" in Path(CASES / "pharma-displacement" / "negotiation-role-play.yaml").read_text()


def test_state_bank_audit_year_agrees_across_text_and_exhibits():
    folder = CASES / "state-bank"
    history = pd.read_csv(folder / "exhibits" / "account_history.csv")
    audit_years = set(history.loc[history["product_line"] == "Data-quality audit", "year"])
    meetings = pd.read_csv(folder / "exhibits" / "sponsor_contacts.csv", parse_dates=["date"])
    audit_meetings = meetings[meetings["outcome"].str.contains("Audit", case=False)
                              | meetings["setting"].str.contains("Audit", case=False)]
    assert audit_years == set(audit_meetings["date"].dt.year) == {2025}
    text = (folder / "case.md").read_text(encoding="utf-8")
    assert "data-quality audit in the spring of 2025" in text
    assert not re.search(r"audit in 2024", text)


def test_state_bank_revenue_to_date_in_the_text_is_the_exhibits_total():
    folder = CASES / "state-bank"
    history = pd.read_csv(folder / "exhibits" / "account_history.csv")
    total = history["revenue"].sum()
    assert total == 1_350_000
    assert f"{total / 1e6:.2f} million yuan in three years" in (folder / "case.md").read_text(
        encoding="utf-8")
    assert f"三年合计{total // 10_000}万元" in (folder / "case.zh_CN.md").read_text(encoding="utf-8")


def test_telecom_region_history_includes_the_lost_yunhai_deal():
    folder = CASES / "telecom-post-mortem" / "exhibits"
    deals = pd.read_csv(folder / "region_deals.csv")
    history = pd.read_csv(folder / "deal_history.csv")
    assert len(deals) == 24  # "the region's last 24 closed deals"
    final = history.iloc[-1]
    yunhai = deals[(deals["rep"] == "Sun Hao") & (deals["amount"] == final["amount"])]
    assert len(yunhai) == 1 and yunhai.iloc[0]["outcome"] == final["stage"] == "lost"
    assert yunhai.iloc[0]["decision_maker_met"] == "no"


def test_telecom_meeting_counts_match_the_activity_log():
    folder = CASES / "telecom-post-mortem" / "exhibits"
    log = pd.read_csv(folder / "activity_log.csv")
    contacts = pd.read_csv(folder / "contacts.csv").set_index("contact_id")
    meetings = log[log["activity"].isin(["visit", "workshop", "demo", "call"])]
    counted = meetings.groupby("contact_id").size().reindex(contacts.index, fill_value=0)
    assert counted.to_dict() == contacts["meetings_12m"].to_dict()
    assert contacts.loc["YH02", "meetings_12m"] == 4  # Pan Li, no longer 11 against 5 log entries
    # and each contact was last met on the date of their last logged meeting
    last = pd.to_datetime(meetings.groupby("contact_id")["date"].max())
    assert (pd.to_datetime(contacts["last_met"]).dropna() == last.reindex(
        contacts["last_met"].dropna().index)).all()
    assert set(last.index) == set(contacts["last_met"].dropna().index)


def test_telecom_weakest_stage_is_where_the_deal_died_without_a_tie():
    from salestrain.core.coaching.stages import stages_from_assessment
    from salestrain.io.coaching.content import load_instrument

    scores = pd.read_csv(CASES / "telecom-post-mortem" / "exhibits" / "rep_assessment.csv")
    instrument = load_instrument()
    assessment = _assessment(scores)
    diagnosis = stages_from_assessment(instrument, assessment)
    assert diagnosis.weakest == "resolution_of_concerns" and diagnosis.tied == ()
    case = (CASES / "telecom-post-mortem" / "exhibits" / "activity_log.csv").read_text()
    assert "integration" in case  # the concern that was never resolved


def _assessment(scores):
    from salestrain.core.coaching.assessment import aggregate
    from salestrain.io.coaching.content import load_instrument

    return aggregate(load_instrument(), dict(zip(scores["item"], scores["self_score"], strict=True)),
                     dict(zip(scores["item"], scores["manager_score"], strict=True)))


def test_energy_board_plan_says_which_value_per_day_and_both_rankings_hold():
    folder = CASES / "energy-group"
    plants = pd.read_csv(folder / "exhibits" / "plants.csv").set_index("plant_id")
    pipeline = pd.read_csv(folder / "exhibits" / "pipeline.csv").set_index("deal_id")
    probability = {"potential": 0.1, "intention": 0.3, "proposal": 0.5, "negotiation": 0.7, "won": 1.0}
    stage = [pipeline.loc["BY-0" + pid[-1], "stage"] for pid in plants.index]
    weighted = plants["contract_value"] * pd.Series(stage, index=plants.index).map(probability) / plants["assessment_days"]
    saving = plants["downtime_hours_2025"] * plants["cost_per_downtime_hour"] * 0.18 / plants["assessment_days"]
    assert weighted.idxmax() == "BY3" and saving.idxmin() == "BY3"  # Saihan: first one way, last the other
    note = (folder / "teaching-note.md").read_text(encoding="utf-8")
    board = note.split("## Board plan", 1)[1].split("##", 1)[0]
    assert "Saihan first" in board and "Saihan last" in board and "weighted by the deal's" in board
