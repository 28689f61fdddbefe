"""The negotiation domain: issues, each side's utilities and BATNA, and the outcome space.

Utilities are linear-additive (Raiffa; the standard classroom model): each side gives
every issue a weight (the weights sum to 1) and every option of an issue a score in
[0, 1]; the utility of a deal is the weighted sum of its scores. A side's reservation
value is the utility of its BATNA (best alternative to a negotiated agreement): it
never accepts a deal worth less.

Issues are discrete (a handful of options each), so the whole outcome space is small
enough to enumerate: the Pareto frontier, the ZOPA and the Nash point are then exact,
not approximated.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from salestrain.base.i18n import t

SELLER, BUYER = 0, 1
ROLES = ("seller", "buyer")


class DomainError(ValueError):
    """A domain built in code is inconsistent (files get ContentError instead), or a
    deal typed in a notebook names an option that does not exist.

    Only the second kind is worded through the catalog: learners type deals; the
    consistency checks speak to whoever writes Python that builds a domain."""


@dataclass(frozen=True)
class Issue:
    """One negotiable issue. ``options`` are labels; a price issue also has ``amounts``."""

    name: str
    options: tuple[str, ...]
    amounts: tuple[float, ...] | None = None  # money per option (price issues only)

    def __post_init__(self) -> None:
        if len(self.options) < 1:
            raise DomainError(f"issue {self.name!r}: needs at least one option")
        if self.amounts is not None and len(self.amounts) != len(self.options):
            raise DomainError(f"issue {self.name!r}: {len(self.amounts)} amounts for "
                              f"{len(self.options)} options; give one amount per option")

    @property
    def is_price(self) -> bool:
        return self.amounts is not None


@dataclass(frozen=True)
class Preferences:
    """One side's linear-additive utility and its reservation value (BATNA)."""

    weights: Mapping[str, float]
    scores: Mapping[str, Sequence[float]]  # per issue, one score in [0, 1] per option
    reservation: float = 0.0

    def utility(self, issues: Sequence[Issue], deal: Sequence[int]) -> float:
        return float(sum(self.weights[i.name] * self.scores[i.name][k]
                         for i, k in zip(issues, deal, strict=True)))


@dataclass(frozen=True)
class Domain:
    """Issues plus the seller's and the buyer's preferences.

    A *deal* (outcome) is a tuple with one option index per issue. Outcomes are
    numbered in :func:`itertools.product` order, so ``outcomes[k]`` is deal ``k``.
    """

    issues: tuple[Issue, ...]
    seller: Preferences
    buyer: Preferences
    name: str = "domain"

    def __post_init__(self) -> None:
        names = [i.name for i in self.issues]
        if len(set(names)) != len(names):
            raise DomainError(f"issue names repeat: {names}")
        for role, prefs in zip(ROLES, (self.seller, self.buyer), strict=True):
            if set(prefs.weights) != set(names):
                raise DomainError(f"{role}: weights name {sorted(prefs.weights)}, "
                                  f"the issues are {sorted(names)}")
            if abs(sum(prefs.weights.values()) - 1.0) > 1e-6:
                raise DomainError(f"{role}: weights sum to {sum(prefs.weights.values()):.4g}; "
                                  "they must sum to 1")
            for issue in self.issues:
                scores = prefs.scores.get(issue.name)
                if scores is None or len(scores) != len(issue.options):
                    raise DomainError(f"{role}: issue {issue.name!r} needs "
                                      f"{len(issue.options)} scores")
                if any(not 0.0 <= s <= 1.0 for s in scores):
                    raise DomainError(f"{role}: scores of {issue.name!r} must lie in [0, 1]")

    # -- the outcome space ------------------------------------------------
    @cached_property
    def outcomes(self) -> np.ndarray:
        """All deals as an (n_outcomes, n_issues) array of option indices."""
        ranges = [range(len(i.options)) for i in self.issues]
        return np.array(list(itertools.product(*ranges)), dtype=np.int64).reshape(
            -1, len(self.issues))

    @property
    def n_outcomes(self) -> int:
        return len(self.outcomes)

    def prefs(self, side: int) -> Preferences:
        return (self.seller, self.buyer)[side]

    @cached_property
    def utilities(self) -> np.ndarray:
        """(n_outcomes, 2): column 0 the seller's utility of each deal, column 1 the buyer's."""
        out = np.zeros((self.n_outcomes, 2))
        for side in (SELLER, BUYER):
            prefs = self.prefs(side)
            for j, issue in enumerate(self.issues):
                table = np.asarray(prefs.scores[issue.name], dtype=float) * prefs.weights[issue.name]
                out[:, side] += table[self.outcomes[:, j]]
        return out

    @property
    def reservations(self) -> np.ndarray:
        return np.array([self.seller.reservation, self.buyer.reservation])

    def index_of(self, deal: Sequence[int] | Mapping[str, int | str]) -> int:
        """The outcome number of a deal given as indices or as {issue: option label}."""
        names = ", ".join(i.name for i in self.issues)
        if isinstance(deal, Mapping):
            missing = [i.name for i in self.issues if i.name not in deal]
            if missing:
                # Without this a typo in an issue name surfaces as a bare KeyError.
                raise DomainError(t("negotiation.error.deal_missing_issue", missing=", ".join(missing),
                                    given=", ".join(map(str, deal)), issues=names))
            deal = [self._option_index(i, deal[i.name]) for i in self.issues]
        try:
            deal = [int(k) for k in deal]
        except (TypeError, ValueError):
            raise DomainError(t("negotiation.error.deal_not_numbers", deal=list(deal))) from None
        if len(deal) != len(self.issues):
            raise DomainError(t("negotiation.error.deal_length", count=len(self.issues), issues=names,
                                deal=deal))
        index = 0
        for issue, k in zip(self.issues, deal, strict=True):
            if not 0 <= k < len(issue.options):
                raise DomainError(t("negotiation.error.no_option_number", issue=issue.name, option=k,
                                    last=len(issue.options) - 1, options=_numbered(issue)))
            index = index * len(issue.options) + k
        return index

    def _option_index(self, issue: Issue, value: int | str) -> int:
        if isinstance(value, int):
            return value
        if value in issue.options:
            return issue.options.index(value)
        raise DomainError(t("negotiation.error.no_option_label", issue=issue.name, value=value,
                            options=_numbered(issue)))

    def deal(self, index: int) -> dict[str, str]:
        """A deal as {issue: option label}, for people."""
        return {i.name: i.options[k] for i, k in zip(self.issues, self.outcomes[index], strict=True)}

    def utility(self, side: int, index: int) -> float:
        return float(self.utilities[index, side])

    def advantage(self, side: int, index: int) -> float:
        """How much deal ``index`` beats ``side``'s BATNA (negative: worse than walking away)."""
        return float(self.utilities[index, side] - self.reservations[side])

    # -- price -------------------------------------------------------------
    @property
    def price_issue(self) -> int | None:
        for j, issue in enumerate(self.issues):
            if issue.is_price:
                return j
        return None

    @property
    def list_price(self) -> float | None:
        j = self.price_issue
        return None if j is None else float(max(self.issues[j].amounts))

    def price_of(self, index: int) -> float | None:
        j = self.price_issue
        if j is None:
            return None
        return float(self.issues[j].amounts[self.outcomes[index, j]])

    def discount_of(self, index: int) -> float | None:
        """Share of the list price given away in deal ``index`` (0.08 = 8 % off)."""
        price, top = self.price_of(index), self.list_price
        return None if price is None or not top else (top - price) / top


def _numbered(issue: Issue) -> str:
    """``0=100; 1=95; 2=90``: what index_of accepts for one issue, numbers and labels."""
    return "; ".join(f"{k}={label}" for k, label in enumerate(issue.options))


@dataclass(frozen=True)
class Scenario:
    """A role play: the domain plus the texts each side reads."""

    name: str
    title: str
    shared: str
    briefs: Mapping[str, str]  # role -> confidential instructions
    domain: Domain
    source: str | None = None  # file it came from, if any
    issue_labels: Mapping[str, str] = field(default_factory=dict)
    role_labels: Mapping[str, str] = field(default_factory=dict)
    batna: Mapping[str, str] = field(default_factory=dict)  # role -> what the BATNA is
    teaching_note: str = ""

    def issue_label(self, name: str) -> str:
        return self.issue_labels.get(name, name)
