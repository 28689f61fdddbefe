"""`salestrain negotiation ...` from a terminal: output, and errors without tracebacks."""

import subprocess
import sys

from click.testing import CliRunner

from salestrain.apps.negotiation import sample_class_csv
from salestrain.cli.main import main


def test_debrief_ranks_the_sample_class():
    result = CliRunner().invoke(main, ["negotiation", "debrief", str(sample_class_csv())])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["Rank", "Table"]
    assert lines[1].split()[:3] == ["1", "Table", "1"]  # the trade at list price ranks first


def test_tournament_and_scenarios_list():
    result = CliRunner().invoke(main, ["negotiation", "tournament", "--rounds", "20",
                                       "--scenario", "doubting-technology"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("25 negotiations.")
    listing = CliRunner().invoke(main, ["negotiation", "scenarios"]).output
    assert "price-sensitive-buyer: " in listing and len(listing.splitlines()) >= 3


def test_bad_csv_is_a_message_with_line_and_column(tmp_path):
    bad = tmp_path / "class.csv"
    bad.write_text("table,price,payment,service,delivery\nA,9,1,1,1\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "salestrain", "negotiation", "debrief", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"{bad}:2: price: table 'A': '9' is not an option of 'price'" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_bad_csv_row_in_chinese_still_names_line_column_and_value(tmp_path):
    # Offers out of range and misspelt options, as a trainer's class sheet has them.
    bad = tmp_path / "class.csv"
    bad.write_text("table,price,payment,service,delivery\nA,1,1,1,1\nB,9,1,1,1\nC,1,monthly,1,1\n",
                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "salestrain", "--lang", "zh_CN", "negotiation",
                           "debrief", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"{bad} 有 2 个问题" in proc.stderr
    assert f"{bad}:3: price: 第「B」组：'9' 不是 'price' 的选项；请填写以下之一：1=" in proc.stderr
    assert f"{bad}:4: payment: 第「C」组：'monthly' 不是 'payment' 的选项" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_a_class_sheet_that_is_not_a_csv_is_a_message_not_a_traceback(tmp_path):
    """Broken quoting, another encoding, an empty file: what a trainer's export can be."""
    files = {"quotes.csv": (b'table,price\n"A,1\n', "check commas and quotes"),
             "latin1.csv": ("table,price\nCafé,1\n".encode("latin-1"), "save it as UTF-8 CSV"),
             "empty.csv": (b"", "is empty; it needs a header row")}
    for name, (content, fix) in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        proc = subprocess.run([sys.executable, "-m", "salestrain", "negotiation", "debrief",
                               str(path)], capture_output=True, text=True)
        assert proc.returncode == 1, name
        assert str(path) in proc.stderr and fix in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout
