"""The opportunity view: customer value x win rate x project amount x funnel position.

The handout (the TSM course's "opportunity view") names the four dimensions and says the
problems end up visible in the customer funnel, followed by the director's concluding
actions; it gives only headings for the levels, the classes and the "reference algorithm
for the amount". Where it is silent we use established public practice and say which:

- **Customer value** (classes A, B, C) is the course's "long-term and potential value" of a
  customer, scored the way key-account selection usually weighs it: purchase potential plus
  strategic importance (customer-portfolio methods such as Fiocca's 1982 account portfolio
  start from the account's strategic importance). ``value score = w * potential rank +
  (1 - w) * (strategic - 1) / 4``, where the potential rank is the share of the region's
  customers whose potential is at most this one's (so the rule works for any region) and
  strategic value is scored 1-5 (a reference customer, an industry leader, a fit for the
  new services). A from 0.65, B from 0.35, else C (``w`` = 0.6 by default).
- **Win rate in four levels** is our position against the competition in this deal, the
  question account-planning methods such as Miller Heiman's Strategic Selling ask of every
  opportunity (where do we stand against the competition?): *behind* (a competitor wrote
  the specification or holds the relationship; 10 %), *even* (shortlisted with others, no
  preference yet; 35 %), *ahead* (the decision makers prefer us, our specification is in
  the tender; 60 %), *sole* (the customer has said we are the choice; only paperwork and
  price are left; 85 %). A rep's own estimate (the ``win_rate`` column) is read into a
  level at 25 / 50 / 75 %, and the weighted amount uses the level's probability, not the
  estimate: banding is how sales managers calibrate optimistic reps.
- **Project amount in classes** is the deal's amount against a **reference amount**: the
  region's typical deal (the median amount of the table, robust to one giant deal) unless
  the director sets one (e.g. last year's average won deal). Large from 2x the reference,
  small below half of it, medium between: deal-size bands relative to the typical deal,
  the usual practice of pipeline reviews and sales-capacity planning.
- **Funnel position** is the course's five stages with their probabilities (potential 10 %,
  intention 30 %, proposal 50 %, negotiation 70 %, won 100 %; :mod:`salestrain.core.funnel`).

**Priority.** ``points = 2 x value (A 3, B 2, C 1) + amount (large 3, medium 2, small 1) +
win level (1-4)``, 4-14: customer value counts double because it is the long-term axis.
Focus from 11 points, develop from 8, efficient below (serve with the least field time).
Open deals are ranked by points, then weighted amount.

**Named problems** (each with the director's action, catalog ``opportunity.action.<kind>``):

- ``thin_stage``: fewer deals at a stage than the stage before implies. If the stage
  probabilities hold and deals spend similar time per stage, a deal at stage ``k`` reaches
  ``k+1`` with chance ``p_k / p_(k+1)`` (10/30: a third of potentials become intentions), so
  the expected count at ``k+1`` is ``n_k * p_k / p_(k+1)``; below half of that is thin;
- ``thin_top``: fewer potential deals than intentions: nothing new is coming in;
- ``big_a_behind``: large deals at A-value customers where we are behind or even;
- ``late_behind``: deals at proposal or negotiation where we are behind: the stage says
  50-70 %, our position says 10 %, so the forecast is overstated;
- ``c_time_sink``: hours spent on small deals at C-value customers are at least 20 % of
  the team's hours and at least twice their share of the weighted pipeline: efficiency-type
  deals sold the effectiveness way (many small deals need a lean process, not field time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem, SalestrainError
from salestrain.base.formats import format_number
from salestrain.base.i18n import t
from salestrain.base.tables import ProblemSet
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages

ValueClass = Literal["A", "B", "C"]
VALUE_CLASSES: tuple[ValueClass, ...] = ("A", "B", "C")
WinLevel = Literal["behind", "even", "ahead", "sole"]
WIN_LEVELS: tuple[WinLevel, ...] = ("behind", "even", "ahead", "sole")
AmountClass = Literal["large", "medium", "small"]
AMOUNT_CLASSES: tuple[AmountClass, ...] = ("large", "medium", "small")
Band = Literal["focus", "develop", "efficient", "won"]
BANDS: tuple[Band, ...] = ("focus", "develop", "efficient", "won")
STRATEGIC_MIN, STRATEGIC_MAX = 1, 5

VALUE_POINTS = {"A": 3, "B": 2, "C": 1}
AMOUNT_POINTS = {"large": 3, "medium": 2, "small": 1}
LEVEL_POINTS = {level: k + 1 for k, level in enumerate(WIN_LEVELS)}

# The clean table every function here takes (io.opportunity.validate_opportunities makes it).
COLUMNS = ("opp_id", "customer", "rep", "project", "potential", "strategic", "amount",
           "win_rate", "stage", "hours")


@dataclass(frozen=True)
class Rules:
    """The cut-offs of the view, in one place (a trainer may change any of them)."""

    potential_weight: float = 0.6  # weight of purchase potential against strategic value
    value_cuts: tuple[float, float] = (0.65, 0.35)  # value score from which A, B
    level_floors: tuple[float, float, float] = (0.25, 0.50, 0.75)  # estimate from which even, ahead, sole
    level_probability: tuple[float, float, float, float] = (0.10, 0.35, 0.60, 0.85)
    reference_amount: float | None = None  # None: the median amount of the table
    large_factor: float = 2.0  # large from this multiple of the reference
    small_factor: float = 0.5  # small below this multiple
    focus_points: int = 11
    develop_points: int = 8
    thin_ratio: float = 0.5  # a stage is thin below this share of its expected count
    sink_hours_share: float = 0.20  # C-small hours share that can be a time sink
    sink_factor: float = 2.0  # ... when at least this multiple of their weighted share

    def __post_init__(self) -> None:
        def bad(name: str, value: object, fix: str) -> None:
            raise SalestrainError(t("opportunity.error.rule", name=name, value=repr(value),
                                    fix=t(f"opportunity.error.fix_{fix}")))

        if not 0.0 <= self.potential_weight <= 1.0:
            bad("potential_weight", self.potential_weight, "share")
        if len(self.value_cuts) != 2 or not 0.0 <= self.value_cuts[1] <= self.value_cuts[0] <= 1.0:
            bad("value_cuts", self.value_cuts, "cuts")
        floors = list(self.level_floors)
        if len(floors) != 3 or floors != sorted(floors) or not all(0.0 < x < 1.0 for x in floors):
            bad("level_floors", self.level_floors, "floors")
        probs = list(self.level_probability)
        if len(probs) != 4 or probs != sorted(probs) or not all(0.0 <= p <= 1.0 for p in probs):
            bad("level_probability", self.level_probability, "probabilities")
        # Each level's probability lies inside its own band of estimates: a deal moved to
        # "sole" in the what-if must read back as sole, not as ahead.
        bands = [0.0, *floors, 1.0 + 1e-9]
        if not all(bands[k] <= p < bands[k + 1] for k, p in enumerate(probs)):
            bad("level_probability", self.level_probability, "probabilities")
        if self.reference_amount is not None and not self.reference_amount > 0:
            bad("reference_amount", self.reference_amount, "reference")
        if not 0.0 < self.small_factor < self.large_factor:
            bad("large_factor", (self.small_factor, self.large_factor), "factors")
        if not self.develop_points <= self.focus_points:
            bad("focus_points", (self.develop_points, self.focus_points), "points")
        if not 0.0 < self.thin_ratio <= 1.0:
            bad("thin_ratio", self.thin_ratio, "share")
        if not 0.0 < self.sink_hours_share <= 1.0:
            bad("sink_hours_share", self.sink_hours_share, "share")
        if not self.sink_factor >= 1.0:
            bad("sink_factor", self.sink_factor, "sink")

    def probability_of(self, level: str) -> float:
        return self.level_probability[WIN_LEVELS.index(level)]  # type: ignore[arg-type]


DEFAULT_RULES = Rules()


# -- the four dimensions (each a pure, vectorised function) ----------------------------------
def value_scores(potential: pd.Series, strategic: pd.Series, rules: Rules = DEFAULT_RULES) -> pd.Series:
    """One score 0-1 per customer (index: customer) from potential and strategic value."""
    n = len(potential)
    values = potential.to_numpy(dtype=float)
    # The share of customers with at most this potential: ties share the higher rank, so
    # raising one customer's potential never lowers its own rank.
    rank = np.searchsorted(np.sort(values), values, side="right") / max(n, 1)
    strategic_score = (strategic.to_numpy(dtype=float) - STRATEGIC_MIN) / (STRATEGIC_MAX - STRATEGIC_MIN)
    score = rules.potential_weight * rank + (1.0 - rules.potential_weight) * strategic_score
    return pd.Series(score, index=potential.index, name="value_score")


def value_class(score: pd.Series | np.ndarray, rules: Rules = DEFAULT_RULES) -> np.ndarray:
    a, b = rules.value_cuts
    s = np.asarray(score, dtype=float)
    return np.select([s >= a, s >= b], ["A", "B"], default="C")


def win_level(win_rate: pd.Series | np.ndarray, rules: Rules = DEFAULT_RULES) -> np.ndarray:
    """The level of each estimate: behind below the first floor, sole from the last."""
    index = np.searchsorted(np.asarray(rules.level_floors), np.asarray(win_rate, dtype=float), side="right")
    return np.asarray(WIN_LEVELS, dtype=object)[index].astype(str)


def reference_amount(amount: pd.Series, rules: Rules = DEFAULT_RULES) -> float:
    """The director's reference amount, or the region's median deal."""
    if rules.reference_amount is not None:
        return float(rules.reference_amount)
    median = float(amount.median()) if len(amount) else 0.0
    return median if median > 0 else 1.0


def amount_class(amount: pd.Series | np.ndarray, reference: float, rules: Rules = DEFAULT_RULES) -> np.ndarray:
    a = np.asarray(amount, dtype=float)
    return np.select([a >= rules.large_factor * reference, a >= rules.small_factor * reference],
                     ["large", "medium"], default="small")


def priority_points(value: np.ndarray, amount: np.ndarray, level: np.ndarray) -> np.ndarray:
    v = pd.Series(value).map(VALUE_POINTS).to_numpy(dtype=int)
    m = pd.Series(amount).map(AMOUNT_POINTS).to_numpy(dtype=int)
    w = pd.Series(level).map(LEVEL_POINTS).to_numpy(dtype=int)
    return 2 * v + m + w


def band_of(points: np.ndarray, rules: Rules = DEFAULT_RULES) -> np.ndarray:
    p = np.asarray(points)
    return np.select([p >= rules.focus_points, p >= rules.develop_points], ["focus", "develop"],
                     default="efficient")


# -- validation (the sales-logic part; io.opportunity adds the cell grammar) -----------------
def check_rows(typed: pd.DataFrame, problems: ProblemSet, stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """Canonical stage names; one potential and one strategic value per customer.

    ``typed`` has parsed cells (the table grammar's job); problems are added with the row's
    line, the column, the bad value and the fix.
    """
    out = typed.copy()
    canonical = [stages.lookup(s) if isinstance(s, str) and s.strip() else None for s in out["stage"]]
    bad = [k for k, c in enumerate(canonical) if c is None]
    raw = out["stage"].tolist()
    names = ", ".join(stages.names)
    problems.add(np.array(bad, dtype=np.int64), "stage",
                 lambda k: t("opportunity.error.stage", value=repr(raw[k]), stages=names), order=8)
    out["stage"] = [c or "" for c in canonical]
    if "hours" in out:
        out["hours"] = out["hours"].fillna(0.0)
    else:
        out["hours"] = 0.0
    if "project" not in out:
        out["project"] = ""
    for column in ("potential", "strategic"):
        first = out.groupby("customer", sort=False)[column].transform("first")
        clash = np.flatnonzero((first.notna() & out[column].notna() & (first != out[column])).to_numpy())
        line_of = {c: problems.line(int(np.flatnonzero((out["customer"] == c).to_numpy())[0]))
                   for c in out["customer"].iloc[clash].unique()}
        problems.add(clash, column, lambda k, column=column, first=first, line_of=line_of: t(
            "opportunity.error.customer_clash", value=format_number(float(out[column].iloc[k])),
            customer=out["customer"].iloc[k], first=format_number(float(first.iloc[k])),
            line=line_of[out["customer"].iloc[k]]), order=5)
    return out


# -- the view ---------------------------------------------------------------------------------
def classify(table: pd.DataFrame, rules: Rules = DEFAULT_RULES,
             stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """Every deal with its value class, win level, amount class, weights and priority."""
    customers = table.drop_duplicates("customer").set_index("customer")
    scores = value_scores(customers["potential"], customers["strategic"], rules)
    out = table.copy()
    out["value_score"] = out["customer"].map(scores).to_numpy(dtype=float)
    out["value_class"] = value_class(out["value_score"], rules)
    out["win_level"] = win_level(out["win_rate"], rules)
    out["level_probability"] = [rules.probability_of(x) for x in out["win_level"]]
    ref = reference_amount(out["amount"], rules)
    out["amount_class"] = amount_class(out["amount"], ref, rules)
    won = (out["stage"] == stages.names[-1]).to_numpy()
    out["stage_probability"] = [stages.probability(s) for s in out["stage"]]
    out["weighted"] = np.where(won, out["amount"], out["amount"] * out["level_probability"])
    out["points"] = priority_points(out["value_class"].to_numpy(), out["amount_class"].to_numpy(),
                                    out["win_level"].to_numpy())
    out["band"] = np.where(won, "won", band_of(out["points"].to_numpy(), rules))
    out.attrs["reference_amount"] = ref
    return out


def ranked(classified: pd.DataFrame) -> pd.DataFrame:
    """The open deals, highest priority first (points, then weighted amount, then id)."""
    open_ = classified[classified["band"] != "won"]
    return open_.sort_values(["points", "weighted", "opp_id"], ascending=[False, False, True],
                             kind="mergesort")


@dataclass(frozen=True)
class CustomerFunnel:
    """Counts, amounts and weighted amounts per stage (rows, in funnel order) and value class."""

    counts: pd.DataFrame
    amounts: pd.DataFrame
    weighted: pd.DataFrame

    @property
    def stage_counts(self) -> pd.Series:
        return self.counts.sum(axis=1)


def customer_funnel(classified: pd.DataFrame, stages: Stages = DEFAULT_STAGES) -> CustomerFunnel:
    # Sums on a (stage x class) grid with numpy: pandas' pivot_table costs ~4 ms a table,
    # most of a projector frame's budget, for a few dozen rows.
    names = list(stages.names)
    row = pd.Categorical(classified["stage"], categories=names).codes
    col = pd.Categorical(classified["value_class"], categories=list(VALUE_CLASSES)).codes
    keep = (row >= 0) & (col >= 0)
    grids = []
    for values in (np.ones(len(classified)), classified["amount"].to_numpy(dtype=float),
                   classified["weighted"].to_numpy(dtype=float)):
        grid = np.zeros((len(names), len(VALUE_CLASSES)))
        np.add.at(grid, (row[keep], col[keep]), values[keep])
        grids.append(pd.DataFrame(grid, index=pd.Index(names, name="stage"),
                                  columns=pd.Index(list(VALUE_CLASSES), name="value_class")))
    return CustomerFunnel(grids[0].astype(int), grids[1], grids[2])


@dataclass(frozen=True)
class Finding:
    """One named problem: ``kind`` (catalog opportunity.problem.<kind>), its values, its deals."""

    kind: str
    values: dict = field(default_factory=dict)
    deals: tuple[str, ...] = ()


def find_problems(classified: pd.DataFrame, funnel: CustomerFunnel, rules: Rules = DEFAULT_RULES,
                  stages: Stages = DEFAULT_STAGES) -> tuple[Finding, ...]:
    """The problems the funnel makes visible, in the order a director would raise them."""
    found: list[Finding] = []
    n = funnel.stage_counts
    open_stages = stages.open_names
    if len(open_stages) >= 2 and n[open_stages[0]] < n[open_stages[1]]:
        found.append(Finding("thin_top", {"stage": open_stages[0], "count": int(n[open_stages[0]]),
                                          "next": open_stages[1], "next_count": int(n[open_stages[1]])}))
    for before, stage in zip(open_stages, open_stages[1:], strict=False):
        expected = n[before] * stages.probability(before) / stages.probability(stage)
        if n[before] >= 2 and n[stage] < rules.thin_ratio * expected:
            found.append(Finding("thin_stage", {"stage": stage, "count": int(n[stage]), "before": before,
                                                "before_count": int(n[before]), "expected": float(expected)}))
    open_ = classified[classified["band"] != "won"]
    big = open_[(open_["value_class"] == "A") & (open_["amount_class"] == "large")
                & open_["win_level"].isin(["behind", "even"])]
    if len(big):
        found.append(Finding("big_a_behind", {"count": len(big), "amount": float(big["amount"].sum())},
                             tuple(big.sort_values("amount", ascending=False)["opp_id"])))
    late_stages = open_stages[-2:]
    late = open_[open_["stage"].isin(late_stages) & (open_["win_level"] == "behind")]
    if len(late):
        stage_weighted = float((late["amount"] * late["stage_probability"]).sum())
        found.append(Finding("late_behind", {"count": len(late), "stage_weighted": stage_weighted,
                                             "level_weighted": float(late["weighted"].sum())},
                             tuple(late["opp_id"])))
    hours = float(open_["hours"].sum())
    weighted = float(open_["weighted"].sum())
    sink = open_[(open_["value_class"] == "C") & (open_["amount_class"] == "small")]
    if hours > 0 and len(sink):
        h_share = float(sink["hours"].sum()) / hours
        w_share = float(sink["weighted"].sum()) / weighted if weighted > 0 else 0.0
        if h_share >= rules.sink_hours_share and h_share >= rules.sink_factor * w_share:
            found.append(Finding("c_time_sink", {"count": len(sink), "hours_share": h_share,
                                                 "weighted_share": w_share,
                                                 "hours": float(sink["hours"].sum())},
                                 tuple(sink["opp_id"])))
    return tuple(found)


@dataclass(frozen=True)
class Action:
    """One of the director's concluding actions: a catalog key (opportunity.action.<kind>)."""

    kind: str
    values: dict = field(default_factory=dict)
    deals: tuple[str, ...] = ()


def director_actions(findings: Sequence[Finding], ranking: pd.DataFrame, focus_count: int = 3) -> tuple[Action, ...]:
    """The actions that close the view: the focus deals first, then one per problem."""
    focus = ranking[ranking["band"] == "focus"].head(focus_count)
    actions = [Action("focus", {"count": len(focus)}, tuple(focus["opp_id"]))] if len(focus) else []
    for f in findings:
        actions.append(Action(f.kind, dict(f.values), f.deals))
    return tuple(actions)


@dataclass(frozen=True)
class OpportunityView:
    """Everything the opportunity view shows: deals, ranking, funnel, problems, actions."""

    deals: pd.DataFrame  # classified, every deal
    ranking: pd.DataFrame  # open deals, highest priority first
    funnel: CustomerFunnel
    findings: tuple[Finding, ...]
    actions: tuple[Action, ...]
    reference: float  # the reference amount used for the amount classes

    @property
    def open_deals(self) -> pd.DataFrame:
        return self.deals[self.deals["band"] != "won"]


def opportunity_view(table: pd.DataFrame, rules: Rules = DEFAULT_RULES,
                     stages: Stages = DEFAULT_STAGES) -> OpportunityView:
    """The whole view of a clean table (see :func:`io.opportunity.validate_opportunities`)."""
    deals = classify(table, rules, stages)
    ranking = ranked(deals)
    funnel = customer_funnel(deals, stages)
    findings = find_problems(deals, funnel, rules, stages)
    return OpportunityView(deals, ranking, funnel, findings, director_actions(findings, ranking),
                           float(deals.attrs["reference_amount"]))


# -- what-if ----------------------------------------------------------------------------------
def move_deal(table: pd.DataFrame, opp_id: str, stage: str | None = None, win_rate: float | None = None,
              stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """A copy of ``table`` with one deal moved to another stage and/or win rate."""
    rows = np.flatnonzero((table["opp_id"] == opp_id).to_numpy())
    if not len(rows):
        raise DataError(t("opportunity.error.no_deal", value=repr(opp_id),
                          ids=", ".join(map(str, table["opp_id"].head(8)))))
    problems = []
    canonical = stages.lookup(stage) if stage is not None else None
    if stage is not None and canonical is None:
        problems.append(Problem("what-if", None, "stage", t(
            "opportunity.error.stage", value=repr(stage), stages=", ".join(stages.names))))
    if win_rate is not None and not 0.0 <= win_rate <= 1.0:
        problems.append(Problem("what-if", None, "win_rate", t(
            "opportunity.error.win_rate", value=repr(win_rate))))
    if problems:
        raise DataError(t("opportunity.error.what_if", deal=opp_id), problems)
    out = table.copy()
    if canonical is not None:
        out.loc[out.index[rows[0]], "stage"] = canonical
    if win_rate is not None:
        out.loc[out.index[rows[0]], "win_rate"] = float(win_rate)
    return out
