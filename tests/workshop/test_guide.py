"""The trainer's guide names only things that exist, and its agendas are the package's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from salestrain.apps.registry import app_names
from salestrain.core.workshop.agenda import (
    AGENDAS,
    HALF_DAY,
    ONE_DAY,
    Agenda,
    Slot,
    agenda_markdown,
    check_agenda,
)
from salestrain.io.cases import case_folders

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "trainers-guide.md"
CASE_SLUGS = {p.name for p in case_folders(ROOT / "cases")}


def _notebooks() -> set[str]:
    return {str(p.relative_to(ROOT)) for p in [*ROOT.glob("notebooks/*.ipynb"),
                                                *ROOT.glob("cases/*/*.ipynb")]}


def test_guide_prints_exactly_the_package_agendas():
    text = GUIDE.read_text(encoding="utf-8")
    for agenda in AGENDAS.values():
        assert agenda_markdown(agenda) in text, agenda.name


@pytest.mark.parametrize(("agenda", "length"), [(ONE_DAY, 480), (HALF_DAY, 210)])
def test_agendas_fit_their_day_and_name_real_cases_apps_and_lessons(agenda, length):
    assert check_agenda(agenda, CASE_SLUGS, app_names(), _notebooks(), length=length) == []
    times = agenda.times()
    assert all(a[1] == b[0] for a, b in zip(times, times[1:], strict=False))


def test_check_agenda_reports_each_kind_of_mistake():
    bad = Agenda("x", "workshop.agenda.one_day", "09:00", (
        Slot(30, "case", "workshop.agenda.case_bank"),
        Slot(20, "case", "workshop.agenda.case_bank", case="no-such-case", apps=("no-such-app",),
             modules=("astrology",), notebook="notebooks/99_missing.ipynb"),
    ))
    problems = check_agenda(bad, CASE_SLUGS, app_names(), _notebooks(), length=60)
    assert problems == [
        "x: slots add up to 50 minutes, not 60",
        "x slot 1: a case slot names its case",
        "x slot 2: no case 'no-such-case'; shipped: " + ", ".join(sorted(CASE_SLUGS)),
        "x slot 2: no app 'no-such-app'; `salestrain app --list` shows the names",
        "x slot 2: no lesson 'notebooks/99_missing.ipynb'",
        "x slot 2: unknown module 'astrology'",
    ]


def test_every_command_and_path_in_the_guide_exists():
    text = GUIDE.read_text(encoding="utf-8")
    apps = set(re.findall(r"salestrain (?:--lang \S+ )?app ([a-z][a-z0-9-]+)", text))
    assert apps and apps <= set(app_names()), apps - set(app_names())
    cases = set(re.findall(r"salestrain case ([a-z][a-z0-9-]+)", text))
    cases |= set(re.findall(r"\b(state-bank|energy-group|pharma-displacement|telecom-post-mortem|regional-plan)\b", text))
    assert cases == CASE_SLUGS
    paths = set(re.findall(r"\b((?:notebooks|exercises|cases)/[A-Za-z0-9_./-]+\.ipynb)", text))
    missing = [p for p in paths if not (ROOT / p).exists() and "MODULE" not in p]
    assert not missing, missing
    # The guide's commands are the CLI's commands.
    from salestrain.cli.main import main

    code = "\n".join(re.findall(r"```sh\n(.*?)```", text, flags=re.S) + re.findall(r"`([^`\n]+)`", text))
    used = set(re.findall(r"salestrain (?:--lang \S+ )?([a-z]+)\b", code))
    assert {"doctor", "validate", "app", "case", "release", "grade", "report"} <= used
    commands = set(main.list_commands(None))  # feature commands load lazily (issue 12)
    assert used <= commands, used - commands
