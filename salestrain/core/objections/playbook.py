"""The objection loop the handout asks for: log every objection, review the week, keep a
team playbook.

DOMAIN.md section 5: objections are recorded after every contact and reviewed weekly, and
the scripts improve from that review. A *log* is a table with one row per objection met:
``date, rep, customer, family, objection, reply, outcome`` (``outcome`` is ``resolved``,
``open`` or ``worse``). From it:

* :func:`weekly_review` ranks, for one week, the replies the team used on each family of
  objection by what they did: the share resolved minus the share made worse (*net*), so a
  reply that settles one objection and inflames another nets zero. Ties go to the reply
  used more often: more evidence.
* :func:`build_playbook` keeps, over every week logged so far, the replies to use (net above
  zero) and the replies to avoid (net below zero) for each family, with an objection they
  answered as an example. A reply that only left objections open is neither: the team has
  not learnt anything from it yet.

Replies are grouped by their text, ignoring case and spaces, because reps type the same
reply a little differently; the first spelling met is the one shown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.base.i18n import LANGUAGES, t
from salestrain.base.tables import ProblemSet
from salestrain.core.objections.vocabulary import FAMILIES

OUTCOMES: tuple[str, ...] = ("resolved", "open", "worse")
LOG_COLUMNS: tuple[str, ...] = ("date", "rep", "customer", "family", "objection", "reply", "outcome")


_PAREN = re.compile(r"\s*[（(].*?[)）]\s*")


def _norm(text: str) -> str:
    return " ".join(str(text).replace("_", " ").split()).lower()


def _spellings(ids: tuple[str, ...], key: str) -> dict[str, str]:
    """Every way a user may write an id: the id and its label in every language, with or
    without the label's note in brackets ("authority (not the decision maker)", "权限")."""
    found = {}
    for id_ in ids:
        found[_norm(id_)] = id_
        for lang in LANGUAGES:
            label = t(key.format(id=id_), lang=lang)
            found[_norm(label)] = id_
            found[_norm(_PAREN.sub("", label))] = id_
    return found


def family_of(text: str) -> str | None:
    """``price``, ``technical doubt``, ``no need`` or ``技术疑虑`` -> the family id; None if unknown."""
    return _spellings(FAMILIES, "objections.family.{id}.name").get(_norm(text))


def outcome_of(text: str) -> str | None:
    """``resolved``, ``worse`` or ``已化解`` -> the outcome id; None if unknown."""
    return _spellings(OUTCOMES, "playbook.outcome.{id}").get(_norm(text))


def reply_key(text: str) -> str:
    """The same reply typed twice a little differently is one reply."""
    return _norm(text)


def check_log(typed: pd.DataFrame, problems: ProblemSet) -> pd.DataFrame:
    """Family and outcome ids for the labels a rep typed, with every unknown one named."""
    out = typed.copy()
    for column, parse, key, allowed in (
            ("family", family_of, "playbook.error.family", FAMILIES),
            ("outcome", outcome_of, "playbook.error.outcome", OUTCOMES)):
        raw = out[column].tolist()
        parsed = [parse(v) for v in raw]
        bad = np.array([k for k, v in enumerate(parsed) if v is None], dtype=np.int64)
        names = [t(("objections.family.{id}.name" if column == "family" else "playbook.outcome.{id}")
                   .format(id=a)) for a in allowed]
        problems.add(bad, column, lambda k, raw=raw, key=key, names=names: t(
            key, value=repr(raw[k]), allowed=t("content.separator").join(names)))
        out[column] = [v or "" for v in parsed]
    out["reply"] = out["reply"].astype(str).str.strip()
    return out


@dataclass(frozen=True)
class ReplyResult:
    """How one reply to one family of objection went, over the rows it was used in."""

    family: str
    reply: str  # as first written
    uses: int
    resolved: int
    open: int
    worse: int
    example: str  # an objection it answered

    @property
    def net(self) -> float:
        """Share resolved minus share made worse, from -1 to 1."""
        return (self.resolved - self.worse) / self.uses


def _results(log: pd.DataFrame) -> list[ReplyResult]:
    """Every (family, reply) of ``log``, best first within each family."""
    if log.empty:
        return []
    frame = log.assign(_key=[reply_key(r) for r in log["reply"]])
    found = []
    for (family, _), rows in frame.groupby(["family", "_key"], sort=False):
        counts = rows["outcome"].value_counts()
        found.append(ReplyResult(
            family=str(family), reply=str(rows["reply"].iloc[0]), uses=len(rows),
            resolved=int(counts.get("resolved", 0)), open=int(counts.get("open", 0)),
            worse=int(counts.get("worse", 0)), example=str(rows["objection"].iloc[0])))
    order = {f: k for k, f in enumerate(FAMILIES)}
    return sorted(found, key=lambda r: (order.get(r.family, len(order)), -r.net, -r.uses, r.reply))


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday a week starts on and the Sunday it ends on."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass(frozen=True)
class Review:
    """One week of the log, ranked."""

    start: dt.date
    end: dt.date
    objections: int
    by_family: dict[str, int]  # objections met per family this week
    ranked: tuple[ReplyResult, ...]


def _days(log: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(log["date"]).dt.date


def weekly_review(log: pd.DataFrame, day: dt.date) -> Review:
    """The week that holds ``day``: what the team met and which replies worked."""
    start, end = week_of(day)
    days = _days(log)
    week = log[(days >= start) & (days <= end)]
    by_family = {f: int(n) for f, n in week["family"].value_counts().items()}
    return Review(start, end, len(week), by_family, tuple(_results(week)))


@dataclass(frozen=True)
class Playbook:
    """What the team has learnt so far: per family, replies to use and to avoid."""

    until: dt.date | None  # the last day of the log it was built from
    use: tuple[ReplyResult, ...]
    avoid: tuple[ReplyResult, ...]


def build_playbook(log: pd.DataFrame, until: dt.date | None = None) -> Playbook:
    """The playbook from every row up to ``until`` (all rows when None)."""
    rows = log if until is None else log[_days(log) <= until]
    results = _results(rows)
    last = max(_days(rows)) if len(rows) else None
    return Playbook(until or last,
                    tuple(r for r in results if r.net > 0),
                    tuple(sorted((r for r in results if r.net < 0),
                                 key=lambda r: (FAMILIES.index(r.family), r.net, -r.uses))))
