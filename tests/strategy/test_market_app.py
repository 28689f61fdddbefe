"""The `market` app driven in-process: plan, commit, reveal, leaderboard, debrief, class turns."""

from __future__ import annotations

import io

import pytest
from PIL import Image

import salestrain
from salestrain.apps.strategy import SHARE_SIZE, market_app
from salestrain.core.strategy.game import SOLO_TEAM
from salestrain.core.strategy.market import GameError, sample_territory

SMALL = sample_territory(60, seed=4)


def png_width(png: bytes) -> int:
    return Image.open(io.BytesIO(png)).width


def test_a_solo_game_from_the_factory_plans_commits_and_reveals():
    app = market_app()
    r = app.result
    assert r.played == 0 and r.team == SOLO_TEAM and r.reveal is None and r.standings == ()
    assert r.plan.hours == 1200 and r.plan.budget == 60_000  # the start plan uses it all
    assert "No quarter played yet" in app.reveal.value
    # Moving a slider changes the plan, never a result: the learner commits first.
    app.controls["hours_healthcare"].value = 0
    assert app.result.plan.hours < 1200 and app.result.played == 0
    assert app.result.reveal is None and app.board.value == ""
    assert f"{app.result.plan.hours:,.0f} of 1,200 rep hours" in app.plan_text.value
    before = app.shares.image.value
    app.set(hours_manufacturing=300, hours_logistics=200, hours_healthcare=600, hours_public_sector=100,
            price=1.05, service=5, stance="nicher")
    app.actions["commit"].click()
    r = app.result
    assert r.played == 1 and r.reveal is not None and r.reveal.quarter == 1
    assert app.game.market.decisions[0][0].hours["healthcare"] == 600
    assert app.game.market.decisions[0][0].stance == "nicher"
    assert "Quarter 1, Your team:" in app.reveal.value and "RMB" in app.reveal.value
    assert len(r.standings) == 5 and "Huaxin (leader)" in app.board.value
    assert app.shares.image.value != before  # the share figure shows the quarter
    assert "Quarter 2 of 6" in app.status.value


def test_a_plan_beyond_capacity_cannot_be_committed_and_says_why():
    app = market_app()
    app.set(hours_manufacturing=1200, hours_logistics=600)
    assert app.result.plan.over == "hours"
    assert app.actions["commit"].disabled and "More hours than your reps have" in app.plan_text.value
    with pytest.raises(GameError, match="hours: .* plans 2,"):
        app.commit()
    app._run_action("commit")  # the button's path: a message, not a traceback
    assert "take hours from a segment" in app.message.value and app.result.played == 0
    app.set(hours_manufacturing=300, hours_logistics=300, hours_healthcare=300, hours_public_sector=300,
            budget_healthcare=60)
    assert app.result.plan.over == "budget" and app.actions["commit"].disabled


def test_the_debrief_follows_the_last_quarter():
    app = market_app(territory=SMALL, quarters=4)
    for _ in range(4):
        assert app.debrief_box.layout.display == "none"
        app.commit()
    r = app.result
    assert r.finished and r.debrief is not None and r.debrief.team == SOLO_TEAM
    assert app.decide_box.layout.display == "none" and app.debrief_box.layout.display == ""
    assert app.actions["commit"].disabled
    text = app.debrief_text.value
    assert "Debrief for Your team" in text and "SWOT from your results" in text
    # Where the margin came from stands under the leaderboard, one row per segment.
    assert all(s.title().capitalize() in app.contribution.value for s in SMALL.segments)
    assert app.contribution.layout.display == ""
    # At the debrief the trend is drawn smaller, not shown scaled down: the PNG is as wide
    # as the image on the page, and its text still 13 pt (18 px).
    full = round(SHARE_SIZE[0] * 100)
    assert app.shares.image.layout.width == f"{png_width(app.shares.image.value)}px" != f"{full}px"
    assert "salestrain-text-18" in app.shares.image._dom_classes
    assert app.shares.box.layout.display == ""  # five teams: the trend stays
    # The leaderboard is the trend's key: each team's line drawn beside its name.
    assert app.board.value.count("<svg") == len(r.setup.all_teams)
    assert app.drivers.image.value[:4] == b"\x89PNG"
    assert "game is over after 4 quarters" in app.status.value
    app.restart()
    assert app.result.played == 0 and app.debrief_box.layout.display == "none"
    assert app.contribution.layout.display == "none" and app.shares.image.layout.width == f"{full}px"
    assert png_width(app.shares.image.value) == full
    assert not app.actions["commit"].disabled


def test_class_mode_teams_take_turns_on_one_machine():
    app = market_app(teams=["North", "South", "East"], territory=SMALL, quarters=4)
    assert app.controls["team"].value == "North" and "play_now" in app.actions
    assert "North plans now" in app.status.value and "South, East" in app.status.value
    app.set(hours_logistics=0, hours_healthcare=0)
    north_plan = app.result.draft
    app.commit()
    # The keyboard passes to the next team, with its own plan on the sliders, not North's.
    assert app.controls["team"].value == "South" and app.result.played == 0
    assert app.result.draft != north_plan and app.result.plan.hours == 1200
    assert app.result.waiting == ("South", "East")
    app.commit()
    app.commit()
    assert app.result.played == 1 and app.controls["team"].value == "North"
    assert app.game.market.decisions[0][0] == north_plan
    # Quarter 2: North's last plan is back on the sliders for North.
    assert app.result.draft.hours == north_plan.hours
    # The trainer plays on without East and South: they keep their last plans.
    app.commit()
    app.play_now()
    assert app.result.played == 2 and app.game.defaulted[-1] == ("South", "East")
    # Switching the selector shows that team's result and highlights it.
    app.controls["team"].value = "East"
    assert app.result.team == "East" and "East:" in app.reveal.value
    assert "font-weight:bold;background" in app.board.value.split("East")[0].rsplit("<tr", 1)[1]
    app.play_now()
    app.play_now()
    assert app.result.finished and app.actions["play_now"].disabled
    assert app.result.debrief.team == "East"
    # Seven teams on the board: at the debrief the trend gives way to the segments.
    assert len(app.result.setup.all_teams) == 7 and app.shares.box.layout.display == "none"
    assert "<table class='salestrain-market-contribution'" in app.contribution.value
    app._run_action("play_now")
    assert "over after 4 quarters" in app.message.value


def test_bad_class_setups_are_named():
    with pytest.raises(GameError, match="'North' is named twice"):
        market_app(teams=["North", "North"])
    with pytest.raises(GameError, match="quarters: 12"):
        market_app(quarters=12)


def test_the_app_speaks_chinese_with_money_in_wan():
    salestrain.set_language("zh_CN")
    app = market_app(territory=SMALL, quarters=4)
    assert app.controls["budget_healthcare"].max == 6.0  # 60,000 yuan = 6 万
    assert app.controls["price"].description == "价格（相对目录价）"
    assert "预算（万元）" in app.controls_box.children[0].children[0].children[1].children[0].children[2].value
    assert "工时 1,200 / 1,200 小时" in app.plan_text.value and "预算 ¥6万 / ¥6万" in app.plan_text.value
    app.set(budget_manufacturing=1.5, budget_logistics=1.5, budget_healthcare=1.6, budget_public_sector=1.4)
    assert app.result.draft.budget["healthcare"] == 16_000 and app.result.plan.budget == 60_000
    app.controls["budget_healthcare"].value = 2.6
    with pytest.raises(GameError, match="预算：你的团队计划投入 ¥7万，但只有 ¥6万"):
        app.commit()
    app.controls["budget_healthcare"].value = 1.6
    for _ in range(4):
        app.commit()
    assert "第 4 季度，你的团队" in app.reveal.value and "华信（领导者）" in app.board.value
    assert "复盘" in app.debrief_text.value and "制造业" in app.contribution.value
    assert app.shares.box.layout.display == "" and app.contribution.layout.display == ""


@pytest.mark.parametrize(("lang", "first"), [("en", "Team 1"), ("zh_CN", "第1组")])
def test_the_projected_class_game_has_four_teams_named_in_the_rooms_language(lang, first):
    """`salestrain app market-class`: the registry's factory, no Python for the trainer."""
    from salestrain.apps.registry import get_app
    from salestrain.base.i18n import set_language

    set_language(lang)
    app = get_app("market-class").factory()
    assert app.class_mode and len(app.setup.teams) == 4 and app.setup.teams[0] == first
    for _ in app.setup.teams:  # each team commits in turn: then the quarter plays
        assert app.result.played == 0
        app.commit()
    assert app.result.played == 1 and app.controls["team"].value == first


def test_the_key_account_focus_on_screen_is_the_one_committed():
    app = market_app(territory=SMALL, quarters=4)
    app.controls["key_focus"].value = 0.5
    app.commit()
    assert app.game.market.decisions[0][0].key_focus == 0.5


def test_every_team_keeps_its_own_line_and_the_colours_are_okabe_ito():
    """Up to twelve teams: no two share colour, marker and dash; learners' hues are Okabe-Ito's,
    the bots grey and dashed, told apart by marker."""
    from salestrain.core.strategy.game import bot_id
    from salestrain.plots.strategy import team_styles

    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"}
    bots = [bot_id(s) for s in ("leader", "challenger", "follower", "nicher")]
    teams = [f"Team {k}" for k in range(1, 9)] + bots
    styles = team_styles(teams)
    assert len({(s.colour, s.marker, s.dashed) for s in styles}) == len(teams)
    assert {s.colour for s in styles[:8]} <= okabe_ito and not any(s.dashed for s in styles[:8])
    assert all(s.dashed for s in styles[8:]) and len({s.marker for s in styles[8:]}) == 4


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_cards_over_the_trend_give_share_margin_so_far_and_rank(lang):
    from salestrain.apps.base import walk_widgets
    from salestrain.base.formats import format_compact
    from salestrain.base.i18n import t

    salestrain.set_language(lang)
    app = market_app(territory=SMALL, quarters=4)
    # Right under the buttons, over the error line and the quarter's numbers in words;
    # the error line shows once.
    left = app._left.children
    assert left.index(app.headline_cards) == left.index(app.message) - 1 == left.index(app.reveal) - 2
    assert sum(x is app.message for x in walk_widgets(app.widget)) == 1

    def cards():
        shown = app.headlines(app.result)
        assert all(f">{c.value}<" in app.headline_cards.value for c in shown)
        return {c.label: (c.value, c.tone) for c in shown}

    share, margin, rank = t("strategy.card.share"), t("strategy.card.margin"), t("strategy.card.rank")
    # Before the market answers: a dash on every card, so nothing jumps when it does.
    assert {v for v, _ in cards().values()} == {t("strategy.card.none")} and len(cards()) == 3
    app.commit()
    first = app.result.reveal
    shown = cards()
    assert shown[share][0] in app.reveal.value  # the share the reveal states
    # The margin in three digits ("235K", "23.5万"), the currency in the label.
    assert shown[margin][1] == ("bad" if first.margin < 0 else "")
    assert shown[margin][0] == format_compact(float(f"{first.margin:.3g}"), fraction_digits=2)
    assert len(shown[margin][0]) <= 6
    teams = len(app.result.setup.all_teams)
    assert shown[rank] == (t("strategy.card.of", rank=first.rank, teams=teams),
                           "good" if first.rank == 1 else "bad" if first.rank == teams else "")
    # Margin so far: the second quarter's adds to the first's.
    app.commit()
    total = first.margin + app.result.reveal.margin
    assert cards()[margin][0] == format_compact(float(f"{total:.3g}"), fraction_digits=2)
    assert cards()[margin][0] != shown[margin][0]
    if lang == "zh_CN":
        assert "万" in cards()[margin][0]
    # At the debrief the leaderboard holds the final numbers: the cards give way.
    app.commit()
    assert app.headline_cards.layout.display == ""
    app.commit()
    assert app.result.finished and app.headline_cards.layout.display == "none"
    app.restart()
    assert {v for v, _ in cards().values()} == {t("strategy.card.none")}
    assert app.headline_cards.layout.display == ""
