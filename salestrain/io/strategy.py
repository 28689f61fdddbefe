"""The market game's territory file (``kind: market-territory``): validation and loading.

A trainer describes the region as data (segments with their price and service
sensitivity and growth, the number of accounts, how potential is spread, the seed);
:func:`load_territory` turns the file into a
:class:`~salestrain.core.strategy.market.Territory` through the pure generator
:func:`~salestrain.core.strategy.market.sample_territory`. Every problem is reported
with its ``file:line`` and field, as for every content file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from salestrain.base.errors import ContentError, Problem
from salestrain.base.i18n import Text, has_key, t
from salestrain.base.resources import data_path
from salestrain.core.strategy.market import Segment, Territory, sample_territory
from salestrain.io.content import parse_model, register_kind
from salestrain.io.translations import translation_problems
from salestrain.io.yamlio import YamlDoc, load_yaml

KIND = "market-territory"
TERRITORY_FILE = data_path("strategy", "territory.yaml")
SHARE_TOLERANCE = 1e-3


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SegmentModel(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    share: float = Field(gt=0, le=1)
    price_sensitivity: float = Field(ge=0, le=5)
    service_sensitivity: float = Field(ge=0, le=5)
    growth: float = Field(default=0.0, ge=-0.2, le=0.2)
    label: Text | None = None


class PotentialModel(_Strict):
    median: float = Field(gt=0, le=1e9)
    spread: float = Field(ge=0, le=3)


class TerritoryModel(_Strict):
    kind: Literal["market-territory"]
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    seed: int = Field(ge=0)
    accounts: int = Field(ge=20, le=2000)
    potential: PotentialModel
    segments: list[SegmentModel] = Field(min_length=2, max_length=6)


def _check(doc: YamlDoc, model: TerritoryModel) -> list[Problem]:
    """Rules across fields, each at its line."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for k, segment in enumerate(model.segments):
        if segment.name in seen:
            problems.append(doc.problem(("segments", k, "name"),
                                        t("strategy.territory.segment_twice", name=segment.name)))
        seen.add(segment.name)
        if segment.label is None and not has_key(f"strategy.segment.{segment.name}"):
            problems.append(doc.problem(("segments", k, "name"),
                                        t("strategy.territory.no_label", name=segment.name)))
    total = sum(s.share for s in model.segments)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        problems.append(doc.problem(("segments",), t("strategy.territory.share_sum", total=f"{total:.4g}")))
    return problems


def build_territory(model: TerritoryModel) -> Territory:
    segments = tuple(Segment(s.name, s.price_sensitivity, s.service_sensitivity, s.growth, s.label)
                     for s in model.segments)
    return sample_territory(model.accounts, model.seed, segments, [s.share for s in model.segments],
                            model.potential.median, model.potential.spread)


def _problems(doc: YamlDoc, translations: bool) -> tuple[TerritoryModel | None, list[Problem]]:
    if not isinstance(doc.raw, dict) or doc.raw.get("kind") != KIND:
        return None, [doc.problem(("kind",), t("strategy.territory.expected_kind", kind=KIND))]
    model, problems = parse_model(doc, TerritoryModel)
    if model is None:
        return None, problems
    problems = _check(doc, model)
    # A half-translated label is reported by `validate`; it does not stop a game.
    return model, problems or (translation_problems(doc, model) if translations else [])


@register_kind(KIND, "market game territory: segments, sensitivities, growth, accounts, seed")
def validate_territory(doc: YamlDoc) -> list[Problem]:
    return _problems(doc, translations=True)[1]


def load_territory(path: str | Path | None = None) -> Territory:
    """The territory of a file (default: the shipped one); raises ContentError listing
    every problem with its line."""
    path = TERRITORY_FILE if path is None else Path(path)
    if not path.exists():
        raise ContentError(t("strategy.territory.no_file", path=path))
    doc = load_yaml(path)
    model, problems = _problems(doc, translations=False)
    if problems or model is None:
        raise ContentError(t("content.problems", path=path, count=len(problems)), problems)
    return build_territory(model)
