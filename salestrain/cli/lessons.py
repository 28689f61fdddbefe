"""``salestrain lessons``: build each language's notebook from a bilingual lesson source."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t


@click.group("lessons")
def lessons() -> None:
    """Bilingual lessons: one source, one notebook per language (docs/i18n.md)."""


@lessons.command("build")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace built notebooks that differ from the source.")
def build_command(sources: tuple[Path, ...], force: bool) -> None:
    """Write notebooks/X.ipynb (en) and notebooks/zh_CN/X.ipynb from notebooks/source/X.ipynb."""
    from salestrain.io.lessons import build

    for source in sources:
        try:
            for path in build(source, force=force):
                click.echo(t("i18n.lessons.built", path=path))
        except SalestrainError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)


@lessons.command("init")
@click.argument("notebooks", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing source.")
def init_command(notebooks: tuple[Path, ...], force: bool) -> None:
    """Start translating a notebook: write source/X.ipynb beside it, its prose tagged English."""
    from salestrain.io.lessons import init_source

    for notebook in notebooks:
        try:
            click.echo(t("i18n.lessons.initialised", path=init_source(notebook, force=force)))
        except SalestrainError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)


@lessons.command("check")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def check_command(sources: tuple[Path, ...]) -> None:
    """Tags, translations, built files up to date, code cells identical; exit 1 if not."""
    from salestrain.io.lessons import check

    problems = [p for source in sources for p in check(source)]
    for problem in problems:
        click.echo(str(problem))
    if problems:
        sys.exit(1)


COMMANDS = [lessons]
