"""``salestrain case``: list the case studies, print a case brief or its teaching note."""

from __future__ import annotations

from pathlib import Path

import click

from salestrain.base.i18n import t


@click.command("case")
@click.argument("slug", required=False)
@click.option("--note", is_flag=True, help="Print the trainer's teaching note instead of the brief.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The cases/ folder (default: the project's).")
def case_command(slug: str | None, note: bool, root: Path | None) -> None:
    """List the case studies, or print one as Markdown (the brief, or --note).

    The case is validated first; a broken case prints every problem as
    file:line: field: message.
    """
    from salestrain.io.cases import (
        case_brief_markdown,
        case_folders,
        cases_root,
        load_case,
        teaching_note_markdown,
    )

    root = root or cases_root()
    if not slug:
        click.echo(t("workshop.cli.cases_header", root=root))
        for folder in case_folders(root):
            case = load_case(folder)
            modules = t("cli.case.separator").join(t(f"cli.case.module.{m}") for m in case.spec.modules)
            click.echo(f"  {case.slug.ljust(22)}  {case.title}  {t('cli.case.modules', modules=modules)}")
        click.echo(t("workshop.cli.cases_usage"))
        return
    folder = root / slug if (root / slug).is_dir() else Path(slug)
    case = load_case(folder if folder.exists() else slug)
    click.echo(teaching_note_markdown(case) if note else case_brief_markdown(case))


COMMANDS = [case_command]
