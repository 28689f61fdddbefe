"""Which vocabulary a scenario speaks: objection handling or coaching (by its kind)."""

from __future__ import annotations

from salestrain.core.objections.coaching_moves import COACHING_VOCABULARY
from salestrain.core.objections.vocabulary import OBJECTION_VOCABULARY, Vocabulary

VOCABULARIES: dict[str, Vocabulary] = {"objection": OBJECTION_VOCABULARY,
                                       "coaching": COACHING_VOCABULARY}


def vocabulary_for(mode: str) -> Vocabulary:
    return VOCABULARIES[mode]
