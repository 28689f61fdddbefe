"""``salestrain negotiation ...``: the trainer's negotiation tools from a terminal."""

from __future__ import annotations

from pathlib import Path

import click

from salestrain.base.i18n import t


@click.group()
def negotiation() -> None:
    """Negotiation role plays: list them, print role cards, debrief a class, run a tournament."""


@negotiation.command("scenarios")
def scenarios() -> None:
    """List the shipped role plays (names work wherever a scenario is asked for)."""
    from salestrain.io.negotiation import load_scenario, scenario_names

    for name in scenario_names():
        click.echo(f"{name}: {load_scenario(name).title}")


@negotiation.command("debrief")
@click.argument("csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--scenario", default="price-sensitive-buyer", show_default=True,
              help="A shipped scenario name or the path of a scenario file.")
@click.option("--rank-by", type=click.Choice(["joint", "seller", "buyer"]), default="joint",
              show_default=True)
def debrief(csv: Path, scenario: str, rank_by: str) -> None:
    """Rank each table's agreement (one CSV row per table) against the Pareto frontier."""
    from salestrain.core.negotiation import class_debrief
    from salestrain.io.negotiation import load_scenario, read_class_sheet

    s = load_scenario(scenario)
    frame = read_class_sheet(csv)
    table = class_debrief(s.domain, frame, source=str(csv), rank_by=rank_by)
    cols = ["rank", "table", "u_seller", "u_buyer", "discount", "pareto_distance"]
    shown = table[cols].rename(columns={c: t(f"negotiation.class.col.{c}") for c in cols})
    click.echo(shown.to_string(index=False, float_format=lambda x: f"{x:.2f}"))


@negotiation.command("tournament")
@click.option("--scenario", "names", multiple=True,
              help="Scenario name or file (repeat for several; default: all shipped).")
@click.option("--rounds", type=click.IntRange(2, 1000), default=100, show_default=True)
def run_tournament(names: tuple[str, ...], rounds: int) -> None:
    """Round-robin of the standard counterparts; prints the table per tactic."""
    from salestrain.core.negotiation import standard_tactics, tournament
    from salestrain.io.negotiation import load_scenario, load_scenarios

    chosen = [load_scenario(n) for n in names] if names else load_scenarios()
    result = tournament(standard_tactics(), chosen, rounds=rounds)
    summary = result.summary()[["negotiations", "agreement_rate", "mean_utility", "mean_discount"]]
    click.echo(t("negotiation.tournament.summary", games=len(result.games), best=summary.index[0],
                 utility=f"{summary.iloc[0].mean_utility:.2f}").replace("<b>", "").replace("</b>", ""))
    click.echo(summary.to_string(float_format=lambda x: f"{x:.3f}"))


COMMANDS = [negotiation]


@negotiation.command("cards")
@click.argument("scenario")
@click.option("--out", "folder", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the cards: one HTML page per side (print each to PDF from the browser).")
@click.option("--force", is_flag=True, help="Replace cards that already exist.")
def cards(scenario: str, folder: Path, force: bool) -> None:
    """Print confidential role cards: each side gets its own facts and points, never the other's."""
    from salestrain.base.files import check_writable, write_atomic
    from salestrain.base.formats import format_number
    from salestrain.core.negotiation import ROLES
    from salestrain.core.negotiation.cards import role_card
    from salestrain.io.html import render
    from salestrain.io.negotiation import load_scenario

    s = load_scenario(scenario)
    targets = {role: folder / f"{s.name}-{role}.html" for role in ROLES}
    for target in targets.values():  # refuse before writing either card: never half a set
        check_writable(target, force=force, make_parents=True)
    for role, target in targets.items():
        card = role_card(s, role)
        page = render("negotiation/role_card.html", card=card,
                      title=t("negotiation.card.heading", side=card.side),
                      points=lambda value: format_number(value, decimals=1))
        write_atomic(target, page, force=force, make_parents=True)
        click.echo(t("negotiation.card.written", path=target))
