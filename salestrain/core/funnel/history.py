"""Opportunity history: stage win rates, a stage-transition model, time in stage.

A history table has one row per stage a deal entered: ``deal_id, stage, date``, with
the terminal rows ``won`` or ``lost``; a deal without one is still open. Optional
columns (``owner``, ``amount``, ``account``) are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.base.tables import ProblemSet, map_values
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages

LOST = "lost"
WON = "won"


LOST_WORDS = (LOST, "closed lost", "输单")


def apply_history_stages(typed: pd.DataFrame, stages: Stages = DEFAULT_STAGES,
                         problems: ProblemSet | None = None) -> pd.DataFrame:
    """A parsed history (text ``deal_id, stage``, datetime ``date``) with canonical stage
    names, sorted by deal and date; unknown stages go to ``problems``.

    Reading and checking the cells is :func:`salestrain.io.funnel.validate_history`.
    """
    own = problems is None
    problems = problems if problems is not None else ProblemSet("history")
    raw = typed["stage"]
    canon = pd.Series(map_values(raw, lambda u: LOST if str(u).strip().lower() in LOST_WORDS
                                 else stages.lookup(u)), index=typed.index)
    unknown = canon.isna().to_numpy()
    if unknown.any():
        known = ", ".join((*stages.names, LOST))
        problems.add(np.flatnonzero(unknown), "stage", lambda p: t(
            "funnel.error.unknown_stage", value=repr(raw.iloc[p]), stages=known), 1)
    if own:
        problems.raise_if_any(lambda count, shown, extra: t(
            "funnel.error.table", source=problems.source, count=count))
    out = typed.copy()
    out["deal_id"] = out["deal_id"].astype(str)
    out["stage"] = canon.astype(object)
    return out.sort_values(["deal_id", "date"], kind="stable").reset_index(drop=True)


def outcomes(history: pd.DataFrame) -> pd.Series:
    """Per deal: "won", "lost" or "open"."""
    last = history.groupby("deal_id", sort=False)["stage"].last()
    return last.where(last.isin([WON, LOST]), "open")


def stage_win_rates(history: pd.DataFrame, stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """Win rates per open stage, measured two ways on closed deals.

    ``reached``: of the closed deals that ever reached the stage, the share won (the
    right number for "a deal in this stage today").
    ``last_stage``: deals grouped by the last open stage they were in before closing.
    It is what a naive CRM report shows, and it is biased: deals that went on to the
    next stage are counted there, so early stages look hopeless.
    """
    out = outcomes(history)
    closed_ids = out.index[out != "open"]
    closed = history[history["deal_id"].isin(closed_ids)]
    won_ids = set(out.index[out == WON])
    rows = []
    open_rows = closed[closed["stage"].isin(stages.open_names)]
    last_open = open_rows.groupby("deal_id", sort=False)["stage"].last()
    for stage in stages.open_names:
        reached = set(open_rows.loc[open_rows["stage"] == stage, "deal_id"])
        n_won = len(reached & won_ids)
        last_ids = set(last_open.index[last_open == stage])
        rows.append({
            "stage": stage, "reached": len(reached), "won": n_won,
            "rate_reached": n_won / len(reached) if reached else np.nan,
            "last_stage": len(last_ids),
            "rate_last_stage": len(last_ids & won_ids) / len(last_ids) if last_ids else np.nan,
        })
    return pd.DataFrame(rows).set_index("stage")


@dataclass(frozen=True)
class TransitionModel:
    """A continuous-time Markov model of the funnel fitted to history.

    States: the open stages, then ``won`` and ``lost`` (absorbing). ``counts[i, j]``
    are observed moves, ``exposure[i]`` the days deals spent in state i (open deals
    count up to ``as_of``: leaving them out would make stages look faster than they are).
    """

    states: tuple[str, ...]
    counts: np.ndarray
    exposure: np.ndarray

    @property
    def open_states(self) -> tuple[str, ...]:
        return self.states[:-2]

    @property
    def rates(self) -> np.ndarray:
        """Generator matrix Q (per day)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            q = np.where(self.exposure[:, None] > 0, self.counts / self.exposure[:, None], 0.0)
        np.fill_diagonal(q, 0.0)
        np.fill_diagonal(q, -q.sum(axis=1))
        return q

    def jump_probabilities(self) -> pd.DataFrame:
        """P(next state | leaving this stage)."""
        c = self.counts[: len(self.open_states)]
        with np.errstate(invalid="ignore", divide="ignore"):
            p = c / c.sum(axis=1, keepdims=True)
        return pd.DataFrame(p, index=self.open_states, columns=self.states)

    def p_won(self) -> pd.Series:
        """P(eventually won | in this stage now): absorption probability of the chain."""
        k = len(self.open_states)
        jumps = self.jump_probabilities().to_numpy()
        jumps = np.nan_to_num(jumps)
        transient = jumps[:, :k]
        to_won = jumps[:, self.states.index(WON)]
        solved = np.linalg.solve(np.eye(k) - transient, to_won)
        return pd.Series(solved, index=self.open_states, name="p_won")

    def p_won_within(self, days: float) -> pd.Series:
        """P(won within ``days`` | in this stage now), from exp(Q t)."""
        # Lazy: scipy.linalg is heavy to import and only this method needs it.
        from scipy.linalg import expm

        trans = expm(self.rates * float(days))
        k = len(self.open_states)
        return pd.Series(trans[:k, self.states.index(WON)], index=self.open_states,
                         name=f"p_won_within_{days:g}d")

    def mean_days_in_stage(self) -> pd.Series:
        k = len(self.open_states)
        leaving = self.counts[:k].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            days = self.exposure[:k] / leaving
        return pd.Series(days, index=self.open_states, name="mean_days")


def fit_transitions(history: pd.DataFrame, stages: Stages = DEFAULT_STAGES,
                    as_of: str | pd.Timestamp | None = None) -> TransitionModel:
    """Count stage moves and the days spent in each stage (maximum likelihood rates)."""
    states = (*stages.open_names, WON, LOST)
    index = {s: i for i, s in enumerate(states)}
    counts = np.zeros((len(states), len(states)))
    exposure = np.zeros(len(states))
    end = pd.Timestamp(as_of) if as_of is not None else history["date"].max()
    for _deal, rows in history.groupby("deal_id", sort=False):
        seq = list(zip(rows["stage"], rows["date"], strict=True))
        for (s, d0), (nxt, d1) in zip(seq, seq[1:], strict=False):
            if s in index and nxt in index and s not in (WON, LOST):
                counts[index[s], index[nxt]] += 1
                exposure[index[s]] += max((d1 - d0).days, 0) + 0.5  # half a day: same-day moves
        last_stage, last_date = seq[-1]
        if last_stage not in (WON, LOST) and last_stage in index:
            exposure[index[last_stage]] += max((end - last_date).days, 0) + 0.5
    return TransitionModel(states, counts, exposure)


def time_in_stage(history: pd.DataFrame) -> pd.DataFrame:
    """Days each deal spent in each stage it left (open stays are not included)."""
    h = history.copy()
    h["next_date"] = h.groupby("deal_id", sort=False)["date"].shift(-1)
    done = h.dropna(subset=["next_date"])
    done = done[~done["stage"].isin([WON, LOST])]
    return pd.DataFrame({"deal_id": done["deal_id"], "stage": done["stage"],
                         "days": (done["next_date"] - done["date"]).dt.days}).reset_index(drop=True)


def p_close_within(model: TransitionModel, pipeline: pd.DataFrame, days: float) -> np.ndarray:
    """Per open deal of a pipeline: P(won within ``days``) from its current stage."""
    within = model.p_won_within(days)
    return pipeline["stage"].map(lambda s: 1.0 if s == WON else within.get(s, np.nan)).to_numpy(float)


def stage_probabilities_from_history(history: pd.DataFrame,
                                     stages: Stages = DEFAULT_STAGES) -> Mapping[str, float]:
    rates = stage_win_rates(history, stages)["rate_reached"]
    return {s: float(v) for s, v in rates.items() if not np.isnan(v)}


def stage_conversion(history: pd.DataFrame, stages: Stages = DEFAULT_STAGES) -> pd.DataFrame:
    """Per open stage: deals whose fate at that stage is known, how many moved on, the rate.

    A deal "moved on" from a stage when its next row is a later stage or ``won``; it
    failed there when its next row is ``lost``. Deals still sitting in the stage are
    left out (their fate is unknown), so slow stages are not mistaken for weak ones.
    """
    rows = []
    nxt = history.groupby("deal_id", sort=False)["stage"].shift(-1)
    for stage in stages.open_names:
        here = history["stage"] == stage
        known = here & nxt.notna()
        moved = known & (nxt != LOST)
        n = int(known.sum())
        rows.append({"stage": stage, "known": n, "moved_on": int(moved.sum()),
                     "rate": int(moved.sum()) / n if n else np.nan})
    return pd.DataFrame(rows).set_index("stage")


@dataclass(frozen=True)
class StageGap:
    """A rep's weakest stage: where their conversion falls furthest below the rest of the team."""

    owner: str
    stage: str
    owner_rate: float
    team_rate: float
    deals: int

    @property
    def gap(self) -> float:
        return self.team_rate - self.owner_rate


def weakest_stage(history: pd.DataFrame, owner: str, stages: Stages = DEFAULT_STAGES,
                  min_deals: int = 10) -> StageGap | None:
    """The stage where ``owner`` converts worst compared with everyone else.

    Only stages where the owner has at least ``min_deals`` deals with a known fate are
    compared; None when there are none (too little history to judge fairly).
    """
    if "owner" not in history.columns:
        raise DataError(t("funnel.error.no_owner"),
                        [Problem("history", 1, "owner", t("funnel.error.missing_column"))])
    mine = stage_conversion(history[history["owner"] == owner], stages)
    team = stage_conversion(history[history["owner"] != owner], stages)
    best: StageGap | None = None
    for stage in stages.open_names:
        n = int(mine.loc[stage, "known"])
        if n < min_deals or np.isnan(team.loc[stage, "rate"]):
            continue
        gap = StageGap(owner, stage, float(mine.loc[stage, "rate"]), float(team.loc[stage, "rate"]), n)
        if best is None or gap.gap > best.gap:
            best = gap
    return best
