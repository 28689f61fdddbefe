"""The gradebook: SQLite by default (one file), any SQLAlchemy URL otherwise, opened through
the one store (:mod:`salestrain.io.store`).

One row per (exercise, learner) in ``submissions`` and one row per test in
``results``. Every write is one transaction: a submission's row and all its results
appear together or not at all, so a grader killed at any moment leaves either the old
grade or the new one. Re-grading updates the row (same id) instead of adding one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from salestrain.base.errors import GradingError
from salestrain.grading.autograde import SubmissionResult
from salestrain.io import store

ENV_VAR = "SALESTRAIN_DB"  # so a password need not appear on a command line
DEFAULT_FILE = "gradebook.sqlite"

metadata = MetaData()

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True),
    Column("exercise", String(300), nullable=False),
    Column("learner", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("max_score", Float, nullable=False),
    Column("stopped", Text),
    Column("cell_errors", Text, nullable=False, default="[]"),
    Column("seconds", Float, nullable=False, default=0.0),
    Column("graded_at", DateTime(timezone=True), nullable=False),
    Column("times_graded", Integer, nullable=False, default=1),
    UniqueConstraint("exercise", "learner", name="one_grade_per_learner"),
)

results = Table(
    "results", metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("question", String(100), nullable=False),
    Column("test", Text, nullable=False),
    Column("hidden", Boolean, nullable=False),
    Column("status", String(20), nullable=False),
    Column("points", Float, nullable=False),
    Column("max_points", Float, nullable=False),
    Column("message", Text, nullable=False, default=""),
    Column("feedback_key", String(200), nullable=False, default=""),
)


# What the one store (salestrain.io.store) needs to know about the gradebook; its
# errors keep the grading catalog's wording.
KIND = store.Kind(
    name="gradebook", default_file=DEFAULT_FILE, metadata=metadata, error=GradingError,
    env_var=ENV_VAR,
    messages={"missing_driver": "grading.error.missing_db_driver",
              "bad_url": "grading.error.bad_db_url",
              "cannot_open": "grading.error.cannot_open_db"},
)


def resolve_url(db: str | None) -> str:
    """``--db`` as given, else $SALESTRAIN_DB, else gradebook.sqlite in the per-user data
    folder ($SALESTRAIN_DATA_DIR overrides it); a path means SQLite, and a plain
    ``postgresql://`` URL uses psycopg 3 (see :func:`salestrain.io.store.resolve_url`).
    """
    return store.resolve_url(db, KIND)


@dataclass
class Gradebook:
    engine: Engine

    @classmethod
    def open(cls, db: str | None = None, *, create: bool = True) -> Gradebook:
        """Open (``create=True``: and make, when missing) the gradebook at ``db``.

        Commands that only read (reports) pass ``create=False``: a missing gradebook is
        then a named error, and no empty file is left behind.
        """
        return cls(store.open_store(KIND, db, create=create).engine)

    def record(self, exercise: str, result: SubmissionResult) -> int:
        """Store one graded submission in one transaction; returns its row id."""
        now = datetime.now(UTC)
        values = {"sha256": result.sha256, "score": result.score, "max_score": result.max_score,
                  "stopped": result.stopped, "cell_errors": json.dumps(result.cell_errors),
                  "seconds": result.seconds, "graded_at": now}
        for attempt in range(2):
            try:
                with self.engine.begin() as conn:
                    row = conn.execute(select(submissions.c.id).where(
                        submissions.c.exercise == exercise,
                        submissions.c.learner == result.learner)).first()
                    if row is None:
                        sid = conn.execute(insert(submissions).values(
                            exercise=exercise, learner=result.learner, times_graded=1, **values)
                        ).inserted_primary_key[0]
                    else:
                        sid = row.id
                        # Incremented in SQL, not from the value read above: two graders
                        # updating one learner at once (PostgreSQL, READ COMMITTED) would
                        # otherwise both write the same count.
                        conn.execute(update(submissions).where(submissions.c.id == sid).values(
                            times_graded=submissions.c.times_graded + 1, **values))
                        conn.execute(delete(results).where(results.c.submission_id == sid))
                    if result.outcomes:
                        conn.execute(insert(results), [
                            {"submission_id": sid, "position": i, "question": o.question,
                             "test": o.name, "hidden": o.hidden, "status": o.status,
                             "points": o.points, "max_points": o.max_points,
                             "message": o.message, "feedback_key": o.feedback_key}
                            for i, o in enumerate(result.outcomes)])
                    return int(sid)
            except IntegrityError:
                # Another grader inserted the same learner between our select and insert:
                # the second attempt finds that row and updates it.
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def graded(self, exercise: str) -> dict[str, str]:
        """learner -> sha256 of the submission already graded."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(submissions.c.learner, submissions.c.sha256)
                                .where(submissions.c.exercise == exercise))
            return {r.learner: r.sha256 for r in rows}

    def exercises(self) -> list[str]:
        with self.engine.connect() as conn:
            return sorted({r[0] for r in conn.execute(select(submissions.c.exercise))})

    def rows(self, exercise: str | None = None) -> list[dict[str, Any]]:
        """Every submission with its results (for reports)."""
        with self.engine.connect() as conn:
            query = select(submissions).order_by(submissions.c.exercise, submissions.c.learner)
            if exercise is not None:
                query = query.where(submissions.c.exercise == exercise)
            subs = [dict(r._mapping) for r in conn.execute(query)]
            by_id = {s["id"]: s for s in subs}
            for s in subs:
                s["results"] = []
            if subs:
                for r in conn.execute(select(results).order_by(results.c.submission_id,
                                                                results.c.position)):
                    if r.submission_id in by_id:
                        by_id[r.submission_id]["results"].append(dict(r._mapping))
            return subs

    def dispose(self) -> None:
        self.engine.dispose()


def exercise_id(path: Path) -> str:
    """`sample/funnel_forecast` for exercises/sample/funnel_forecast.ipynb (else the stem)."""
    path = Path(path).resolve()
    parts = path.with_suffix("").parts
    if "exercises" in parts[:-1]:
        index = len(parts) - 1 - parts[::-1].index("exercises")
        return "/".join(parts[index + 1:])
    return path.stem


def integrity_problems(book: Gradebook) -> list[str]:
    """Everything wrong with the gradebook's rows; [] when it is whole.

    Checked: every submission row well-formed (learner and exercise named, a SHA-256,
    0 <= score <= max_score, times_graded >= 1), one row per learner x exercise, and its
    results agreeing with it (positions 0..n-1, points within their maximum, summing to
    the row's score and maximum). Run after every hostile batch in the tests."""
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    tolerance = 1e-9
    for row in book.rows():
        where = f"submission {row['id']} ({row['exercise']}, {row['learner']})"
        key = (row["exercise"], row["learner"])
        if key in seen:
            problems.append(f"{where}: second row for this learner and exercise (first {seen[key]})")
        seen[key] = row["id"]
        if not row["exercise"] or not row["learner"]:
            problems.append(f"{where}: exercise or learner is empty")
        sha = row["sha256"] or ""
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            problems.append(f"{where}: sha256 {sha!r} is not a SHA-256")
        score, most = row["score"], row["max_score"]
        if score is None or most is None or not (-tolerance <= score <= most + tolerance):
            problems.append(f"{where}: score {score!r} is not within 0..{most!r}")
        if not isinstance(row["times_graded"], int) or row["times_graded"] < 1:
            problems.append(f"{where}: times_graded {row['times_graded']!r} < 1")
        try:
            errors = json.loads(row["cell_errors"] or "[]")
        except ValueError:
            errors = None
        if not isinstance(errors, list):
            problems.append(f"{where}: cell_errors {row['cell_errors']!r} is not a JSON list")
        results_of = row["results"]
        if [r["position"] for r in results_of] != list(range(len(results_of))):
            problems.append(f"{where}: result positions {[r['position'] for r in results_of]} "
                            "are not 0..n-1")
        for r in results_of:
            if not (-tolerance <= r["points"] <= r["max_points"] + tolerance):
                problems.append(f"{where}: test {r['test']!r} has {r['points']} of {r['max_points']} points")
        if score is not None and abs(sum(r["points"] for r in results_of) - score) > 1e-6:
            problems.append(f"{where}: results add up to {sum(r['points'] for r in results_of)}, "
                            f"the row says {score}")
        if most is not None and abs(sum(r["max_points"] for r in results_of) - most) > 1e-6:
            problems.append(f"{where}: results' maximum adds up to "
                            f"{sum(r['max_points'] for r in results_of)}, the row says {most}")
    return problems
