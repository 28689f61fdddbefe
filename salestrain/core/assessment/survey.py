"""Kirkpatrick level 1: the reaction survey after a session, checked and summarised.

Pure: plain answers in, a :class:`Summary` out. What the survey asks is data
(``exercises/survey.yaml``, read by ``salestrain/io/survey.py``); this module only knows
the four item types a reaction survey needs:

- ``scale``: a whole number from ``low`` to ``high`` (a 1-5 agreement scale);
- ``nps``: 0-10, "how likely are you to recommend"; the net promoter score is the share
  of promoters (9-10) minus the share of detractors (0-6), in percentage points
  (Reichheld, "The One Number You Need to Grow", HBR 2003);
- ``choice``: one option id (pace: too slow / right / too fast);
- ``text``: free text, at most ``max_chars`` characters.

An answer that does not fit its item is a :class:`Refusal` (the reason as a catalog key
and its values), so the caller names it in the user's language and never crashes on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ITEM_TYPES = ("scale", "nps", "choice", "text")
NPS_LOW, NPS_HIGH = 0, 10
PROMOTER_FROM, DETRACTOR_TO = 9, 6  # Reichheld's cut-offs


@dataclass(frozen=True)
class SurveyItem:
    id: str
    type: str
    prompt: Mapping[str, str]
    low: int = 1
    high: int = 5
    options: tuple[str, ...] = ()
    option_text: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    anchors: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # "low"/"high" -> text
    max_chars: int = 500
    required: bool = True

    @property
    def values(self) -> tuple[int, ...]:
        """The whole numbers a scale or nps item accepts."""
        if self.type == "nps":
            return tuple(range(NPS_LOW, NPS_HIGH + 1))
        return tuple(range(self.low, self.high + 1)) if self.type == "scale" else ()


@dataclass(frozen=True)
class Survey:
    title: Mapping[str, str]
    intro: Mapping[str, str]
    items: tuple[SurveyItem, ...]

    def item(self, item_id: str) -> SurveyItem | None:
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True)
class Refusal:
    """Why an answer or a sheet is not taken: a catalog key under ``survey.refused`` and its values."""

    reason: str
    values: Mapping[str, Any] = field(default_factory=dict)


def check_answer(item: SurveyItem, value: Any) -> tuple[int | str | None, Refusal | None]:
    """The answer as stored (an int for scale/nps, an option id or text), or why not.

    ``None`` (unanswered) is taken for every item: a reaction survey never forces an answer
    out of a learner; ``required`` only makes the page ask again."""
    if value is None or value == "":
        return None, None
    if item.type in ("scale", "nps"):
        # bool is an int to Python, not to a learner; 4.0 from a JSON writer is 4
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            number = int(value)
        if number is None:
            return None, Refusal("not_number", {"item": item.id, "value": _short(value)})
        if number not in item.values:
            return None, Refusal("out_of_range", {"item": item.id, "value": number,
                                                  "low": item.values[0], "high": item.values[-1]})
        return number, None
    if not isinstance(value, str):
        return None, Refusal("not_text", {"item": item.id, "value": _short(value)})
    if item.type == "choice":
        if value not in item.options:
            return None, Refusal("unknown_option", {"item": item.id, "value": _short(value),
                                                    "options": ", ".join(item.options)})
        return value, None
    text = value.strip()
    if len(text) > item.max_chars:
        return None, Refusal("too_long", {"item": item.id, "chars": len(text), "limit": item.max_chars})
    return text or None, None


def check_sheet(survey: Survey, answers: Any) -> tuple[dict[str, int | str], list[Refusal]]:
    """Every answer of one sheet checked; a sheet with any refusal is refused whole (a
    forged answer makes the rest of the sheet doubtful too)."""
    if not isinstance(answers, Mapping):
        return {}, [Refusal("no_answers")]
    kept: dict[str, int | str] = {}
    refusals = []
    for key, value in answers.items():
        item = survey.item(key) if isinstance(key, str) else None
        if item is None:
            refusals.append(Refusal("unknown_item", {"item": _short(key)}))
            continue
        answer, refusal = check_answer(item, value)
        if refusal is not None:
            refusals.append(refusal)
        elif answer is not None:
            kept[item.id] = answer
    if not kept and not refusals:
        refusals.append(Refusal("empty"))
    return ({} if refusals else kept), refusals


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + "…"


# -- summary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSummary:
    """One item over the responses that answered it."""

    item: SurveyItem
    answered: int
    counts: Mapping[Any, int]  # value -> how many (every possible value, zeros included)
    mean: float | None = None  # scale and nps
    nps: float | None = None  # nps: promoters minus detractors, percentage points
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    texts: tuple[str, ...] = ()  # text items, in the order given


@dataclass(frozen=True)
class Summary:
    responses: int
    items: tuple[ItemSummary, ...]


def net_promoter_score(scores: Sequence[int]) -> float | None:
    """Promoters (9-10) minus detractors (0-6) as a share of all scores, in points (-100..100)."""
    if not scores:
        return None
    promoters = sum(s >= PROMOTER_FROM for s in scores)
    detractors = sum(s <= DETRACTOR_TO for s in scores)
    return 100.0 * (promoters - detractors) / len(scores)


def summarise(survey: Survey, sheets: Sequence[Mapping[str, int | str]]) -> Summary:
    """Per item: how many answered, the distribution, the mean (scales), the NPS, the texts."""
    found = []
    for item in survey.items:
        given = [s[item.id] for s in sheets if s.get(item.id) is not None]
        if item.type == "text":
            found.append(ItemSummary(item, len(given), {}, texts=tuple(str(g) for g in given)))
            continue
        keys: tuple[Any, ...] = item.options if item.type == "choice" else item.values
        counts = {k: sum(g == k for g in given) for k in keys}
        if item.type == "choice":
            found.append(ItemSummary(item, len(given), counts))
            continue
        numbers = [int(g) for g in given]
        mean = sum(numbers) / len(numbers) if numbers else None
        if item.type == "nps":
            found.append(ItemSummary(
                item, len(numbers), counts, mean, net_promoter_score(numbers),
                promoters=sum(n >= PROMOTER_FROM for n in numbers),
                passives=sum(DETRACTOR_TO < n < PROMOTER_FROM for n in numbers),
                detractors=sum(n <= DETRACTOR_TO for n in numbers)))
        else:
            found.append(ItemSummary(item, len(numbers), counts, mean))
    return Summary(len(sheets), tuple(found))
