"""The team's objection log on disk, and the playbook it becomes.

The log is a CSV a rep can keep in Excel or add to with ``salestrain objections log``: one
row per objection met (:data:`salestrain.io.schemas.OBJECTION_LOG`). Adding a row appends
one line and never rewrites the rows already there, so a log shared by a team loses nothing
when two reps add to it on the same day. Reading goes through the one table reader, so a
bad row is named by its line, column, value and fix, in the user's language.

The playbook is written as Markdown for the team to read (one section per family, in the
user's language) or as CSV for a tool or a spreadsheet; the CSV reads back into the same
:class:`~salestrain.core.objections.playbook.Playbook`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd

from salestrain.base.errors import DataError
from salestrain.base.files import write_atomic
from salestrain.base.formats import format_date
from salestrain.base.i18n import t
from salestrain.base.tables import ProblemSet, read_text_table
from salestrain.core.objections.playbook import (
    LOG_COLUMNS,
    Playbook,
    ReplyResult,
    check_log,
    family_of,
    outcome_of,
)
from salestrain.core.objections.vocabulary import FAMILIES
from salestrain.io.schemas import OBJECTION_LOG

PLAYBOOK_COLUMNS = ("verdict", "family", "reply", "uses", "resolved", "open", "worse", "example", "until")


def _headline(source: str):
    def headline(count: int, shown: int, extra: int) -> str:
        text = t("playbook.error.table", source=source, count=count)
        return text + (" " + t("playbook.error.more", count=extra) if extra else "")
    return headline


def validate_log(raw: pd.DataFrame, source: str = "objection log") -> pd.DataFrame:
    """A checked log from text cells: dates parsed, family and outcome as ids."""
    problems = ProblemSet(source)
    typed = OBJECTION_LOG.parse(OBJECTION_LOG.rename(raw), problems)
    clean = check_log(typed, problems)
    problems.raise_if_any(_headline(source))
    for column in ("rep", "customer"):
        clean[column] = clean[column].fillna("") if column in clean else ""
    return clean


def read_log(path: str | Path) -> pd.DataFrame:
    """The log at ``path``, checked (an empty log is a named error that says how to add)."""
    raw = read_text_table(path, str(path), needs=t("playbook.error.needs_rows"), allow_empty=True)
    if raw.empty:
        raise DataError(t("playbook.error.empty", source=path))
    return validate_log(raw, str(path))


def append_entry(path: str | Path, *, day: dt.date, family: str, objection: str, reply: str,
                 outcome: str, rep: str = "", customer: str = "") -> int:
    """Add one objection to the log (created with its header if new); the log's row count.

    The new row is checked as the reader checks a row before anything is written, so a log
    never holds a row it would refuse.
    """
    row = {"date": day.isoformat(), "rep": rep, "customer": customer, "family": family,
           "objection": objection, "reply": reply, "outcome": outcome}
    validate_log(pd.DataFrame([row], dtype=str), str(path))  # raises before any write
    path = Path(path)
    new = not path.exists() or path.stat().st_size == 0
    header, encoding, ends_in_newline = list(LOG_COLUMNS), "utf-8", True
    if not new:
        data = path.read_bytes()
        try:  # Excel on Chinese Windows saves GB18030: keep the file in its own encoding
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("gb18030"), "gb18030"
        header = next(csv.reader(io.StringIO(text)))
        ends_in_newline = text.endswith("\n")
    # the file's own column order and names (a CRM export may say "response" for reply)
    ours = OBJECTION_LOG.rename(pd.DataFrame(columns=header)).columns
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if new:
        writer.writerow(header)
    writer.writerow([row.get(name, "") for name in ours])
    # Appending in place: the rows already there are never rewritten.
    with path.open("a", encoding=encoding, newline="") as out:
        out.write(("" if ends_in_newline else "\n") + buffer.getvalue())
    return len(read_log(path))


def _label(family: str) -> str:
    return t(f"objections.family.{family}.name")


def playbook_markdown(book: Playbook) -> str:
    """The playbook as the team reads it: a section per family, what works, what to avoid."""
    lines = [f"# {t('playbook.playbook.title')}", ""]
    if book.until is not None:
        lines += [t("playbook.playbook.until", day=format_date(book.until)), ""]
    for family in FAMILIES:
        use = [r for r in book.use if r.family == family]
        avoid = [r for r in book.avoid if r.family == family]
        if not use and not avoid:
            continue
        lines += [f"## {_label(family).capitalize()}", ""]
        for heading, rows in (("use", use), ("avoid", avoid)):
            if not rows:
                continue
            lines += [f"### {t(f'playbook.playbook.{heading}')}", ""]
            for r in rows:
                record = t("playbook.playbook.record", uses=r.uses, resolved=r.resolved, worse=r.worse)
                lines.append(f"- **{r.reply}** ({record}) {t('playbook.playbook.example', objection=r.example)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def playbook_csv(book: Playbook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLAYBOOK_COLUMNS)
    until = book.until.isoformat() if book.until else ""
    for verdict, rows in (("use", book.use), ("avoid", book.avoid)):
        for r in rows:
            writer.writerow([verdict, r.family, r.reply, r.uses, r.resolved, r.open, r.worse, r.example, until])
    return buffer.getvalue()


def write_playbook(book: Playbook, path: str | Path, force: bool = False) -> Path:
    """``.md`` for the team to read, ``.csv`` for a spreadsheet or to read back."""
    text = playbook_csv(book) if Path(path).suffix.lower() == ".csv" else playbook_markdown(book)
    return write_atomic(path, text, force=force, make_parents=True)


def read_playbook(path: str | Path) -> Playbook:
    """A playbook CSV written by :func:`write_playbook`, read back."""
    raw = read_text_table(path, str(path), allow_empty=True)
    if list(raw.columns) != list(PLAYBOOK_COLUMNS):
        raise DataError(t("playbook.error.not_a_playbook", source=path, columns=", ".join(PLAYBOOK_COLUMNS)))
    rows = {"use": [], "avoid": []}
    for r in raw.itertuples(index=False):
        family = family_of(r.family)
        if r.verdict not in rows or family is None:
            raise DataError(t("playbook.error.not_a_playbook", source=path, columns=", ".join(PLAYBOOK_COLUMNS)))
        rows[r.verdict].append(ReplyResult(family, r.reply, int(r.uses), int(r.resolved), int(r.open),
                                           int(r.worse), r.example))
    until = dt.date.fromisoformat(raw["until"].iloc[0]) if len(raw) and raw["until"].iloc[0] else None
    return Playbook(until, tuple(rows["use"]), tuple(rows["avoid"]))


__all__ = ["append_entry", "outcome_of", "playbook_csv", "playbook_markdown", "read_log",
           "read_playbook", "validate_log", "write_playbook"]
