"""Workshop agendas as data: slots with their length, what runs in them, and checks.

The trainer's guide (``docs/trainers-guide.md``) and its notebook show these agendas;
a test checks that the guide's tables are exactly :func:`agenda_markdown` of them and
that every case, app and module a slot names exists, so the guide cannot drift from
what the toolkit ships. Plain data in, plain data out: no widgets, no files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import pandas as pd

from salestrain.base.i18n import t

SlotKind = Literal["setup", "lesson", "case", "exercise", "debrief", "break"]
MODULES = ("start", "funnel", "negotiation", "objections", "coaching", "goals", "accounts", "grading")


@dataclass(frozen=True)
class Slot:
    """One block of a workshop day. ``title`` is a catalog key."""

    minutes: int
    kind: SlotKind
    title: str
    modules: tuple[str, ...] = ()
    case: str | None = None
    apps: tuple[str, ...] = ()
    notebook: str | None = None  # the lesson, relative to the project root

    @property
    def short(self) -> str:
        """Catalog key of the slot's few-word label (the agenda figure's bars)."""
        return self.title.replace("workshop.agenda.", "workshop.agenda_short.", 1)


@dataclass(frozen=True)
class Agenda:
    name: str
    title: str  # catalog key
    start: str  # "HH:MM"
    slots: tuple[Slot, ...] = field(default_factory=tuple)

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.slots)

    def times(self) -> list[tuple[str, str]]:
        """(start, end) clock times of every slot, back to back from ``start``."""
        clock = datetime.strptime(self.start, "%H:%M")
        out = []
        for slot in self.slots:
            end = clock + timedelta(minutes=slot.minutes)
            out.append((clock.strftime("%H:%M"), end.strftime("%H:%M")))
            clock = end
        return out


def _s(minutes: int, kind: SlotKind, key: str, modules: Iterable[str] = (), case: str | None = None,
       apps: Iterable[str] = (), notebook: str | None = None) -> Slot:
    return Slot(minutes, kind, f"workshop.agenda.{key}", tuple(modules), case, tuple(apps), notebook)


ONE_DAY = Agenda("one-day", "workshop.agenda.one_day", "09:00", (
    _s(30, "setup", "welcome", ["start"], apps=["start-here"],
       notebook="notebooks/00_start_here.ipynb"),
    _s(60, "lesson", "funnel", ["funnel"], apps=["funnel-forecast", "funnel-calibration"],
       notebook="notebooks/01_funnel_forecasting.ipynb"),
    _s(15, "break", "break"),
    _s(75, "case", "case_telecom", ["funnel", "accounts", "coaching"], case="telecom-post-mortem",
       notebook="cases/telecom-post-mortem/telecom-post-mortem.ipynb"),
    _s(60, "break", "lunch"),
    _s(45, "lesson", "negotiation", ["negotiation"], apps=["negotiation-play", "negotiation-debrief"],
       notebook="notebooks/02_negotiation.ipynb"),
    _s(75, "case", "case_pharma", ["negotiation", "objections"], case="pharma-displacement",
       notebook="cases/pharma-displacement/pharma-displacement.ipynb"),
    _s(15, "break", "break"),
    _s(40, "lesson", "objections", ["objections"], apps=["objections"],
       notebook="notebooks/03_objection_handling.ipynb"),
    _s(45, "exercise", "graded", ["grading"]),
    _s(20, "debrief", "report", ["grading"]),
))

HALF_DAY = Agenda("half-day", "workshop.agenda.half_day", "13:30", (
    _s(15, "setup", "welcome", ["start"], apps=["start-here"],
       notebook="notebooks/00_start_here.ipynb"),
    _s(45, "lesson", "accounts", ["goals", "accounts"], apps=["account-book"],
       notebook="notebooks/05_goals_and_accounts.ipynb"),
    _s(75, "case", "case_bank", ["accounts", "funnel"], case="state-bank",
       apps=["buying-centre"]),
    _s(15, "break", "break"),
    _s(40, "exercise", "graded", ["grading"]),
    _s(20, "debrief", "report", ["grading"]),
))

AGENDAS = {a.name: a for a in (ONE_DAY, HALF_DAY)}


def check_agenda(agenda: Agenda, cases: Iterable[str], apps: Iterable[str],
                 notebooks: Iterable[str] = (), length: int | None = None) -> list[str]:
    """Everything wrong with an agenda against what is installed; empty when sound."""
    cases, apps, notebooks = set(cases), set(apps), set(notebooks)
    problems = []
    if length is not None and agenda.minutes != length:
        problems.append(f"{agenda.name}: slots add up to {agenda.minutes} minutes, not {length}")
    for n, slot in enumerate(agenda.slots, start=1):
        where = f"{agenda.name} slot {n}"
        if slot.minutes <= 0:
            problems.append(f"{where}: length {slot.minutes} must be positive")
        if slot.case is not None and slot.case not in cases:
            problems.append(f"{where}: no case {slot.case!r}; shipped: {', '.join(sorted(cases))}")
        if slot.kind == "case" and slot.case is None:
            problems.append(f"{where}: a case slot names its case")
        for app in slot.apps:
            if app not in apps:
                problems.append(f"{where}: no app {app!r}; `salestrain app --list` shows the names")
        if slot.notebook is not None and slot.notebook not in notebooks:
            problems.append(f"{where}: no lesson {slot.notebook!r}")
        for module in slot.modules:
            if module not in MODULES:
                problems.append(f"{where}: unknown module {module!r}")
    return problems


def agenda_table(agenda: Agenda) -> pd.DataFrame:
    """One row per slot with clock times, for notebooks and the guide."""
    rows = []
    for (start, end), slot in zip(agenda.times(), agenda.slots, strict=True):
        rows.append({"start": start, "end": end, "minutes": slot.minutes, "kind": slot.kind,
                     "title": t(slot.title), "short": t(slot.short), "case": slot.case or "",
                     "notebook": slot.notebook or "",
                     "apps": ", ".join(slot.apps), "modules": ", ".join(slot.modules)})
    return pd.DataFrame(rows)


def agenda_markdown(agenda: Agenda) -> str:
    """The agenda as the Markdown table the trainer's guide prints."""
    header = (f"| {t('workshop.agenda.col_time')} | {t('workshop.agenda.col_minutes')} | "
              f"{t('workshop.agenda.col_what')} | {t('workshop.agenda.col_uses')} |")
    lines = [header, "|---|---|---|---|"]
    for row in agenda_table(agenda).itertuples():
        uses = []
        if row.case:
            uses.append(f"`salestrain case {row.case} --note`")
        if row.notebook:
            uses.append(f"`{row.notebook}`")
        uses += [f"`salestrain app {a}`" for a in row.apps.split(", ") if a]
        lines.append(f"| {row.start}-{row.end} | {row.minutes} | {row.title} | {'; '.join(uses)} |")
    return "\n".join(lines)
