"""``salestrain release``, ``grade`` and ``report``: the trainer's grading workflow."""

from __future__ import annotations

import json
from pathlib import Path

import click

from salestrain.base.i18n import t

FORCE_HELP = "Replace files that already exist (without it, an existing file is never replaced)."


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the learner versions into (created if missing).")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def release(source: Path, out: Path, force: bool) -> None:
    """Write learner versions of exercises: solutions replaced, hidden tests removed."""
    from salestrain.grading.release import release as do_release

    written = do_release(source, out, force=force)
    for path in written:
        click.echo(str(path))
    click.echo(t("grading.cli.released", count=len(written), out=out))


@click.command()
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("--exercise", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The exercise source (with solutions and hidden tests).")
@click.option("--db", default=None, help="Gradebook: a file (SQLite) or a SQLAlchemy URL; "
              "default $SALESTRAIN_DB or gradebook.sqlite in your salestrain data folder.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Kernels at a time (default: twice the number of cores; a kernel spends "
                   "part of its time waiting, measured in benchmarks/grading.py).")
@click.option("--cell-timeout", type=click.FloatRange(1), default=30.0, show_default=True,
              help="Seconds one cell may run.")
@click.option("--test-timeout", type=click.FloatRange(0.5), default=10.0, show_default=True,
              help="Seconds one test's answer may take (a hang costs that test only).")
@click.option("--timeout", type=click.FloatRange(1), default=120.0, show_default=True,
              help="Seconds one whole submission may run.")
@click.option("--memory-mb", type=click.IntRange(256), default=2048, show_default=True,
              help="Address-space limit of each kernel.")
@click.option("--output-kb", type=click.IntRange(1), default=2000, show_default=True,
              help="Output a submission may print before its kernel is stopped.")
@click.option("--regrade", is_flag=True, help="Grade again submissions already graded unchanged.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write every result, with a reason per test, to this JSON file.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--require-isolation", is_flag=True,
              help="Refuse to grade unless learner code runs isolated from your files.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def grade(submissions: Path, exercise: Path, db: str | None, jobs: int | None, cell_timeout: float,
          test_timeout: float, timeout: float, memory_mb: int, output_kb: int, regrade: bool,
          json_out: Path | None, force: bool, require_isolation: bool, quiet: bool) -> None:
    """Grade every notebook in SUBMISSIONS against an exercise, into the gradebook."""
    from salestrain.base.files import check_writable, write_atomic
    from salestrain.grading import cohort

    box = cohort.isolation()
    # First, before any work: what isolation runs, in one plain line.
    click.echo(box.statement)
    if require_isolation:
        cohort.require_isolation(box)
    if json_out is not None:
        check_writable(json_out, force=force)
    limits = cohort.Limits(cell_seconds=cell_timeout, notebook_seconds=timeout, test_seconds=test_timeout,
                           memory_mb=memory_mb, output_bytes=output_kb * 1000)
    run = cohort.grade_cohort(submissions, exercise, db=db, limits=limits, jobs=jobs, regrade=regrade,
                              progress=not quiet)
    if run.sandbox.level == "none":
        click.echo(t("grading.cli.no_sandbox"), err=True)
    # The level in words, in the trainer's language (the level's id is English).
    click.echo(t("grading.cli.sandbox", statement=run.sandbox.statement, count=len(run.results)))
    if run.unchanged:
        click.echo(t("grading.cli.skipped", count=len(run.unchanged)))
    for result in sorted(run.results, key=lambda r: (r.learner, r.path)):
        if not result.graded:
            click.echo(t("grading.cli.not_graded", learner=result.learner, path=result.path,
                         reason=result.stopped))
            continue
        line = f"{result.learner}: {result.score:g} / {result.max_score:g}"
        if result.stopped:
            line += f"  ({result.stopped})"
        click.echo(line)
    for learner, error in sorted(run.record_errors.items()):
        click.echo(t("grading.cli.record_failed", learner=learner, error=error), err=True)
    graded = run.graded
    if graded:
        mean = sum(r.score for r in graded) / len(graded)
        click.echo(t("grading.grade.summary", count=len(graded), mean=f"{mean:.1f}",
                     max_points=f"{graded[0].max_score:g}"))
    if json_out is not None:
        write_atomic(json_out, json.dumps([r.as_dict() for r in run.results], indent=1,
                                          ensure_ascii=False), force=force)
    if run.record_errors:
        raise SystemExit(1)



@click.command()
@click.option("--db", default=None, help="Gradebook to report on (a file or SQLAlchemy URL; "
              "default $SALESTRAIN_DB or gradebook.sqlite in your salestrain data folder).")
@click.option("--exercise", default=None,
              help="With --db: the exercise to report (default: every exercise in the gradebook). "
                   "With --mine: the exercise source to grade against.")
@click.option("--mine", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your own notebook: grade it and write your mastery report.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def report(db: str | None, exercise: str | None, mine: Path | None, out: Path, force: bool) -> None:
    """Write an HTML report: the cohort from the gradebook, or your own mastery (--mine)."""
    from salestrain.base.errors import GradingError
    from salestrain.base.files import check_writable, write_atomic
    from salestrain.grading import report as rep
    from salestrain.grading.gradebook import Gradebook, exercise_id

    check_writable(out, force=force, make_parents=True)  # before grading anything
    if mine is not None:
        if exercise is None or not Path(exercise).is_file():
            raise GradingError(t("grading.error.mine_needs_exercise", value=exercise))
        from salestrain.grading import autograde

        source = Path(exercise)
        [result] = autograde.grade(source, [("me", mine)], jobs=1)
        html_text = rep.mastery_html(result, exercise_id(source))
        summary = f"{result.score:g} / {result.max_score:g}"
    else:
        book = Gradebook.open(db, create=False)  # a report never creates a gradebook
        names = [exercise] if exercise else book.exercises()
        if not names or not any(book.rows(n) for n in names):
            raise GradingError(t("grading.error.no_grades_for", exercise=exercise) if exercise
                               else t("grading.error.no_grades"))
        groups = {n: book.rows(n) for n in names}
        html_text = rep.cohort_report(groups)
        summary = t("grading.cli.learner_rows", count=sum(len(rows) for rows in groups.values()))
        book.dispose()
    write_atomic(out, html_text, force=force, make_parents=True)
    click.echo(t("grading.cli.written", out=out, summary=summary))


COMMANDS = [release, grade, report]
