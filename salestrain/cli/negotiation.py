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
    from salestrain.io.multiparty import load_multi, multi_names
    from salestrain.io.negotiation import load_scenario, scenario_names

    for name in scenario_names():
        click.echo(f"{name}: {load_scenario(name).title}")
    for name in multi_names():  # three or more parties: role cards and a class debrief
        click.echo(f"{name}: {load_multi(name).title}")


@negotiation.command("debrief")
@click.argument("csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--scenario", default="price-sensitive-buyer", show_default=True,
              help="A shipped scenario name or the path of a scenario file.")
@click.option("--rank-by", type=click.Choice(["joint", "seller", "buyer"]), default="joint",
              show_default=True)
def debrief(csv: Path, scenario: str, rank_by: str) -> None:
    """Rank each table's agreement (one CSV row per table) against the Pareto frontier."""
    from salestrain.core.negotiation import class_debrief
    from salestrain.io.multiparty import is_multiparty
    from salestrain.io.negotiation import load_scenario, read_class_sheet

    frame = read_class_sheet(csv)
    if is_multiparty(scenario):
        _multi_debrief(scenario, frame, str(csv))
        return
    s = load_scenario(scenario)
    table = class_debrief(s.domain, frame, source=str(csv), rank_by=rank_by)
    cols = ["rank", "table", "u_seller", "u_buyer", "discount", "pareto_distance"]
    shown = table[cols].rename(columns={c: t(f"negotiation.class.col.{c}") for c in cols})
    click.echo(shown.to_string(index=False, float_format=lambda x: f"{x:.2f}"))


def _multi_debrief(scenario: str, frame, source: str) -> None:  # noqa: ANN001 - a DataFrame
    """Three or more parties: each party's points, who accepted too little, Pareto or not."""
    from salestrain.core.negotiation.multiparty import analyse_multi, multi_class_debrief
    from salestrain.io.multiparty import load_multi

    multi = load_multi(scenario)
    table = multi_class_debrief(multi, frame, source)
    parties = list(multi.parties)
    shown = table[["rank", "table", *parties, "below", "pareto"]].copy()
    for party in parties:
        shown[party] = [f"{100 * u:.1f}" for u in table[party]]
    shown["below"] = [t("content.separator").join(multi.labels[p] for p in b) or t("negotiation.multi.none")
                      for b in table["below"]]
    shown["pareto"] = [t("negotiation.multi.yes") if ok else (t("negotiation.multi.no") if deal
                       else t("negotiation.multi.no_deal"))
                       for ok, deal in zip(table["pareto"], table["agreement"], strict=True)]
    names = {"rank": t("negotiation.multi.col.rank"), "table": t("negotiation.multi.col.table"),
             "below": t("negotiation.multi.col.below"), "pareto": t("negotiation.multi.col.pareto"),
             **{p: multi.labels[p] for p in parties}}
    click.echo(shown.rename(columns=names).to_string(index=False))
    nash = analyse_multi(multi).nash
    if nash is not None:
        deal = t("negotiation.multi.pair_sep").join(
            t("negotiation.multi.pair", issue=multi.issue_label(i.name), option=i.options[k])
            for i, k in zip(multi.issues, nash, strict=True))
        click.echo("\n" + t("negotiation.multi.balanced", deal=deal))


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
    from salestrain.core.negotiation.cards import party_card, role_card
    from salestrain.io.html import render
    from salestrain.io.multiparty import is_multiparty, load_multi
    from salestrain.io.negotiation import load_scenario

    if is_multiparty(scenario):  # three or more parties: one card each
        multi = load_multi(scenario)
        name, all_cards = multi.name, {p: party_card(multi, p) for p in multi.parties}
    else:
        s = load_scenario(scenario)
        name, all_cards = s.name, {r: role_card(s, r) for r in ROLES}
    targets = {side: folder / f"{name}-{side}.html" for side in all_cards}
    for target in targets.values():  # refuse before writing any card: never half a set
        check_writable(target, force=force, make_parents=True)
    for side, target in targets.items():
        card = all_cards[side]
        page = render("negotiation/role_card.html", card=card,
                      title=t("negotiation.card.heading", side=card.side),
                      points=lambda value: format_number(value, decimals=1))
        write_atomic(target, page, force=force, make_parents=True)
        click.echo(t("negotiation.card.written", path=target))
