"""The coaching apps driven in-process, as the browser would drive them."""

import re

import pandas as pd
import pytest

from salestrain.apps import app_names, get_app
from salestrain.apps.coaching import AssessApp, assess_app, stage_app, team_app, time_matrix_app
from salestrain.base.i18n import t
from salestrain.core.coaching import advise, time_profile
from salestrain.io.coaching.files import sample_funnel, sample_instrument, sample_week

PNG = b"\x89PNG\r\n\x1a\n"


def test_all_four_apps_are_registered():
    assert {"coaching-assess", "coaching-team", "coaching-stages", "coaching-time"} <= set(app_names())
    for name in ("coaching-assess", "coaching-team", "coaching-stages", "coaching-time"):
        app = get_app(name).factory()
        assert app.result is not None and app.plot.image.value[:8] == PNG


def test_assess_sliders_move_the_rep_across_the_matrix():
    app = assess_app()
    assert set(app.controls) >= {"self_discovery", "mgr_discovery", "cap_line", "border", "view"}
    assert app.result.style == "guide"  # the sample new hire: eager, still learning
    png = app.plot.image.value
    with app.hold():
        for item in ("discovery", "product_knowledge", "presenting", "handling_concerns",
                     "negotiating", "account_planning"):
            app.controls[f"mgr_{item}"].value = 4
    assert app.result.style == "delegate"
    assert app.plot.image.value != png
    assert "Delegate" in app.summary.value and "Delegate" in app.advice_html.value
    # The same scores through the core give the same advice.
    own = {k[5:]: c.value for k, c in app.controls.items() if k.startswith("self_")}
    boss = {k[4:]: c.value for k, c in app.controls.items() if k.startswith("mgr_")}
    assert advise(sample_instrument(), own, boss).placement == app.result.placement


def test_assess_self_view_threshold_and_border():
    app = AssessApp(self_scores={"discovery": 3, "motivation": 3},
                    manager_scores={"discovery": 1, "motivation": 1})
    assert app.result.style == "direct"
    app.controls["view"].value = "self"
    assert app.result.style == "delegate"  # exactly on both lines counts as high
    app.controls["border"].value = "low"
    assert app.result.style == "direct"
    app.set(border="high", cap_line=3.5)
    assert app.result.style == "guide"
    assert "higher than the manager" in app.gaps.value  # self 3 vs manager 1 on discovery


def test_team_view_pick_a_rep_and_see_their_plan():
    app = team_app()
    assert len(app.result.tracks) == 6
    app.controls["rep"].value = "Aisha Rahman"
    assert app.result.selected.styles == ("delegate", "excite")
    assert "Excite" in app.summary.value and "Moved from Delegate" in app.summary.value
    assert "stretch role" in app.advice_html.value
    png = app.plot.image.value
    app.controls["will_line"].value = 2.0  # Aisha's willingness 2.0 is now on the line
    assert app.result.selected.advice.style == "delegate"
    assert app.plot.image.value != png


def test_stage_app_from_funnel_and_from_items():
    app = stage_app()
    app.controls["rep"].value = "Tomas Novak"
    assert app.result.diagnosis.weakest == "need_recognition"  # 15 of 44 vs team ~58%
    assert "Need recognition" in app.advice_html.value
    app.controls["rep"].value = "Lin Qiao"
    assert app.result.diagnosis.weakest == "decision"
    app.controls["source"].value = "assessment"
    assert app.result.diagnosis.source == "assessment"
    assert app.result.diagnosis.weakest == "decision"  # negotiating is Lin's lowest item


def test_time_app_sliders_change_the_profile():
    app = time_matrix_app()
    week = sample_week()
    assert app.result.shares == pytest.approx(time_profile(week).shares)
    assert "M2" in app.summary.value
    plan_row = int(week.index[week["task"].str.startswith("Account plan")][0])
    with app.hold():
        app.controls[f"task{plan_row}"].value = 20
    assert app.result.hours["M2"] == pytest.approx(26)
    assert "M2" in app.controls[f"task{plan_row}"].description


def test_apps_accept_a_trainers_own_data():
    table = pd.DataFrame([
        {"rep": "Ana Ruiz", "date": "2026-01-31", "rater": "manager", "discovery": 5, "motivation": 1},
    ])
    app = team_app(table=table)
    assert app.result.selected.advice.style == "excite"


def test_labels_switch_to_chinese(zh):
    app = assess_app()
    assert app.controls["mgr_discovery"].description != "Discovery questioning"


def test_a_rep_without_assessment_gets_a_message_naming_the_other_source(zh):
    funnel = dict(sample_funnel())
    funnel["Zed Only"] = next(iter(funnel.values()))
    app = stage_app(funnel=funnel)
    good = app.result
    app.set(rep="Zed Only", source="assessment")
    assert app.result is good
    assert app.error == "Zed Only 没有评估记录；请选择“漏斗数据”"


def _text_mark(view) -> int:
    """The smallest figure text, in px, that the view marked on its image (issue 20)."""
    (mark,) = [c for c in view.image._dom_classes if c.startswith("salestrain-text-")]
    return int(mark.rsplit("-", 1)[1])


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("name", ["coaching-assess", "coaching-team", "coaching-stages", "coaching-time"])
def test_each_figure_reads_from_the_back_of_the_room_and_says_what_to_see(name, lang):
    from salestrain.base import i18n

    i18n.set_language(lang)
    app = get_app(name).factory()
    assert _text_mark(app.plot) >= 18  # 13 pt at 100 dpi
    assert app.plot.caption.value and app.plot.caption.layout.display != "none"


def test_the_stage_key_names_the_weakest_stage_and_the_team_line_only_when_drawn():
    app = stage_app()
    assert "Weakest stage" in app.legend.value and "conversion (1.0)" in app.legend.value
    app.controls["compare"].value = "absolute"
    assert "Weakest stage" in app.legend.value and "conversion (1.0)" not in app.legend.value


def test_the_team_key_names_the_chosen_rep():
    app = team_app()
    app.controls["rep"].value = "Aisha Rahman"
    assert "Aisha Rahman" in app.legend.value


# -- headline cards (issue 20) ----------------------------------------------------------

def _cards(app) -> dict[str, tuple[str, str]]:
    """label -> (value, tone) of the cards the app shows now."""
    heads = app.headlines(app.result)
    for head in heads:  # what headlines() says is what the page shows
        assert f">{head.value}<" in app.headline_cards.value.replace("&#x27;", "'")
    return {h.label: (h.value, h.tone) for h in heads}


def _bold(summary: str) -> list[str]:
    return re.findall(r"<b>(.*?)</b>", summary)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_assess_cards_are_the_summarys_bold_numbers_and_follow_the_sliders(lang):
    from salestrain.base import i18n

    i18n.set_language(lang)
    app = assess_app()
    before = [value for value, _ in _cards(app).values()]
    assert before == _bold(app.summary.value)  # capability, willingness, quadrant
    with app.hold():
        for item in ("discovery", "product_knowledge", "presenting", "handling_concerns",
                     "negotiating", "account_planning"):
            app.controls[f"mgr_{item}"].value = 4
    after = [value for value, _ in _cards(app).values()]
    assert after == _bold(app.summary.value)
    assert float(after[0]) > float(before[0]) and after[1] == before[1]
    assert after[2] == i18n.t("coaching.style.delegate.name") != before[2]


def test_team_cards_count_every_rep_once_and_move_with_the_lines(zh):
    app = team_app()
    count = lambda: {label: int(value) for label, (value, _) in _cards(app).items()}  # noqa: E731
    before = count()
    assert len(before) == 4 and sum(before.values()) == len(app.result.tracks)
    assert all("象限" in label for label in before)
    rep = next(r for r, track in app.result.tracks.items() if track.advice.style == "excite")
    app.set(rep=rep, will_line=2.0)  # this rep's willingness 2.0 is now on the line: high
    after = count()
    excite, delegate = (f"{t(f'coaching.style.{s}.name')}象限人数" for s in ("excite", "delegate"))
    assert after[excite] == before[excite] - 1 and after[delegate] >= before[delegate] + 1
    assert sum(after.values()) == sum(before.values())


def test_stage_cards_name_the_weakest_stage_and_its_rate_against_the_team():
    app = stage_app()
    app.controls["rep"].value = "Tomas Novak"
    stage = app.result.diagnosis.weakest
    funnel = sample_funnel()["Tomas Novak"]
    row = funnel[funnel["stage"] == stage].iloc[0]
    advanced, entered = int(row["advanced"]), int(row["entered"])  # the CSV's text
    cards = _cards(app)
    assert cards["weakest stage"][0] == _bold(app.advice_html.value)[1] == "Need recognition"
    ((label, (rate, _)),) = [(k, v) for k, v in cards.items() if k != "weakest stage"]
    assert rate == f"{advanced / entered:.0%}"
    team_rate = re.fullmatch(rf"{advanced} of {entered} moved on \(team (\d+)%\)", label)
    assert int(team_rate[1]) / 100 > advanced / entered  # weaker than the team: why it is chosen
    app.controls["compare"].value = "absolute"
    assert f"{advanced} of {entered} moved on" in _cards(app)
    app.controls["source"].value = "assessment"
    cards = _cards(app)
    assert set(cards) == {"weakest stage", "capability score there"}
    assert float(cards["capability score there"][0]) == pytest.approx(
        app.result.diagnosis.scores[app.result.diagnosis.weakest], abs=0.005)


def test_stage_cards_in_chinese(zh):
    app = stage_app()
    cards = _cards(app)
    assert cards["最弱阶段"][0] == _bold(app.advice_html.value)[1]  # after the rep's name
    assert any(re.fullmatch(r"\d+ 个中推进了 \d+ 个（团队 \d+%）", label) for label in cards)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_time_cards_turn_good_once_m2_reaches_the_healthy_share(lang):
    from salestrain.base import i18n

    i18n.set_language(lang)
    app = time_matrix_app()
    (m2, m2_tone), (hours, _), (over, _) = _cards(app).values()
    bold = _bold(app.summary.value)
    assert m2 == bold[0] and hours.startswith(bold[1]) and m2_tone == "bad"
    assert over == app.result.most_over
    with app.hold():  # 20 hours on every important, not urgent task
        for n in app.tasks.index[app.tasks["quadrant"] == "M2"]:
            app.controls[f"task{n}"].value = 20
    (m2_after, tone_after), (hours_after, _), _ = _cards(app).values()
    assert int(m2_after.rstrip("%")) > int(m2.rstrip("%"))
    assert tone_after == "good" and hours_after.startswith("0.0")
