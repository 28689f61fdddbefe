"""``salestrain impact HISTORY --trained DATE``: win rate, deal cycle, discount and forecast
error per rep and team, before and after a training (Kirkpatrick level 4)."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from salestrain.base.i18n import t

if TYPE_CHECKING:  # annotations only; the command imports pandas when it runs
    from salestrain.core.funnel.impact import ImpactReport


@click.command("impact", help="Before/after results from your CRM history: win rate, deal "
               "cycle, discount and forecast error per rep and team.")
@click.argument("history", type=click.Path(path_type=Path))
@click.option("--trained", required=True, metavar="YYYY-MM-DD",
              help="The day the team was trained.")
@click.option("--pipeline", "pipeline", type=click.Path(path_type=Path), default=None,
              help="A pipeline CSV of the same deals with a discount column (and amounts).")
@click.option("--period", type=click.Choice(["month", "quarter"]), default="quarter",
              show_default=True, help="Compare months or quarters.")
@click.option("--date-format", "date_format", default=None, metavar="dmy|mdy|PATTERN",
              help="How to read day/month dates such as 01.12.2026 (see forecast --help).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Write an HTML report with a figure per metric to this file.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
def impact_command(history: Path, trained: str, pipeline: Path | None, period: str,
                   date_format: str | None, out: Path | None, force: bool) -> None:
    from salestrain.base.files import check_writable, write_atomic
    from salestrain.core.funnel.impact import impact
    from salestrain.io.funnel import check_date_format, sample_names
    from salestrain.io.impact import is_sample, read_impact_inputs

    check_date_format(date_format)
    if out is not None:
        check_writable(out, force=force)  # refuse before the work, not after it
    inputs = read_impact_inputs(history, pipeline, date_format=date_format)
    report = impact(inputs.history, trained, period, discounts=inputs.discounts,
                    amounts=inputs.amounts)
    # The shipped sample's reps are named in the session's language; a user's stay as given.
    names = sample_names() if is_sample(history) else {}
    for line in summary_lines(report, names):
        click.echo(line)
    if out is not None:
        write_atomic(out, report_html(report, names, history), force=force)
        click.echo(t("impact.cli.report_saved", path=out))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, columns: int, right: bool = False) -> str:
    space = " " * max(columns - _width(text), 0)
    return space + text if right else text + space


def value_text(metric: str, value: float) -> str:
    from salestrain.base.formats import format_number, format_percent

    if value != value:  # NaN: no deal behind it
        return t("impact.value.none")
    if metric == "cycle_days":
        return t("impact.value.days", value=format_number(value, decimals=0), count=round(value))
    return format_percent(value, decimals=1)


def change_text(metric: str, change: float) -> str:
    from salestrain.base.formats import format_number

    if change != change:
        return t("impact.value.none")
    sign = "+" if change > 0 else ("-" if change < 0 else "±")
    if metric == "cycle_days":
        return t("impact.change.days", sign=sign, value=format_number(abs(change), decimals=1))
    return t("impact.change.points", sign=sign, value=format_number(100 * abs(change), decimals=1))


def group_name(group: str | None, names: dict[str, str]) -> str:
    if not isinstance(group, str):  # the team's row (None; pandas may hold it as NaN)
        return t("impact.cli.team")
    return names.get(group, group) or t("impact.cli.no_owner")


def change_rows(report: ImpactReport, names: dict[str, str]) -> list[list[str]]:
    """The before/after table as text cells: group, metric, before, after, change, deals, note."""
    import pandas as pd

    from salestrain.base.formats import format_number

    rows = []
    # the team first: the headline a trainer projects, then each rep
    changes = report.changes
    team = changes["group"].isna()
    for row in pd.concat([changes[team], changes[~team]]).itertuples(index=False):
        if row.metric == "discount" and not report.has_discount:
            continue
        rows.append([
            group_name(row.group, names), t(f"impact.metric.{row.metric}"),
            value_text(row.metric, row.before), value_text(row.metric, row.after),
            change_text(row.metric, row.change),
            t("impact.cli.deals_pair", before=format_number(row.n_before),
              after=format_number(row.n_after)),
            t("impact.cli.few", n=format_number(report_small())) if row.small else "",
        ])
    return rows


def report_small() -> int:
    from salestrain.core.funnel.impact import SMALL_SAMPLE

    return SMALL_SAMPLE


def headings() -> list[str]:
    return [t(f"impact.cli.col.{c}") for c in
            ("group", "metric", "before", "after", "change", "deals", "note")]


def notes(report: ImpactReport) -> list[str]:
    """The header lines: the periods compared, the caveat, what the data lacked."""
    from salestrain.base.formats import format_date
    from salestrain.plots.impact import period_label

    lines = [t("impact.cli.header", date=format_date(report.trained.date()),
               before=period_label(report.before), after=period_label(report.after)),
             t("impact.caveat")]
    if not report.after_complete:
        lines.append(t("impact.cli.partial", date=format_date(report.last_date.date()),
                       after=period_label(report.after)))
    if report.amount_unit == "deals":
        lines.append(t("impact.cli.counts_deals"))
    if not report.has_discount:
        lines.append(t("impact.cli.no_discount"))
    return lines


def summary_lines(report: ImpactReport, names: dict[str, str]) -> list[str]:
    rows = [headings(), *change_rows(report, names)]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    numeric = {2, 3, 4, 5}
    out = [*notes(report), ""]
    previous = None
    for k, row in enumerate(rows):
        cells = list(row)
        if k and cells[0] == previous:
            cells[0] = ""  # the group's name once, on its first row
        else:
            previous = row[0]
        out.append("  ".join(_pad(c, w, i in numeric) for i, (c, w) in
                             enumerate(zip(cells, widths, strict=True))).rstrip())
    return out


def report_html(report: ImpactReport, names: dict[str, str], source: Path) -> str:
    import base64

    from salestrain.core.funnel.impact import METRICS
    from salestrain.io.html import render
    from salestrain.plots import style
    from salestrain.plots.impact import impact_figure

    figures = []
    for metric in METRICS:
        if metric == "discount" and not report.has_discount:
            continue
        fig = impact_figure(report, metric, names)
        uri = "data:image/png;base64," + base64.b64encode(style.to_png(fig)).decode("ascii")
        figures.append({"title": t(f"impact.metric.{metric}"), "uri": uri,
                        "see": t(f"impact.plot.see.{metric}")})
    notes_ = notes(report)
    rows = change_rows(report, names)
    return render("report/impact.html", title=t("impact.report.title"), header=notes_[0],
                  caveat=notes_[1], notes=notes_[2:], headers=headings(),
                  rows=[[*r[:6], {"text": r[6], "class": "few"}] for r in rows],
                  figures=figures, source=str(source))


COMMANDS = [impact_command]
