"""Goal quality: the course's four properties (clear, measurable, individual, realistic)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

VAGUE_WORDS = ("improve", "better", "more", "increase", "boost", "grow", "enhance",
               "提升", "提高", "加强", "更好", "增加")
GROUP_OWNERS = ("team", "everyone", "all", "we", "us", "department", "sales", "团队", "大家",
                "全体", "部门", "我们")


@dataclass(frozen=True)
class Goal:
    """A structured goal, as a goal worksheet asks for it."""

    what: str
    measure: str = ""
    target: float | None = None
    owner: str = ""
    deadline: date | None = None
    baseline: float | None = None  # where the owner stands today, same measure


@dataclass(frozen=True)
class GoalFinding:
    rule: str  # clear | measurable | individual | realistic
    passed: bool
    key: str  # catalog key of the explanation
    values: Mapping[str, object] = field(default_factory=dict)


def check_goal(goal: Goal, today: date, max_growth: float = 0.5,
               horizon_days: int = 366) -> list[GoalFinding]:
    """Check a goal against the course's four properties; one finding per rule.

    - clear: says what, how much and by when (the three dimensions);
    - measurable: names a measure and a number;
    - individual: one named owner, not a group;
    - realistic: within ``max_growth`` of the baseline and a deadline in the future
      but inside ``horizon_days`` (a goal beyond the year is a vision, not a plan).
    """
    out: list[GoalFinding] = []
    missing = [name for name, ok in (("what", bool(goal.what.strip())),
                                     ("target", goal.target is not None),
                                     ("deadline", goal.deadline is not None)) if not ok]
    # a vague verb is only a problem when no measure says what it means
    words = set(re.findall(r"[a-z]+", goal.what.lower()))
    vague = [w for w in VAGUE_WORDS if (w in words if w.isascii() else w in goal.what)] \
        if not goal.measure.strip() else []
    if missing:
        out.append(GoalFinding("clear", False, "goals.check.clear_missing",
                               {"missing": ", ".join(missing)}))
    elif vague:
        out.append(GoalFinding("clear", False, "goals.check.clear_vague", {"word": vague[0]}))
    else:
        out.append(GoalFinding("clear", True, "goals.check.clear_ok", {}))

    if not goal.measure.strip() or goal.target is None:
        out.append(GoalFinding("measurable", False, "goals.check.measurable_missing", {}))
    else:
        out.append(GoalFinding("measurable", True, "goals.check.measurable_ok",
                               {"measure": goal.measure, "target": goal.target}))

    owner = goal.owner.strip()
    words = set(re.findall(r"[a-z]+", owner.lower()))
    group = (any(w in words if w.isascii() else w in owner for w in GROUP_OWNERS)
             or "and" in words or "," in owner or "、" in owner or "/" in owner)
    if not owner:
        out.append(GoalFinding("individual", False, "goals.check.individual_missing", {}))
    elif group:
        out.append(GoalFinding("individual", False, "goals.check.individual_group", {"owner": owner}))
    else:
        out.append(GoalFinding("individual", True, "goals.check.individual_ok", {"owner": owner}))

    if goal.deadline is not None and goal.deadline <= today:
        out.append(GoalFinding("realistic", False, "goals.check.realistic_past",
                               {"deadline": goal.deadline.isoformat()}))
    elif goal.deadline is not None and (goal.deadline - today).days > horizon_days:
        out.append(GoalFinding("realistic", False, "goals.check.realistic_far",
                               {"deadline": goal.deadline.isoformat(), "days": horizon_days}))
    elif goal.baseline is not None and goal.target is not None and goal.baseline > 0 \
            and goal.target > goal.baseline * (1 + max_growth):
        out.append(GoalFinding("realistic", False, "goals.check.realistic_stretch",
                               {"growth": f"{goal.target / goal.baseline - 1:.0%}",
                                "limit": f"{max_growth:.0%}"}))
    else:
        out.append(GoalFinding("realistic", True, "goals.check.realistic_ok", {}))
    return out
