"""The assessment instrument: which items a rep is scored on, and how much each counts.

The instrument is content (a YAML file of kind ``assessment-instrument``, loaded by
:mod:`salestrain.io.coaching.content`); this module holds it as plain data and never
reads files itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Dimension = Literal["capability", "willingness"]
Border = Literal["high", "low"]
DIMENSIONS: tuple[Dimension, Dimension] = ("capability", "willingness")
RATERS = ("self", "manager")


@dataclass(frozen=True)
class Item:
    """One thing a rep is scored on, e.g. discovery questioning or motivation."""

    id: str
    dimension: Dimension
    weight: float
    label: str  # a catalog key or plain text
    stage: str | None = None  # the purchasing stage this capability serves


@dataclass(frozen=True)
class Thresholds:
    """Where the matrix splits, and which side a score exactly on a line falls.

    ``border="high"``: a score equal to the threshold counts as high (the default:
    a rep who meets the bar is given the benefit of the doubt). ``"low"``: it counts
    as low (stricter: the rep must exceed the bar). ``margin`` marks scores that close
    to a line as borderline, so a manager knows the placement could flip next time.
    """

    capability: float = 3.0
    willingness: float = 3.0
    border: Border = "high"
    margin: float = 0.25

    def is_high(self, dimension: Dimension, score: float) -> bool:
        line = self.capability if dimension == "capability" else self.willingness
        return score >= line if self.border == "high" else score > line

    def is_borderline(self, dimension: Dimension, score: float) -> bool:
        line = self.capability if dimension == "capability" else self.willingness
        return abs(score - line) <= self.margin


@dataclass(frozen=True)
class Instrument:
    id: str
    items: tuple[Item, ...]
    scale_min: float = 1.0
    scale_max: float = 5.0
    thresholds: Thresholds = field(default_factory=Thresholds)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def items_of(self, dimension: Dimension) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.dimension == dimension)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)
