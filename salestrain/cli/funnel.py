"""``salestrain forecast PIPELINE.csv --target X``: the monthly forecast from a CRM export."""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from salestrain.base.errors import DataError
from salestrain.base.i18n import t

if TYPE_CHECKING:  # annotations only; the command imports pandas when it runs
    import pandas as pd


@click.command("forecast", help="Forecast a pipeline CSV: weighted, P10/P50/P90 and P(hit target).")
@click.argument("pipeline", type=click.Path(path_type=Path))
@click.option("--target", type=float, required=True, help="Revenue target for the period.")
@click.option("--month", default=None, help="Only deals expected to close in this month (YYYY-MM).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed for Monte Carlo (used with --correlation or --slip-days).")
@click.option("--correlation", type=click.FloatRange(0.0, 0.95), default=0.0, show_default=True,
              help="Shared market swing between deals (0 = independent: exact answer).")
@click.option("--slip-days", type=click.FloatRange(min=0.0), default=0.0, show_default=True,
              help="Mean delay of close dates in days (needs --month).")
@click.option("--history", "history_path", type=click.Path(path_type=Path), default=None,
              help="Stage history CSV (deal_id, stage, date): adds a time-aware forecast that "
                   "weighs each deal by P(won before the month ends), from a transition model.")
@click.option("--as-of", "as_of", default=None,
              help="Date of the forecast for --history (default: first day of --month).")
@click.option("--date-format", "date_format", default=None, metavar="dmy|mdy|PATTERN",
              help="How to read day/month dates such as 01.12.2026: dmy (1 December), mdy "
                   "(12 January) or a strptime pattern like %d.%m.%Y. ISO dates need none.")
@click.option("--plot", "plot_path", type=click.Path(path_type=Path), default=None,
              help="Save the distribution plot to this PNG file.")
def forecast_command(pipeline: Path, target: float, month: str | None, seed: int,
                     correlation: float, slip_days: float, history_path: Path | None,
                     as_of: str | None, date_format: str | None, plot_path: Path | None) -> None:
    from salestrain.base.memory import return_large_blocks
    from salestrain.base.tables import notes_of, release_arrow_scratch
    from salestrain.core.funnel import category_rollup, days_left_in_month, forecast, in_period
    from salestrain.io.funnel import check_date_format, read_pipeline

    check_date_format(date_format)
    return_large_blocks()  # a big export's work arrays go back to the system when freed
    if history_path is not None and month is None:
        raise DataError(t("funnel.cli.history_needs_month"))
    # Check the date before reading anything: a typo must not cost the whole output first.
    start = _as_of(as_of, month) if history_path is not None else None
    table = read_pipeline(pipeline, date_format=date_format)
    for note in notes_of(table):  # e.g. a GBK file from Excel on Chinese Windows
        click.echo(note, err=True)
    deals = in_period(table, month)
    if deals.empty:
        months = ", ".join(sorted(table["expected_close"].dt.strftime("%Y-%m").unique()))
        raise DataError(t("funnel.cli.no_deals", source=pipeline, month=month, months=months))
    if history_path is None:
        # What follows needs amounts, probabilities, categories and dates only: the text
        # columns (ids, accounts, owners: 40% of a 1M-deal table) go before the forecast
        # makes its work arrays (peak memory, benchmarks/tables.py, issue 18).
        deals = deals[[c for c in deals.columns if c not in ("deal_id", "account", "owner")]]
    del table
    release_arrow_scratch()  # hand what the reader freed back before the forecast's arrays
    # Slippage: a deal expected this month may slip past its end (never earlier).
    days_left = days_left_in_month(deals, month) if (month and slip_days > 0) else None
    fc = forecast(deals["amount"].to_numpy(float), deals["probability"].to_numpy(float), target,
                  correlation=correlation, days_left=days_left, mean_slip_days=slip_days,
                  trials=20_000, seed=seed)

    from salestrain.base.formats import format_money

    def m(x: float) -> str:
        # Money as the language writes it: RMB 1,234,567 in English, ¥123.46万 in Chinese.
        return format_money(float(x))

    # "exact" only when the lattice is; an approximate answer states its proven bound.
    if fc.method == "exact":
        method = t("funnel.app.method_exact")
    elif fc.method == "approximate":
        method = t("funnel.app.method_approx", p_error=f"{100 * fc.p_hit_error:.2g}",
                   q_error=m(math.ceil(fc.quantile_error)))
    else:
        method = t("funnel.app.method_mc")

    click.echo(t("funnel.cli.header", deals=len(deals), source=pipeline,
                 month=t("funnel.cli.month", month=month) if month else ""))
    click.echo(t("funnel.cli.weighted", value=m(fc.weighted.mean), sd=m(fc.weighted.sd)))
    click.echo(t("funnel.cli.quantiles", p10=m(fc.p10), p50=m(fc.p50), p90=m(fc.p90)))
    click.echo(t("funnel.cli.p_hit", target=m(target), p_hit=f"{fc.p_hit:.1%}", method=method))
    click.echo(t("funnel.cli.gap", gap=m(fc.gap)))
    if history_path is not None:
        _time_aware(deals, history_path, month, start, target, m, date_format)
    click.echo(t("funnel.cli.categories"))
    rollup = category_rollup(deals)
    names = {c: t(f"funnel.category.{c}") for c in rollup.index}
    # The row pads {category:<10} by characters; a Chinese character takes two columns,
    # so each name comes padded to the same columns, at least 10 characters long.
    extra = {c: sum(unicodedata.east_asian_width(ch) in "WF" for ch in n) for c, n in names.items()}
    columns = 10 + max(extra.values(), default=0)
    for category, row in rollup.iterrows():
        name = names[category] + " " * (columns - len(names[category]) - extra[category])
        click.echo(t("funnel.cli.category_row", category=name,
                     deals=int(row["deals"]), amount=m(row["amount"]), weighted=m(row["weighted"])))
    if plot_path is not None:
        from salestrain.plots import style as plots
        from salestrain.plots.funnel import ForecastPlot

        figure = plots.new_figure(7.0, 3.4)
        ForecastPlot(figure).update(fc, len(deals))
        plot_path.parent.mkdir(parents=True, exist_ok=True)
        plots.save(figure, str(plot_path))
        click.echo(t("funnel.cli.plot_saved", path=plot_path))


def _as_of(as_of: str | None, month: str) -> pd.Timestamp:
    """The forecast date for --history: --as-of, or the first day of --month."""
    import pandas as pd

    from salestrain.core.funnel import parse_month

    period = parse_month(month)
    if not as_of:
        return period.start_time
    try:
        start = pd.Timestamp(as_of)
    except ValueError:  # pandas' DateParseError is a ValueError
        start = pd.NaT
    if pd.isna(start):
        raise DataError(t("funnel.cli.bad_as_of", value=repr(as_of)))
    if start.normalize() > period.end_time.normalize():
        raise DataError(t("funnel.cli.as_of_after_month", as_of=as_of, month=month))
    return start


def _time_aware(deals, history_path: Path, month: str, start: pd.Timestamp, target: float,
                m, date_format: str | None = None) -> None:
    from salestrain.core.funnel import fit_transitions, forecast, p_close_within, parse_month
    from salestrain.io.funnel import read_history

    period = parse_month(month)
    days = (period.end_time.normalize() - start.normalize()).days + 1
    # Open deals in the history count as waiting up to the export's last date, not up
    # to the forecast date (the export may be older than the forecast).
    model = fit_transitions(read_history(history_path, date_format=date_format))
    timed = forecast(deals["amount"].to_numpy(float), p_close_within(model, deals, days), target)
    click.echo(t("funnel.cli.time_aware", days=days, value=m(timed.weighted.mean),
                 p_hit=f"{timed.p_hit:.1%}"))


COMMANDS = [forecast_command]
