"""``salestrain objections``: check scenarios for trainers, list coaching sessions."""

from __future__ import annotations

from pathlib import Path

import click

from salestrain.base.i18n import t


@click.group("objections")
def objections() -> None:
    """Objection-handling scenarios and coaching records."""


@objections.command("check")
@click.argument("scenarios", nargs=-1)
@click.option("--runs", default=150, show_default=True, help="Random plays per scenario.")
def check_command(scenarios: tuple[str, ...], runs: int) -> None:
    """Play scenarios with trivial policies and find every ending (names or paths).

    Without arguments, checks every shipped scenario. Exit 1 when a trivial policy
    wins, the best play does not win, or an ending is never reached.
    """
    from salestrain.core.objections.simulate import quality_report
    from salestrain.io.objections.scenarios import load_scenario, scenario_names

    failed = 0
    for source in scenarios or scenario_names():
        scenario = load_scenario(source)  # a ContentError lists every file:line problem
        r = quality_report(scenario, runs=runs)
        problems = []
        if r["trivial_win"]:
            problems.append(t("objections.cli.trivial_win"))
        if r["best"] != "won":
            problems.append(t("objections.cli.best_not_won", ending=r["best"]))
        if r["unreached_endings"]:
            problems.append(t("objections.cli.unreached", endings=", ".join(r["unreached_endings"])))
        # "ok"/"FAIL" and the ending ids stay literal: scripts and the scenario files use them.
        status = "FAIL" if problems else "ok"
        click.echo(t("objections.cli.check_line", status=f"{status:4}", source=source,
                     decisions=r["decision_points"], endings=r["distinct_endings"], first=r["first"],
                     greedy=r["greedy"], random=f"{r['random_win_rate']:.0%}", best=r["best"]))
        for p in problems:
            click.echo(f"     {p}")
        failed += bool(problems)
    if failed:
        raise SystemExit(1)


@objections.command("sessions")
@click.argument("database", required=False, type=click.Path(path_type=Path))
@click.option("--learner", default=None, help="Only this learner's sessions.")
def sessions_command(database: Path | None, learner: str | None) -> None:
    """List saved coaching and play sessions.

    DATABASE is a file or a SQLAlchemy URL; without it, the records coach mode keeps in
    the per-user data folder ($SALESTRAIN_COACH_DB or $SALESTRAIN_DATA_DIR override it).
    Listing never creates a database.
    """
    from salestrain.io.objections.sessions import list_sessions

    rows = list_sessions(database, learner)
    for r in rows:
        total = "-" if r["total"] is None else f"{r['total']:g}"
        click.echo(f"{r['id']:4}  {r['started']}  {r['mode']:5}  {r['scenario']:32}  "
                   f"{r['learner'] or '-':16}  {r['ending'] or t('objections.cli.unfinished'):10}  {total}")
    click.echo(t("objections.cli.sessions", count=len(rows)))


COMMANDS = [objections]
