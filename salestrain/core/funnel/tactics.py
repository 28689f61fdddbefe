"""What a stage-specific tactic does to the forecast: one stage's conversion raised.

The course's stage probabilities form a chain. A deal at stage k is won with probability
``P_k``, and it must first move on to the next stage: ``P_k = c_k * P_(k+1)``, where
``c_k = P_k / P_(k+1)`` is the share of deals that move on from stage k (with the course's
10/30/50/70/100 %: one in three potential deals reaches intention, 60 % of intention deals
reach proposal, 5 in 7 proposals reach negotiation, 70 % of negotiations are won).

A tactic worked at stage k (a qualification call, a discovery meeting, a proposal walked
through with the decision maker, a concession plan) raises ``c_k``. Every deal that still
has to pass stage k, the deals at k and at every earlier stage, gains the same factor;
deals already past k keep their probability. That is why a tactic late in the funnel lifts
more of the pipeline than one at the top: every deal has to pass negotiation.

Pure: stage names and probabilities in, probabilities out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from salestrain.base.errors import DataError
from salestrain.base.i18n import t
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages

__all__ = ["conversion", "liftable_stages", "lift_conversion"]


def liftable_stages(stages: Stages = DEFAULT_STAGES) -> tuple[str, ...]:
    """The stages a tactic can work on: open, and followed by a stage more likely to win."""
    names = stages.names
    return tuple(name for name, after in zip(names, names[1:], strict=False)
                 if stages.probability(name) < stages.probability(after) and stages.probability(name) < 1.0)


def conversion(stage: str, stages: Stages = DEFAULT_STAGES) -> float:
    """The share of deals that move on from ``stage``: its probability over the next stage's."""
    name = _liftable(stage, stages)
    names = stages.names
    return stages.probability(name) / stages.probability(names[names.index(name) + 1])


def lift_conversion(deal_stages: Sequence[str], probs: ArrayLike, stage: str, points: float,
                    stages: Stages = DEFAULT_STAGES) -> np.ndarray:
    """Each deal's win probability after a tactic raises ``stage``'s conversion by ``points``.

    ``deal_stages`` and ``probs`` are the deals' stages and win probabilities (a rep's own
    call in ``probs`` is scaled like the stage's). ``points`` is an absolute rise of the
    share that moves on (0.1: from 70 % to 80 %), capped at 100 %.

    >>> lift_conversion(["negotiation", "potential", "won"], [0.7, 0.1, 1.0], "negotiation", 0.1).round(4)
    array([0.8   , 0.1143, 1.    ])
    """
    name = _liftable(stage, stages)
    if not 0.0 <= float(points) <= 1.0:
        raise DataError(t("funnel.error.stage_probability", value=repr(points)))
    p = np.asarray(probs, dtype=float)
    if len(deal_stages) != len(p):
        raise ValueError(f"{len(deal_stages)} stages for {len(p)} probabilities")
    order = {n: i for i, n in enumerate(stages.names)}
    canonical = [stages.lookup(s) for s in deal_stages]  # 谈判 or "Negotiation" -> negotiation
    for raw, known in zip(deal_stages, canonical, strict=True):
        if known is None:
            raise DataError(t("funnel.error.unknown_stage", value=repr(raw), stages=", ".join(stages.names)))
    c = conversion(name, stages)
    factor = min(1.0, c + float(points)) / c
    before = np.fromiter((order[s] <= order[name] for s in canonical), dtype=bool, count=len(p))
    return np.where(before, np.minimum(1.0, p * factor), p)


def _liftable(stage: str, stages: Stages) -> str:
    name = stages.lookup(stage)
    allowed = liftable_stages(stages)
    if name not in allowed:
        raise DataError(t("funnel.error.unknown_stage", value=repr(stage), stages=", ".join(allowed)))
    return name
