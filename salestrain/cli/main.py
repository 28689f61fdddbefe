"""The ``salestrain`` command: lab, doctor, validate, plus each module's commands.

Start-up is kept to click and ``salestrain.base``: a feature's module (with its pandas,
nbformat or matplotlib) is imported only when one of its commands runs. ``--help``
lists the feature commands from :data:`LAZY_COMMANDS` without importing them;
``tests/test_cli_start.py`` checks that table against the commands themselves.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path
from typing import Any

import click

from salestrain import __version__
from salestrain.base import i18n
from salestrain.base.errors import SalestrainError
from salestrain.base.resources import CHECKOUT_DIR, DATA_DIR
from salestrain.cli.help_text import click_gettext, install_click_translations, localise, translate

REPO_ROOT = CHECKOUT_DIR
install_click_translations()


def find_project_root() -> Path:
    """The folder holding notebooks/: the current one if it has them, else the checkout."""
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "notebooks").is_dir() and (folder / "salestrain").is_dir():
            return folder
    return REPO_ROOT


# name -> (module under salestrain.cli, the first paragraph of the command's help).
# The help is repeated here so that `salestrain --help` needs no feature module.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "sample-book": ("accounts", "Write a fictional customer book (customers, transactions, "
                    "contacts CSV) to FOLDER."),
    "accounts": ("accounts", "Tiers, visit workload and churn alerts of the customer book in FOLDER."),
    "coaching": ("coaching", "Capability x willingness: place reps, keep a mentorship record."),
    "forecast": ("funnel", "Forecast a pipeline CSV: weighted, P10/P50/P90 and P(hit target)."),
    "impact": ("impact", "Before/after results from your CRM history: win rate, deal cycle, "
               "discount and forecast error per rep and team."),
    "release": ("grading", "Write learner versions of exercises: solutions replaced, hidden "
                "tests removed."),
    "grade": ("grading", "Grade every notebook in SUBMISSIONS against an exercise, into the "
              "gradebook."),
    "report": ("grading", "Write an HTML report: the cohort from the gradebook, or your own "
               "mastery (--mine)."),
    "negotiation": ("negotiation", "Negotiation role plays: list them, print role cards, debrief a "
                    "class, run a tournament."),
    "objections": ("objections", "Objection-handling scenarios, coaching records, and the team's "
                   "objection log."),
    "app": ("projector", "Serve one simulation full-screen through Voila, with no code visible."),
    "case": ("workshop", "List the case studies, or print one as Markdown (the brief, or --note)."),
    "hub": ("hub", "A live classroom on JupyterHub: learners log in with a class code; you release, pair, poll and watch."),
    "learn": ("learn", "Open the lessons for learners: explanations, decisions and charts, no code."),
    "lessons": ("lessons", "Bilingual lessons: one source, one notebook per language (docs/i18n.md)."),
    "checks": ("checks", "Pre- and post-checks: grade them, report gain and item statistics, print certificates."),
    "mastery": ("checks", "Your own mastery report, no trainer needed: grades what you handed in and shows each module's checks, your exercises and your gain."),
    "mentor": ("checks", "Write one page for a new hire's mentor: checks and gains, exercises, placements over time."),
    "survey": ("survey", "Reaction survey after each session: record the answers handed in, write the summary."),
}
EAGER_MODULES = ("main", "doctor", "help_text")  # defined here, or imported by a command of main


def feature_modules() -> list[str]:
    """Every ``salestrain.cli`` module that may hold ``COMMANDS`` (found without importing)."""
    import salestrain.cli as pkg

    return [info.name for info in pkgutil.iter_modules(pkg.__path__)
            if info.name not in EAGER_MODULES]


def _module_commands(module: str) -> dict[str, click.Command]:
    loaded = importlib.import_module(f"salestrain.cli.{module}")
    return {command.name: command for command in getattr(loaded, "COMMANDS", [])}


class LazyGroup(click.Group):
    """A group whose feature commands are imported when they run, not at start-up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            localise(self.commands[name], name)
            return self.commands[name]
        modules = [LAZY_COMMANDS[name][0]] if name in LAZY_COMMANDS else feature_modules()
        # A command missing from the table (added by a module since) is still found, the
        # slow way: every feature module is imported.
        for module in modules:
            command = _module_commands(module).get(name)
            if command is not None:
                self.add_command(command)
                localise(command, name)
                return command
        return None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(n) for n in self.list_commands(ctx))
        rows = []
        for name in self.list_commands(ctx):
            if name in self.commands:
                command = self.commands[name]
                if command.hidden:
                    continue
                help_text = command.get_short_help_str(limit)
            else:
                # click's own shortening, on a stand-in that holds the summary only
                summary = translate(LAZY_COMMANDS[name][1], name)
                help_text = click.Command(name, help=summary).get_short_help_str(limit)
            rows.append((name, help_text))
        if rows:
            with formatter.section(click_gettext("Commands")):
                formatter.write_dl(rows)


def _choose_language(ctx: click.Context, _param: click.Parameter, lang: str | None) -> str | None:
    # Eager, so the language is set before click resolves a command or prints any help.
    if lang:
        try:
            chosen = i18n.set_language(lang)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--lang") from None
        # Child processes (JupyterLab kernels, graders) inherit the choice.
        os.environ[i18n.ENV_VAR] = chosen
    localise(ctx.command)
    return lang


@click.group("salestrain", cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="salestrain")
@click.option("--lang", is_eager=True, callback=_choose_language,
              help="Language for messages and plots: en or zh_CN "
              f"(default: ${i18n.ENV_VAR} or en).")
def main(lang: str | None) -> None:
    """Sales-training simulations, case studies and graded exercises."""


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--port", type=int, default=None, help="Port to serve on (default: first free from 8888).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser tab.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to serve (default: this salestrain checkout).")
@click.pass_context
def lab(ctx: click.Context, port: int | None, no_browser: bool, root: Path | None) -> None:
    """Open JupyterLab on the lessons (notebooks/00_start_here.ipynb).

    Further --Jupyter.options are passed to JupyterLab as they are.
    """
    root = (root or find_project_root()).resolve()
    lang = i18n.get_language()
    # `salestrain --lang zh_CN lab` opens the Chinese lessons (their kernels inherit the
    # language through SALESTRAIN_LANG, so the apps in them speak Chinese too).
    start = f"notebooks/{lang}/00_start_here.ipynb"
    if lang == i18n.DEFAULT_LANGUAGE or not (root / start).is_file():
        start = "notebooks/00_start_here.ipynb"
    args = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{start}",
        # A training room is often offline, and a "Jupyter news?" pop-up is not a lesson:
        # no news feed and no update check (JupyterLab then never asks).
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if port is not None:
        args.append(f"--port={port}")
    if no_browser:
        args.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # JupyterLab refuses root without it (containers, CI)
    args.extend(ctx.args)
    # news_url=None stops the feed, but JupyterLab still asks "Would you like to get notified
    # about official Jupyter news?" until its fetchNews setting is answered: answer it (and the
    # update check) as a default layer, which a user's own settings still override.
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(DATA_DIR / "jupyter" / "config"), env.get("JUPYTER_CONFIG_PATH", "")) if p)
    click.echo(i18n.t("start.lab.starting", path=root / start))
    os.execve(sys.executable, args, env)


@main.command()
@click.option("--no-kernel", is_flag=True, help="Skip starting a kernel (faster).")
def doctor(no_kernel: bool) -> None:
    """Check Python, packages, widgets, a kernel and fonts; exit 1 if one fails."""
    from salestrain.cli.doctor import run_checks

    checks = run_checks(i18n.get_language(), kernel=not no_kernel)
    width = max(_columns(c.name) for c in checks)
    marks = {status: i18n.t(f"cli.doctor.mark.{status}") for status in ("ok", "warn", "fail")}
    mark_width = max(_columns(mark) for mark in marks.values())
    click.echo(i18n.t("cli.doctor.header", version=__version__, language=i18n.get_language()))
    for c in checks:
        colour = {"ok": "green", "warn": "yellow", "fail": "red"}[c.status]
        mark = click.style(_pad(marks[c.status], mark_width), fg=colour)
        click.echo(f"  {mark}  {_pad(c.name, width)}  {c.detail}")
        if c.fix and c.status != "ok":
            click.echo(f"  {' ' * (mark_width + 2 + width)}  {i18n.t('cli.doctor.fix', fix=c.fix)}")
    failed = [c for c in checks if c.status == "fail"]
    if failed:
        click.echo(i18n.t("cli.doctor.failed", failed=len(failed)))
        sys.exit(1)
    click.echo(i18n.t("cli.doctor.passed"))


def _columns(text: str) -> int:
    """Terminal columns of ``text``: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - _columns(text))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Validate content files (cases, scenarios, catalogs, exercises).

    Without PATHS: cases/, exercises/, the shipped scenarios and the catalogs. Reports every problem as file:line: field: message; exit 1 if any.
    """
    import salestrain.grading.exercise_files  # noqa: F401 - registers the exercise validator
    from salestrain.io.content import validate_path

    if not paths:
        root = find_project_root()
        paths = tuple(p for p in (root / "cases", root / "exercises", DATA_DIR,
                                  Path(i18n.CATALOG_DIR)) if p.exists())
    total_files = 0
    total_problems = 0
    for path in paths:
        try:
            checked, problems = validate_path(path)
        except SalestrainError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
        total_files += checked
        total_problems += len(problems)
        for problem in problems:
            click.echo(str(problem))
    click.echo(i18n.t("cli.validate.summary", files=total_files, problems=total_problems))
    if total_problems:
        sys.exit(1)


def load_all_commands() -> dict[str, Any]:
    """Import every feature module and add its commands (for tests and tools)."""
    for module in feature_modules():
        for command in _module_commands(module).values():
            main.add_command(command)
    return dict(main.commands)


def run() -> None:
    """Entry point: user errors print their message, never a traceback."""
    try:
        main(standalone_mode=True)
    except SalestrainError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


if __name__ == "__main__":
    run()
