"""`salestrain coaching ...` and `salestrain validate` on assessment CSVs."""

from click.testing import CliRunner

from salestrain.cli.main import main
from salestrain.io.coaching.files import SAMPLE_ASSESSMENTS


def test_place_prints_each_reps_path_and_decision():
    result = CliRunner().invoke(main, ["coaching", "place", str(SAMPLE_ASSESSMENTS)])
    assert result.exit_code == 0, result.output
    assert "Aisha Rahman: 4.29 x 2.00  Delegate -> Excite" in result.output
    strict = CliRunner().invoke(main, ["coaching", "place", str(SAMPLE_ASSESSMENTS), "--border", "low"])
    assert "Daniel Ortiz: 3.00 x 3.00  Direct -> Direct" in strict.output


def test_record_import_progress_export(tmp_path):
    db = tmp_path / "m.sqlite"
    runner = CliRunner()
    out = runner.invoke(main, ["coaching", "record", "import", str(db), "--assessments",
                               str(SAMPLE_ASSESSMENTS)])
    assert out.exit_code == 0 and "24 row(s)" in out.output
    prog = runner.invoke(main, ["coaching", "record", "progress", str(db), "--rep", "Grace Okafor"])
    assert "guide" in prog.output and "delegate" in prog.output
    exp = runner.invoke(main, ["coaching", "record", "export", str(db), "--assessments",
                               str(tmp_path / "out.csv")])
    assert exp.exit_code == 0
    assert (tmp_path / "out.csv").read_text().count("\n") == 25


def test_validate_reports_assessment_csv_rows_and_leaves_other_csvs_alone(tmp_path):
    (tmp_path / "scores.csv").write_text("rep,date,rater,discovery\nA,2026-01-31,boss,9\n")
    (tmp_path / "other.csv").write_text("stage,entered\nx,1\n")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "scores.csv:2: rater: 'boss' is not a rater" in result.output
    assert "scores.csv:2: discovery: 9 is outside 1-5" in result.output
    assert "other.csv" not in result.output


# -- data safety (issue 17): read commands never create, exports never replace -------------

import os  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from salestrain.base.errors import SalestrainError  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def salestrain(*args: str, cwd: Path, data_dir: Path):
    """The command as a trainer runs it: a new process, its exit code, what it prints."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd),
           "SALESTRAIN_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "salestrain", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def kept(tmp_path) -> tuple[Path, Path]:
    """A real record with 24 assessment rows, and the trainer's full CSV export of it."""
    db, csv_file = tmp_path / "mentoring.sqlite", tmp_path / "scores.csv"
    runner = CliRunner()
    assert runner.invoke(main, ["coaching", "record", "import", str(db), "--assessments",
                                str(SAMPLE_ASSESSMENTS)]).exit_code == 0
    assert runner.invoke(main, ["coaching", "record", "export", str(db), "--assessments",
                                str(csv_file)]).exit_code == 0
    assert csv_file.read_text().count("\n") == 25
    return db, csv_file


def test_export_from_a_mistyped_database_creates_nothing_and_keeps_the_csv(tmp_path, kept):
    _, csv_file = kept
    before = csv_file.read_bytes()
    typo = tmp_path / "mentorng.sqlite"
    proc = salestrain("coaching", "record", "export", str(typo), "--assessments", str(csv_file),
                      "--force", cwd=tmp_path, data_dir=tmp_path / "data")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{typo} does not exist" in proc.stderr and "record import" in proc.stderr
    assert not typo.exists() and csv_file.read_bytes() == before


def test_progress_on_a_missing_database_creates_nothing(tmp_path):
    for args in (["progress", str(tmp_path / "none.sqlite")], ["progress"]):
        result = CliRunner().invoke(main, ["coaching", "record", *args],
                                    env={"SALESTRAIN_DATA_DIR": str(tmp_path / "data")})
        assert isinstance(result.exception, SalestrainError)
        assert "does not exist, so there is no mentorship record" in str(result.exception)
    assert list(tmp_path.iterdir()) == []  # not the file, not even the data folder


def test_export_never_replaces_a_file_without_force(tmp_path, kept):
    db, csv_file = kept
    notes = tmp_path / "notes.csv"
    notes.write_text("keep me\n")
    csv_file.write_text("rep,date,rater\nkeep,me,too\n")
    before = csv_file.read_bytes()
    runner = CliRunner()
    refused = runner.invoke(main, ["coaching", "record", "export", str(db), "--assessments",
                                   str(tmp_path / "new.csv"), "--notes", str(notes)])
    assert isinstance(refused.exception, SalestrainError)
    assert "already exists" in str(refused.exception) and "--force" in str(refused.exception)
    # Both targets are checked first: the new assessments file was not written either.
    assert not (tmp_path / "new.csv").exists() and notes.read_text() == "keep me\n"
    refused = runner.invoke(main, ["coaching", "record", "export", str(db), "--assessments",
                                   str(csv_file)])
    assert isinstance(refused.exception, SalestrainError) and csv_file.read_bytes() == before
    forced = runner.invoke(main, ["coaching", "record", "export", str(db), "--assessments",
                                  str(csv_file), "--force"])
    assert forced.exit_code == 0 and "24 assessment row(s)" in forced.output
    assert csv_file.read_text().count("\n") == 25


def test_export_into_a_missing_folder_is_a_named_error(tmp_path, kept):
    db, _ = kept
    target = tmp_path / "no-such-folder" / "scores.csv"
    proc = salestrain("coaching", "record", "export", str(db), "--assessments", str(target),
                      cwd=tmp_path, data_dir=tmp_path / "data")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "the folder" in proc.stderr and "does not exist" in proc.stderr
    assert not target.parent.exists()


@pytest.fixture
def umask():
    """Set the process umask for one test and always put the old one back."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield os.umask
    os.umask(saved)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_exports_honour_the_umask(tmp_path, kept, umask, mask, mode):
    db, _ = kept
    target = tmp_path / f"scores-{mask:o}.csv"
    umask(mask)
    result = CliRunner().invoke(main, ["coaching", "record", "export", str(db),
                                       "--assessments", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == mode


def test_without_a_db_argument_the_record_lives_in_the_data_folder(tmp_path, monkeypatch):
    data = tmp_path / "data"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("SALESTRAIN_DATA_DIR", str(data))
    runner = CliRunner()
    out = runner.invoke(main, ["coaching", "record", "import", "--assessments",
                               str(SAMPLE_ASSESSMENTS)])
    assert out.exit_code == 0, out.output
    assert (data / "mentorship.sqlite").is_file() and str(data) in out.output
    assert data.stat().st_mode & 0o777 == 0o700  # learners' records: the folder is private
    assert list(work.iterdir()) == []  # nothing in the working folder
    prog = runner.invoke(main, ["coaching", "record", "progress", "--rep", "Grace Okafor"])
    assert prog.exit_code == 0 and "delegate" in prog.output


def test_a_database_of_another_kind_is_refused_and_left_alone(tmp_path):
    other = tmp_path / "gradebook.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE submissions (id INTEGER PRIMARY KEY)")
    before = other.read_bytes()
    result = CliRunner().invoke(main, ["coaching", "record", "progress", str(other)])
    assert isinstance(result.exception, SalestrainError)
    assert "is a database but not a mentorship record" in str(result.exception)
    assert other.read_bytes() == before


def test_read_command_errors_in_chinese(tmp_path, zh):
    result = CliRunner().invoke(main, ["coaching", "record", "progress",
                                       str(tmp_path / "none.sqlite")])
    assert "none.sqlite 不存在，没有可读取的带教记录" in str(result.exception)
    assert not (tmp_path / "none.sqlite").exists()
