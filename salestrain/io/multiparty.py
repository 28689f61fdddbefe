"""Multi-party role plays (``kind: negotiation-multiparty``): validation and loading.

The same issues, texts and per-party blocks as a two-party scenario
(:mod:`salestrain.io.negotiation`), under ``parties:`` with any names and at least three
of them (two parties are a ``negotiation-scenario``). ``model_answer`` is the teaching
note's deal, one option label per issue; validation checks that every party accepts it
and that no other deal is better for one party without being worse for another, so a
trainer never teaches a deal the engine can beat.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from salestrain.base.errors import ContentError, Problem
from salestrain.base.i18n import Text, t
from salestrain.base.resources import data_path
from salestrain.core.negotiation.domain import Issue, Preferences
from salestrain.core.negotiation.multiparty import MultiScenario, analyse_multi, judge
from salestrain.io.content import parse_model, register_kind
from salestrain.io.negotiation import (
    IssueModel,
    RoleModel,
    _Strict,
    answer_shape_problems,
    issue_problems,
    role_problems,
    text,
)
from salestrain.io.translations import translation_problems
from salestrain.io.yamlio import YamlDoc, load_yaml

KIND = "negotiation-multiparty"
DATA_DIR = data_path("negotiation") / "multiparty"


class MultiScenarioModel(_Strict):
    kind: Literal["negotiation-multiparty"]
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: Text
    shared: Text
    issues: list[IssueModel] = Field(min_length=1)
    parties: dict[str, RoleModel] = Field(min_length=3)
    teaching_note: Text | None = None
    model_answer: dict[str, int] | None = None  # issue -> option number, counted from 1


def build_multi(model: MultiScenarioModel, source: str | None = None, lang: str | None = None) -> MultiScenario:
    issues = tuple(Issue(i.name, tuple(text(o, lang) for o in i.options),
                         tuple(i.amounts) if i.amounts is not None else None) for i in model.issues)
    answer = None
    if model.model_answer is not None:
        answer = tuple(model.model_answer[i.name] - 1 for i in model.issues)
    return MultiScenario(
        name=model.name, title=text(model.title, lang), shared=text(model.shared, lang), issues=issues,
        parties={p: Preferences(dict(r.weights), {k: tuple(v) for k, v in r.scores.items()}, r.reservation)
                 for p, r in model.parties.items()},
        labels={p: text(r.label, lang) for p, r in model.parties.items()},
        briefs={p: text(r.brief, lang) for p, r in model.parties.items()},
        batna={p: text(r.batna, lang) for p, r in model.parties.items()},
        issue_labels={i.name: text(i.label, lang) for i in model.issues},
        teaching_note=text(model.teaching_note, lang), model_answer=answer, source=source)


def _answer_problems(doc: YamlDoc, model: MultiScenarioModel) -> list[Problem]:
    if model.model_answer is None:
        return []
    problems = answer_shape_problems(doc, model.issues, model.model_answer)
    if problems:
        return problems
    scenario = build_multi(model)
    verdict = judge(scenario, scenario.model_answer)
    if verdict.below_walk_away:
        problems.append(doc.problem(("model_answer",), t(
            "content.multiparty.answer_below", parties=t("content.separator").join(verdict.below_walk_away))))
    if verdict.better_for_all is not None:
        better = {i.name: k + 1 for i, k in zip(scenario.issues, verdict.better_for_all, strict=True)}
        problems.append(doc.problem(("model_answer",), t("content.multiparty.answer_beaten", better=better)))
    return problems


def _structure_problems(doc: YamlDoc, model: MultiScenarioModel) -> list[Problem]:
    problems = issue_problems(doc, model.issues)
    for party, block in model.parties.items():
        problems += role_problems(doc, model.issues, party, block, section="parties")
    if not problems:
        problems = _answer_problems(doc, model)
    if not problems and analyse_multi(build_multi(model)).best_joint is None:
        problems.append(doc.problem(("parties",), t("content.multiparty.no_deal")))
    return problems


@register_kind(KIND, "negotiation role play with three or more parties")
def validate_multi(doc: YamlDoc) -> list[Problem]:
    """Every problem, missing translations included (they do not stop loading)."""
    model, problems = parse_model(doc, MultiScenarioModel)
    if model is None:
        return problems
    return _structure_problems(doc, model) or translation_problems(doc, model)


def multi_names() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.yaml"))


def is_multiparty(name_or_path: str | Path) -> bool:
    """A shipped multi-party name, or a file whose kind is ``negotiation-multiparty``."""
    path = Path(name_or_path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        return str(name_or_path) in multi_names()
    doc = load_yaml(path) if path.is_file() else None
    return doc is not None and isinstance(doc.raw, dict) and doc.raw.get("kind") == KIND


def load_multi(name_or_path: str | Path, lang: str | None = None) -> MultiScenario:
    """A shipped multi-party role play by name, or any such file by path; raises
    ContentError listing every problem with its line."""
    path = Path(name_or_path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        path = DATA_DIR / f"{name_or_path}.yaml"
    doc = load_yaml(path)
    model, problems = parse_model(doc, MultiScenarioModel)
    if model is not None:
        problems = _structure_problems(doc, model)
    if problems or model is None:
        raise ContentError(t("content.problems", path=path, count=len(problems)), problems)
    return build_multi(model, str(path), lang)
