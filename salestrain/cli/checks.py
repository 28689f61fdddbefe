"""``salestrain checks`` and ``salestrain mentor``: pre/post checks after the class, and one
new hire's page for their mentor (salestrain/grading/checks.py does the work)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t

DB_HELP = ("Gradebook (a file or SQLAlchemy URL; default $SALESTRAIN_DB or gradebook.sqlite in "
           "your salestrain data folder).")
EXERCISES_HELP = "Folder of the exercises and their checks.yaml item banks (default: this project's)."
FORCE_HELP = "Replace a file that already exists."


def _exercises(folder: Path | None) -> Path:
    from salestrain.cli.main import find_project_root

    return folder or find_project_root() / "exercises"


def _write(path: Path, text: str, force: bool) -> None:
    from salestrain.base.files import write_atomic

    write_atomic(path, text, force=force, make_parents=True)
    click.echo(t("grading.checks.written", path=path))


def _page_from_gradebook(db: str | None, out: Path, force: bool, make) -> None:  # noqa: ANN001
    """Open the gradebook to read, write the page ``make(book)`` returns, and turn a named
    error into one line and exit 1 (never a traceback)."""
    from salestrain.grading.gradebook import Gradebook

    try:
        book = Gradebook.open(db, create=False)
        try:
            _write(out, make(book), force)
        finally:
            book.dispose()
    except SalestrainError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@click.group("checks")
def checks() -> None:
    """Pre- and post-checks: grade them, report gain and item statistics, print certificates."""


@checks.command("grade")
@click.argument("collected", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--exercises", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help=EXERCISES_HELP)
def grade_command(collected: Path, db: str | None, exercises: Path | None) -> None:
    """Grade the check sheets handed in under COLLECTED (folders checks_<module>_<form>)."""
    from salestrain.grading.checks import grade_checks
    from salestrain.grading.gradebook import Gradebook

    book = Gradebook.open(db)
    try:
        results = grade_checks(collected, _exercises(exercises), book)
    except SalestrainError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    finally:
        book.dispose()
    for result in sorted(results, key=lambda r: (r.path, r.learner)):
        if not result.graded:
            click.echo(t("grading.cli.not_graded", learner=result.learner, path=result.path,
                         reason=result.stopped))
    refused = sum(not r.graded for r in results)
    click.echo(t("grading.checks.graded", count=len(results) - refused, refused=refused))


@checks.command("report")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--exercises", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help=EXERCISES_HELP)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def report_command(db: str | None, exercises: Path | None, out: Path, force: bool) -> None:
    """Write the pre/post page: each learner's and the class's gain, item difficulty and
    discrimination, and the items to fix."""
    from salestrain.grading.checks import checks_report

    _page_from_gradebook(db, out, force, lambda book: checks_report(book, _exercises(exercises)))


@checks.command("certificate")
@click.option("--learner", required=True, help="The learner, as on their check sheets.")
@click.option("--module", required=True, help="The module (funnel, negotiation, objections, coaching, goals, strategy).")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--exercises", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help=EXERCISES_HELP)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write (print it to PDF from the browser).")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def certificate_command(learner: str, module: str, db: str | None, exercises: Path | None, out: Path,
                        force: bool) -> None:
    """Write a learner's certificate for a module, when their post-check reaches the threshold."""
    from salestrain.grading.checks import certificate

    _page_from_gradebook(db, out, force, lambda book: certificate(book, _exercises(exercises), learner, module))


@click.command("mentor")
@click.option("--learner", required=True, help="The new hire, as on their sheets and coaching record.")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--coaching-db", default=None,
              help="Mentorship record with the hire's capability x willingness assessments (optional).")
@click.option("--exercises", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help=EXERCISES_HELP)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def mentor(learner: str, db: str | None, coaching_db: str | None, exercises: Path | None, out: Path,
           force: bool) -> None:
    """Write one page for a new hire's mentor: checks and gains, exercises, placements over time."""
    from salestrain.grading.checks import mentor_view

    try:
        placements = _placements(coaching_db, learner) if coaching_db else []
    except SalestrainError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    _page_from_gradebook(db, out, force,
                         lambda book: mentor_view(book, _exercises(exercises), learner, placements))


def _placements(coaching_db: str, learner: str) -> list[dict[str, str]]:
    """The hire's capability x willingness placements, oldest first, from the mentorship record."""
    from salestrain.base.i18n import has_key
    from salestrain.io.coaching.mentorship import MentorshipRecord

    found = []
    for row in MentorshipRecord(coaching_db, create=False).progress(learner).to_dict("records"):
        style = str(row.get("style", ""))
        key = f"coaching.style.{style}.name"
        found.append({"date": str(row["date"]), "capability": f"{row['capability']:.1f}",
                      "willingness": f"{row['willingness']:.1f}", "style": t(key) if has_key(key) else style})
    return found


@click.command("mastery")
@click.option("--learner", default=None, help="Whose report (default: the learner-mode name, $SALESTRAIN_LEARNER).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def mastery(learner: str | None, out: Path, force: bool) -> None:
    """Your own mastery report, no trainer needed: grades what you handed in and shows each
    module's checks, your exercises and your gain."""
    from salestrain.cli.main import find_project_root
    from salestrain.grading.checks import mastery_page
    from salestrain.io.learner import current_learner

    try:
        _write(out, mastery_page(learner or current_learner(), find_project_root()), force)
    except SalestrainError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


COMMANDS = [checks, mentor, mastery]
