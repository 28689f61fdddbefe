"""Key accounts in the plan: the handout's figures as arithmetic, the eight principles,
and personal growth goals that improve by going down.

The handout (online recruitment, one city, around 2007-2010) says key accounts (KA) are a
quarter to a third of the industry's revenue, grow about 30 % a year, and that a healthy
plan keeps them at 40 % or more of a vendor's revenue while its market share rises from
30-40 % to 60 %. Those figures only fit together if the vendor wins a large share of the
KA segment itself; :func:`ka_segment_share_needed` says how large.
"""

from __future__ import annotations

import math

import pandas as pd

from salestrain.core.accounts.buying_centre import with_role_keys

__all__ = [
    "KA_GROWTH", "KA_SHARE_OF_INDUSTRY", "KA_SHARE_OF_REVENUE", "LAYERS", "PRINCIPLES",
    "improvement_progress", "ka_segment_share_needed", "relationship_layers", "segment_growth",
]

# The handout's figures (DOMAIN.md section 2).
KA_SHARE_OF_INDUSTRY = (1 / 4, 1 / 3)  # KA revenue as a share of the industry's
KA_GROWTH = 0.30  # KA revenue grows about 30 % a year
KA_SHARE_OF_REVENUE = 0.40  # keep KA at >= 40 % of the vendor's own revenue

# The eight management principles, in the handout's order; texts in the catalogs
# (lesson_goals.principle.<key>).
PRINCIPLES = (
    "rules_for_closest",       # rules hold even for the closest customer
    "clear_for_richest",       # accounts stay clear even for the richest
    "file_for_familiar",       # a file exists even for the most familiar
    "principle_for_biggest",   # no principle is dropped even for the biggest
    "gratitude_for_smallest",  # gratitude even for the smallest
    "prepare_every_visit",     # every visit prepared like the first
    "outcome_every_complaint",  # every complaint gets an outcome
    "postmortem_every_loss",   # every lost customer gets a post-mortem
)


# The three layers of relationship, after "none": interpersonal (they know and like each
# other), business (our work solved a problem of theirs), partnership (shared plans and
# resources). Codes as the cases' contacts exhibits write them.
LAYERS = ("none", "interpersonal", "business", "partnership")


def _share(name: str, value: float) -> float:
    if not (math.isfinite(value) and 0 < value <= 1):
        raise ValueError(f"{name} must be a share in (0, 1], got {value!r}")
    return value


def ka_segment_share_needed(market_share: float, ka_share_of_industry: float,
                            ka_share_of_revenue: float = KA_SHARE_OF_REVENUE) -> float:
    """The share of the KA segment a vendor must win for KA to stay ``ka_share_of_revenue``
    of its own revenue when its overall market share is ``market_share``.

    With industry revenue I, the vendor sells ``market_share * I``; the KA segment is
    ``ka_share_of_industry * I``. Holding x of that segment gives KA revenue
    ``x * ka_share_of_industry * I``, and KA is at least ``ka_share_of_revenue`` of the
    vendor's revenue when x >= ka_share_of_revenue * market_share / ka_share_of_industry.
    A result above 1 means the plan cannot be met: no vendor holds more than the whole
    segment.
    """
    _share("market_share", market_share)
    _share("ka_share_of_industry", ka_share_of_industry)
    _share("ka_share_of_revenue", ka_share_of_revenue)
    return ka_share_of_revenue * market_share / ka_share_of_industry


def segment_growth(years: float, rate: float = KA_GROWTH) -> float:
    """How many times its present size a segment growing at ``rate`` a year is after ``years``."""
    if not (math.isfinite(rate) and rate > -1 and math.isfinite(years) and years >= 0):
        raise ValueError(f"need rate > -1 and years >= 0, got rate={rate!r}, years={years!r}")
    return (1 + rate) ** years


def improvement_progress(baseline: float, target: float, actual: float) -> float:
    """The share of a planned improvement achieved so far: 0 at the baseline, 1 at the target.

    Works in either direction: a deal cycle that should fall from 120 to 96 days and
    stands at 108 has made 0.5 of its way; a rate that should rise works the same way.
    Below 0 the goal moved the wrong way; above 1 it beat the target.
    """
    for name, value in (("baseline", baseline), ("target", target), ("actual", actual)):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    if target == baseline:
        raise ValueError("a goal whose target equals its baseline asks for no improvement")
    return (baseline - actual) / (baseline - target)


def relationship_layers(contacts: pd.DataFrame) -> pd.DataFrame:
    """Per relationship layer (all four, in :data:`LAYERS` order): how many contacts, their
    summed influence, and how many of them are decision makers.

    Needs the columns ``role``, ``influence`` and ``relationship`` of a case's contacts
    exhibit; a layer nobody is at shows zeros, so two accounts line up row by row.
    """
    unknown = sorted(set(contacts["relationship"].dropna()) - set(LAYERS))
    if unknown:
        raise ValueError(f"unknown relationship layer(s) {unknown}; use one of {', '.join(LAYERS)}")
    c = with_role_keys(contacts)
    by_layer = c.groupby("relationship")
    out = pd.DataFrame({
        "contacts": by_layer.size(),
        "influence": by_layer["influence"].sum(),
        "decision_makers": (c["role"] == "decision_maker").groupby(c["relationship"]).sum(),
    })
    return out.reindex(list(LAYERS), fill_value=0).astype(int).rename_axis("layer")
