"""The mentorship record: dated assessments and notes per new hire, in one database.

A mentor keeps it across weeks, so it must survive restarts and never lose data: it is
opened through the one store (:mod:`salestrain.io.store`: a per-user data folder by
default, any SQLAlchemy URL otherwise), every write is a transaction, and CSV imports are
checked in full before anything is stored (a bad file changes nothing). CSV exports are
written whole (a temporary name, then a rename, with the user's umask) and never replace
a file without ``force``.

Tables: ``hires`` (name, mentor, start date), ``scores`` (one row per hire, date, rater
and item), ``notes`` (dated text by an author).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    select,
    update,
)

from salestrain.base.errors import DataError, Problem
from salestrain.base.files import check_writable, write_atomic
from salestrain.base.i18n import t
from salestrain.core.coaching.instrument import RATERS, Instrument, Thresholds
from salestrain.core.coaching.table import KEY_COLUMNS, check_assessment_table, progress
from salestrain.io import store
from salestrain.io.coaching.content import load_instrument
from salestrain.io.coaching.files import read_csv

# The same tables (names, columns, keys) the sqlite3 version made, so records kept
# before the move to the one store open unchanged.
metadata = MetaData()
hires_table = Table(
    "hires", metadata,
    Column("name", Text, primary_key=True),
    Column("mentor", Text, nullable=False, server_default=""),
    Column("start_date", Text, nullable=False, server_default=""),
)
scores_table = Table(
    "scores", metadata,
    Column("hire", Text, ForeignKey("hires.name"), nullable=False),
    Column("date", Text, nullable=False),
    Column("rater", Text, CheckConstraint("rater IN ('self', 'manager')"), nullable=False),
    Column("item", Text, nullable=False),
    Column("score", Float, nullable=False),
    PrimaryKeyConstraint("hire", "date", "rater", "item"),
)
notes_table = Table(
    "notes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hire", Text, ForeignKey("hires.name"), nullable=False),
    Column("date", Text, nullable=False),
    Column("author", Text, nullable=False, server_default=""),
    Column("text", Text, nullable=False),
    sqlite_autoincrement=True,
)
KIND = store.Kind(
    name="mentorship", default_file="mentorship.sqlite", metadata=metadata, error=DataError,
    env_var="SALESTRAIN_MENTORSHIP_DB",
    messages={"no_folder": "coaching.error.no_folder", "cannot_open": "coaching.error.cannot_open",
              "not_database": "coaching.error.not_sqlite", "missing": "coaching.error.no_record",
              "wrong_tables": "coaching.error.not_record"},
)
NOTE_COLUMNS = ("rep", "date", "author", "text")


def _parse_date(value: object) -> str | None:
    """``YYYY-MM-DD`` for a valid date, ``None`` otherwise."""
    parsed = pd.to_datetime(str(value), errors="coerce", format="%Y-%m-%d")
    return None if pd.isna(parsed) else parsed.strftime("%Y-%m-%d")


def _field_error(field: str, key: str, **values: object) -> DataError:
    """A one-field error, ``field: problem``, in the current language."""
    return DataError(t("coaching.error.field", field=field, problem=t(key, **values)))


def _check_date(value: str, field: str = "date") -> str:
    day = _parse_date(value)
    if day is None:
        raise _field_error(field, "coaching.error.not_a_date", value=repr(value))
    return day


class MentorshipRecord:
    """One database (a SQLite file by default), opened per use; safe to reopen after a restart.

    ``path`` is a file or a SQLAlchemy URL; without it the record lives in the per-user
    data folder (:mod:`salestrain.io.store`). ``create=False`` is for reading: a missing
    record is then a named error instead of a new empty one.

    >>> record = MentorshipRecord("mentoring.sqlite")
    >>> record.add_hire("Lin Qiao", mentor="Marco Bellini", start_date="2026-03-02")
    """

    def __init__(self, path: str | Path | None = None, instrument: Instrument | None = None,
                 *, create: bool = True) -> None:
        self.instrument = instrument or load_instrument()
        self.store = store.open_store(KIND, path, create=create)
        found = store.sqlite_file(self.store.url)
        self.path: Path | str = found if found is not None else self.store.shown

    # -- hires -------------------------------------------------------------
    def add_hire(self, name: str, mentor: str = "", start_date: str = "") -> None:
        name = name.strip()
        if not name:
            raise _field_error("name", "coaching.error.empty_hire")
        start = _check_date(start_date, "start_date") if start_date else ""
        mentor = mentor.strip()
        with self.store.begin() as db:
            held = db.execute(select(hires_table).where(hires_table.c.name == name)).first()
            if held is None:
                db.execute(insert(hires_table).values(name=name, mentor=mentor, start_date=start))
            else:
                # An empty field keeps what the record holds: adding a date never wipes the mentor.
                db.execute(update(hires_table).where(hires_table.c.name == name).values(
                    mentor=mentor or held.mentor, start_date=start or held.start_date))

    def hires(self) -> pd.DataFrame:
        with self.store.connect() as db:
            rows = db.execute(select(hires_table.c.name, hires_table.c.mentor,
                                     hires_table.c.start_date).order_by(hires_table.c.name))
            return pd.DataFrame(rows.all(), columns=["name", "mentor", "start_date"])

    # -- assessments -------------------------------------------------------
    def add_assessment(self, name: str, date: str, rater: str, scores: Mapping[str, float]) -> None:
        """Store one rater's scores for one date; the same date and rater replaces them."""
        row = {"rep": name, "date": date, "rater": rater, **scores}
        table = check_assessment_table(pd.DataFrame([row]), self.instrument,
                                       t("coaching.error.assessment_of", name=name))
        self._store(table)

    def _store(self, table: pd.DataFrame) -> None:
        items = [c for c in table.columns if c not in KEY_COLUMNS]
        s = scores_table.c
        with self.store.begin() as db:  # the whole table, or nothing
            for _, r in table.iterrows():
                _ensure_hire(db, r["rep"])
                db.execute(delete(scores_table).where(
                    s.hire == r["rep"], s.date == r["date"], s.rater == r["rater"]))
                values = [{"hire": r["rep"], "date": r["date"], "rater": r["rater"], "item": i,
                           "score": float(r[i])} for i in items if not pd.isna(r[i])]
                if values:
                    db.execute(insert(scores_table), values)

    def assessments(self, name: str | None = None) -> pd.DataFrame:
        """The wide table (``rep,date,rater,<items>``), as the CSV format has it."""
        s = scores_table.c
        query = select(s.hire, s.date, s.rater, s.item, s.score)
        if name is not None:
            query = query.where(s.hire == name)
        with self.store.connect() as db:
            long = pd.DataFrame(db.execute(query).all(),
                                columns=["hire", "date", "rater", "item", "score"])
        items = list(self.instrument.item_ids)
        if long.empty:
            return pd.DataFrame(columns=[*KEY_COLUMNS, *items])
        long["score"] = long["score"].astype("float64")
        wide = long.pivot_table(index=["hire", "date", "rater"], columns="item",
                                values="score", aggfunc="first").reset_index()
        wide = wide.rename(columns={"hire": "rep"})
        wide.columns.name = None
        for item in items:
            if item not in wide.columns:
                wide[item] = float("nan")
        order = {r: n for n, r in enumerate(RATERS)}
        wide = wide.sort_values(["rep", "date", "rater"], key=lambda s: s.map(order)
                                if s.name == "rater" else s)
        return wide[[*KEY_COLUMNS, *items]].reset_index(drop=True)

    def progress(self, name: str | None = None, thresholds: Thresholds | None = None) -> pd.DataFrame:
        """Capability, willingness, gaps and style per hire and date, oldest first."""
        return progress(self.assessments(name), self.instrument, thresholds)

    # -- notes -------------------------------------------------------------
    def add_note(self, name: str, date: str, text: str, author: str = "") -> None:
        if not text.strip():
            raise _field_error("text", "coaching.error.empty_note")
        day = _check_date(date)
        with self.store.begin() as db:
            _ensure_hire(db, name.strip())
            db.execute(insert(notes_table).values(hire=name.strip(), date=day,
                                                  author=author.strip(), text=text.strip()))

    def notes(self, name: str | None = None) -> pd.DataFrame:
        n = notes_table.c
        query = select(n.hire.label("rep"), n.date, n.author, n.text)
        if name is not None:
            query = query.where(n.hire == name)
        with self.store.connect() as db:
            rows = db.execute(query.order_by(n.date, n.id)).all()
        return pd.DataFrame(rows, columns=list(NOTE_COLUMNS))

    # -- CSV ---------------------------------------------------------------
    def export_csv(self, assessments_path: str | Path, notes_path: str | Path | None = None,
                   *, force: bool = False) -> tuple[int, int]:
        """Write the record as CSV; returns (assessment rows, note rows) written.

        Neither file is replaced unless ``force``: an export from the wrong record (a
        mistyped name) must not turn a full CSV into a header. Both targets are checked
        before either is written, so a refusal leaves both as they were.
        """
        targets = [Path(assessments_path)] + ([] if notes_path is None else [Path(notes_path)])
        tables = [self.assessments()] + ([] if notes_path is None else [self.notes()])
        for target in targets:
            check_writable(target, force=force)
        for target, table in zip(targets, tables, strict=True):
            write_atomic(target, _csv_text(table), force=force)
        return len(tables[0]), (len(tables[1]) if len(tables) > 1 else 0)

    def import_csv(self, assessments_path: str | Path | None = None,
                   notes_path: str | Path | None = None) -> int:
        """Check both files completely, then store them in one transaction; returns rows read."""
        table = None
        notes = None
        if assessments_path is not None:
            table = check_assessment_table(read_csv(assessments_path), self.instrument,
                                           str(assessments_path))
        if notes_path is not None:
            notes = _check_notes(read_csv(notes_path), str(notes_path))
        if table is not None:
            self._store(table)
        if notes is not None:
            n = notes_table.c
            with self.store.begin() as db:
                # Add each note as many times as the file has it beyond what the record
                # already holds: re-importing an export adds nothing, and two identical
                # notes on one day (both real) survive the round trip.
                rows = [tuple(r[c] for c in NOTE_COLUMNS) for _, r in notes.iterrows()]
                to_add: dict[tuple, int] = {}
                for key in dict.fromkeys(rows):
                    held = db.execute(select(func.count()).select_from(notes_table).where(and_(
                        n.hire == key[0], n.date == key[1], n.author == key[2],
                        n.text == key[3]))).scalar_one()
                    to_add[key] = max(0, rows.count(key) - held)
                for key in rows:  # in file order, so the notes keep their order
                    if to_add[key] > 0:
                        to_add[key] -= 1
                        _ensure_hire(db, key[0])
                        db.execute(insert(notes_table).values(
                            hire=key[0], date=key[1], author=key[2], text=key[3]))
        return (0 if table is None else len(table)) + (0 if notes is None else len(notes))


def _ensure_hire(db, name: str) -> None:
    """Add ``name`` to hires unless it is there (notes and scores refer to it)."""
    if db.execute(select(hires_table.c.name).where(hires_table.c.name == name)).first() is None:
        db.execute(insert(hires_table).values(name=name, mentor="", start_date=""))


def _check_notes(table: pd.DataFrame, source: str) -> pd.DataFrame:
    missing = [c for c in NOTE_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(t("coaching.error.missing_columns", source=source,
                          missing=", ".join(missing), columns=", ".join(NOTE_COLUMNS)))
    problems = []
    rows = []
    for pos, (_, r) in enumerate(table.iterrows()):
        line = pos + 2
        rep, text = str(r["rep"]).strip(), str(r["text"]).strip()
        if not rep:
            problems.append(Problem(source, line, "rep", t("coaching.error.empty_hire")))
        if not text:
            problems.append(Problem(source, line, "text", t("coaching.error.empty_note_row")))
        raw_date = str(r["date"]).strip()
        day = _parse_date(raw_date)
        if day is None:
            problems.append(Problem(source, line, "date",
                                    t("coaching.error.not_a_date", value=repr(raw_date))))
            day = ""
        rows.append({"rep": rep, "date": day, "author": str(r["author"]).strip(), "text": text})
    if problems:
        raise DataError(t("coaching.error.table", source=source, count=len(problems)), problems)
    return pd.DataFrame(rows, columns=list(NOTE_COLUMNS))


def _csv_text(table: pd.DataFrame) -> str:
    """The CSV format import reads (``%g`` keeps 3.0 as 3, as a trainer would type it)."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, float_format="%g",
                 lineterminator="\n")
    return buffer.getvalue()
