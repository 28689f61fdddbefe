"""Funnel stages: names, order and win probabilities (the course's five by default)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t

# The course's funnel: potential 10%, intention 30%, proposal 50%, negotiation 70%, won 100%.
DEFAULT_PROBABILITIES: dict[str, float] = {
    "potential": 0.10,
    "intention": 0.30,
    "proposal": 0.50,
    "negotiation": 0.70,
    "won": 1.00,
}

# Where a deal lands in a forecast roll-up when the CRM export has no category column.
DEFAULT_CATEGORIES: dict[str, str] = {
    "potential": "pipeline",
    "intention": "pipeline",
    "proposal": "best_case",
    "negotiation": "commit",
    "won": "closed",
}

CATEGORIES = ("closed", "commit", "best_case", "pipeline", "omitted")


def _key(name: str) -> str:
    return " ".join(str(name).strip().lower().replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class Stages:
    """An ordered funnel. ``probabilities`` maps stage name -> win probability.

    Names are matched without case, spacing, ``_`` or ``-`` differences, and
    ``aliases`` maps other spellings (a CRM's own stage names, Chinese names) to them.
    """

    probabilities: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PROBABILITIES))
    categories: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CATEGORIES))
    aliases: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = []
        for name, p in self.probabilities.items():
            if not 0.0 <= float(p) <= 1.0:
                problems.append(Problem("stages", None, name,
                                        t("funnel.error.stage_probability", value=repr(p))))
        for name, cat in self.categories.items():
            if cat not in CATEGORIES:
                problems.append(Problem("stages", None, name, t(
                    "funnel.error.stage_category", value=repr(cat), categories=", ".join(CATEGORIES))))
        for alias, target in self.aliases.items():
            if target not in self.probabilities:
                problems.append(Problem("stages", None, alias, t(
                    "funnel.error.alias_target", value=repr(target),
                    stages=", ".join(map(str, self.probabilities)))))
        if problems:
            raise DataError(t("funnel.error.stage_definition"), problems)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.probabilities)

    @property
    def open_names(self) -> tuple[str, ...]:
        """Stages still in play (probability below 1)."""
        return tuple(n for n, p in self.probabilities.items() if p < 1.0)

    def lookup(self, name: object) -> str | None:
        """The canonical stage name for a spelling, or None when unknown."""
        if name is None:
            return None
        key = _key(str(name))
        for canonical in self.probabilities:
            if _key(canonical) == key:
                return canonical
        for alias, canonical in self.aliases.items():
            if _key(alias) == key:
                return canonical
        return None

    def probability(self, name: str) -> float:
        return float(self.probabilities[name])

    def category(self, name: str) -> str:
        return self.categories.get(name, "pipeline")

    def with_probabilities(self, changes: Mapping[str, float]) -> Stages:
        """A copy with some probabilities changed (what the app's sliders do)."""
        probs = dict(self.probabilities)
        for name, p in changes.items():
            canonical = self.lookup(name)
            if canonical is None:
                raise DataError(t("funnel.error.unknown_stage", value=repr(name),
                                  stages=", ".join(self.names)))
            probs[canonical] = float(p)
        return Stages(probs, dict(self.categories), dict(self.aliases))

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, float]]) -> Stages:
        probs = dict(pairs)
        return cls(probs, {n: DEFAULT_CATEGORIES.get(n, "pipeline") for n in probs})


# Chinese stage names as the course uses them, so a Chinese CRM export loads as is.
ZH_ALIASES = {"潜在": "potential", "意向": "intention", "方案": "proposal",
              "谈判": "negotiation", "成交": "won", "赢单": "won"}

DEFAULT_STAGES = Stages(aliases=ZH_ALIASES)
