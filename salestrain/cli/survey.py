"""``salestrain survey``: the reaction survey after each session (Kirkpatrick level 1), kept
and summarised the way the checks are (salestrain/grading/survey.py does the work)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t

DB_HELP = ("Survey answers (a file or SQLAlchemy URL; default $SALESTRAIN_SURVEY_DB or survey.sqlite "
           "in your salestrain data folder).")
EXERCISES_HELP = "Folder of the exercises, with survey.yaml and the modules' checks (default: this project's)."


def _exercises(folder: Path | None) -> Path:
    from salestrain.cli.main import find_project_root

    return folder or find_project_root() / "exercises"


@click.group("survey")
def survey() -> None:
    """Reaction survey after each session: record the answers handed in, write the summary."""


@survey.command("record")
@click.argument("collected", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--exercises", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help=EXERCISES_HELP)
def record_command(collected: Path, db: str | None, exercises: Path | None) -> None:
    """Record the survey sheets handed in under COLLECTED (folders survey_<module>), as the checks are graded."""
    from salestrain.grading.survey import record_surveys
    from salestrain.io.survey import SurveyStore, load_survey, survey_file

    try:
        instrument = load_survey(survey_file(_exercises(exercises)))
        book = SurveyStore(db, create=True)
        try:
            results = record_surveys(collected, instrument, book)
        finally:
            book.dispose()
    except SalestrainError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for result in results:
        if not result.recorded:
            click.echo(t("survey.cli.refused", learner=result.learner, module=result.module,
                         path=result.path, reason="; ".join(result.reasons)))
    refused = sum(not r.recorded for r in results)
    click.echo(t("survey.cli.recorded", count=len(results) - refused, refused=refused))


@survey.command("report")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--exercises", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help=EXERCISES_HELP)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--force", is_flag=True, help="Replace a file that already exists.")
def report_command(db: str | None, exercises: Path | None, out: Path, force: bool) -> None:
    """Write the survey page: per module the responses, each scale's mean and spread, the net
    promoter score, the pace split and the written answers."""
    from salestrain.base.files import write_atomic
    from salestrain.grading.survey import survey_report
    from salestrain.io.survey import SurveyStore, load_survey, survey_file

    try:
        folder = _exercises(exercises)
        instrument = load_survey(survey_file(folder))
        book = SurveyStore(db, create=False)
        try:
            page = survey_report(book, instrument, folder)
        finally:
            book.dispose()
        write_atomic(out, page, force=force, make_parents=True)
    except SalestrainError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(t("survey.report.written", path=out))


COMMANDS = [survey]
