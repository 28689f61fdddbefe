"""The ``assessment-instrument`` content kind: items, weights, scale and thresholds.

A trainer changes weights or adds an item by editing the YAML file; every mistake is
reported as ``file:line: field: message``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from salestrain.base.errors import ContentError, Problem
from salestrain.base.i18n import t
from salestrain.base.resources import data_path
from salestrain.core.coaching.instrument import Instrument, Item, Thresholds
from salestrain.core.coaching.stages import STAGES
from salestrain.io.content import load_model, parse_model, register_kind
from salestrain.io.yamlio import YamlDoc

DATA_DIR = data_path("coaching")
DEFAULT_INSTRUMENT = DATA_DIR / "instrument.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemModel(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    dimension: Literal["capability", "willingness"]
    weight: float = Field(gt=0, description="relative weight within its dimension")
    label: str = Field(min_length=1)
    stage: str | None = None

    @field_validator("stage")
    @classmethod
    def _known_stage(cls, value: str | None) -> str | None:
        if value is not None and value not in STAGES:
            raise ValueError(t("content.coaching.unknown_stage", stages=t("content.separator").join(STAGES)))
        return value


class ScaleModel(_Strict):
    min: float = 1
    max: float = 5

    @model_validator(mode="after")
    def _ordered(self) -> ScaleModel:
        if self.min >= self.max:
            raise ValueError(t("content.coaching.scale_order", min=f"{self.min:g}", max=f"{self.max:g}"))
        return self


class ThresholdsModel(_Strict):
    capability: float = 3.0
    willingness: float = 3.0
    border: Literal["high", "low"] = "high"
    margin: float = Field(0.25, ge=0)


class InstrumentModel(_Strict):
    kind: Literal["assessment-instrument"]
    id: str = Field(min_length=1)
    scale: ScaleModel = Field(default_factory=ScaleModel)
    thresholds: ThresholdsModel = Field(default_factory=ThresholdsModel)
    items: list[ItemModel] = Field(min_length=2)


def _semantic_problems(doc: YamlDoc, model: InstrumentModel) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for n, item in enumerate(model.items):
        if item.id in seen:
            problems.append(doc.problem(("items", n, "id"), t("content.coaching.duplicate_item",
                                                              id=item.id, n=seen[item.id] + 1)))
        seen.setdefault(item.id, n)
        if item.stage is not None and item.dimension != "capability":
            problems.append(doc.problem(("items", n, "stage"), t("content.coaching.willingness_stage",
                                                                 id=item.id)))
    for dim in ("capability", "willingness"):
        if not any(i.dimension == dim for i in model.items):
            problems.append(doc.problem(("items",), t(f"content.coaching.no_item.{dim}")))
    lo, hi = model.scale.min, model.scale.max
    for dim in ("capability", "willingness"):
        value = getattr(model.thresholds, dim)
        if not lo < value < hi:
            problems.append(doc.problem(("thresholds", dim), t("content.coaching.threshold_outside",
                                                               value=f"{value:g}", lo=f"{lo:g}", hi=f"{hi:g}")))
    return problems


@register_kind("assessment-instrument", "coaching: items and weights for capability x willingness")
def validate_instrument(doc: YamlDoc) -> list[Problem]:
    model, problems = parse_model(doc, InstrumentModel)
    if model is None:
        return problems
    return _semantic_problems(doc, model)


def to_instrument(model: InstrumentModel) -> Instrument:
    th = model.thresholds
    return Instrument(
        id=model.id,
        items=tuple(Item(i.id, i.dimension, i.weight, i.label, i.stage) for i in model.items),
        scale_min=model.scale.min, scale_max=model.scale.max,
        thresholds=Thresholds(th.capability, th.willingness, th.border, th.margin),
    )


def load_instrument(path: str | Path | None = None) -> Instrument:
    """The instrument in ``path`` (default: the shipped one); ContentError lists every problem."""
    path = Path(path) if path is not None else DEFAULT_INSTRUMENT
    model, doc = load_model(path, InstrumentModel)
    problems = _semantic_problems(doc, model)
    if problems:
        raise ContentError(t("content.problems", path=path, count=len(problems)), problems)
    return to_instrument(model)
