"""The coaching-dialogue app: practise the coaching conversation, one rep per quadrant.

It is the objection app (:class:`~salestrain.apps.objections.ObjectionApp`) over the
shipped coaching dialogues (``kind: coaching-dialogue``, salestrain/data/coaching/dialogues/):
the learner is the sales manager, the other side is a rep, and the labels come from the
``coaching_dialogue`` catalog (the gauges read as the rep's trust, motivation and clarity).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from salestrain.apps.objections import ObjectionApp
from salestrain.io.objections.scenarios import dialogue_names, dialogue_path


class CoachingDialogueApp(ObjectionApp):
    """Pick a coaching move, watch the rep's hidden state, see the debrief at the end."""

    TITLE = "coaching_dialogue.app.title"
    CATALOG = "coaching_dialogue"

    def __init__(self, scenarios: Sequence[str | Path] | None = None, **values: Any) -> None:
        super().__init__(scenarios or [dialogue_path(n) for n in dialogue_names()], **values)


def coaching_dialogue_app(**values: Any) -> CoachingDialogueApp:
    return CoachingDialogueApp(**values)
