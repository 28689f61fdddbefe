"""No-code question kinds: a question is data, an answer is data, a score shows its evidence.

A trainer declares each question in the exercise (YAML); the learner answers in a widget;
the answer arrives here as plain JSON data, never as code, so grading needs no kernel.
Every kind scores the same way, following the rules in DESIGN.md ("Scores learners
trust"):

- each point awarded or withheld carries an :class:`Evidence` line naming the rule and,
  where it applies, the words or items that earned it;
- the same answer always gets the same score (no randomness, no hidden state);
- partial credit where part of the answer is right (orderings by pairs in the right
  order, classifications item by item, multiple choice by hits less wrong picks);
- equivalent answers pass: numbers within the stated tolerance, labels compared without
  case or spacing, synonyms listed by the author;
- an answer of the wrong shape (a string where a number belongs, a 10 MB string, an
  option that does not exist) scores 0 with a reason; it never raises.

Options are shuffled per learner for display (:func:`display_order`); answers name
option ids, so the grader needs no mapping back.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from salestrain.base.formats import format_number
from salestrain.base.i18n import get_language, t
from salestrain.core.negotiation.analysis import distance_to_frontier
from salestrain.core.negotiation.domain import Domain, DomainError

# An answer longer than this is not read: free text is a reply to a customer, not an essay.
MAX_TEXT = 4000
MAX_ITEMS = 200

LocalText = str | dict[str, str]


def text_in(value: LocalText, lang: str | None = None) -> str:
    """A declared text in the learner's language (English when that one is missing)."""
    if isinstance(value, str):
        return value
    lang = lang or get_language()
    return value.get(lang) or value.get("en") or next(iter(value.values()), "")


def normalise(text: str) -> str:
    """Case, width and spacing folded: 'Decision  Maker' == 'decision maker', 'ＡＢＣ' == 'abc'."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One line of the score's explanation: the rule, what it saw, and the points it gave."""

    rule: str  # catalog key under kinds.*
    points: float
    max_points: float
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return t(self.rule, **{k: _shown(v) for k, v in self.values.items()})


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    evidence: tuple[Evidence, ...]
    feedback: tuple[str, ...] = ()  # the author's explanations, already in the learner's language
    valid: bool = True  # False when the answer had the wrong shape

    @property
    def share(self) -> float:
        return 0.0 if self.max_points == 0 else self.points / self.max_points


def _shown(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value):
        # 1,105,000 as the language writes it, not 1.105e+06; small values keep 4 digits
        return format_number(value, decimals=0) if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, float):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _invalid(points: float, reason: str, **values: Any) -> Score:
    return Score(0.0, points, (Evidence(reason, 0.0, points, values),), valid=False)


# -- declarations (the data a trainer writes) -----------------------------------------


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    prompt: LocalText
    points: float = Field(1.0, gt=0)


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    text: LocalText
    # For replies and graded choices: the share of the points this option earns, and why.
    credit: float = Field(0.0, ge=0, le=1)
    why: LocalText | None = None


class _WithOptions(_Kind):
    options: list[Option] = Field(min_length=2)
    shuffle: bool = True

    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    @model_validator(mode="after")
    def _unique_ids(self) -> _WithOptions:
        ids = self.option_ids()
        if len(set(ids)) != len(ids):
            raise ValueError(f"option ids repeat: {ids}; give each option its own id")
        return self


class NumberQuestion(_Kind):
    kind: Literal["number"]
    answer: float
    tolerance: float = Field(0.0, ge=0)  # absolute
    rel_tolerance: float = Field(0.0, ge=0)
    unit: LocalText | None = None  # shown beside the box: {en: RMB, zh_CN: 元}
    # Half the points for an answer within this wider band (e.g. the right method, rounded).
    half_credit_within: float | None = Field(None, gt=0)
    why: LocalText | None = None


class ChoiceQuestion(_WithOptions):
    """One option is right (credit 1); others may earn partial credit ("reply" kind too)."""

    kind: Literal["choice", "reply"]

    @model_validator(mode="after")
    def _one_best(self) -> ChoiceQuestion:
        if not any(o.credit == 1 for o in self.options):
            raise ValueError("no option has credit 1; mark the best answer with credit: 1")
        return self


class MultiChoiceQuestion(_WithOptions):
    kind: Literal["multi"]
    correct: list[str] = Field(min_length=1)


class OrderingQuestion(_Kind):
    kind: Literal["ordering"]
    items: list[Option] = Field(min_length=2)
    # The right order is the order of ``items`` as declared.


class ClassifyQuestion(_Kind):
    kind: Literal["classify"]
    categories: list[Option] = Field(min_length=2)
    items: list[Option] = Field(min_length=1)
    answer: dict[str, str]  # item id -> category id
    synonyms: dict[str, list[str]] = Field(default_factory=dict)  # category id -> accepted labels


class GridQuestion(_Kind):
    """Place each item (a rep) on a grid (capability x willingness): cell = (column, row)."""

    kind: Literal["grid"]
    columns: list[Option] = Field(min_length=2)
    rows: list[Option] = Field(min_length=2)
    items: list[Option] = Field(min_length=1)
    answer: dict[str, tuple[str, str]]
    # Items on a boundary: a neighbouring cell also earns this share (the honest answer to
    # a rep who sits on the line is "either, with more evidence").
    boundary: dict[str, list[tuple[str, str]]] = Field(default_factory=dict)
    boundary_credit: float = Field(0.5, ge=0, le=1)


class Concept(BaseModel):
    """One idea a good written reply contains, and the phrases that show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: LocalText
    points: float = Field(1.0, gt=0)
    phrases: dict[str, list[str]]  # language -> phrases and synonyms (any one is enough)
    why: LocalText | None = None


class TextQuestion(_Kind):
    """A short written reply scored by a transparent rubric of concepts."""

    kind: Literal["text"]
    # What the box invites (default: a reply to the customer), e.g. {en: "Your note to the director"}
    placeholder: LocalText | None = None
    concepts: list[Concept] = Field(min_length=1)
    # Phrases that cost points (e.g. offering a discount before exploring the objection).
    penalties: list[Concept] = Field(default_factory=list)

    @model_validator(mode="after")
    def _points(self) -> TextQuestion:
        total = sum(c.points for c in self.concepts)
        if not math.isclose(total, self.points):
            raise ValueError(f"the concepts give {total:g} points but the question is worth "
                             f"{self.points:g}; make them equal")
        return self


class EstimateQuestion(_Kind):
    """A number with a confidence range (P10-P90), scored by the interval score."""

    kind: Literal["estimate"]
    answer: float
    scale: float = Field(gt=0)  # an interval score of this size (or worse) earns nothing
    coverage: float = Field(0.8, gt=0, lt=1)  # the range is meant to hold the truth this often


class ProbabilityQuestion(_Kind):
    """A probability for an event (e.g. 'the month hits target'), scored by the Brier score."""

    kind: Literal["probability"]
    outcome: bool | None = None  # known events
    answer: float | None = Field(None, ge=0, le=1)  # or the exact probability, when it is known


class DecisionQuestion(_WithOptions):
    """A choice plus the reasons for it: the choice and the written case score separately."""

    kind: Literal["decision"]
    justification: list[Concept] = Field(min_length=1)

    @model_validator(mode="after")
    def _best(self) -> DecisionQuestion:
        if not any(o.credit == 1 for o in self.options):
            raise ValueError("no option has credit 1; mark the best decision with credit: 1")
        return self


class OfferQuestion(_Kind):
    """Build a package across the issues of a shipped negotiation scenario.

    Four rules share the points: the package beats your own BATNA; the other side can
    accept it (it beats theirs); it lies on (or within ``frontier_tolerance`` of) the
    Pareto frontier, so no other package is better for both; and it trades instead of
    discounting (the price discount stays within ``max_discount``).
    """

    kind: Literal["offer"]
    scenario: str
    side: Literal["seller", "buyer"] = "seller"
    max_discount: float = Field(0.10, ge=0, le=1)
    frontier_tolerance: float = Field(0.02, ge=0)


Question = Annotated[
    NumberQuestion | ChoiceQuestion | MultiChoiceQuestion | OrderingQuestion | ClassifyQuestion
    | GridQuestion | TextQuestion | EstimateQuestion | ProbabilityQuestion | DecisionQuestion
    | OfferQuestion,
    Field(discriminator="kind"),
]


class QuestionSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    questions: list[Question]


def parse_question(data: Any) -> Question:
    """Validate one declared question (pydantic errors name the field)."""
    return QuestionSet.model_validate({"questions": [data]}).questions[0]


# -- display order ---------------------------------------------------------------------


def display_order(ids: Sequence[str], learner: str, question: str) -> list[str]:
    """The options in a learner's own order: stable for that learner, different across them.

    Seeded by a hash of (learner, question), so a page reload or another sitting shows the
    same order, and neighbours in a room do not see the same positions.
    """
    seed = int.from_bytes(hashlib.sha256(f"{learner}\x00{question}".encode()).digest()[:8], "big")
    order = list(ids)
    random.Random(seed).shuffle(order)
    return order


# -- scoring ---------------------------------------------------------------------------


DomainLookup = Callable[[str], Domain]


def score(question: Question, answer: Any, domains: DomainLookup | None = None) -> Score:
    """Score one answer (plain data from the widget or a submission file).

    ``domains`` turns a negotiation scenario's name into its domain, for offer questions
    (core does not read files: the caller passes e.g. ``io.negotiation`` through
    :func:`salestrain.io.negotiation.load_scenario`).
    """
    scorer = _SCORERS[type(question)]
    try:
        if isinstance(question, OfferQuestion):
            return _score_offer(question, answer, domains(question.scenario) if domains else None)
        return scorer(question, answer)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError):
        return _invalid(question.points, "kinds.bad_shape")


def _number_of(answer: Any) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return None
    value = float(answer)
    return value if math.isfinite(value) else None


def _score_number(q: NumberQuestion, answer: Any) -> Score:
    got = _number_of(answer)
    if got is None:
        return _invalid(q.points, "kinds.not_a_number")
    allowed = max(q.tolerance, abs(q.answer) * q.rel_tolerance, 1e-12 * max(1.0, abs(q.answer)))
    off = abs(got - q.answer)
    values = {"got": got, "allowed": allowed, "off": off}
    if off <= allowed:
        return Score(q.points, q.points, (Evidence("kinds.number_within", q.points, q.points, values),))
    feedback = (text_in(q.why),) if q.why else ()
    if q.half_credit_within is not None and off <= q.half_credit_within:
        half = q.points / 2
        return Score(half, q.points, (Evidence("kinds.number_near", half, q.points,
                                                {**values, "band": q.half_credit_within}),), feedback)
    return Score(0.0, q.points, (Evidence("kinds.number_off", 0.0, q.points, values),), feedback)


def _option(q: _WithOptions, oid: Any) -> Option | None:
    if not isinstance(oid, str):
        return None
    return next((o for o in q.options if o.id == oid), None)


def _score_choice(q: ChoiceQuestion, answer: Any) -> Score:
    chosen = _option(q, answer)
    if chosen is None:
        return _invalid(q.points, "kinds.no_such_option")
    points = q.points * chosen.credit
    rule = ("kinds.choice_best" if chosen.credit == 1 else
            "kinds.choice_partial" if chosen.credit > 0 else "kinds.choice_wrong")
    feedback = (text_in(chosen.why),) if chosen.why else ()
    return Score(points, q.points, (Evidence(rule, points, q.points, {"option": text_in(chosen.text)}),),
                 feedback)


def _id_list(answer: Any, limit: int = MAX_ITEMS) -> list[str]:
    if not isinstance(answer, list) or len(answer) > limit or not all(isinstance(a, str) for a in answer):
        raise TypeError("expected a list of ids")
    return answer


def _score_multi(q: MultiChoiceQuestion, answer: Any) -> Score:
    picked = _id_list(answer)
    known = set(q.option_ids())
    if not set(picked) <= known:
        return _invalid(q.points, "kinds.no_such_option")
    picked_set, right = set(picked), set(q.correct)
    hits, wrong = picked_set & right, picked_set - right
    # Each right pick earns its share; each wrong pick takes one share back (never below 0),
    # so ticking every box is not a strategy.
    share = max(0.0, (len(hits) - len(wrong)) / len(right))
    points = q.points * share
    names = {o.id: text_in(o.text) for o in q.options}
    evidence = (
        Evidence("kinds.multi_hits", q.points * len(hits) / len(right), q.points,
                 {"hits": [names[i] for i in sorted(hits)] or "-", "n": len(hits), "of": len(right)}),
        Evidence("kinds.multi_wrong", -q.points * len(wrong) / len(right), 0.0,
                 {"wrong": [names[i] for i in sorted(wrong)] or "-", "n": len(wrong)}),
    )
    feedback = tuple(text_in(o.why) for o in q.options if o.why and (o.id in wrong or
                                                                     (o.id in right and o.id not in hits)))
    return Score(points, q.points, evidence, feedback)


def _score_ordering(q: OrderingQuestion, answer: Any) -> Score:
    order = _id_list(answer)
    truth = [i.id for i in q.items]
    if sorted(order) != sorted(truth):
        return _invalid(q.points, "kinds.ordering_items")
    rank = {item: k for k, item in enumerate(order)}
    pairs = [(a, b) for k, a in enumerate(truth) for b in truth[k + 1:]]
    right = sum(1 for a, b in pairs if rank[a] < rank[b])
    points = q.points * right / len(pairs)
    return Score(points, q.points, (Evidence("kinds.ordering_pairs", points, q.points,
                                             {"right": right, "pairs": len(pairs)}),))


def _category_id(q: ClassifyQuestion, label: Any) -> str | None:
    if not isinstance(label, str):
        return None
    wanted = normalise(label)
    for c in q.categories:
        names = [c.id, *([c.text] if isinstance(c.text, str) else c.text.values()), *q.synonyms.get(c.id, [])]
        if wanted in {normalise(n) for n in names}:
            return c.id
    return None


def _score_classify(q: ClassifyQuestion, answer: Any) -> Score:
    if not isinstance(answer, dict) or len(answer) > MAX_ITEMS:
        return _invalid(q.points, "kinds.bad_shape")
    per_item = q.points / len(q.items)
    evidence, feedback, points = [], [], 0.0
    for item in q.items:
        got = _category_id(q, answer.get(item.id))
        ok = got == q.answer[item.id]
        points += per_item if ok else 0.0
        evidence.append(Evidence("kinds.item_right" if ok else "kinds.item_wrong",
                                 per_item if ok else 0.0, per_item, {"item": text_in(item.text)}))
        if not ok and item.why:
            feedback.append(text_in(item.why))
    return Score(points, q.points, tuple(evidence), tuple(feedback))


def _score_grid(q: GridQuestion, answer: Any) -> Score:
    if not isinstance(answer, dict) or len(answer) > MAX_ITEMS:
        return _invalid(q.points, "kinds.bad_shape")
    columns, rows = {c.id for c in q.columns}, {r.id for r in q.rows}
    per_item = q.points / len(q.items)
    evidence, feedback, points = [], [], 0.0
    for item in q.items:
        cell = answer.get(item.id)
        if not (isinstance(cell, list | tuple) and len(cell) == 2 and cell[0] in columns and cell[1] in rows):
            evidence.append(Evidence("kinds.grid_missing", 0.0, per_item, {"item": text_in(item.text)}))
            continue
        cell = (cell[0], cell[1])
        if cell == tuple(q.answer[item.id]):
            earned, rule = per_item, "kinds.grid_right"
        elif cell in {tuple(c) for c in q.boundary.get(item.id, [])}:
            earned, rule = per_item * q.boundary_credit, "kinds.grid_boundary"
        else:
            earned, rule = 0.0, "kinds.grid_wrong"
            if item.why:
                feedback.append(text_in(item.why))
        points += earned
        evidence.append(Evidence(rule, earned, per_item, {"item": text_in(item.text)}))
    return Score(points, q.points, tuple(evidence), tuple(feedback))


def _matches(concept: Concept, text: str, lang: str) -> list[str]:
    """The phrases of a concept found in a reply, in any language the author gave.

    Matching is on the folded text: whole words for Latin-script phrases ("price" does
    not match "priceless"), plain containment for Chinese, which has no spaces.
    """
    folded = normalise(text)
    found = []
    phrase_lists = [concept.phrases.get(lang, [])] + [p for k, p in concept.phrases.items() if k != lang]
    for phrases in phrase_lists:
        for phrase in phrases:
            p = normalise(phrase)
            if not p:
                continue
            if p.isascii():
                hit = re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", folded) is not None
            else:
                hit = p in folded
            if hit and phrase not in found:
                found.append(phrase)
    return found


def _score_concepts(concepts: Sequence[Concept], penalties: Sequence[Concept], text: str,
                    scale: float = 1.0) -> tuple[float, list[Evidence], list[str]]:
    lang = get_language()
    points, evidence, feedback = 0.0, [], []
    for c in concepts:
        words = _matches(c, text, lang)
        earned = c.points * scale if words else 0.0
        points += earned
        evidence.append(Evidence("kinds.concept_found" if words else "kinds.concept_missing",
                                 earned, c.points * scale, {"concept": text_in(c.name), "words": words or "-"}))
        if not words and c.why:
            feedback.append(text_in(c.why))
    for c in penalties:
        words = _matches(c, text, lang)
        if words:
            lost = c.points * scale
            points -= lost
            evidence.append(Evidence("kinds.penalty", -lost, 0.0,
                                     {"concept": text_in(c.name), "words": words}))
            if c.why:
                feedback.append(text_in(c.why))
    return max(points, 0.0), evidence, feedback


def _reply_text(answer: Any) -> str:
    if not isinstance(answer, str):
        raise TypeError("expected text")
    return answer[:MAX_TEXT]


def _score_text(q: TextQuestion, answer: Any) -> Score:
    if not isinstance(answer, str):
        return _invalid(q.points, "kinds.not_text")
    points, evidence, feedback = _score_concepts(q.concepts, q.penalties, _reply_text(answer))
    if len(answer) > MAX_TEXT:
        evidence.append(Evidence("kinds.text_cut", 0.0, 0.0, {"limit": MAX_TEXT}))
    return Score(points, q.points, tuple(evidence), tuple(feedback))


def interval_score(low: float, high: float, truth: float, coverage: float) -> float:
    """Gneiting and Raftery's interval score for a central (coverage) range; lower is better.

    Width of the range, plus 2/(1-coverage) times how far the truth fell outside it: a
    proper scoring rule, so the best expected score comes from stating your real range.
    """
    alpha = 1.0 - coverage
    penalty = (2.0 / alpha) * (max(0.0, low - truth) + max(0.0, truth - high))
    return (high - low) + penalty


def _score_estimate(q: EstimateQuestion, answer: Any) -> Score:
    if not isinstance(answer, dict):
        return _invalid(q.points, "kinds.bad_shape")
    low, high = _number_of(answer.get("low")), _number_of(answer.get("high"))
    if low is None or high is None or low > high:
        return _invalid(q.points, "kinds.estimate_range")
    s = interval_score(low, high, q.answer, q.coverage)
    share = max(0.0, 1.0 - s / q.scale)
    points = q.points * share
    inside = low <= q.answer <= high
    return Score(points, q.points, (Evidence(
        "kinds.estimate_inside" if inside else "kinds.estimate_outside", points, q.points,
        {"low": low, "high": high, "truth": q.answer, "score": s, "scale": q.scale}),))


def brier(p: float, outcome: float) -> float:
    """The Brier score (p - outcome)^2; outcome may be an exact probability (its expectation)."""
    # With a known probability q, E[(p - X)^2] = (p - q)^2 + q(1 - q); the second term does
    # not depend on p, so (p - q)^2 ranks answers the same way and 0 is the best.
    return (p - outcome) ** 2


def _score_probability(q: ProbabilityQuestion, answer: Any) -> Score:
    p = _number_of(answer)
    if p is None or not 0.0 <= p <= 1.0:
        return _invalid(q.points, "kinds.not_a_probability")
    target = float(q.outcome) if q.outcome is not None else q.answer
    if target is None:
        return _invalid(q.points, "kinds.bad_shape")
    b = brier(p, target)
    points = q.points * (1.0 - b)
    return Score(points, q.points, (Evidence("kinds.brier", points, q.points,
                                             {"got": p, "truth": target, "brier": b}),))


def _score_decision(q: DecisionQuestion, answer: Any) -> Score:
    if not isinstance(answer, dict):
        return _invalid(q.points, "kinds.bad_shape")
    chosen = _option(q, answer.get("choice"))
    if chosen is None:
        return _invalid(q.points, "kinds.no_such_option")
    half = q.points / 2
    choice_points = half * chosen.credit
    evidence = [Evidence("kinds.choice_best" if chosen.credit == 1 else "kinds.choice_wrong"
                         if chosen.credit == 0 else "kinds.choice_partial",
                         choice_points, half, {"option": text_in(chosen.text)})]
    feedback = [text_in(chosen.why)] if chosen.why else []
    reasons = answer.get("why", "")
    if not isinstance(reasons, str):
        reasons = ""
    total = sum(c.points for c in q.justification)
    why_points, why_evidence, why_feedback = _score_concepts(q.justification, (), reasons[:MAX_TEXT],
                                                             scale=half / total)
    return Score(choice_points + why_points, q.points, tuple(evidence + why_evidence),
                 tuple(feedback + why_feedback))


def price_discount(domain: Domain, deal: Sequence[int]) -> float | None:
    """Share off the list (highest) price in a deal; None when the domain has no price."""
    for issue, k in zip(domain.issues, deal, strict=True):
        if issue.is_price:
            top = max(issue.amounts)
            return 0.0 if top == 0 else 1.0 - issue.amounts[k] / top
    return None


def _score_offer(q: OfferQuestion, answer: Any, domain: Domain | None = None) -> Score:
    if domain is None:
        return _invalid(q.points, "kinds.bad_shape")
    if not isinstance(answer, dict) or len(answer) > MAX_ITEMS:
        return _invalid(q.points, "kinds.bad_shape")
    try:
        outcome = domain.index_of(answer)
    except (DomainError, KeyError, ValueError, TypeError):
        return _invalid(q.points, "kinds.offer_options")
    me = 0 if q.side == "seller" else 1
    other = 1 - me
    utilities = domain.utilities[outcome]
    quarter = q.points / 4
    gap = distance_to_frontier(domain, utilities)
    discount = price_discount(domain, domain.outcomes[outcome])
    checks = [
        ("kinds.offer_own_batna.yes", "kinds.offer_own_batna.no", utilities[me] >= domain.reservations[me],
         {"value": float(utilities[me]), "batna": float(domain.reservations[me])}),
        ("kinds.offer_their_batna.yes", "kinds.offer_their_batna.no", utilities[other] >= domain.reservations[other],
         {"value": float(utilities[other]), "batna": float(domain.reservations[other])}),
        ("kinds.offer_frontier.yes", "kinds.offer_frontier.no", gap <= q.frontier_tolerance,
         {"gap": gap, "allowed": q.frontier_tolerance}),
        ("kinds.offer_discount.yes", "kinds.offer_discount.no", discount is None or discount <= q.max_discount + 1e-12,
         {"discount": f"{(discount or 0.0):.0%}", "allowed": f"{q.max_discount:.0%}"}),
    ]
    evidence = tuple(Evidence(yes if ok else no, quarter if ok else 0.0, quarter, values)
                     for yes, no, ok, values in checks)
    return Score(sum(e.points for e in evidence), q.points, evidence)


_SCORERS = {
    OfferQuestion: _score_offer,
    NumberQuestion: _score_number,
    ChoiceQuestion: _score_choice,
    MultiChoiceQuestion: _score_multi,
    OrderingQuestion: _score_ordering,
    ClassifyQuestion: _score_classify,
    GridQuestion: _score_grid,
    TextQuestion: _score_text,
    EstimateQuestion: _score_estimate,
    ProbabilityQuestion: _score_probability,
    DecisionQuestion: _score_decision,
}


# -- the learner's copy of a hidden question -------------------------------------------

# What each kind must not show before grading: its key. A hidden question is released
# without these fields (docs/exercise-format.md), so no learner can read its answer.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "number": ("answer", "tolerance", "rel_tolerance", "half_credit_within", "why"),
    "choice": (), "reply": (), "multi": ("correct",), "ordering": (),
    "classify": ("answer", "synonyms"), "grid": ("answer", "boundary", "boundary_credit"),
    "text": ("concepts", "penalties"), "estimate": ("answer", "scale"),
    "probability": ("outcome", "answer"), "decision": ("justification",), "offer": (),
}
OPTION_KEY_FIELDS = ("credit", "why")


def learner_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """A declared question without its key: what a hidden question's release carries.

    Options lose their credit and explanation; an ordering's items are listed by id (their
    declared order is the answer); every kind's key fields go (:data:`KEY_FIELDS`).
    """
    kind = str(data.get("kind"))
    view = {k: v for k, v in data.items() if k not in KEY_FIELDS.get(kind, ())}
    if isinstance(view.get("options"), list):
        view["options"] = [{k: v for k, v in o.items() if k not in OPTION_KEY_FIELDS}
                           if isinstance(o, Mapping) else o for o in view["options"]]
    if kind == "ordering" and isinstance(view.get("items"), list):
        view["items"] = sorted(view["items"], key=lambda i: str(i.get("id")) if isinstance(i, Mapping) else "")
    return view


def keyless_question(view: Mapping[str, Any]) -> Question:
    """A question to show and answer, from a learner view (it has no key to score with).

    Placeholder keys only satisfy the declaration's shape; the page never scores a hidden
    question (:class:`salestrain.apps.questions.QuestionCard` with ``hidden=True``), the
    grader scores the submission against the trainer's own declaration.
    """
    data: dict[str, Any] = dict(view)
    kind = data.get("kind")
    options = data.get("options")
    if isinstance(options, list) and options and kind in ("choice", "reply", "decision"):
        data["options"] = [{**o, "credit": 1.0 if k == 0 else 0.0} for k, o in enumerate(options)]
    placeholder = {"id": "_", "name": "_", "points": float(data.get("points", 1.0)), "phrases": {}}
    fill: dict[str, dict[str, Any]] = {
        "number": {"answer": 0.0},
        "multi": {"correct": [o.get("id") for o in options[:1]] if isinstance(options, list) else []},
        "classify": {"answer": {}}, "grid": {"answer": {}},
        "text": {"concepts": [placeholder]}, "estimate": {"answer": 0.0, "scale": 1.0},
        "decision": {"justification": [placeholder]},
    }
    for name, value in fill.get(str(kind), {}).items():
        data.setdefault(name, value)
    return parse_question(data)
