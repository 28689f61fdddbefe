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
    """The mentorship record (an SQLite file)."""


def _open(db: Path, instrument: Path | None):
    from salestrain.io.coaching.mentorship import MentorshipRecord

    return MentorshipRecord(db, _instrument(instrument))


@record.command("import")
@click.argument("db", type=click.Path(path_type=Path))
@click.option("--assessments", type=click.Path(path_type=Path), default=None)
@click.option("--notes", type=click.Path(path_type=Path), default=None)
@click.option("--instrument", type=click.Path(path_type=Path), default=None)
def import_(db: Path, assessments: Path | None, notes: Path | None, instrument: Path | None) -> None:
    """Add assessments and/or notes from CSV (all checked before anything is stored)."""
    rows = _open(db, instrument).import_csv(assessments, notes)
    click.echo(f"{rows} row(s) imported into {db}")


@record.command("export")
@click.argument("db", type=click.Path(path_type=Path))
@click.option("--assessments", type=click.Path(path_type=Path), required=True)
@click.option("--notes", type=click.Path(path_type=Path), default=None)
@click.option("--instrument", type=click.Path(path_type=Path), default=None)
def export(db: Path, assessments: Path, notes: Path | None, instrument: Path | None) -> None:
    """Write the record as CSV (the same format import reads)."""
    _open(db, instrument).export_csv(assessments, notes)
    click.echo(f"exported {db} to {assessments}" + (f" and {notes}" if notes else ""))


@record.command("progress")
@click.argument("db", type=click.Path(path_type=Path))
@click.option("--rep", default=None, help="One new hire (default: everyone).")
@click.option("--instrument", type=click.Path(path_type=Path), default=None)
def progress_(db: Path, rep: str | None, instrument: Path | None) -> None:
    """Capability, willingness and style per assessment date."""
    table = _open(db, instrument).progress(rep)
    click.echo(table.round(2).to_string(index=False) if not table.empty else "no assessments yet")


COMMANDS = [coaching]
