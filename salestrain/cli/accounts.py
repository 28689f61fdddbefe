"""``salestrain sample-book`` and ``salestrain accounts``: a book to practise on, and its analysis."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
import pandas as pd

from salestrain.base.i18n import get_language, t


def _csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, date_format="%Y-%m-%d")


@click.command("sample-book")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--customers", "n_customers", type=click.IntRange(1, 100_000), default=120,
              show_default=True, help="Number of customers.")
@click.option("--reps", "n_reps", type=click.IntRange(1, 6), default=4, show_default=True,
              help="Number of reps sharing the book.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same book.")
@click.option("--force", is_flag=True, help="Replace a book already in FOLDER.")
def sample_book(folder: Path, n_customers: int, n_reps: int, seed: int, force: bool) -> None:
    """Write a fictional customer book (customers, transactions, contacts CSV) to FOLDER."""
    from salestrain.base.files import check_writable, write_atomic
    from salestrain.core.accounts.synthetic import generate_book
    from salestrain.io.accounts import BOOK_FILES

    # All three files are checked before any is written: a refused run changes nothing.
    for name in BOOK_FILES:
        check_writable(folder / name, force=force, make_parents=True)
    book = generate_book(n_customers=n_customers, n_reps=n_reps, seed=seed, names=get_language())
    for name, frame in zip(BOOK_FILES, (book.customers, book.transactions, book.contacts),
                           strict=True):
        write_atomic(folder / name, _csv_text(frame), force=force, make_parents=True)
    click.echo(t("accounts.cli.written", folder=str(folder), customers=len(book.customers),
                 orders=len(book.transactions), as_of=book.as_of.isoformat()))


@click.command("accounts")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date of the analysis (default: the last transaction).")
@click.option("--a-cut", type=click.FloatRange(0.01, 1), default=0.7, show_default=True,
              help="Tier A: the largest customers up to this share of revenue.")
@click.option("--b-cut", type=click.FloatRange(0.01, 1), default=0.9, show_default=True,
              help="Tiers A+B: up to this share of revenue.")
@click.option("--alerts", "n_alerts", type=click.IntRange(0), default=10, show_default=True,
              help="How many churn alerts to list.")
def accounts_command(folder: Path, as_of, a_cut: float, b_cut: float, n_alerts: int) -> None:
    """Tiers, visit workload and churn alerts of the customer book in FOLDER."""
    from salestrain.core.accounts import analysis as core
    from salestrain.io.accounts import load_book

    book = load_book(folder, as_of.date() if as_of else None)
    start = book.as_of - timedelta(days=364)
    revenue = core.customer_totals(book.transactions, start, book.as_of)["revenue"] \
        .reindex(book.customers["customer_id"], fill_value=0.0)
    tiers = core.abc_tiers(revenue, a_cut, b_cut)
    summary = core.tier_summary(tiers)
    curve = core.pareto(revenue)
    click.echo(t("accounts.cli.header", as_of=book.as_of.isoformat(), customers=len(tiers),
                 top20=f"{curve.top_share(0.2):.0%}"))
    for tier, row in summary.iterrows():
        click.echo(t("accounts.cli.tier", tier=tier, customers=int(row["customers"]),
                     share=f"{row['value_share']:.0%}"))
    plan = core.visit_plan(tiers, book.customers.set_index("customer_id")["rep"])
    for rep, row in plan.reps.iterrows():
        click.echo(t("accounts.cli.rep", rep=rep, accounts=int(row["accounts"]),
                     visits=f"{row['visits_per_month']:.1f}", load=f"{row['load']:.0%}"))
    alerts = core.churn_alerts(core.churn_signals(book.customers, book.transactions, book.as_of))
    names = book.customers.set_index("customer_id")["name"]
    click.echo(t("accounts.cli.alerts", count=len(alerts)))
    for cid, row in alerts.head(n_alerts).iterrows():
        click.echo(t("accounts.cli.alert", rank=int(row["rank"]), customer=f"{cid} {names.get(cid, '')}",
                     tier=tiers.loc[cid, "tier"], reasons="; ".join(t(key, **values) for key, values in core.alert_explanations(row)),
                     revenue=f"{row['revenue_12m']:,.0f}"))


COMMANDS = [sample_book, accounts_command]

__all__ = ["COMMANDS"]
