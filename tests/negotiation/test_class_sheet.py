"""A class's results sheet goes through the one table reader: header-only is a named error."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from salestrain.apps.negotiation import ClassDebriefApp
from salestrain.base.errors import DataError
from salestrain.io.negotiation import read_class_sheet

ROOT = Path(__file__).resolve().parents[2]
HEADER = "table,price,payment,service,delivery\n"


def test_a_header_only_sheet_is_a_named_error_in_the_reader(tmp_path):
    path = tmp_path / "class.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(DataError, match="has a header row but no data; it needs one row per table"):
        read_class_sheet(path)


def test_a_header_only_sheet_fails_the_cli_without_printing_an_empty_frame(tmp_path):
    path = tmp_path / "class.csv"
    path.write_text(HEADER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SALESTRAIN_LANG": "en"}
    run = subprocess.run([sys.executable, "-m", "salestrain", "negotiation", "debrief", str(path)],
                         capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert run.returncode != 0
    assert "Empty DataFrame" not in run.stdout and "Traceback" not in run.stderr
    assert "has a header row but no data" in run.stderr


def test_a_header_only_sheet_in_the_app_is_a_message_not_an_attribute_error(tmp_path):
    path = tmp_path / "class.csv"
    path.write_text(HEADER, encoding="utf-8")
    app = ClassDebriefApp(csv=str(path))
    assert app.error is not None and "has a header row but no data" in app.error
    app.entry.value = HEADER
    app.use_entered()
    assert "has a header row but no data" in app.error
