"""``salestrain coaching``: place a team from a CSV, and keep a mentorship record."""

from __future__ import annotations

from pathlib import Path

import click

from salestrain.base.i18n import t


def _instrument(path: Path | None):
    from salestrain.io.coaching.content import load_instrument

    return load_instrument(path)


@click.group()
def coaching() -> None:
    """Capability x willingness: place reps, keep a mentorship record."""


@coaching.command()
@click.argument("csv_file", type=click.Path(path_type=Path))
@click.option("--instrument", type=click.Path(path_type=Path), default=None,
              help="Assessment instrument YAML (default: the shipped one).")
@click.option("--border", type=click.Choice(["high", "low"]), default=None,
              help="Side a score exactly on a line falls (default: the instrument's).")
@click.option("--view", type=click.Choice(["manager", "self", "blend"]), default="manager")
def place(csv_file: Path, instrument: Path | None, border: str | None, view: str) -> None:
    """Each rep's latest quadrant, style and weakest stage from an assessment CSV."""
    from dataclasses import replace

    from salestrain.core.coaching import team_tracks
    from salestrain.io.coaching.files import read_assessments_csv

    inst = _instrument(instrument)
    th = inst.thresholds if border is None else replace(inst.thresholds, border=border)
    tracks = team_tracks(read_assessments_csv(csv_file, inst), inst, th, view)  # type: ignore[arg-type]
    for rep, track in sorted(tracks.items()):
        a = track.advice
        p = a.placement
        path = " -> ".join(t(f"coaching.style.{s}.name") for s in track.styles)
        click.echo(f"{rep}: {p.capability:.2f} x {p.willingness:.2f}  {path}  "
                   f"[{t(f'coaching.stage.{a.stages.weakest}.name')}]")
        click.echo(f"    {t(a.plan.decision)}")


@coaching.group()
def record() -> None:
    """The mentorship record (a database in your data folder, or DB).

    DB is a file or a SQLAlchemy URL; without it the record is kept in the per-user data
    folder ($SALESTRAIN_DATA_DIR overrides it). Only import creates a record: export and
    progress on a missing one stop with an error, and create nothing.
    """


def _open(db: Path | None, instrument: Path | None, *, create: bool):
    from salestrain.io.coaching.mentorship import MentorshipRecord

    return MentorshipRecord(db, _instrument(instrument), create=create)


DB_ARGUMENT = click.argument("db", required=False, type=click.Path(path_type=Path))


@record.command("import")
@DB_ARGUMENT
@click.option("--assessments", type=click.Path(path_type=Path), default=None)
@click.option("--notes", type=click.Path(path_type=Path), default=None)
@click.option("--instrument", type=click.Path(path_type=Path), default=None)
def import_(db: Path | None, assessments: Path | None, notes: Path | None,
            instrument: Path | None) -> None:
    """Add assessments and/or notes from CSV (all checked before anything is stored)."""
    if assessments is None and notes is None:
        raise click.UsageError(t("coaching.record.nothing_to_import"))
    rec = _open(db, instrument, create=True)
    rows = rec.import_csv(assessments, notes)
    click.echo(t("coaching.record.imported", count=rows, db=rec.path))


@record.command("export")
@DB_ARGUMENT
@click.option("--assessments", type=click.Path(path_type=Path), required=True)
@click.option("--notes", type=click.Path(path_type=Path), default=None)
@click.option("--instrument", type=click.Path(path_type=Path), default=None)
@click.option("--force", is_flag=True, help="Replace existing CSV files.")
def export(db: Path | None, assessments: Path, notes: Path | None, instrument: Path | None,
           force: bool) -> None:
    """Write the record as CSV (the same format import reads); never over a file without --force."""
    rec = _open(db, instrument, create=False)
    scores, written = rec.export_csv(assessments, notes, force=force)
    click.echo(t("coaching.record.exported", db=rec.path, path=assessments, count=scores))
    if notes is not None:
        click.echo(t("coaching.record.exported_notes", path=notes, count=written))


@record.command("progress")
@DB_ARGUMENT
@click.option("--rep", default=None, help="One new hire (default: everyone).")
@click.option("--instrument", type=click.Path(path_type=Path), default=None)
def progress_(db: Path | None, rep: str | None, instrument: Path | None) -> None:
    """Capability, willingness and style per assessment date."""
    table = _open(db, instrument, create=False).progress(rep)
    if table.empty:
        click.echo(t("coaching.record.no_assessments"))
        return
    import pandas as pd

    shown = table.round(2)
    shown["style"] = [t(f"cli.coaching.style.{s}") if isinstance(s, str) else s for s in shown["style"]]
    shown = shown.rename(columns={c: t(f"cli.coaching.progress.{c}") for c in shown.columns})
    with pd.option_context("display.unicode.east_asian_width", True):  # 能力 takes 4 columns
        click.echo(shown.to_string(index=False))


COMMANDS = [coaching]
