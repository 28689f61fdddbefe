"""Objection scenarios and the scoring rubric as content files.

``kind: objection-scenario`` files are checked against the schema and then the
graph checks of :func:`salestrain.core.objections.check_scenario`, every problem as
``file:line: field: message``. Shipped scenarios live in
``salestrain/data/objections/``; :func:`load_scenario` takes a shipped name or a
path to any scenario file (a case study can ship its own).

The schema is :class:`~salestrain.core.objections.scenario.Scenario`. Its ``setting``
(``china`` or ``international``) may be left out of a trainer's draft, which then counts
as international; every shipped scenario states it (tests/objections/test_settings.py),
and a value outside the two is reported at its line like any other field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from salestrain.base.errors import ContentError, Problem
from salestrain.base.resources import data_path
from salestrain.core.objections.check import check_scenario
from salestrain.core.objections.engine import CRITERIA
from salestrain.core.objections.scenario import KIND_MODES, Scenario
from salestrain.core.objections.scoring import Rubric
from salestrain.core.objections.vocabulary import ENDINGS
from salestrain.io.content import parse_model, register_kind
from salestrain.io.translations import translation_problems
from salestrain.io.yamlio import YamlDoc, load_yaml

DATA_DIR = data_path("objections")
RUBRIC_FILE = DATA_DIR / "rubric.yaml"
# Coaching dialogues (``kind: coaching-dialogue``): the same graph with the manager as the
# learner and a rep as the other side (salestrain/core/objections/coaching_moves.py).
DIALOGUE_DIR = data_path("coaching", "dialogues")


@register_kind("coaching-dialogue", "a branching coaching talk between a manager and a rep")
@register_kind("objection-scenario", "a branching buyer conversation for objection handling")
def validate_scenario(doc: YamlDoc) -> list[Problem]:
    scenario, problems = _scenario_from_doc(doc)
    # A missing translation is reported by `validate` but does not stop a scenario from
    # loading: the reader gets the fallback language (docs/i18n.md).
    return problems if scenario is None else translation_problems(doc, scenario)


def _scenario_from_doc(doc: YamlDoc) -> tuple[Scenario | None, list[Problem]]:
    scenario, problems = parse_model(doc, Scenario)
    if scenario is None:
        return None, problems
    problems = [doc.problem(loc, message) for loc, message in check_scenario(scenario)]
    return (None if problems else scenario), problems


class _RubricFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = "objection-rubric"
    technique_share: float = Field(ge=0, le=1)
    weights: dict[str, float]
    outcomes: dict[str, float]

    @model_validator(mode="after")
    def _complete(self) -> _RubricFile:
        if set(self.weights) != set(CRITERIA):
            raise ValueError(f"weights must name exactly the criteria {', '.join(CRITERIA)}; "
                             f"got {', '.join(self.weights)}")
        if set(self.outcomes) != set(ENDINGS):
            raise ValueError(f"outcomes must name exactly the endings {', '.join(ENDINGS)}; "
                             f"got {', '.join(self.outcomes)}")
        bad = {k: w for k, w in {**self.weights, **self.outcomes}.items() if w < 0}
        if bad:
            raise ValueError(f"weights and outcome values are >= 0; got {bad}")
        return self


@register_kind("objection-rubric", "the weights that score objection-handling moves")
def validate_rubric(doc: YamlDoc) -> list[Problem]:
    return parse_model(doc, _RubricFile)[1]


def load_rubric(path: str | Path = RUBRIC_FILE) -> Rubric:
    doc = load_yaml(path)
    model, problems = parse_model(doc, _RubricFile)
    if model is None:
        raise ContentError(f"{path} has {len(problems)} problem(s)", problems)
    return Rubric(weights=model.weights, outcomes=model.outcomes,
                  technique_share=model.technique_share)


def scenario_names() -> list[str]:
    """The shipped scenarios, by file name without ``.yaml``."""
    return sorted(p.stem for p in DATA_DIR.glob("*.yaml") if p.stem != "rubric")


# The quadrants in the order the course teaches them: a file name starts with its style.
_QUADRANT_ORDER = ("direct", "guide", "excite", "delegate")


def dialogue_names() -> list[str]:
    """The shipped coaching dialogues, by file name without ``.yaml``, in the quadrants'
    order (direct, guide, excite, delegate), so the app opens on the first quadrant."""
    names = [p.stem for p in DIALOGUE_DIR.glob("*.yaml")]
    rank = {style: k for k, style in enumerate(_QUADRANT_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n.split("-", 1)[0], len(rank)), n))


def dialogue_path(name: str) -> Path:
    """A shipped coaching dialogue's file (load it with :func:`load_scenario`)."""
    if name not in dialogue_names():
        raise ContentError(f"no shipped coaching dialogue named {name!r}; use one of: "
                           + ", ".join(dialogue_names()) + " (or a path to a dialogue file)")
    return DIALOGUE_DIR / f"{name}.yaml"


def load_dialogues() -> list[Scenario]:
    return [load_scenario(dialogue_path(name)) for name in dialogue_names()]


def scenario_path(name_or_path: str | Path) -> Path:
    """A shipped scenario's file, or the given path when it points at a file."""
    text = str(name_or_path)
    candidate = Path(text).expanduser()
    if candidate.suffix in (".yaml", ".yml") or candidate.parent != Path("."):
        if not candidate.is_file():
            raise ContentError(f"scenario file {candidate} does not exist; give a path to a "
                               "`kind: objection-scenario` YAML file or a shipped name: "
                               + ", ".join(scenario_names()))
        return candidate
    shipped = DATA_DIR / f"{text}.yaml"
    if text in scenario_names():
        return shipped
    raise ContentError(f"no shipped scenario named {text!r}; use one of: "
                       + ", ".join(scenario_names()) + " (or a path to a scenario file)")


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and fully check a scenario by shipped name or path; raise ContentError."""
    path = scenario_path(name_or_path)
    return _load_path(str(path.resolve()), path.stat().st_mtime_ns)


@cache
def _load_path(path: str, _mtime: int) -> Scenario:
    doc = load_yaml(path)
    if not isinstance(doc.raw, dict) or doc.raw.get("kind") not in KIND_MODES:
        raise ContentError(f"{path} is not an objection scenario",
                           [doc.problem(("kind",), "expected `kind: objection-scenario` "
                                                   "(or `kind: coaching-dialogue`)")])
    scenario, problems = _scenario_from_doc(doc)
    if scenario is None:
        raise ContentError(f"{path} has {len(problems)} problem(s)", problems)
    return scenario


def load_all() -> list[Scenario]:
    return [load_scenario(name) for name in scenario_names()]


def _doc_from_text(text: str, name: str) -> YamlDoc:
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        raw = YAML(typ="rt").load(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ContentError(f"{name} is not valid YAML", [
            Problem(name, line, "(syntax)", f"{exc.problem or exc}; check indentation and quotes")
        ]) from None
    return YamlDoc(Path(name), raw)


def scenario_problems(text: str, name: str = "my-scenario.yaml") -> list[str]:
    """Every problem in a scenario given as YAML text, as ``name:line: field: message``.

    For exercises and notebooks, where the scenario lives in a string; an empty list
    means it passes the validator.
    """
    try:
        doc = _doc_from_text(text, name)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in _scenario_from_doc(doc)[1]]


def scenario_from_text(text: str, name: str = "my-scenario.yaml") -> Scenario:
    doc = _doc_from_text(text, name)
    scenario, problems = _scenario_from_doc(doc)
    if scenario is None:
        raise ContentError(f"{name} has {len(problems)} problem(s)", problems)
    return scenario
