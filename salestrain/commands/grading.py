"""``salestrain release``, ``grade`` and ``report``: the trainer's grading workflow."""

from __future__ import annotations

from pathlib import Path

import click

RELEASE_HELP = "Folder to write the learner versions into (created if missing)."


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=RELEASE_HELP)
def release(source: Path, out: Path) -> None:
    """Write learner versions of exercises: solutions replaced, hidden tests removed."""
    from salestrain.grading.release import release as do_release

    written = do_release(source, out)
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(written)} file(s) written to {out}.")


COMMANDS = [release]
