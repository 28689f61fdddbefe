"""The coaching-dialogue app: the objection app over the coaching dialogues."""

from __future__ import annotations

from salestrain.apps.coaching_dialogue import coaching_dialogue_app
from salestrain.base.i18n import set_language
from salestrain.core.objections.simulate import best_path


def test_playing_the_best_path_shows_the_coached_well_ending_in_both_languages():
    for lang, ending, gauge in (("en", "Coached well", "Motivation"),
                                ("zh_CN", "辅导到位", "动力")):
        set_language(lang)
        app = coaching_dialogue_app()
        for source in app._sources:
            app.controls["scenario"].value = source
            for choice in best_path(app.scenario).choices:
                app.choose(choice)
            assert app.conversation.ending == "won"
            assert ending in app.end_screen.value
            assert gauge in app.gauge_bars["patience"].description
    set_language("en")


def test_a_step_explains_the_move_against_the_reps_quadrant():
    set_language("en")
    app = coaching_dialogue_app()
    app.controls["scenario"].value = next(s for s in app._sources if "direct-new-rep-zhao" in s)
    app.choose(0)
    assert "The rep (needs directing" in app.feedback.value
    assert "buyer" not in app.feedback.value.lower()
