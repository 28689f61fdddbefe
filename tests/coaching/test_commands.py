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
