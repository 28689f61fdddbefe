"""The reaction survey (Kirkpatrick level 1): its file (kind ``survey``) and its store.

``exercises/survey.yaml``, a file a trainer edits without Python::

    kind: survey
    title: {en: "How was this session?", zh_CN: "这一课怎么样？"}
    intro: {en: ..., zh_CN: ...}
    items:
      - id: relevance
        type: scale            # a whole number from low to high
        low: 1
        high: 5
        prompt: {en: ..., zh_CN: ...}
        anchors: {low: {en: ..., zh_CN: ...}, high: {en: ..., zh_CN: ...}}
      - id: recommend
        type: nps              # 0-10; the report shows the net promoter score
        prompt: ...
      - id: pace
        type: choice
        prompt: ...
        options: [{id: too_slow, text: ...}, {id: right, text: ...}, {id: too_fast, text: ...}]
      - id: change
        type: text             # free text, at most max_chars
        required: false
        max_chars: 300
        prompt: ...

One survey serves every module: the learner site puts a survey page after each module's
lesson, and the answers carry the module. Answers are handed in as the checks' are
(``<collection folder>/survey_<module>/<learner>.answers.json``), and ``salestrain survey
record`` puts the accepted ones in the survey store (SQLite in the per-user data folder by
default, or any SQLAlchemy URL), one row per learner, module and item.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    delete,
    insert,
    select,
)

from salestrain.base.errors import ContentError, DataError, Problem
from salestrain.base.i18n import LANGUAGES, t
from salestrain.core.assessment.survey import Survey, SurveyItem
from salestrain.io import store
from salestrain.io.content import parse_model, register_kind
from salestrain.io.yamlio import YamlDoc, load_yaml

KIND = "survey"
FILE_NAME = "survey.yaml"  # in the exercises folder, beside the modules
MODULE_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Bilingual(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str = Field(min_length=1, max_length=400)
    zh_CN: str = Field(min_length=1, max_length=400)  # noqa: N815 - the language tag the file uses


class _Option(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: _Bilingual


class _Anchors(BaseModel):
    model_config = ConfigDict(extra="forbid")
    low: _Bilingual
    high: _Bilingual


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: Literal["scale", "nps", "choice", "text"]
    prompt: _Bilingual
    low: int = Field(1, ge=0, le=10)
    high: int = Field(5, ge=1, le=10)
    anchors: _Anchors | None = None
    options: list[_Option] = Field(default_factory=list, max_length=7)
    max_chars: int = Field(300, ge=20, le=2000)
    required: bool = True


class _Survey(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["survey"]
    title: _Bilingual
    intro: _Bilingual
    items: list[_Item] = Field(min_length=1, max_length=12)


def _check(doc: YamlDoc, survey: _Survey) -> list[Problem]:
    """What pydantic cannot see: ids unique, a scale's ends in order, options where needed."""
    problems = []
    seen: set[str] = set()
    for k, item in enumerate(survey.items):
        where = ("items", k)
        if item.id in seen:
            problems.append(doc.problem((*where, "id"), t("survey.file.duplicate_item", item=item.id)))
        seen.add(item.id)
        if item.type == "scale" and item.low >= item.high:
            problems.append(doc.problem((*where, "high"), t("survey.file.scale_order", low=item.low,
                                                             high=item.high)))
        if item.type == "choice" and len(item.options) < 2:
            problems.append(doc.problem((*where, "options"), t("survey.file.few_options")))
        if item.type != "choice" and item.options:
            problems.append(doc.problem((*where, "options"), t("survey.file.options_unused",
                                                                type=item.type)))
        ids = [o.id for o in item.options]
        if len(set(ids)) != len(ids):
            problems.append(doc.problem((*where, "options"), t("survey.file.duplicate_option")))
    return problems


@register_kind(KIND, "the reaction survey after each session (Kirkpatrick level 1)")
def validate_survey(doc: YamlDoc) -> list[Problem]:
    survey, problems = parse_model(doc, _Survey)
    return problems if survey is None else _check(doc, survey)


def _text(value: _Bilingual) -> dict[str, str]:
    return {lang: getattr(value, lang) for lang in LANGUAGES}


@cache
def load_survey(path: Path) -> Survey:
    """A validated survey (a ContentError listing every problem otherwise)."""
    doc = load_yaml(Path(path))
    survey, problems = parse_model(doc, _Survey)
    if survey is not None:
        problems = _check(doc, survey)
    if problems or survey is None:
        raise ContentError(t("survey.file.invalid", path=path), problems)
    items = tuple(SurveyItem(
        i.id, i.type, _text(i.prompt), i.low, i.high, tuple(o.id for o in i.options),
        {o.id: _text(o.text) for o in i.options},
        {"low": _text(i.anchors.low), "high": _text(i.anchors.high)} if i.anchors else {},
        i.max_chars, i.required) for i in survey.items)
    return Survey(_text(survey.title), _text(survey.intro), items)


def survey_file(exercises: Path) -> Path:
    return Path(exercises) / FILE_NAME


def survey_id(module: str) -> str:
    """The exercise id a survey sheet carries, and its folder in the collection: ``survey_funnel``."""
    return f"survey_{module}"


# -- the store --------------------------------------------------------------------------

metadata = MetaData()
answers_table = Table(
    "survey_answers", metadata,
    Column("module", Text, nullable=False),
    Column("learner", Text, nullable=False),
    Column("item", Text, nullable=False),
    Column("number", Integer),  # scale and nps
    Column("text", Text),  # choice (the option id) and free text, stored as given
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("module", "learner", "item"),
)
STORE_KIND = store.Kind(name="survey", default_file="survey.sqlite", metadata=metadata,
                        error=DataError, env_var="SALESTRAIN_SURVEY_DB")


class SurveyStore:
    """The survey answers: one sheet per learner and module (a later sheet replaces it)."""

    def __init__(self, where: str | Path | None = None, *, create: bool) -> None:
        self._store = store.open_store(STORE_KIND, where, create=create)

    def record(self, module: str, learner: str, answers: Mapping[str, int | str]) -> None:
        """Keep one learner's checked answers for ``module``, in one transaction."""
        now = datetime.now(UTC)
        rows = [{"module": module, "learner": learner, "item": item, "submitted_at": now,
                 "number": value if isinstance(value, int) else None,
                 "text": value if isinstance(value, str) else None} for item, value in answers.items()]
        with self._store.begin() as conn:
            conn.execute(delete(answers_table).where(answers_table.c.module == module,
                                                     answers_table.c.learner == learner))
            if rows:
                conn.execute(insert(answers_table), rows)

    def sheets(self) -> dict[str, dict[str, dict[str, Any]]]:
        """``{module: {learner: {item: answer}}}``, every sheet kept."""
        found: dict[str, dict[str, dict[str, Any]]] = {}
        with self._store.connect() as conn:
            for row in conn.execute(select(answers_table).order_by(
                    answers_table.c.module, answers_table.c.learner, answers_table.c.item)):
                value = row.number if row.number is not None else row.text
                found.setdefault(row.module, {}).setdefault(row.learner, {})[row.item] = value
        return found

    def dispose(self) -> None:
        self._store.dispose()
