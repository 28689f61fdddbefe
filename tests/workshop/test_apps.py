"""The trainer's apps, driven as a test drives any app: set a control, read the result."""

from __future__ import annotations

import pytest

from salestrain.apps.registry import app_names, get_app
from salestrain.apps.workshop import AgendaApp, CasePlanApp
from salestrain.core.workshop.agenda import HALF_DAY, ONE_DAY, agenda_table
from salestrain.io.cases import case_folders


def test_both_apps_are_registered_for_projector_mode():
    assert {"workshop-agenda", "case-plan"} <= set(app_names())
    assert isinstance(get_app("workshop-agenda").factory(), AgendaApp)


def test_agenda_app_moves_the_whole_day_with_its_start():
    app = AgendaApp()
    assert app.result.start == "09:00" and app.result.times()[-1][1] == "17:00"
    png = app.plot.image.value
    app.controls["start"].value = "08:30"
    assert app.result.times()[-1][1] == "16:30"
    assert app.result.slots == ONE_DAY.slots  # only the clock moves
    assert "<b>16:30</b>" in app.summary.value and app.plot.image.value != png
    app.controls["agenda"].value = "half-day"
    assert app.result.minutes == HALF_DAY.minutes == 210
    assert app.result.times()[0] == ("08:30", "08:45")
    assert "state-bank" in app.table.value


def test_case_plan_app_shows_each_case_plan_and_questions():
    app = CasePlanApp()
    seen = set()
    for slug in sorted(app.cases):
        app.controls["case"].value = slug
        case = app.result
        assert case.slug == slug
        assert case.text_of(case.spec.discussion_questions[0]).split("'")[0][:30] in app.questions.value.replace("&#x27;", "'")
        seen.add(app.plot.image.value)
    assert len(seen) == len(app.cases) == len(case_folders())  # one plan per shipped case


def test_buying_centre_summary_on_a_hand_made_table():
    import pandas as pd

    from salestrain.core.accounts.buying_centre import account_buying_centre

    contacts = pd.DataFrame({
        "role": ["decision maker", "user", "user", "purchaser"],
        "attitude": ["unknown", "supporter", "opponent", "neutral"],
        "influence": [5, 3, 4, 2],
        "relationship": ["none", "business", "none", "interpersonal"],
        "last_met": [None, "2026-01-01", "2026-02-01", "2026-03-01"],
    })
    bc = account_buying_centre(contacts)
    assert bc.unsupported_roles == ("decision_maker", "purchaser")  # in the course's order
    assert bc.never_met_roles == ("decision_maker",)
    assert (bc.influence_without_relationship, bc.influence_supporting, bc.influence_opposing) == (9, 3, 4)


def test_buying_centre_app_follows_the_case_and_the_colouring():
    from salestrain.apps.workshop import BuyingCentreApp

    app = BuyingCentreApp()
    assert len(app.cases) == len(case_folders())  # every shipped case has a contacts exhibit
    app.controls["case"].value = "state-bank"
    assert app.result.unsupported_roles == ("decision_maker", "purchaser")
    assert app.result.influence_without_relationship == 12
    assert "<b>12</b>" in app.summary.value
    by_attitude = app.plot.image.value
    app.controls["colour"].value = "relationship"
    assert app.plot.image.value != by_attitude
    app.controls["case"].value = "telecom-post-mortem"
    assert app.result.never_met_roles == ("decision_maker",)


def test_trainer_apps_speak_chinese():
    import salestrain
    from salestrain.apps.workshop import AgendaApp, BuyingCentreApp

    salestrain.set_language("zh_CN")
    app = AgendaApp()
    assert app.controls["start"].description == "开始时间"
    assert "分钟" in app.summary.value and "一天工作坊" in app.table.value + app.summary.value + str(
        [o for o in app.controls["agenda"].options])
    bc = BuyingCentreApp()
    assert "没有支持者的角色" in bc.summary.value


def _text_mark(view) -> int:
    """The smallest figure text, in px, that the view marked on its image (issue 20)."""
    (mark,) = [c for c in view.image._dom_classes if c.startswith("salestrain-text-")]
    return int(mark.rsplit("-", 1)[1])


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("name", ["workshop-agenda", "case-plan", "buying-centre", "start-here"])
def test_each_figure_reads_from_the_back_of_the_room_and_has_its_key(name, lang):
    import salestrain

    salestrain.set_language(lang)
    app = get_app(name).factory()
    assert _text_mark(app.plot) >= 18  # 13 pt at 100 dpi
    assert app.plot.caption.value and app.plot.caption.layout.display != "none"
    assert app.legend.value.count("<span style=\"margin-right") >= 1


def test_the_agenda_key_names_only_the_kinds_of_slot_on_the_day():
    app = AgendaApp()
    assert "Lesson" in app.legend.value and "Case" in app.legend.value
    app.controls["agenda"].value = "half-day"
    kinds = set(agenda_table(app.result).kind)
    assert app.legend.value.count("<span style=\"margin-right") == len(kinds)


def test_a_slot_title_is_cut_by_its_width_on_screen():
    from salestrain.apps.workshop import _short

    assert _short("a" * 44) == "a" * 44
    assert _short("a" * 50).endswith("…") and len(_short("a" * 50)) == 44
    assert len(_short("销" * 30)) == 22  # a Chinese character is two columns wide


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("agenda", ["one-day", "half-day"])
def test_every_shipped_agenda_bar_has_its_whole_short_label(agenda, lang):
    """The bars carry a few-word label, never one cut with "…"; each names its slot's kind
    the way the full title does (a case bar names the case's company)."""
    import salestrain

    salestrain.set_language(lang)
    app = AgendaApp(agenda=agenda)
    labels = [tick.get_text() for tick in app.ax.get_yticklabels()]
    table = agenda_table(app.result)
    assert len(labels) == len(table)
    assert not any(label.endswith("…") for label in labels), labels
    by_start = {label.split()[0]: label for label in labels}
    for row in table.itertuples():
        assert by_start[row.start] == f"{row.start}  {row.short}"
        assert row.short != row.title or len(row.title) <= 30
        # the short label is the full title's own opening words ("Case: Yunhai Telecom")
        head = row.short.split("：")[0].split(":")[0]
        assert row.title.startswith(head) or row.kind in {"setup", "debrief", "lesson"}, row


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_agenda_and_case_plan_cards_read_what_the_summary_says(lang):
    """Issue 20: the day's start, end and cases; a case's minutes, simulation and exhibits."""
    import html

    import salestrain

    salestrain.set_language(lang)
    app = AgendaApp()
    start, end, cases = app.headlines(app.result)
    assert f"<b>{start.value}</b>" in app.summary.value and f"<b>{end.value}</b>" in app.summary.value
    app.controls["start"].value = "08:30"
    _, end, _ = app.headlines(app.result)
    assert end.value == app.result.times()[-1][1] == "16:30"
    app.controls["agenda"].value = "half-day"
    assert cases.value != (half := app.headlines(app.result)[2]).value
    assert int(half.value) == sum(agenda_table(app.result).kind == "case")
    assert half.label in app.headline_cards.value and html.escape(end.label) in app.headline_cards.value

    plan = CasePlanApp()
    for slug in sorted(plan.cases):
        plan.controls["case"].value = slug
        minutes, simulation, exhibits = plan.headlines(plan.result)
        assert f"<b>{minutes.value}</b>" in plan.summary.value
        assert 0 <= int(simulation.value) < int(minutes.value)
        assert int(exhibits.value) == len(plan.result.spec.exhibits)
        assert simulation.label in plan.headline_cards.value


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_buying_centre_cards_weigh_supporters_against_opponents(lang):
    import re

    import salestrain
    from salestrain.apps.workshop import BuyingCentreApp
    from salestrain.base.i18n import t

    salestrain.set_language(lang)
    app = BuyingCentreApp()
    for slug in sorted(app.cases):
        app.controls["case"].value = slug
        balance, top = app.headlines(app.result)
        support, oppose = map(int, re.findall(r"\d+", balance.value))
        assert (support, oppose) == (app.result.influence_supporting, app.result.influence_opposing)
        assert balance.tone == ("good" if support > oppose else "bad" if support < oppose else "")
        assert balance.label in app.headline_cards.value
    # at the state bank two people share the top influence: a neutral and an unknown
    app.controls["case"].value = "state-bank"
    top = app.headlines(app.result)[1]
    for attitude in ("neutral", "unknown"):
        assert t(f"workshop.app.attitude.{attitude}") in top.value
    assert top.tone == ""
    # the pharma case's decision maker, the one at 5, backs the seller: good news
    app.controls["case"].value = "pharma-displacement"
    top = app.headlines(app.result)[1]
    assert top.value == t("workshop.app.attitude.supporter") and top.tone == "good"
