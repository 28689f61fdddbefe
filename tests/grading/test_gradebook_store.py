"""The gradebook through the one store (salestrain/io/store.py), on SQLite and PostgreSQL.

``gradebook_db`` (tests/grading/conftest.py) runs each test on a SQLite file and on a new
database of a real PostgreSQL server (tests/postgres.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from salestrain.base.errors import GradingError
from salestrain.grading.autograde import SubmissionResult
from salestrain.grading.gradebook import Gradebook, resolve_url
from salestrain.grading.outcome import TestOutcome
from salestrain.io import store
from tests import postgres


def _result(learner: str) -> SubmissionResult:
    return SubmissionResult(learner, f"/x/{learner}.ipynb", "a" * 64, [
        TestOutcome("q1", "t", False, "passed", 1.0, 1.0, "", "grading.sample.weighted")])


def _tables(url: str) -> set[str]:
    engine = create_engine(resolve_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_reading_a_gradebook_that_was_never_written_creates_nothing(gradebook_db):
    # SQLite: the file does not exist yet. PostgreSQL: the database exists, empty.
    with pytest.raises(GradingError) as info:
        Gradebook.open(gradebook_db, create=False)
    message = str(info.value)
    assert "the gradebook" in message and "Traceback" not in message
    if "://" in gradebook_db:
        assert "is a database but not the gradebook" in message and "submissions" in message
        assert _tables(gradebook_db) == set()  # no table was made on the server
    else:
        assert "does not exist" in message and not Path(gradebook_db).exists()
    # Grading creates it; a reader then sees the grades.
    Gradebook.open(gradebook_db).record("sample/x", _result("ana"))
    book = Gradebook.open(gradebook_db, create=False)
    assert [r["learner"] for r in book.rows()] == ["ana"]
    book.dispose()


def test_plain_postgresql_urls_use_psycopg_3_and_passwords_are_masked(postgres_server):
    gradebook_db = postgres.fresh_database(postgres_server, "gradebook_urls")
    assert resolve_url(gradebook_db).startswith("postgresql+psycopg://")
    heroku = "postgres://" + gradebook_db.split("://", 1)[1]
    assert resolve_url(heroku).startswith("postgresql+psycopg://")
    book = Gradebook.open(heroku)
    assert book.engine.dialect.driver == "psycopg"
    book.dispose()
    secret = gradebook_db.replace("postgres@", "postgres:s3cret-pw@")
    assert "s3cret-pw" not in store.shown(resolve_url(secret)) and "***" in store.shown(secret)


def test_the_default_gradebook_is_in_the_data_folder_not_the_working_one(tmp_path, monkeypatch):
    monkeypatch.delenv("SALESTRAIN_DB", raising=False)
    monkeypatch.setenv("SALESTRAIN_DATA_DIR", str(tmp_path / "data"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with pytest.raises(GradingError, match="does not exist"):
        Gradebook.open(create=False)  # a report before any grading
    assert not (tmp_path / "data").exists()
    book = Gradebook.open()
    book.record("sample/x", _result("ana"))
    book.dispose()
    assert (tmp_path / "data" / "gradebook.sqlite").is_file()
    assert list(work.iterdir()) == []
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'gradebook.sqlite'}"


def test_sqlite_connections_enforce_foreign_keys(tmp_path):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    book = Gradebook.open(str(tmp_path / "gb.sqlite"))
    with book.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 30000
    with pytest.raises(IntegrityError), book.engine.begin() as conn:
        conn.execute(text("INSERT INTO results (submission_id, position, question, test, hidden,"
                          " status, points, max_points, message, feedback_key) VALUES "
                          "(999, 0, 'q', 't', 0, 'passed', 1, 1, '', '')"))
    book.dispose()


def test_a_file_that_is_not_a_database_is_named_and_left_alone(tmp_path):
    junk = tmp_path / "grades.sqlite"
    junk.write_text("name,score\nana,7\n" * 40)
    before = junk.read_bytes()
    for create in (True, False):
        with pytest.raises(GradingError, match="is not the gradebook"):
            Gradebook.open(str(junk), create=create)
    assert junk.read_bytes() == before
    with pytest.raises(GradingError, match="folder .* does not exist"):
        Gradebook.open(str(tmp_path / "no-such-folder" / "gb.sqlite"))
    assert not (tmp_path / "no-such-folder").exists()


def test_a_data_folder_that_cannot_be_made_names_the_variable(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.delenv("SALESTRAIN_DB", raising=False)
    monkeypatch.setenv("SALESTRAIN_DATA_DIR", str(blocker / "data"))
    with pytest.raises(GradingError, match="cannot create the data folder .*SALESTRAIN_DATA_DIR"):
        Gradebook.open()
