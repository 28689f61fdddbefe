"""Goals: target decomposition, goal-quality checks, plan-vs-actual tracking.

Pure core: plain data in, plain data out. ``rounding`` splits money exactly,
``targets`` decomposes an annual target, ``quality`` checks a goal against the four
properties, ``tracking`` compares plan with actual.
"""

from salestrain.core.goals.quality import GROUP_OWNERS, VAGUE_WORDS, Goal, GoalFinding, check_goal
from salestrain.core.goals.rounding import allocate, round_matrix
from salestrain.core.goals.targets import (
    DEFAULT_LINES,
    MONTHS,
    QUARTER_OF_MONTH,
    SEGMENTS,
    ProductLine,
    TargetPlan,
    decompose_target,
    quarter_phasing,
)
from salestrain.core.goals.tracking import (
    AT_RISK,
    KPI_KINDS,
    OFF_TRACK,
    ON_TRACK,
    Tracking,
    plan_vs_actual,
    revenue_plan_frame,
)

__all__ = [
    "AT_RISK", "DEFAULT_LINES", "GROUP_OWNERS", "KPI_KINDS", "MONTHS", "OFF_TRACK", "ON_TRACK",
    "QUARTER_OF_MONTH", "SEGMENTS", "VAGUE_WORDS", "Goal", "GoalFinding", "ProductLine",
    "TargetPlan", "Tracking", "allocate", "check_goal", "decompose_target", "plan_vs_actual",
    "quarter_phasing", "revenue_plan_frame", "round_matrix",
]
