"""``salestrain objections``: check scenarios for trainers, list coaching sessions, and the
team's objection loop (log -> weekly review -> playbook)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from salestrain.base.i18n import t


@click.group("objections")
def objections() -> None:
    """Objection-handling scenarios, coaching records, and the team's objection log."""


@objections.command("check")
@click.argument("scenarios", nargs=-1)
@click.option("--runs", default=150, show_default=True, help="Random plays per scenario.")
@click.option("--coaching", is_flag=True,
              help="Check the shipped coaching dialogues instead of the objection scenarios.")
def check_command(scenarios: tuple[str, ...], runs: int, coaching: bool) -> None:
    """Play scenarios with trivial policies and find every ending (names or paths).

    Without arguments, checks every shipped scenario. Exit 1 when a trivial policy
    wins, the best play does not win, or an ending is never reached.
    """
    from salestrain.core.objections.simulate import quality_report
    from salestrain.io.objections.scenarios import (
        dialogue_names,
        dialogue_path,
        load_scenario,
        scenario_names,
    )

    shipped = ([str(dialogue_path(n)) for n in dialogue_names()] if coaching
               else scenario_names())
    failed = 0
    for source in scenarios or shipped:
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


def _date(value: str | None) -> dt.date | None:
    """A day as a rep types it (2026-12-01, 2026/12/01, 2026年12月1日), through the table grammar."""
    if value is None:
        return None
    import pandas as pd

    from salestrain.base.tables import parse_dates

    parsed, codes = parse_dates(pd.Series([value]))
    if codes[0] != 0:
        raise click.BadParameter(t("playbook.error.bad_value", value=repr(value), fix=t("playbook.error.fix_date")))
    return pd.Timestamp(parsed[0]).date()


@objections.command("log")
@click.argument("logfile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--family", required=True, help="The kind of objection: price, technical doubt, competitor comparison, timing, authority or no need.")
@click.option("--objection", required=True, help="What the customer said.")
@click.option("--reply", required=True, help="What you answered.")
@click.option("--outcome", required=True, help="resolved, open or worse.")
@click.option("--rep", default="", help="Who met the objection.")
@click.option("--customer", default="", help="The customer or contact.")
@click.option("--date", "day", default=None, help="The day of the contact (default: today).")
def log_command(logfile: Path, family: str, objection: str, reply: str, outcome: str, rep: str,
                customer: str, day: str | None) -> None:
    """Add one objection you met to the team's log (a CSV; created if new, never rewritten)."""
    from salestrain.core.objections.playbook import family_of, outcome_of
    from salestrain.io.objections.log import append_entry

    count = append_entry(logfile, day=_date(day) or dt.date.today(), family=family, objection=objection,
                         reply=reply, outcome=outcome, rep=rep, customer=customer)
    click.echo(t("playbook.log.added", path=logfile, count=count,
                 family=t(f"objections.family.{family_of(family)}.name"),
                 outcome=t(f"playbook.outcome.{outcome_of(outcome)}")))


@objections.command("review")
@click.argument("logfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--week", default=None, help="Any day of the week to review (default: the log's last week).")
def review_command(logfile: Path, week: str | None) -> None:
    """The weekly review: what the team met, and which replies worked, best first."""
    import pandas as pd

    from salestrain.base.errors import DataError
    from salestrain.base.formats import format_date
    from salestrain.core.objections.playbook import weekly_review
    from salestrain.io.objections.log import read_log

    log = read_log(logfile)
    days = pd.to_datetime(log["date"]).dt.date
    review = weekly_review(log, _date(week) or max(days))
    if not review.objections:
        raise DataError(t("playbook.error.no_week", source=logfile, start=format_date(review.start),
                          end=format_date(review.end), first=format_date(min(days)),
                          last=format_date(max(days))))
    click.echo(t("playbook.review.title", start=format_date(review.start), end=format_date(review.end)))
    families = t("content.separator").join(
        t("playbook.review.family_count", family=t(f"objections.family.{f}.name"), count=n)
        for f, n in review.by_family.items())
    click.echo(t("playbook.review.summary", count=review.objections, families=families))
    cols = ("reply", "uses", "resolved", "open", "worse", "net")
    for family in review.by_family:
        rows = [r for r in review.ranked if r.family == family]
        click.echo(f"\n{t(f'objections.family.{family}.name')}")
        table = pd.DataFrame([{"reply": r.reply, "uses": r.uses, "resolved": r.resolved, "open": r.open,
                               "worse": r.worse, "net": f"{r.net:+.2f}"} for r in rows], columns=cols)
        table.index = range(1, len(table) + 1)
        click.echo(table.rename(columns={c: t(f"playbook.review.col.{c}") for c in cols}).to_string())
    click.echo("\n" + t("playbook.review.net_note"))


@objections.command("playbook")
@click.argument("logfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The playbook to write: .md for the team to read, .csv for a spreadsheet.")
@click.option("--until", default=None, help="Use the objections logged up to this day (default: all).")
@click.option("--force", is_flag=True, help="Replace a playbook that already exists.")
def playbook_command(logfile: Path, out: Path, until: str | None, force: bool) -> None:
    """Write the team playbook: per family, the replies that work and the ones to avoid."""
    from salestrain.core.objections.playbook import build_playbook
    from salestrain.io.objections.log import read_log, write_playbook

    book = build_playbook(read_log(logfile), _date(until))
    write_playbook(book, out, force=force)
    click.echo(t("playbook.playbook.written", path=out, use=len(book.use), avoid=len(book.avoid)))


COMMANDS = [objections]
