"""The coaching vocabulary: the same conversation engine with the manager as the learner.

Issue 15 asks to practise the coaching conversation itself. A coaching dialogue
(``kind: coaching-dialogue``) is an objection scenario seen from the other desk: the
learner is the sales manager, the "buyer" is a rep, and the engine, the checks, the
simulator and the rubric are reused unchanged. Only this vocabulary differs:

- **personas** are the rep's quadrant of the capability x willingness matrix, named by
  the style ids of :mod:`salestrain.core.coaching.matrix` (direct, guide, excite,
  delegate), so a dialogue says which style it trains;
- **families** are the topics of a coaching talk (a skill gap, motivation, goal setting,
  ownership);
- **techniques** are coaching moves: each style's typical moves plus tempting bad ones
  (doing it for them, vague praise, micromanaging, blaming);
- the hidden gauges keep their engine names and read, through the catalog
  ``coaching_dialogue``, as the rep's trust (trust), motivation (patience), clarity
  (value) and open doubts (concerns).

Why reuse rather than a second engine: the branching graph, the quality checks
(trivial policies must not win, the best play must win, every ending is reachable) and
the app are exactly what a coaching rehearsal needs, and one engine keeps one set of
authoring rules for trainers.

The tables are ours, drawn from situational leadership (Hersey and Blanchard: telling,
selling, participating, delegating) as the skill-will matrix simplifies it: a style's
own moves suit its quadrant (fit 2), the moves of the opposite quadrant backfire (fit 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from salestrain.core.coaching.matrix import STYLES
from salestrain.core.objections.vocabulary import (
    PersonaRule,
    Technique,
    Vocabulary,
    _r,
    _t,
)

# The topic of one turn of the talk (a node's `family`).
TOPICS: tuple[str, ...] = ("skill_gap", "motivation", "goal_setting", "ownership")

MOVES: Mapping[str, Technique] = MappingProxyType({m.id: m for m in (
    # direct (S1, telling): clear instructions, show how, close follow-up
    _t("tell", "direct", advance=2),
    _t("demonstrate", "direct", advance=1),
    # guide (S2, selling): explain why, ask, check understanding
    _t("explain_and_ask", "guide", explore=2, advance=1),
    _t("check_understanding", "guide", explore=2),
    # excite (S3, participating): listen, recognise specifically, involve
    _t("listen", "excite", acknowledge=2),
    _t("encourage", "excite", acknowledge=2, advance=1),
    _t("involve", "excite", explore=2, acknowledge=1),
    # delegate (S4): agree the outcome, hand over the how
    _t("agree_goals", "delegate", advance=2, explore=1),
    _t("hand_over", "delegate", advance=2),
    # tempting bad moves
    _t("do_it_for_them", "bad", bad=True, advance=1),
    _t("vague_praise", "bad", bad=True),
    _t("micromanage", "bad", bad=True),
    _t("blame", "bad", bad=True),
)})

# How a rep in each quadrant takes each move: fit and extra change of the gauges
# (trust; patience = motivation; value = clarity). Unlisted moves are neutral.
QUADRANT_RULES: Mapping[str, Mapping[str, PersonaRule]] = MappingProxyType({
    "direct": {  # low skill, low will: needs clear steps and close follow-up
        "tell": _r(2, value=6), "demonstrate": _r(2, value=4),
        "check_understanding": _r(2, value=2),
        "involve": _r(0, patience=-4), "hand_over": _r(0, value=-10, patience=-6),
        "do_it_for_them": _r(0, value=-6), "vague_praise": _r(0, value=-4),
        "blame": _r(0, trust=-10, patience=-10),
    },
    "guide": {  # low skill, high will: explain why, ask, keep the energy
        "explain_and_ask": _r(2, value=6, trust=2), "check_understanding": _r(2, value=4),
        "demonstrate": _r(2, value=3), "encourage": _r(2, patience=3),
        "tell": _r(1, patience=-3),
        "hand_over": _r(0, value=-8, trust=-3),
        "do_it_for_them": _r(0, patience=-6), "vague_praise": _r(0, value=-3),
        "blame": _r(0, patience=-10, trust=-8),
    },
    "excite": {  # high skill, low will: listen, recognise, involve; never teach
        "listen": _r(2, trust=6), "involve": _r(2, patience=6),
        "encourage": _r(2, patience=4),
        "tell": _r(0, trust=-8, patience=-6), "demonstrate": _r(0, trust=-6, patience=-4),
        "check_understanding": _r(0, patience=-4),
        "micromanage": _r(0, patience=-10, trust=-6), "vague_praise": _r(0, trust=-5),
        "blame": _r(0, trust=-12),
    },
    "delegate": {  # high skill, high will: agree the outcome, hand over the how
        "hand_over": _r(2, patience=6, trust=4), "agree_goals": _r(2, value=6),
        "involve": _r(2, trust=3),
        "tell": _r(0, patience=-8, trust=-4), "demonstrate": _r(0, patience=-6),
        "explain_and_ask": _r(0, patience=-4), "check_understanding": _r(0, patience=-3),
        "micromanage": _r(0, patience=-12, trust=-8), "do_it_for_them": _r(0, patience=-8),
    },
})

# Fit of a move to the topic of the turn (0 misses it, 1 neutral, 2 answers it).
TOPIC_FIT: Mapping[str, Mapping[str, int]] = MappingProxyType({
    "skill_gap": {"tell": 2, "demonstrate": 2, "explain_and_ask": 2, "check_understanding": 2,
                  "hand_over": 0},
    "motivation": {"listen": 2, "encourage": 2, "involve": 2, "tell": 0, "demonstrate": 0},
    "goal_setting": {"agree_goals": 2, "check_understanding": 2},
    "ownership": {"hand_over": 2, "agree_goals": 2, "involve": 2, "tell": 0, "demonstrate": 0},
})

COACHING_VOCABULARY = Vocabulary("coaching", "coaching_dialogue", STYLES, TOPICS, MOVES,
                                 QUADRANT_RULES, TOPIC_FIT)
