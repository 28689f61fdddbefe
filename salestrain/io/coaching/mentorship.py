"""The mentorship record: dated assessments and notes per new hire, in one SQLite file.

A mentor keeps it across weeks, so it must survive restarts and never lose data: every
write is a transaction, and CSV imports are checked in full before anything is stored
(a bad file changes nothing). CSV export writes to a temporary name and renames it.

Tables: ``hires`` (name, mentor, start date), ``scores`` (one row per hire, date, rater
and item), ``notes`` (dated text by an author).
"""

from __future__ import annotations

import csv
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.core.coaching.instrument import RATERS, Instrument, Thresholds
from salestrain.core.coaching.table import KEY_COLUMNS, check_assessment_table, progress
from salestrain.io.coaching.content import load_instrument
from salestrain.io.coaching.files import read_csv

SCHEMA = """
CREATE TABLE IF NOT EXISTS hires (
    name TEXT PRIMARY KEY,
    mentor TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS scores (
    hire TEXT NOT NULL REFERENCES hires(name),
    date TEXT NOT NULL,
    rater TEXT NOT NULL CHECK (rater IN ('self', 'manager')),
    item TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (hire, date, rater, item)
);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hire TEXT NOT NULL REFERENCES hires(name),
    date TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL
);
"""
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
    """One SQLite file, opened per use; safe to open again after a restart.

    >>> record = MentorshipRecord("mentoring.sqlite")
    >>> record.add_hire("Lin Qiao", mentor="Marco Bellini", start_date="2026-03-02")
    """

    def __init__(self, path: str | Path, instrument: Instrument | None = None) -> None:
        self.path = Path(path)
        self.instrument = instrument or load_instrument()
        if self.path.parent and not self.path.parent.exists():
            raise DataError(t("coaching.error.no_folder", folder=str(self.path.parent)))
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path)
        except sqlite3.Error as exc:
            raise DataError(t("coaching.error.cannot_open", path=str(self.path),
                              reason=str(exc))) from None
        db.execute("PRAGMA foreign_keys = ON")
        try:
            with db:  # commit on success, roll back on any error
                yield db
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise DataError(t("coaching.error.not_sqlite", path=str(self.path))) from None
            raise
        finally:
            db.close()

    # -- hires -------------------------------------------------------------
    def add_hire(self, name: str, mentor: str = "", start_date: str = "") -> None:
        name = name.strip()
        if not name:
            raise _field_error("name", "coaching.error.empty_hire")
        start = _check_date(start_date, "start_date") if start_date else ""
        with self._connect() as db:
            db.execute("INSERT INTO hires(name, mentor, start_date) VALUES (?, ?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET mentor=CASE WHEN excluded.mentor='' "
                       "THEN mentor ELSE excluded.mentor END, "
                       "start_date=CASE WHEN excluded.start_date='' THEN start_date "
                       "ELSE excluded.start_date END", (name, mentor.strip(), start))

    def hires(self) -> pd.DataFrame:
        with self._connect() as db:
            return pd.read_sql_query("SELECT name, mentor, start_date FROM hires ORDER BY name", db)

    # -- assessments -------------------------------------------------------
    def add_assessment(self, name: str, date: str, rater: str, scores: Mapping[str, float]) -> None:
        """Store one rater's scores for one date; the same date and rater replaces them."""
        row = {"rep": name, "date": date, "rater": rater, **scores}
        table = check_assessment_table(pd.DataFrame([row]), self.instrument,
                                       t("coaching.error.assessment_of", name=name))
        self._store(table)

    def _store(self, table: pd.DataFrame) -> None:
        items = [c for c in table.columns if c not in KEY_COLUMNS]
        with self._connect() as db:
            for _, r in table.iterrows():
                db.execute("INSERT OR IGNORE INTO hires(name) VALUES (?)", (r["rep"],))
                db.execute("DELETE FROM scores WHERE hire=? AND date=? AND rater=?",
                           (r["rep"], r["date"], r["rater"]))
                db.executemany(
                    "INSERT INTO scores(hire, date, rater, item, score) VALUES (?, ?, ?, ?, ?)",
                    [(r["rep"], r["date"], r["rater"], i, float(r[i]))
                     for i in items if not pd.isna(r[i])],
                )

    def assessments(self, name: str | None = None) -> pd.DataFrame:
        """The wide table (``rep,date,rater,<items>``), as the CSV format has it."""
        query = "SELECT hire, date, rater, item, score FROM scores"
        args: tuple = ()
        if name is not None:
            query += " WHERE hire = ?"
            args = (name,)
        with self._connect() as db:
            long = pd.read_sql_query(query, db, params=args)
        items = list(self.instrument.item_ids)
        if long.empty:
            return pd.DataFrame(columns=[*KEY_COLUMNS, *items])
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
        with self._connect() as db:
            db.execute("INSERT OR IGNORE INTO hires(name) VALUES (?)", (name.strip(),))
            db.execute("INSERT INTO notes(hire, date, author, text) VALUES (?, ?, ?, ?)",
                       (name.strip(), day, author.strip(), text.strip()))

    def notes(self, name: str | None = None) -> pd.DataFrame:
        query = "SELECT hire AS rep, date, author, text FROM notes"
        args: tuple = ()
        if name is not None:
            query += " WHERE hire = ?"
            args = (name,)
        with self._connect() as db:
            return pd.read_sql_query(query + " ORDER BY date, id", db, params=args)

    # -- CSV ---------------------------------------------------------------
    def export_csv(self, assessments_path: str | Path, notes_path: str | Path | None = None) -> None:
        _write_csv(self.assessments(), assessments_path)
        if notes_path is not None:
            _write_csv(self.notes(), notes_path)

    def import_csv(self, assessments_path: str | Path | None = None,
                   notes_path: str | Path | None = None) -> int:
        """Check both files completely, then store them in one go; returns rows read."""
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
            with self._connect() as db:
                # Add each note as many times as the file has it beyond what the record
                # already holds: re-importing an export adds nothing, and two identical
                # notes on one day (both real) survive the round trip.
                rows = [tuple(r[c] for c in NOTE_COLUMNS) for _, r in notes.iterrows()]
                to_add: dict[tuple, int] = {}
                for key in dict.fromkeys(rows):
                    (held,) = db.execute("SELECT COUNT(*) FROM notes WHERE hire=? AND date=? "
                                         "AND author=? AND text=?", key).fetchone()
                    to_add[key] = max(0, rows.count(key) - held)
                for key in rows:  # in file order, so the notes keep their order
                    if to_add[key] > 0:
                        to_add[key] -= 1
                        db.execute("INSERT OR IGNORE INTO hires(name) VALUES (?)", (key[0],))
                        db.execute("INSERT INTO notes(hire, date, author, text) VALUES "
                                   "(?, ?, ?, ?)", key)
        return (0 if table is None else len(table)) + (0 if notes is None else len(notes))


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


def _write_csv(table: pd.DataFrame, path: str | Path) -> None:
    """Write next to the target and rename, so a crash never leaves half a file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            table.to_csv(fh, index=False, quoting=csv.QUOTE_MINIMAL, float_format="%g")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
