"""The mentorship record: a real SQLite file that survives a restart, and CSV round trips."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from salestrain.base.errors import DataError
from salestrain.io.coaching.files import SAMPLE_ASSESSMENTS, read_assessments_csv
from salestrain.io.coaching.mentorship import MentorshipRecord

ROOT = Path(__file__).resolve().parents[2]


def test_record_survives_a_new_process(tmp_path):
    db = tmp_path / "mentoring.sqlite"
    rec = MentorshipRecord(db)
    rec.add_hire("Lin Qiao", mentor="Marco Bellini", start_date="2026-03-02")
    rec.add_assessment("Lin Qiao", "2026-03-31", "manager",
                       {"discovery": 2, "negotiating": 2, "motivation": 5, "confidence": 4})
    rec.add_assessment("Lin Qiao", "2026-06-30", "manager",
                       {"discovery": 4, "negotiating": 3, "motivation": 5, "confidence": 4})
    rec.add_note("Lin Qiao", "2026-04-02", "Ride-along at Kestrel Freight; good questions.", "Marco")
    del rec
    # A separate Python process reads the same file: nothing lived only in memory.
    script = textwrap.dedent(f"""
        from salestrain.io.coaching.mentorship import MentorshipRecord
        rec = MentorshipRecord({str(db)!r})
        prog = rec.progress("Lin Qiao")
        print(list(prog["style"]), [round(c, 3) for c in prog["capability"]])
        print(rec.notes("Lin Qiao")["text"].iloc[0])
        print(rec.hires()["mentor"].iloc[0])
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                         check=True).stdout.splitlines()
    assert out[0] == "['guide', 'delegate'] [2.0, 3.5]"
    assert out[1].startswith("Ride-along at Kestrel Freight")
    assert out[2] == "Marco Bellini"


def test_csv_round_trip_is_exact(tmp_path):
    first = MentorshipRecord(tmp_path / "a.sqlite")
    first.import_csv(SAMPLE_ASSESSMENTS)
    first.add_note("Grace Okafor", "2026-05-04", 'Asked for "more" role play, with commas', "Ana")
    first.export_csv(tmp_path / "scores.csv", tmp_path / "notes.csv")

    second = MentorshipRecord(tmp_path / "b.sqlite")
    assert second.import_csv(tmp_path / "scores.csv", tmp_path / "notes.csv") == 25
    pd.testing.assert_frame_equal(first.assessments(), second.assessments())
    pd.testing.assert_frame_equal(first.notes(), second.notes())
    pd.testing.assert_frame_equal(first.progress(), second.progress())
    # The export is the documented CSV format, and matches the source file's content.
    original = read_assessments_csv(SAMPLE_ASSESSMENTS).sort_values(["rep", "date", "rater"])
    exported = read_assessments_csv(tmp_path / "scores.csv").sort_values(["rep", "date", "rater"])
    pd.testing.assert_frame_equal(original.reset_index(drop=True), exported.reset_index(drop=True))
    # Importing the same files again changes nothing.
    second.import_csv(tmp_path / "scores.csv", tmp_path / "notes.csv")
    assert len(second.notes()) == 1 and len(second.assessments()) == 24


def test_a_bad_import_stores_nothing(tmp_path):
    rec = MentorshipRecord(tmp_path / "m.sqlite")
    bad = tmp_path / "bad.csv"
    bad.write_text("rep,date,rater,discovery\nA B,2026-01-31,self,3\nC D,2026-01-31,self,6\n",
                   encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.csv:3: discovery: 6 is outside 1-5"):
        rec.import_csv(bad)
    assert rec.assessments().empty and rec.hires().empty


def test_same_date_and_rater_replaces_scores(tmp_path):
    rec = MentorshipRecord(tmp_path / "m.sqlite")
    rec.add_assessment("A B", "2026-01-31", "self", {"discovery": 2, "motivation": 2})
    rec.add_assessment("A B", "2026-01-31", "self", {"discovery": 4})
    table = rec.assessments("A B")
    assert len(table) == 1 and table["discovery"].iloc[0] == 4 and pd.isna(table["motivation"].iloc[0])


def test_user_errors_are_clear(tmp_path):
    with pytest.raises(DataError, match="does not exist; create the folder"):
        MentorshipRecord(tmp_path / "no" / "m.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database " * 100)
    with pytest.raises(DataError, match="is not a mentorship record"):
        MentorshipRecord(junk)
    rec = MentorshipRecord(tmp_path / "m.sqlite")
    with pytest.raises(DataError, match="'yesterday' is not a date"):
        rec.add_note("A B", "yesterday", "x")
    notes = tmp_path / "notes.csv"
    notes.write_text("rep,date,author,text\nA B,2026-13-01,me,hi\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"notes.csv:2: date: '2026-13-01' is not a date"):
        rec.import_csv(notes_path=notes)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ITEMS = ("discovery", "negotiating", "motivation", "commitment")
score_or_gap = st.one_of(st.none(), st.integers(1, 5), st.sampled_from([1.5, 2.5, 4.5]))
row = st.fixed_dictionaries({
    "rep": st.sampled_from(["Lin Qiao", "Émile Dubois", "Zhang, Wei", '"Quoted" Rep']),
    "date": st.sampled_from(["2026-01-31", "2026-04-30", "2026-07-31"]),
    "rater": st.sampled_from(["self", "manager"]),
    **{i: score_or_gap for i in ITEMS},
}).filter(lambda r: any(r[i] is not None for i in ITEMS))


@given(st.lists(row, min_size=1, max_size=8, unique_by=lambda r: (r["rep"], r["date"], r["rater"])))
@settings(max_examples=10, deadline=None)
def test_any_record_survives_export_and_import(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("rt")
    first = MentorshipRecord(folder / "a.sqlite")
    for r in rows:
        first.add_assessment(r["rep"], r["date"], r["rater"],
                             {i: r[i] for i in ITEMS if r[i] is not None})
        first.add_note(r["rep"], r["date"], f"note, with \"quotes\"\nand a new line for {r['rep']}")
    first.export_csv(folder / "s.csv", folder / "n.csv")
    second = MentorshipRecord(folder / "b.sqlite")
    second.import_csv(folder / "s.csv", folder / "n.csv")
    pd.testing.assert_frame_equal(first.assessments(), second.assessments())
    pd.testing.assert_frame_equal(first.notes(), second.notes())
    # Re-importing the same export adds nothing.
    second.import_csv(folder / "s.csv", folder / "n.csv")
    assert len(second.notes()) == len(rows)


def test_user_errors_are_clear_in_chinese(tmp_path, zh):
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database " * 100)
    with pytest.raises(DataError, match="junk.sqlite 不是带教记录（不是 SQLite 文件）"):
        MentorshipRecord(junk)
    rec = MentorshipRecord(tmp_path / "m.sqlite")
    with pytest.raises(DataError, match="date：'yesterday' 不是日期；请写成 YYYY-MM-DD"):
        rec.add_note("A B", "yesterday", "x")
    notes = tmp_path / "notes.csv"
    notes.write_text("rep,date,author,text\nA B,2026-03-01,me,hi\nA B,2026-13-01,me,hi\n",
                     encoding="utf-8")
    with pytest.raises(DataError) as err:
        rec.import_csv(notes_path=notes)
    assert "notes.csv:3: date: '2026-13-01' 不是日期" in str(err.value)
    assert rec.notes().empty  # a bad file stores nothing, in any language


# -- the one store (issue 12): SQLAlchemy, same files as before, transactions ----------------

OLD_SCHEMA = """
CREATE TABLE hires (name TEXT PRIMARY KEY, mentor TEXT NOT NULL DEFAULT '',
                    start_date TEXT NOT NULL DEFAULT '');
CREATE TABLE scores (hire TEXT NOT NULL REFERENCES hires(name), date TEXT NOT NULL,
                     rater TEXT NOT NULL CHECK (rater IN ('self', 'manager')),
                     item TEXT NOT NULL, score REAL NOT NULL,
                     PRIMARY KEY (hire, date, rater, item));
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, hire TEXT NOT NULL REFERENCES
                    hires(name), date TEXT NOT NULL, author TEXT NOT NULL DEFAULT '',
                    text TEXT NOT NULL);
"""


def test_a_record_kept_by_the_sqlite3_version_opens_unchanged(tmp_path):
    import sqlite3

    db = tmp_path / "kept-since-march.sqlite"
    with sqlite3.connect(db) as con:  # what a mentor's file looked like before the store
        con.executescript(OLD_SCHEMA)
        con.execute("INSERT INTO hires VALUES ('Lin Qiao', 'Marco Bellini', '2026-03-02')")
        con.executemany("INSERT INTO scores VALUES ('Lin Qiao', '2026-03-31', 'manager', ?, ?)",
                        [("discovery", 2), ("negotiating", 2), ("motivation", 5), ("confidence", 4)])
        con.execute("INSERT INTO notes(hire, date, author, text) VALUES "
                    "('Lin Qiao', '2026-04-02', 'Marco', 'First ride-along')")
    rec = MentorshipRecord(db, create=False)
    assert list(rec.progress("Lin Qiao")["style"]) == ["guide"]
    rec.add_note("Lin Qiao", "2026-04-09", "Second ride-along", "Marco")
    assert list(rec.notes()["text"]) == ["First ride-along", "Second ride-along"]
    assert rec.hires().to_dict("records") == [
        {"name": "Lin Qiao", "mentor": "Marco Bellini", "start_date": "2026-03-02"}]
    # Foreign keys are enforced on every connection: no score for a hire that is not there.
    from sqlalchemy.exc import IntegrityError

    from salestrain.io.coaching.mentorship import scores_table
    with pytest.raises(IntegrityError), rec.store.begin() as conn:
        conn.execute(scores_table.insert().values(hire="Nobody", date="2026-01-01",
                                                  rater="self", item="discovery", score=3))


def test_an_import_that_fails_while_storing_leaves_the_record_as_it_was(tmp_path, monkeypatch):
    import salestrain.io.coaching.mentorship as mentorship

    rec = MentorshipRecord(tmp_path / "m.sqlite")
    rec.add_assessment("A B", "2026-01-31", "self", {"discovery": 2})
    real = mentorship._ensure_hire
    calls = []

    def fail_on_the_third_hire(db, name):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")  # as a crash half-way through the file would
        real(db, name)

    monkeypatch.setattr(mentorship, "_ensure_hire", fail_on_the_third_hire)
    with pytest.raises(OSError, match="disk full"):
        rec.import_csv(SAMPLE_ASSESSMENTS)
    monkeypatch.undo()
    assert len(calls) == 3
    assert rec.assessments().to_dict("records")[0]["rep"] == "A B"
    assert len(rec.assessments()) == 1 and list(rec.hires()["name"]) == ["A B"]


def test_reading_never_creates_a_record(tmp_path):
    with pytest.raises(DataError, match="does not exist, so there is no mentorship record"):
        MentorshipRecord(tmp_path / "typo.sqlite", create=False)
    assert list(tmp_path.iterdir()) == []
