"""Negotiation scenario files (``kind: negotiation-scenario``): validation and loading.

A scenario is a classroom role play as data: the facts both sides share, each role's
confidential brief, the issues with their options, and each role's weights, option
scores and reservation value (the utility of its BATNA). Every text is a
:class:`~salestrain.base.i18n.Text` (``{en: ..., zh_CN: ...}``, or one English string for
a draft), resolved by the same ``t()`` as the catalogs; ``lang`` in the loaders is that
same override (any locale tag, the same fallback chain), ``None`` the current language.

Shipped scenarios live in ``salestrain/data/negotiation/``; :func:`load_scenario`
takes one of their names or the path of any scenario file, so a case study or a
trainer's own folder can reuse them.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from salestrain.base.errors import ContentError, Problem
from salestrain.base.i18n import Text, t
from salestrain.base.resources import data_path
from salestrain.core.negotiation.analysis import zopa
from salestrain.core.negotiation.domain import ROLES, Domain, Issue, Preferences, Scenario
from salestrain.io.content import parse_model, register_kind
from salestrain.io.translations import translation_problems
from salestrain.io.yamlio import YamlDoc, load_yaml

if TYPE_CHECKING:  # pandas is imported when a class sheet is read, not for scenarios
    import pandas as pd

DATA_DIR = data_path("negotiation")
KIND = "negotiation-scenario"
WEIGHT_TOLERANCE = 1e-3


def _names(names: list[str]) -> str:
    """Names listed the way the current language lists them."""
    return t("content.separator").join(names)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IssueModel(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    options: list[Text] = Field(min_length=2)
    amounts: list[float] | None = None  # money per option: marks the price issue


class RoleModel(_Strict):
    label: Text
    brief: Text
    batna: Text
    reservation: float = Field(ge=0, le=1)
    weights: dict[str, float]
    scores: dict[str, list[float]]


class ScenarioModel(_Strict):
    kind: Literal["negotiation-scenario"]
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: Text
    shared: Text
    issues: list[IssueModel] = Field(min_length=1)
    roles: dict[Literal["seller", "buyer"], RoleModel]
    teaching_note: Text | None = None
    model_answer: dict[str, int] | None = None  # the teaching note's deal: issue -> option number from 1
    expect_zopa: bool = True


def _check(doc: YamlDoc, model: ScenarioModel) -> list[Problem]:
    """Cross-field rules pydantic cannot express, each located at its line."""
    problems = issue_problems(doc, model.issues)
    for role in ROLES:
        if role not in model.roles:
            problems.append(doc.problem(("roles",), t("content.negotiation.role_missing", role=role)))
            continue
        problems += role_problems(doc, model.issues, role, model.roles[role])
    return problems


def issue_problems(doc: YamlDoc, issues: list[IssueModel]) -> list[Problem]:
    """Issue names given once, one amount per option, and at most one priced issue."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for k, issue in enumerate(issues):
        if issue.name in seen:
            problems.append(doc.problem(("issues", k, "name"),
                                        t("content.negotiation.issue_twice", name=issue.name)))
        seen.add(issue.name)
        if issue.amounts is not None and len(issue.amounts) != len(issue.options):
            problems.append(doc.problem(
                ("issues", k, "amounts"),
                t("content.negotiation.amounts", amounts=len(issue.amounts), options=len(issue.options))))
    priced = [k for k, i in enumerate(issues) if i.amounts is not None]
    for k in priced[1:]:
        problems.append(doc.problem(("issues", k, "amounts"),
                                    t("content.negotiation.one_price")))
    return problems


def role_problems(doc: YamlDoc, issues: list[IssueModel], role: str, r: RoleModel,
                  section: str = "roles") -> list[Problem]:
    """One party's weights and scores against the issues, each problem at its line."""
    problems: list[Problem] = []
    names = [i.name for i in issues]
    for key in r.weights:
        if key not in names:
            problems.append(doc.problem(
                (section, role, "weights", key),
                t("content.negotiation.not_issue", key=key, issues=_names(names))))
    missing = [n for n in names if n not in r.weights]
    if missing:
        problems.append(doc.problem((section, role, "weights"),
                                    t("content.negotiation.no_weight", issues=_names(missing))))
    if any(w < 0 for w in r.weights.values()):
        problems.append(doc.problem((section, role, "weights"), t("content.negotiation.negative_weight")))
    total = sum(r.weights.values())
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        problems.append(doc.problem(
            (section, role, "weights"),
            t("content.negotiation.weight_sum", total=f"{total:.4g}")))
    for key, scores in r.scores.items():
        if key not in names:
            problems.append(doc.problem(
                (section, role, "scores", key),
                t("content.negotiation.not_issue", key=key, issues=_names(names))))
            continue
        n = len(issues[names.index(key)].options)
        if len(scores) != n:
            problems.append(doc.problem(
                (section, role, "scores", key),
                t("content.negotiation.score_count", scores=len(scores), options=n, key=key)))
        for j, s in enumerate(scores):
            if not 0.0 <= s <= 1.0:
                problems.append(doc.problem(
                    (section, role, "scores", key, j),
                    t("content.negotiation.score_range", score=s)))
    for n in names:
        if n not in r.scores:
            problems.append(doc.problem((section, role, "scores"),
                                        t("content.negotiation.no_scores", name=n)))
    return problems


def text(value: Text | None, lang: str | None = None) -> str:
    """The text in ``lang`` (default: the current language) through the one ``t()``."""
    return "" if value is None else t(value, lang=lang)


def build_scenario(model: ScenarioModel, source: str | None = None,
                   lang: str | None = None) -> Scenario:
    issues = tuple(
        Issue(i.name, tuple(text(o, lang) for o in i.options),
              tuple(i.amounts) if i.amounts is not None else None)
        for i in model.issues)
    prefs = {
        role: Preferences(dict(r.weights), {k: tuple(v) for k, v in r.scores.items()}, r.reservation)
        for role, r in model.roles.items()
    }
    domain = Domain(issues, prefs["seller"], prefs["buyer"], name=model.name)
    return Scenario(
        name=model.name, title=text(model.title, lang), shared=text(model.shared, lang),
        briefs={role: text(r.brief, lang) for role, r in model.roles.items()},
        domain=domain, source=source,
        teaching_note=text(model.teaching_note, lang),
        issue_labels={i.name: text(i.label, lang) for i in model.issues},
        role_labels={role: text(r.label, lang) for role, r in model.roles.items()},
        batna={role: text(r.batna, lang) for role, r in model.roles.items()},
    )


@register_kind(KIND, "negotiation role play: issues, briefs, utilities, BATNAs")
def validate_scenario(doc: YamlDoc) -> list[Problem]:
    """Every problem, missing translations included (they do not stop loading)."""
    model, problems = parse_model(doc, ScenarioModel)
    if model is None:
        return problems
    return _structure_problems(doc, model) or translation_problems(doc, model)


def _structure_problems(doc: YamlDoc, model: ScenarioModel) -> list[Problem]:
    problems = _check(doc, model)
    if problems:
        return problems
    scenario = build_scenario(model, str(doc.path))
    if model.expect_zopa and not zopa(scenario.domain).exists:
        problems.append(doc.problem(
            ("roles",),
            t("content.negotiation.no_zopa")))
    if model.model_answer is not None and not problems:  # without a ZOPA, that is the problem to fix
        problems += model_answer_problems(doc, model.issues, model.model_answer, scenario.domain)
    return problems


def answer_shape_problems(doc: YamlDoc, issues: list[IssueModel], answer: dict[str, int]) -> list[Problem]:
    """A model answer names every issue once, each with an option number that exists."""
    names = [i.name for i in issues]
    problems = [doc.problem(("model_answer",), t("content.multiparty.answer_missing", issue=n))
                for n in names if n not in answer]
    for name, number in answer.items():
        if name not in names:
            problems.append(doc.problem(("model_answer", name), t(
                "content.negotiation.not_issue", key=name, issues=_names(names))))
        elif not 1 <= number <= len(issues[names.index(name)].options):
            problems.append(doc.problem(("model_answer", name), t(
                "content.multiparty.answer_option", value=number, count=len(issues[names.index(name)].options))))
    return problems


def model_answer_problems(doc: YamlDoc, issues: list[IssueModel], answer: dict[str, int],
                          domain: Domain) -> list[Problem]:
    """The teaching note's deal must exist, beat both BATNAs and be Pareto-optimal: a trainer
    never teaches a deal the engine can beat for both sides."""
    names = [i.name for i in issues]
    problems = answer_shape_problems(doc, issues, answer)
    if problems:
        return problems
    deal = domain.index_of([answer[n] - 1 for n in names])
    u, floors = domain.utilities[deal], domain.reservations
    below = [role for role, value, floor in zip(ROLES, u, floors, strict=True) if value < floor - 1e-9]
    if below:
        problems.append(doc.problem(("model_answer",), t("content.multiparty.answer_below", parties=_names(below))))
    beaten = np.flatnonzero((domain.utilities >= u - 1e-9).all(axis=1) & (domain.utilities > u + 1e-9).any(axis=1))
    if beaten.size:
        better = domain.deal(int(beaten[np.argmax(domain.utilities[beaten].sum(axis=1))]))
        problems.append(doc.problem(("model_answer",), t("content.multiparty.answer_beaten", better=better)))
    return problems


def scenario_names() -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.stem for p in DATA_DIR.glob("*.yaml"))


def scenario_path(name_or_path: str | Path) -> Path:
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise ContentError(t("content.negotiation.no_file", path=path, names=_names(scenario_names())))
        return path
    shipped = DATA_DIR / f"{name_or_path}.yaml"
    if not shipped.exists():
        raise ContentError(t("content.negotiation.no_name", name=str(name_or_path),
                             names=_names(scenario_names())))
    return shipped


def load_scenario(name_or_path: str | Path, lang: str | None = None) -> Scenario:
    """A shipped scenario by name (``"price-sensitive-buyer"``) or any scenario file by
    path; raises ContentError listing every problem with its line."""
    path = scenario_path(name_or_path)
    doc = load_yaml(path)
    if not isinstance(doc.raw, dict) or doc.raw.get("kind") != KIND:
        raise ContentError(t("content.negotiation.not_scenario", path=path),
                           [doc.problem(("kind",), t("content.negotiation.expected_kind", kind=KIND))])
    model, problems = parse_model(doc, ScenarioModel)
    if model is not None:
        problems = _structure_problems(doc, model)
    if problems or model is None:
        raise ContentError(t("content.problems", path=path, count=len(problems)), problems)
    return build_scenario(model, str(path), lang)


def load_scenarios(lang: str | None = None) -> list[Scenario]:
    return [load_scenario(name, lang) for name in scenario_names()]


def read_class_sheet(src: str | Path | IO[str], source: str | None = None) -> pd.DataFrame:
    """A class's results sheet (one row per table) as text cells, through the one reader.

    A file with only its header row is a named error, not an empty debrief: the
    trainer most likely saved the template before the class filled it in.
    """
    from salestrain.base.tables import read_text_table

    return read_text_table(src, source, needs=t("core.table.needs_class_rows"))

