"""Projector mode without a browser: the listing, the generated notebook, the errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from salestrain.apps.registry import app_entries
from salestrain.base.i18n import t
from salestrain.cli.main import main
from salestrain.cli.projector import projector_notebook, voila_command


def test_list_names_every_registered_app_with_its_title():
    result = CliRunner().invoke(main, ["app", "--list"])
    assert result.exit_code == 0, result.output
    for entry in app_entries():
        line = next(ln for ln in result.output.splitlines() if ln.split()[:1] == [entry.name])
        assert t(entry.title) in line


def test_list_follows_the_language():
    result = CliRunner().invoke(main, ["--lang", "zh_CN", "app", "--list"])
    assert "你能赢下多少单？" in result.output


def test_unknown_app_is_a_clear_error_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "salestrain", "app", "no-such-app"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "no app named 'no-such-app'" in proc.stderr and "start-here" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_generated_notebook_has_one_code_cell_that_builds_the_app_by_name():
    nb = projector_notebook("start-here", "zh_CN")
    assert [c.cell_type for c in nb.cells] == ["code"]
    source = nb.cells[0].source
    assert "get_app('start-here').factory()" in source
    assert "set_language('zh_CN')" in source
    assert nb.metadata.kernelspec.name == "python3"
    # The cell really runs: execute it the way Voila's kernel would.
    namespace: dict = {}
    exec(compile(source.replace("display(", "(lambda *a: None)("), "<cell>", "exec"), namespace)
    assert namespace["app"].result is not None


def test_voila_is_asked_for_outputs_only_on_localhost():
    args = voila_command(Path("x.ipynb"), 9123, open_browser=False)
    assert "--strip_sources=True" in args and "--no-browser" in args
    assert "--port=9123" in args and "--Voila.ip=127.0.0.1" in args
    assert "--no-browser" not in voila_command(Path("x.ipynb"), None, True)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_browser_tab_is_titled_with_the_apps_title_in_the_rooms_language(lang):
    nb = projector_notebook("market", lang)
    expected = t("strategy.app.title", lang=lang)
    assert nb.metadata["title"] == expected and nb.metadata["title"] != "market"
    assert ("区域市场" in expected) == (lang == "zh_CN")
