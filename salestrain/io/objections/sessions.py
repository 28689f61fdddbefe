"""Saving objection-handling sessions (coach mode and plays) to SQLite.

One file holds every session: a ``sessions`` row per conversation and a ``steps``
row per reply, with the marks as JSON. Each write is one transaction, so a crash
mid-session leaves the steps already scored intact.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from salestrain.base.errors import DataError
from salestrain.base.i18n import t

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario TEXT NOT NULL,          -- shipped name or path, as load_scenario takes it
    mode TEXT NOT NULL CHECK (mode IN ('coach', 'play')),
    learner TEXT NOT NULL DEFAULT '',
    mentor TEXT NOT NULL DEFAULT '',
    started TEXT NOT NULL,
    finished TEXT,
    ending TEXT,
    total REAL,
    technique REAL
);
CREATE TABLE IF NOT EXISTS steps (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    number INTEGER NOT NULL,
    node TEXT NOT NULL,
    buyer_line TEXT NOT NULL,
    reply TEXT NOT NULL,
    option INTEGER NOT NULL,
    marks TEXT NOT NULL,
    points REAL NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, number)
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def _connect(path: str | Path) -> Iterator[sqlite3.Connection]:
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise DataError(t("objections.error.no_folder", path=path, folder=path.parent))
    try:
        con = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise DataError(t("objections.error.cannot_open", path=path, error=exc)) from None
    try:
        with con:  # one transaction: committed on success, rolled back on error
            if not _has_schema(con):
                con.executescript(SCHEMA)
            yield con
    except sqlite3.DatabaseError as exc:
        raise DataError(t("objections.error.not_database", path=path, error=exc)) from None
    finally:
        con.close()


def _has_schema(con: sqlite3.Connection) -> bool:
    rows = con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    return {"sessions", "steps"} <= {r[0] for r in rows}


def start_session(path: str | Path, scenario: str, mode: str, learner: str = "",
                  mentor: str = "") -> int:
    with _connect(path) as con:
        cur = con.execute(
            "INSERT INTO sessions (scenario, mode, learner, mentor, started) VALUES (?,?,?,?,?)",
            (scenario, mode, learner, mentor, _now()))
        return int(cur.lastrowid)


def add_step(path: str | Path, session: int, number: int, node: str, buyer_line: str,
             reply: str, option: int, marks: Mapping[str, int], points: float,
             comment: str = "") -> None:
    with _connect(path) as con:
        con.execute(
            "INSERT INTO steps (session_id, number, node, buyer_line, reply, option, marks,"
            " points, comment) VALUES (?,?,?,?,?,?,?,?,?)",
            (session, number, node, buyer_line, reply, option, json.dumps(dict(marks)),
             points, comment))


def finish_session(path: str | Path, session: int, ending: str | None, total: float,
                   technique: float) -> None:
    with _connect(path) as con:
        con.execute("UPDATE sessions SET finished=?, ending=?, total=?, technique=? WHERE id=?",
                    (_now(), ending, total, technique, session))


def load_session(path: str | Path, session: int) -> dict[str, Any]:
    """A session with its steps, in order, marks decoded."""
    with _connect(path) as con:
        con.row_factory = sqlite3.Row
        row = con.execute("SELECT * FROM sessions WHERE id=?", (session,)).fetchone()
        if row is None:
            raise DataError(t("objections.error.no_session", path=path, session=session))
        steps = con.execute("SELECT * FROM steps WHERE session_id=? ORDER BY number",
                            (session,)).fetchall()
    out = dict(row)
    out["steps"] = [{**dict(s), "marks": json.loads(s["marks"])} for s in steps]
    return out


def list_sessions(path: str | Path, learner: str | None = None) -> list[dict[str, Any]]:
    with _connect(path) as con:
        con.row_factory = sqlite3.Row
        if learner is None:
            rows = con.execute("SELECT * FROM sessions ORDER BY id").fetchall()
        else:
            rows = con.execute("SELECT * FROM sessions WHERE learner=? ORDER BY id",
                               (learner,)).fetchall()
    return [dict(r) for r in rows]


def replay_session(path: str | Path, session: int):
    """The saved session as a core Transcript, replayed from its stored choices."""
    from salestrain.core.objections import replay
    from salestrain.io.objections.scenarios import load_scenario

    saved = load_session(path, session)
    return replay(load_scenario(saved["scenario"]), [s["option"] for s in saved["steps"]])
