"""Confidential role cards: what one side of a role play may know, and nothing more.

A card carries the shared facts, that side's brief, its BATNA, its walk-away value and
its own points for every option, on the 0-100 scale the debriefs use (points = 100 x
the issue's weight x the option's score). The other side's brief, weights, scores and
walk-away never enter the card: a player who saw them would negotiate against a glass
wall, and the debrief's lesson (trade what is cheap for you and dear to them) would be
given away instead of discovered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from salestrain.core.negotiation.domain import ROLES, Issue, Preferences, Scenario
from salestrain.core.negotiation.multiparty import MultiScenario


@dataclass(frozen=True)
class IssuePoints:
    """One issue as one side values it: each option with its points for that side."""

    label: str
    options: tuple[tuple[str, float], ...]  # (option label, points out of 100)

    @property
    def best(self) -> float:
        return max(points for _, points in self.options)


@dataclass(frozen=True)
class RoleCard:
    """Everything one side reads, and only that."""

    role: str  # "seller" or "buyer"
    scenario: str  # the scenario's title
    side: str  # the side's label, e.g. "Mingda Analytical (seller)"
    shared: str
    brief: str
    batna: str
    walk_away: float  # points out of 100 below which no deal beats the BATNA
    issues: tuple[IssuePoints, ...]

    @property
    def best_total(self) -> float:
        """The side's points if it won every issue (100 when every issue has a best option)."""
        return sum(issue.best for issue in self.issues)


def _points(issues: Sequence[Issue], prefs: Preferences, label: Callable[[str], str]) -> tuple[IssuePoints, ...]:
    """Every option with its points for one side: 100 x the issue's weight x the option's score."""
    return tuple(
        IssuePoints(label(issue.name),
                    tuple((option, 100.0 * prefs.weights[issue.name] * score)
                          for option, score in zip(issue.options, prefs.scores[issue.name], strict=True)))
        for issue in issues)


def role_card(scenario: Scenario, role: str) -> RoleCard:
    """The confidential card of ``role`` ("seller" or "buyer") in ``scenario``."""
    if role not in ROLES:
        raise ValueError(f"role {role!r}: choose one of {', '.join(ROLES)}")
    prefs = getattr(scenario.domain, role)
    issues = _points(scenario.domain.issues, prefs, scenario.issue_label)
    return RoleCard(role=role, scenario=scenario.title,
                    side=scenario.role_labels.get(role, role), shared=scenario.shared,
                    brief=scenario.briefs.get(role, ""), batna=scenario.batna.get(role, ""),
                    walk_away=100.0 * prefs.reservation, issues=issues)


def party_card(scenario: MultiScenario, party: str) -> RoleCard:
    """The confidential card of one party of a multi-party role play."""
    if party not in scenario.parties:
        raise ValueError(f"party {party!r}: choose one of {', '.join(scenario.parties)}")
    prefs = scenario.parties[party]
    issues = _points(scenario.issues, prefs, scenario.issue_label)
    return RoleCard(role=party, scenario=scenario.title, side=scenario.labels.get(party, party),
                    shared=scenario.shared, brief=scenario.briefs.get(party, ""),
                    batna=scenario.batna.get(party, ""), walk_away=100.0 * prefs.reservation, issues=issues)
