"""Saving objection-handling sessions (coach mode and plays) in the one store.

One database holds every session: a ``sessions`` row per conversation and a ``steps``
row per reply, with the marks as JSON. It is opened through :mod:`salestrain.io.store`
(the per-user data folder unless a file or URL is given), and each write is one
transaction, so a crash mid-session leaves the steps already scored intact. Reading
(:func:`load_session`, :func:`list_sessions`) never creates a database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    insert,
    select,
    update,
)

from salestrain.base.errors import DataError
from salestrain.base.i18n import t
from salestrain.io import store

# The tables the sqlite3 version made, column for column, so older files open unchanged.
metadata = MetaData()
sessions_table = Table(
    "sessions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scenario", Text, nullable=False),  # shipped name or path, as load_scenario takes it
    Column("mode", Text, CheckConstraint("mode IN ('coach', 'play')"), nullable=False),
    Column("learner", Text, nullable=False, server_default=""),
    Column("mentor", Text, nullable=False, server_default=""),
    Column("started", Text, nullable=False),
    Column("finished", Text),
    Column("ending", Text),
    Column("total", Float),
    Column("technique", Float),
    sqlite_autoincrement=True,
)
steps_table = Table(
    "steps", metadata,
    Column("session_id", Integer, ForeignKey("sessions.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("node", Text, nullable=False),
    Column("buyer_line", Text, nullable=False),
    Column("reply", Text, nullable=False),
    Column("option", Integer, nullable=False),
    Column("marks", Text, nullable=False),
    Column("points", Float, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    PrimaryKeyConstraint("session_id", "number"),
)
# SALESTRAIN_COACH_DB names the file coach mode saves to (a served app takes no arguments).
KIND = store.Kind(
    name="objections", default_file="objection-coaching.sqlite", metadata=metadata,
    error=DataError, env_var="SALESTRAIN_COACH_DB",
    messages={"no_folder": "objections.error.no_folder",
              "cannot_open": "objections.error.cannot_open",
              "not_database": "objections.error.not_database",
              "missing": "objections.error.no_database"},
)


def default_path() -> Path:
    """Where sessions are kept when no file is named: $SALESTRAIN_COACH_DB, else the data folder."""
    return store.default_path(KIND)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _open(path: str | Path | None, *, create: bool) -> store.Store:
    return store.open_store(KIND, path, create=create)


def start_session(path: str | Path | None, scenario: str, mode: str, learner: str = "",
                  mentor: str = "") -> int:
    db = _open(path, create=True)
    with db.begin() as con:
        result = con.execute(insert(sessions_table).values(
            scenario=scenario, mode=mode, learner=learner, mentor=mentor, started=_now()))
        return int(result.inserted_primary_key[0])


def add_step(path: str | Path | None, session: int, number: int, node: str, buyer_line: str,
             reply: str, option: int, marks: Mapping[str, int], points: float,
             comment: str = "") -> None:
    db = _open(path, create=True)
    with db.begin() as con:
        con.execute(insert(steps_table).values(
            session_id=session, number=number, node=node, buyer_line=buyer_line, reply=reply,
            option=option, marks=json.dumps(dict(marks)), points=points, comment=comment))


def finish_session(path: str | Path | None, session: int, ending: str | None, total: float,
                   technique: float) -> None:
    db = _open(path, create=True)
    with db.begin() as con:
        con.execute(update(sessions_table).where(sessions_table.c.id == session).values(
            finished=_now(), ending=ending, total=total, technique=technique))


def load_session(path: str | Path | None, session: int) -> dict[str, Any]:
    """A session with its steps, in order, marks decoded."""
    db = _open(path, create=False)
    with db.connect() as con:
        row = con.execute(select(sessions_table).where(sessions_table.c.id == session)).first()
        if row is None:
            raise DataError(t("objections.error.no_session", path=_where(db), session=session))
        steps = con.execute(select(steps_table).where(steps_table.c.session_id == session)
                            .order_by(steps_table.c.number)).all()
    out = dict(row._mapping)
    out["steps"] = [{**dict(s._mapping), "marks": json.loads(s.marks)} for s in steps]
    return out


def list_sessions(path: str | Path | None, learner: str | None = None) -> list[dict[str, Any]]:
    db = _open(path, create=False)
    query = select(sessions_table).order_by(sessions_table.c.id)
    if learner is not None:
        query = query.where(sessions_table.c.learner == learner)
    with db.connect() as con:
        return [dict(r._mapping) for r in con.execute(query)]


def _where(db: store.Store) -> Path | str:
    found = store.sqlite_file(db.url)
    return found if found is not None else db.shown


def replay_session(path: str | Path | None, session: int):
    """The saved session as a core Transcript, replayed from its stored choices."""
    from salestrain.core.objections import replay
    from salestrain.io.objections.scenarios import load_scenario

    saved = load_session(path, session)
    return replay(load_scenario(saved["scenario"]), [s["option"] for s in saved["steps"]])
