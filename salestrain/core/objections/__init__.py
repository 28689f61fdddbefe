"""Objection handling: branching buyer conversations, personas, techniques, scoring.

Pure core: plain data in, plain data out. Scenario files are loaded by
:mod:`salestrain.io.objections.scenarios`; apps live in :mod:`salestrain.apps.objections`.
"""

from salestrain.core.objections.check import check_scenario
from salestrain.core.objections.engine import (
    CRITERIA,
    Conversation,
    Marks,
    Note,
    Position,
    Step,
    Transcript,
    advance,
    replay,
    start,
    technique_marks,
)
from salestrain.core.objections.scenario import (
    SETTINGS,
    Node,
    Option,
    Route,
    Scenario,
    localized,
)
from salestrain.core.objections.scoring import Rubric, Score, score_marks, score_transcript
from salestrain.core.objections.simulate import (
    POLICIES,
    all_paths,
    best_path,
    reachable_endings,
    simulate,
    win_rate,
)
from salestrain.core.objections.vocabulary import ENDINGS, FAMILIES, PERSONAS, TECHNIQUES

__all__ = [
    "CRITERIA", "ENDINGS", "FAMILIES", "PERSONAS", "POLICIES", "SETTINGS", "TECHNIQUES",
    "Conversation", "Marks", "Node", "Note", "Option", "Position", "Route", "Rubric",
    "Scenario", "Score", "Step", "Transcript", "advance", "all_paths", "best_path",
    "check_scenario", "localized", "reachable_endings", "replay", "score_marks",
    "score_transcript", "simulate", "start", "technique_marks", "win_rate",
]
