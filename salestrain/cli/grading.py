"""``salestrain release``, ``grade`` and ``report``: the trainer's grading workflow."""

from __future__ import annotations

import json
from pathlib import Path

import click

from salestrain.base.i18n import t


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the learner versions into (created if missing).")
def release(source: Path, out: Path) -> None:
    """Write learner versions of exercises: solutions replaced, hidden tests removed."""
    from salestrain.grading.release import release as do_release

    written = do_release(source, out)
    for path in written:
        click.echo(str(path))
    click.echo(t("grading.cli.released", count=len(written), out=out))


@click.command()
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("--exercise", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The exercise source (with solutions and hidden tests).")
@click.option("--db", default=None, help="Gradebook: a file (SQLite) or a SQLAlchemy URL; "
              "default $SALESTRAIN_DB or ./gradebook.sqlite.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Kernels at a time (default: twice the number of cores; a kernel spends "
                   "part of its time waiting, measured in benchmarks/grading.py).")
@click.option("--cell-timeout", type=click.FloatRange(1), default=30.0, show_default=True,
              help="Seconds one cell may run.")
@click.option("--timeout", type=click.FloatRange(1), default=120.0, show_default=True,
              help="Seconds one whole submission may run.")
@click.option("--memory-mb", type=click.IntRange(256), default=2048, show_default=True,
              help="Address-space limit of each kernel.")
@click.option("--output-kb", type=click.IntRange(1), default=2000, show_default=True,
              help="Output a submission may print before its kernel is stopped.")
@click.option("--regrade", is_flag=True, help="Grade again submissions already graded unchanged.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write every result, with a reason per test, to this JSON file.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def grade(submissions: Path, exercise: Path, db: str | None, jobs: int | None, cell_timeout: float,
          timeout: float, memory_mb: int, output_kb: int, regrade: bool, json_out: Path | None,
          quiet: bool) -> None:
    """Grade every notebook in SUBMISSIONS against an exercise, into the gradebook."""
    from salestrain.grading import autograde
    from salestrain.grading.gradebook import Gradebook, exercise_id, pending

    limits = autograde.Limits(cell_seconds=cell_timeout, notebook_seconds=timeout,
                              memory_mb=memory_mb, output_bytes=output_kb * 1000)
    book = Gradebook.open(db)
    name = exercise_id(exercise)
    pairs = autograde.collect_submissions(submissions)
    todo_paths = set(pending(book, name, [p for _, p in pairs], regrade))
    todo = [(learner, path) for learner, path in pairs if path in todo_paths]
    box = autograde.check_source_protected(exercise)
    click.echo(t("grading.cli.sandbox", level=box.level, count=len(todo)))
    if box.level == "none":
        click.echo(t("grading.cli.no_sandbox"), err=True)
    skipped = len(pairs) - len(todo)
    if skipped:
        click.echo(t("grading.cli.skipped", count=skipped))

    def store(result: autograde.SubmissionResult) -> None:
        book.record(name, result)

    # Learner code must not see the gradebook file either (other learners' results).
    db_file = book.engine.url.database if book.engine.dialect.name == "sqlite" else None
    private = [Path(db_file)] if db_file and db_file != ":memory:" else []
    results = autograde.grade(exercise, todo, limits, jobs or autograde.default_jobs(), store,
                              progress=not quiet, private=private)
    for result in sorted(results, key=lambda r: r.learner):
        line = f"{result.learner}: {result.score:g} / {result.max_score:g}"
        if result.stopped:
            line += f"  ({result.stopped})"
        click.echo(line)
    if results:
        mean = sum(r.score for r in results) / len(results)
        click.echo(t("grading.grade.summary", count=len(results), mean=f"{mean:.1f}",
                     max_points=f"{results[0].max_score:g}"))
    if json_out is not None:
        json_out.write_text(json.dumps([r.as_dict() for r in results], indent=1, ensure_ascii=False),
                            encoding="utf-8")
    book.dispose()


@click.command()
@click.option("--db", default=None, help="Gradebook to report on (a file or SQLAlchemy URL; "
              "default $SALESTRAIN_DB or ./gradebook.sqlite).")
@click.option("--exercise", default=None,
              help="With --db: the exercise to report (default: every exercise in the gradebook). "
                   "With --mine: the exercise source to grade against.")
@click.option("--mine", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your own notebook: grade it and write your mastery report.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write.")
def report(db: str | None, exercise: str | None, mine: Path | None, out: Path) -> None:
    """Write an HTML report: the cohort from the gradebook, or your own mastery (--mine)."""
    from salestrain.base.errors import GradingError
    from salestrain.grading import report as rep
    from salestrain.grading.gradebook import Gradebook, exercise_id

    if mine is not None:
        if exercise is None or not Path(exercise).is_file():
            raise GradingError(t("grading.error.mine_needs_exercise", value=exercise))
        from salestrain.grading import autograde

        source = Path(exercise)
        [result] = autograde.grade(source, [("me", mine)], jobs=1)
        html_text = rep.mastery_html(result, exercise_id(source))
        summary = f"{result.score:g} / {result.max_score:g}"
    else:
        book = Gradebook.open(db)
        names = [exercise] if exercise else book.exercises()
        if not names or not any(book.rows(n) for n in names):
            raise GradingError(t("grading.error.no_grades_for", exercise=exercise) if exercise
                               else t("grading.error.no_grades"))
        groups = {n: book.rows(n) for n in names}
        html_text = rep.cohort_report(groups)
        summary = t("grading.cli.learner_rows", count=sum(len(rows) for rows in groups.values()))
        book.dispose()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html_text, encoding="utf-8")
    click.echo(t("grading.cli.written", out=out, summary=summary))


COMMANDS = [release, grade, report]
