"""Objection sessions in the one store: where coach mode keeps them, and reading never creates."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbclient import NotebookClient

from salestrain.apps import get_app
from salestrain.apps.objections import CoachApp, default_coach_db
from salestrain.base.errors import DataError, SalestrainError
from salestrain.cli.main import main
from salestrain.cli.projector import projector_notebook
from salestrain.io.objections.sessions import list_sessions, load_session, start_session

NAME = "lumacorp-shelf-analytics"
MARKS = {"acknowledge": 1, "explore": 2, "family_fit": 2, "persona_fit": 1, "advance": 0}


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("SALESTRAIN_DATA_DIR", str(folder))
    monkeypatch.delenv("SALESTRAIN_COACH_DB", raising=False)
    return folder


@pytest.mark.slow
def test_coach_mode_in_projector_mode_keeps_its_records_after_the_app_stops(data_dir):
    # What `salestrain app objection-coach` does: the notebook it writes, run by a kernel
    # whose working folder is the app's temporary folder, deleted when the app stops.
    nb = projector_notebook("objection-coach", "en")
    nb.cells.append(nbformat.v4.new_code_cell(
        f"app.controls['learner'].value = 'Mia Torres'\n"
        f"app.submit('How will you choose between the four?', {MARKS!r})\n"
        "print(app.db_path)"))
    with tempfile.TemporaryDirectory(prefix="salestrain-app-") as folder:
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": folder}}).execute()
        saved_to = "".join(o.get("text", "") for o in nb.cells[-1].outputs).strip()
        assert not Path(saved_to).is_relative_to(folder)
        assert list(Path(folder).iterdir()) == []
    assert Path(saved_to) == data_dir / "objection-coaching.sqlite"
    [session] = list_sessions(None)  # the default store, after the folder is gone
    assert session["learner"] == "Mia Torres" and session["mode"] == "coach"
    listing = CliRunner().invoke(main, ["objections", "sessions"])
    assert listing.exit_code == 0 and "Mia Torres" in listing.output


def test_the_default_store_is_the_per_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SALESTRAIN_DATA_DIR", raising=False)
    monkeypatch.delenv("SALESTRAIN_COACH_DB", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    # The XDG location on Linux, whatever folder the app was started from.
    expected = tmp_path / "home" / ".local" / "share" / "salestrain" / "objection-coaching.sqlite"
    assert default_coach_db() == expected
    assert get_app("objection-coach").factory().db_path == expected
    monkeypatch.setenv("SALESTRAIN_COACH_DB", str(tmp_path / "chosen.sqlite"))
    assert default_coach_db() == tmp_path / "chosen.sqlite"


def test_coach_app_without_a_path_saves_to_the_data_folder(data_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = CoachApp(scenario=NAME, learner="Sam Lee")
    assert not data_dir.exists()  # nothing is written before the first scored reply
    app.submit("What would a wrong choice cost you?", MARKS)
    assert (data_dir / "objection-coaching.sqlite").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert load_session(None, app.session)["learner"] == "Sam Lee"


def test_reading_never_creates_a_database(data_dir, tmp_path):
    missing = tmp_path / "typo.sqlite"
    for read in (lambda: list_sessions(missing), lambda: load_session(missing, 1),
                 lambda: list_sessions(None)):
        with pytest.raises(DataError, match="does not exist; coach mode creates it"):
            read()
    result = CliRunner().invoke(main, ["objections", "sessions", str(missing)])
    assert isinstance(result.exception, SalestrainError)
    result = CliRunner().invoke(main, ["objections", "sessions"])
    assert isinstance(result.exception, SalestrainError)
    assert not missing.exists() and not data_dir.exists()


def test_sessions_saved_by_the_sqlite3_version_still_load(tmp_path):
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript("""
            CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, scenario TEXT NOT NULL,
              mode TEXT NOT NULL CHECK (mode IN ('coach', 'play')), learner TEXT NOT NULL
              DEFAULT '', mentor TEXT NOT NULL DEFAULT '', started TEXT NOT NULL, finished TEXT,
              ending TEXT, total REAL, technique REAL);
            CREATE TABLE steps (session_id INTEGER NOT NULL REFERENCES sessions(id),
              number INTEGER NOT NULL, node TEXT NOT NULL, buyer_line TEXT NOT NULL,
              reply TEXT NOT NULL, option INTEGER NOT NULL, marks TEXT NOT NULL,
              points REAL NOT NULL, comment TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (session_id, number));
            INSERT INTO sessions (scenario, mode, learner, started)
              VALUES ('lumacorp-shelf-analytics', 'coach', 'Mia Torres', '2026-11-30T09:00:00+00:00');
            INSERT INTO steps VALUES (1, 1, 'open', 'Why four?', 'Tell me more', 1,
              '{"explore": 2}', 2.0, 'good');
        """)
    saved = load_session(db, 1)
    assert saved["learner"] == "Mia Torres" and saved["steps"][0]["marks"] == {"explore": 2}
    assert start_session(db, NAME, "play") == 2  # the numbering goes on


def test_a_step_for_a_session_that_does_not_exist_is_refused(tmp_path):
    from sqlalchemy.exc import IntegrityError

    from salestrain.io.objections.sessions import add_step

    db = tmp_path / "s.sqlite"
    start_session(db, NAME, "coach")
    with pytest.raises(IntegrityError):  # foreign keys are on in every connection
        add_step(db, 99, 1, "open", "line", "reply", 0, {"explore": 1}, 1.0)
    assert load_session(db, 1)["steps"] == []
