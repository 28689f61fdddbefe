"""The room's shared store: who joined, what was released, every submission as it arrived,
each live role-play table with every offer, and polls with their votes.

Only the classroom service (``salestrain.hub.service``, run by the hub as the trainer)
writes here; learners reach it through the service with their hub token, so nobody can
write in another learner's name. Every change is one transaction and is committed before
the service answers, so a hub restart loses nothing that a learner saw acknowledged.

SQLite for a small room, PostgreSQL for a big one: the same tables either way, through the
one store (:mod:`salestrain.io.store`). Table names carry a ``classroom_`` prefix so the
gradebook's tables can share a PostgreSQL database with them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)

from salestrain.io import store

DEFAULT_FILE = "classroom.sqlite"
metadata = MetaData()

learners = Table(
    "classroom_learners", metadata,
    Column("username", String(64), primary_key=True),   # the hub's (and the sandbox's) name
    Column("display", String(200), nullable=False),     # the name the learner typed
    Column("pin_hash", String(200), nullable=False),
    Column("lang", String(10), nullable=False),
    Column("joined_at", Float, nullable=False),
)
releases = Table(
    "classroom_releases", metadata,
    Column("exercise", String(300), primary_key=True),  # the id answers carry
    Column("source", Text, nullable=False),             # the trainer's notebook (never sent)
    Column("released_at", Float, nullable=False),
)
inbox = Table(
    "classroom_inbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("exercise", String(300), nullable=False),
    Column("payload", Text, nullable=False),            # the answers exactly as received
    Column("received_at", Float, nullable=False),
    Column("graded_at", Float),
    Column("result", Text),                             # the feedback the learner was shown
)
tables = Table(
    "classroom_tables", metadata,
    Column("id", Integer, primary_key=True),
    Column("round", Integer, nullable=False),           # one pairing of the room = one round
    Column("name", String(20), nullable=False),
    Column("scenario", Text, nullable=False),
    Column("seller", String(64), nullable=False),
    Column("buyer", String(64), nullable=False),
    Column("deadline", Text, nullable=False),           # {"rounds":.., "minutes":.., "started":..}
    UniqueConstraint("round", "name", name="one_table_name_per_round"),
)
moves = Table(
    "classroom_moves", metadata,
    Column("id", Integer, primary_key=True),
    Column("table_id", Integer, nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("role", String(10), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("offer", Text),
    Column("at", Float, nullable=False),
    UniqueConstraint("table_id", "seq", name="one_move_per_seq"),
)
polls = Table(
    "classroom_polls", metadata,
    Column("id", Integer, primary_key=True),
    Column("question", Text, nullable=False),           # {"en": .., "zh_CN": ..}
    Column("kind", String(10), nullable=False),         # number | choice
    Column("options", Text, nullable=False),            # choice labels, {"en": [..], "zh_CN": [..]}
    Column("answer", Text),                             # revealed after closing (optional)
    Column("opened_at", Float, nullable=False),
    Column("closed_at", Float),
)
votes = Table(
    "classroom_votes", metadata,
    Column("poll_id", Integer, primary_key=True),
    Column("username", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("at", Float, nullable=False),
)

KIND = store.Kind(name="classroom", default_file=DEFAULT_FILE, metadata=metadata)


def open_classroom(url: str) -> store.Store:
    return store.open_store(KIND, url, create=True)


# -- learners -------------------------------------------------------------------------

def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """PBKDF2 of the learner's PIN: the store never holds the PIN itself."""
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, 100_000)
    return f"{salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(hash_pin(pin, bytes.fromhex(salt)), stored)


@dataclass(frozen=True)
class Learner:
    username: str
    display: str
    lang: str


def join(st: store.Store, username: str, display: str, pin: str, lang: str) -> Learner | None:
    """Register a learner at first login, or check their PIN when they come back.

    Returns None when the name is taken by somebody with another PIN. The learner's
    language is the one they chose at this login.
    """
    with st.begin() as conn:
        row = conn.execute(select(learners).where(learners.c.username == username)).first()
        if row is None:
            conn.execute(insert(learners).values(username=username, display=display,
                                                 pin_hash=hash_pin(pin), lang=lang,
                                                 joined_at=time.time()))
        elif not pin_matches(pin, row.pin_hash):
            return None
        else:
            conn.execute(update(learners).where(learners.c.username == username).values(lang=lang))
    return Learner(username, display if row is None else row.display, lang)


def roster(st: store.Store) -> dict[str, Learner]:
    with st.connect() as conn:
        return {r.username: Learner(r.username, r.display, r.lang)
                for r in conn.execute(select(learners).order_by(learners.c.joined_at))}


def forget_pin(st: store.Store, username: str) -> bool:
    """The trainer frees a name whose PIN was forgotten: the next login with it sets a new PIN."""
    with st.begin() as conn:
        return conn.execute(learners.delete().where(learners.c.username == username)).rowcount > 0


# -- releases and submissions -----------------------------------------------------------

def release(st: store.Store, exercise: str, source: str) -> None:
    with st.begin() as conn:
        conn.execute(releases.delete().where(releases.c.exercise == exercise))
        conn.execute(insert(releases).values(exercise=exercise, source=source, released_at=time.time()))


def released(st: store.Store) -> dict[str, str]:
    with st.connect() as conn:
        return {r.exercise: r.source for r in conn.execute(select(releases).order_by(releases.c.released_at))}


def receive(st: store.Store, username: str, exercise: str, payload: str) -> int:
    """Keep a submission as it arrived (before grading: nothing is lost if grading fails)."""
    with st.begin() as conn:
        return int(conn.execute(insert(inbox).values(username=username, exercise=exercise,
                                                     payload=payload, received_at=time.time())
                                ).inserted_primary_key[0])


def mark_graded(st: store.Store, sid: int, result: dict[str, Any]) -> None:
    with st.begin() as conn:
        conn.execute(update(inbox).where(inbox.c.id == sid).values(
            graded_at=time.time(), result=json.dumps(result, ensure_ascii=False)))


def ungraded(st: store.Store) -> list[Any]:
    """Submissions received but not graded (the service grades these after a restart)."""
    with st.connect() as conn:
        return list(conn.execute(select(inbox).where(inbox.c.graded_at.is_(None)).order_by(inbox.c.id)))


def inbox_rows(st: store.Store) -> list[Any]:
    with st.connect() as conn:
        return list(conn.execute(select(inbox).order_by(inbox.c.id)))


# -- live role-play tables ----------------------------------------------------------------

def new_round(st: store.Store, rows: list[dict[str, Any]]) -> int:
    """Store one pairing of the room (rows: name, scenario, seller, buyer, deadline)."""
    with st.begin() as conn:
        last = conn.execute(select(tables.c.round).order_by(tables.c.round.desc())).first()
        number = (last.round if last else 0) + 1
        for row in rows:
            conn.execute(insert(tables).values(round=number, name=row["name"], scenario=row["scenario"],
                                               seller=row["seller"], buyer=row["buyer"],
                                               deadline=json.dumps(row["deadline"])))
    return number


def current_round(st: store.Store) -> list[Any]:
    with st.connect() as conn:
        last = conn.execute(select(tables.c.round).order_by(tables.c.round.desc())).first()
        if last is None:
            return []
        return list(conn.execute(select(tables).where(tables.c.round == last.round).order_by(tables.c.id)))


def round_version(st: store.Store) -> tuple[int, int, int]:
    """(round, tables, moves) of the current round: changes whenever anything in it does, so a
    debrief computed for one version can be served again until the next move."""
    from sqlalchemy import func

    with st.connect() as conn:
        last = conn.execute(select(func.max(tables.c.round))).scalar()
        if last is None:
            return (0, 0, 0)
        ids = select(tables.c.id).where(tables.c.round == last)
        count = conn.execute(select(func.count()).select_from(tables).where(tables.c.round == last)).scalar()
        made = conn.execute(select(func.count()).select_from(moves).where(moves.c.table_id.in_(ids))).scalar()
        return (int(last), int(count or 0), int(made or 0))


def table_moves(st: store.Store, table_id: int, after: int = 0) -> list[Any]:
    with st.connect() as conn:
        return list(conn.execute(select(moves).where(moves.c.table_id == table_id, moves.c.seq > after)
                                 .order_by(moves.c.seq)))


def add_move(st: store.Store, table_id: int, seq: int, role: str, kind: str,
             offer: list[int] | None, at: float) -> None:
    """One move, committed before anyone is told of it. The unique (table, seq) makes a
    second writer of the same seq fail instead of silently interleaving."""
    with st.begin() as conn:
        conn.execute(insert(moves).values(table_id=table_id, seq=seq, role=role, kind=kind,
                                          offer=None if offer is None else json.dumps(offer), at=at))


# -- polls ------------------------------------------------------------------------------

def open_poll(st: store.Store, question: dict[str, str], kind: str,
              options: dict[str, list[str]], answer: Any = None) -> int:
    with st.begin() as conn:
        conn.execute(update(polls).where(polls.c.closed_at.is_(None)).values(closed_at=time.time()))
        return int(conn.execute(insert(polls).values(
            question=json.dumps(question, ensure_ascii=False), kind=kind,
            options=json.dumps(options, ensure_ascii=False),
            answer=None if answer is None else json.dumps(answer), opened_at=time.time())
        ).inserted_primary_key[0])


def close_poll(st: store.Store) -> int | None:
    with st.begin() as conn:
        row = conn.execute(select(polls).where(polls.c.closed_at.is_(None))).first()
        if row is None:
            return None
        conn.execute(update(polls).where(polls.c.id == row.id).values(closed_at=time.time()))
        return int(row.id)


def latest_poll(st: store.Store) -> Any | None:
    with st.connect() as conn:
        return conn.execute(select(polls).order_by(polls.c.id.desc())).first()


def vote(st: store.Store, poll_id: int, username: str, value: Any) -> None:
    """A learner's vote; voting again replaces it (the latest counts)."""
    with st.begin() as conn:
        conn.execute(votes.delete().where(votes.c.poll_id == poll_id, votes.c.username == username))
        conn.execute(insert(votes).values(poll_id=poll_id, username=username,
                                          value=json.dumps(value), at=time.time()))


def poll_votes(st: store.Store, poll_id: int) -> dict[str, Any]:
    with st.connect() as conn:
        return {r.username: json.loads(r.value)
                for r in conn.execute(select(votes).where(votes.c.poll_id == poll_id))}
