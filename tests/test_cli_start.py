"""Fast start: `salestrain --help` lists every command without importing its module."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import click

from salestrain.cli import main as cli

HEAVY = ("pandas", "numpy", "nbformat", "matplotlib", "ipywidgets", "jsonschema")

PROBE = """
import json, sys
from salestrain.cli.main import main
try:
    main(["--help"])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": sorted(m for m in %r if m in sys.modules)}))
"""


def test_help_imports_no_heavy_package():
    proc = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,)], capture_output=True,
                          text=True, check=True)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "loaded": []}, report


def test_the_real_entry_point_lists_every_command():
    proc = subprocess.run([sys.executable, "-m", "salestrain", "--help"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    listed = {line.split()[0] for line in proc.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(cli.load_all_commands())


def test_the_lazy_table_matches_the_commands_themselves():
    commands = cli.load_all_commands()
    eager = {"lab", "doctor", "validate"}
    assert set(commands) == eager | set(cli.LAZY_COMMANDS)
    for name, (module, summary) in cli.LAZY_COMMANDS.items():
        command = commands[name]
        assert command.callback.__module__ == f"salestrain.cli.{module}", name
        first = inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ")
        assert first == summary, name


def test_lazy_listing_reads_as_the_eager_one():
    commands = cli.load_all_commands()
    eager = click.Group("salestrain", commands=commands)
    lazy_out, eager_out = click.HelpFormatter(width=100), click.HelpFormatter(width=100)
    lazy = cli.LazyGroup("salestrain", commands={n: commands[n] for n in ("lab", "doctor", "validate")})
    lazy.format_commands(click.Context(lazy), lazy_out)
    eager.format_commands(click.Context(eager), eager_out)
    assert lazy_out.getvalue() == eager_out.getvalue()
    assert "forecast" in lazy_out.getvalue()


def test_a_command_missing_from_the_table_is_still_found(monkeypatch):
    monkeypatch.delitem(cli.LAZY_COMMANDS, "case")
    group = cli.LazyGroup("salestrain")
    assert "case" not in group.list_commands(click.Context(group))
    command = group.get_command(click.Context(group), "case")
    assert command is not None and command.name == "case"
    assert group.get_command(click.Context(group), "no-such-command") is None


GRADER_PROBE = """
import json, sys
import salestrain.grading.cohort
from salestrain.grading.notebooks import nbformat
nb = nbformat.reads(open(sys.argv[1], encoding="utf-8").read(), as_version=4)
nbformat.validate(nb)  # the schema check the grader relies on still runs
print(json.dumps({"lark": "lark" in sys.modules, "cells": len(nb.cells)}))
"""


def test_the_grader_starts_without_building_the_iri_grammar():
    # jsonschema's optional IRI checker compiles a lark grammar (~1 s a grader start,
    # issue 17 class 10); notebooks have no IRI field, so the grader must not pay for it.
    sample = str(Path(__file__).resolve().parents[1] / "exercises/sample/funnel_forecast.ipynb")
    proc = subprocess.run([sys.executable, "-c", GRADER_PROBE, sample], capture_output=True,
                          text=True, check=True)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["lark"] is False
    assert report["cells"] > 3
