"""The target planner and the account book, driven through their controls."""

import html
import re

import pandas as pd
import pytest

import salestrain
from salestrain.apps import app_names
from salestrain.apps.accounts import account_book_app
from salestrain.apps.goals import target_planner_app
from salestrain.core.accounts import analysis as acc
from salestrain.core.accounts.synthetic import generate_book

PNG = b"\x89PNG\r\n\x1a\n"


def test_both_apps_are_registered():
    assert {"target-planner", "account-book"} <= set(app_names())


def test_planner_phasing_sliders_move_the_monthly_plan_and_keep_it_reconciled():
    actual = pd.Series([50_000.0, 40_000.0, 90_000.0], index=[1, 2, 3])
    app = target_planner_app(actual=actual)
    assert app.controls["months"].max == 3
    app.set(annual=120, q1=0.2, q4=0.3)
    plan = app.result.plan
    assert plan.annual == 1_200_000 and plan.by_quarter()[1] == 240_000
    assert plan.by_month().sum() == 1_200_000
    first_png = app.plot.image.value
    app.controls["q1"].value = 0.3
    assert app.result.plan.by_quarter()[1] == 360_000
    assert app.result.plan.by_quarter()[4] == 360_000  # Q4 kept at 30%
    assert app.plot.image.value != first_png and app.plot.image.value[:8] == PNG
    app.controls["high_margin"].value = 0.6
    assert app.result.plan.high_margin_share == pytest.approx(0.6, abs=1e-5)


def test_planner_plan_vs_actual_highlights_the_months_behind():
    actual = pd.Series([50_000.0, 40_000.0, 90_000.0], index=[1, 2, 3])
    app = target_planner_app(actual=actual, annual=120, q1=0.2, q4=0.3, months=3)
    # Q1 = 240,000, 80,000 a month: months 1 and 2 are behind, month 3 ahead
    s = app.result.tracking.summary.loc["revenue"]
    assert s["actual_to_date"] == 180_000 and s["plan_to_date"] == 240_000
    assert s["status"] == "off_track"
    assert s["projected"] == pytest.approx(180_000 * 4)
    assert app.table.value.count("salestrain-behind") == 2
    assert "75%" in app.tracking_text.value and "off track" in app.tracking_text.value
    app.controls["months"].value = 0
    assert app.result.tracking is None and app.tracking_text.value == ""
    assert "salestrain-behind" not in app.table.value


def test_account_book_cutoffs_tiers_workload_and_alerts():
    book = generate_book(n_customers=60, n_reps=2, seed=5)
    app = account_book_app(book=book)
    tiers = app.result.tiers
    assert len(tiers) == 60 and set(tiers["tier"]) <= set(acc.TIERS)
    n_a = (tiers["tier"] == "A").sum()
    png = app.plot.image.value
    app.controls["a_cut"].value = 0.5
    assert (app.result.tiers["tier"] == "A").sum() < n_a
    assert app.plot.image.value != png
    hours = app.result.visits.reps["hours"].sum()
    app.controls["hours_per_visit"].value = app.controls["hours_per_visit"].value * 2
    assert app.result.visits.reps["hours"].sum() == pytest.approx(2 * hours)
    app.controls["capacity"].value = 20
    assert app.result.visits.reps["over_capacity"].all()
    assert "over capacity" in app.workload.value
    n_alerts = len(app.result.alerts)
    app.controls["max_days_silent"].value = 365
    app.set(min_activity=0.0, min_renewal=0.0)
    assert len(app.result.alerts) < n_alerts
    assert f"Churn alerts: {len(app.result.alerts)} accounts" in app.alert_list.value


def test_inconsistent_cutoffs_become_a_message():
    app = account_book_app()
    good = app.result
    app.set(a_cut=0.9, b_cut=0.7)
    assert app.result is good and "A cut <= B cut" in app.error
    app.controls["b_cut"].value = 0.95
    assert app.error is None


def test_apps_speak_chinese():
    salestrain.set_language("zh_CN")
    app = target_planner_app()
    assert app.controls["annual"].description == "年度目标（万元）"
    assert "年度目标" in app.summary.value
    book = account_book_app()
    assert "前 20% 的客户" in book.summary.value


def _text_mark(view) -> int:
    """The smallest figure text, in px, that the view marked on its image (issue 20)."""
    (mark,) = [c for c in view.image._dom_classes if c.startswith("salestrain-text-")]
    return int(mark.rsplit("-", 1)[1])


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("factory", [target_planner_app, account_book_app])
def test_each_figure_reads_from_the_back_of_the_room_and_has_its_key(factory, lang):
    salestrain.set_language(lang)
    app = factory()
    assert _text_mark(app.plot) >= 18  # 13 pt at 100 dpi
    assert app.plot.caption.value and app.plot.caption.layout.display != "none"
    # every series in the key: the plan's lines (or the three tiers) and the rest
    assert app.legend.value.count("<span style=\"margin-right") >= 5


def _numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_planner_cards_follow_the_target_the_phasing_and_the_pace(lang):
    """Issue 20: the annual target, the four quarters' shares and where the year ends."""
    salestrain.set_language(lang)
    actual = pd.Series([50_000.0, 40_000.0, 90_000.0], index=[1, 2, 3])
    app = target_planner_app(actual=actual, annual=120, q1=0.2, q4=0.3, months=3)
    annual, pace, quarters = app.headlines(app.result)
    # money in the language's unit: 120 (10k yuan) is 120万 or RMB 1.2M
    assert annual.value == ("¥120万" if lang == "zh_CN" else "RMB 1.2M")
    shares = _numbers(quarters.value)
    assert shares == [20, 25, 25, 30] and quarters.value.endswith("%")
    # the year's end at this pace reads as in the sentence, and off track is bad news
    assert pace.value in app.tracking_text.value and pace.tone == "bad"
    for card in (annual, pace, quarters):
        assert card.label in app.headline_cards.value and html.escape(card.value) in app.headline_cards.value
    app.set(annual=150, q1=0.25)
    annual2, _, quarters2 = app.headlines(app.result)
    assert _numbers(annual2.value)[0] > _numbers(annual.value)[0]
    shares = _numbers(quarters2.value)
    assert shares[0] == 25 and shares[1] == shares[2] and sum(shares) == pytest.approx(100)
    app.controls["months"].value = 0  # no actuals yet: no pace to show
    assert [c.label for c in app.headlines(app.result)] == [annual.label, quarters.label]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_account_book_cards_follow_the_cutoffs_capacity_and_alerts(lang):
    salestrain.set_language(lang)
    app = account_book_app(book=generate_book(n_customers=60, n_reps=2, seed=5))
    top20, tiers, over, alerts = app.headlines(app.result)
    assert f"<b>{top20.value}</b>" in app.summary.value  # the bold number of the sentence
    a, b, c = _numbers(tiers.value)
    assert a + b + c == 60 and f"<b>{int(a)}</b>" in app.summary.value
    assert _numbers(alerts.value) == [len(app.result.alerts)]
    app.controls["a_cut"].value = 0.5
    assert _numbers(app.headlines(app.result)[1].value)[0] < a
    app.controls["capacity"].value = 20  # nobody keeps the cadence
    over = app.headlines(app.result)[2]
    assert sorted(_numbers(over.value)) == [2, 2] and over.tone == "bad"
    app.controls["capacity"].value = 200
    over = app.headlines(app.result)[2]
    assert sorted(_numbers(over.value)) == [0, 2] and over.tone == "good"
    app.set(max_days_silent=365, min_activity=0.0, min_renewal=0.0)  # fewer alerts
    assert _numbers(app.headlines(app.result)[3].value) == [len(app.result.alerts)]
    assert len(app.result.alerts) < _numbers(alerts.value)[0]
    assert over.label in app.headline_cards.value
