"""A module's pre- and post-check: an item bank with two parallel forms (kind ``item-bank``).

``exercises/<module>/checks.yaml``, a file a trainer edits::

    kind: item-bank
    module: funnel
    title: {en: "Funnel forecasting", zh_CN: "销售漏斗预测"}
    minutes: 10            # the most one form may take
    certify_at: 0.8        # share of the post-check's points that earns the certificate
    items:
      - id: weighted_basics
        minutes: 1
        question: {kind: number, prompt: {en: ..., zh_CN: ...}, answer: 41500, tolerance: 500}
    forms:
      pre: [weighted_basics, ...]
      post: [...]

Each item is a question of any no-code kind (its ``id`` is the item's). The forms are
parallel: no item in both, the same number of items and of points, and each within
``minutes``. Validated like every content kind (``salestrain validate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from salestrain.base.errors import ContentError, Problem
from salestrain.base.i18n import t
from salestrain.core.assessment.kinds import Question, parse_question
from salestrain.io.content import parse_model, register_kind
from salestrain.io.yamlio import YamlDoc, load_yaml

KIND = "item-bank"
FORMS = ("pre", "post")
MAX_MINUTES = 10


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    minutes: float = Field(gt=0, le=MAX_MINUTES)
    question: dict[str, Any]


class _Bank(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    module: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str | dict[str, str]
    minutes: float = Field(MAX_MINUTES, gt=0, le=MAX_MINUTES)
    certify_at: float = Field(0.8, gt=0, le=1)
    items: list[_Item] = Field(min_length=2)
    forms: dict[str, list[str]]


@dataclass(frozen=True)
class ItemBank:
    module: str
    title: str | dict[str, str]
    minutes: float
    certify_at: float
    items: dict[str, Question]
    item_minutes: dict[str, float]
    forms: dict[str, tuple[str, ...]]

    def form(self, name: str) -> list[Question]:
        return [self.items[i] for i in self.forms[name]]

    def points(self, name: str) -> float:
        return sum(q.points for q in self.form(name))


def _check(doc: YamlDoc, bank: _Bank) -> tuple[dict[str, Question], list[Problem]]:
    problems: list[Problem] = []
    questions: dict[str, Question] = {}
    for k, item in enumerate(bank.items):
        if item.id in questions:
            problems.append(doc.problem(("items", k, "id"), t("bank.duplicate_item", item=item.id)))
            continue
        try:
            questions[item.id] = parse_question({**item.question, "id": item.id})
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"][2:])
                loc = loc[1:] if loc and loc[0] == item.question.get("kind") else loc
                problems.append(doc.problem(("items", k, "question", *loc),
                                            error["msg"].removeprefix("Value error, ")))
    minutes = {item.id: item.minutes for item in bank.items}
    if sorted(bank.forms) != sorted(FORMS):
        problems.append(doc.problem(("forms",), t("bank.forms", forms=", ".join(FORMS))))
        return questions, problems
    for name in FORMS:
        for item in bank.forms[name]:
            if item not in minutes:
                problems.append(doc.problem(("forms", name), t("bank.unknown_item", item=item)))
        total = sum(minutes.get(i, 0) for i in bank.forms[name])
        if total > bank.minutes:
            problems.append(doc.problem(("forms", name), t("bank.too_long", form=name,
                                                            minutes=f"{total:g}", limit=f"{bank.minutes:g}")))
    both = sorted(set(bank.forms["pre"]) & set(bank.forms["post"]))
    if both:
        problems.append(doc.problem(("forms",), t("bank.shared", items=", ".join(both))))
    pre, post = bank.forms["pre"], bank.forms["post"]
    if len(pre) != len(post) or len(pre) == 0:
        problems.append(doc.problem(("forms",), t("bank.unequal_count", pre=len(pre), post=len(post))))
    elif all(i in questions for i in [*pre, *post]):
        points = [sum(questions[i].points for i in form) for form in (pre, post)]
        if abs(points[0] - points[1]) > 1e-9:
            problems.append(doc.problem(("forms",), t("bank.unequal_points", pre=f"{points[0]:g}",
                                                       post=f"{points[1]:g}")))
    return questions, problems


@register_kind(KIND, "a module's pre- and post-check: items and two parallel forms")
def validate_item_bank(doc: YamlDoc) -> list[Problem]:
    bank, problems = parse_model(doc, _Bank)
    if bank is None:
        return problems
    return _check(doc, bank)[1]


@cache
def load_item_bank(path: Path) -> ItemBank:
    """A validated bank (ContentError listing every problem otherwise)."""
    doc = load_yaml(Path(path))
    bank, problems = parse_model(doc, _Bank)
    questions: dict[str, Question] = {}
    if bank is not None:
        questions, problems = _check(doc, bank)
    if problems or bank is None:
        raise ContentError(t("bank.invalid", path=path), problems)
    return ItemBank(bank.module, bank.title, bank.minutes, bank.certify_at, questions,
                    {i.id: i.minutes for i in bank.items},
                    {name: tuple(bank.forms[name]) for name in FORMS})


def item_banks(exercises: Path) -> dict[str, Path]:
    """``{module: checks.yaml}`` for every module folder that has one."""
    return {p.parent.name: p for p in sorted(Path(exercises).glob("*/checks.yaml"))}
