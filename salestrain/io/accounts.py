"""The account book's tables: a seeded sample book, and loaders that check every cell.

Loaders are plain functions taking a CSV path or a DataFrame (the case exhibits use
them too). A bad table raises one :class:`~salestrain.base.errors.DataError` listing every
problem as ``file:line: column: message`` (for a DataFrame: ``name:row``), naming the
bad value and the fix. The generator is pure and seeded: same seed, same book.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.base.tables import is_blank, read_text_table
from salestrain.core.accounts.buying_centre import role_key
from salestrain.core.accounts.synthetic import Book

MAX_PROBLEMS = 20

def _number(value: object) -> float:
    number = float(value)
    if not np.isfinite(number):
        raise ValueError
    return number


def _date(value: object) -> pd.Timestamp:
    stamp = pd.to_datetime(value, errors="raise")
    if pd.isna(stamp):
        raise ValueError
    return stamp




def _bool(value: object) -> bool:
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "y", "是"):
        return True
    if text in ("false", "0", "no", "n", "否", ""):
        return False
    raise ValueError


# column -> (required, parser or None for text, catalog key of the fix)
Spec = dict[str, tuple[bool, Callable | None, str]]
TRANSACTIONS: Spec = {
    "date": (True, _date, "accounts.error.fix_date"),
    "customer_id": (True, None, "accounts.error.fix_id"),
    "product_line": (True, None, "accounts.error.fix_text"),
    "revenue": (True, _number, "accounts.error.fix_number"),
    "margin": (True, _number, "accounts.error.fix_number"),
}
CUSTOMERS: Spec = {
    "customer_id": (True, None, "accounts.error.fix_id"),
    "name": (True, None, "accounts.error.fix_text"),
    "rep": (True, None, "accounts.error.fix_text"),
    "industry": (False, None, "accounts.error.fix_text"),
    "ownership": (False, None, "accounts.error.fix_text"),
    "renewal_rate": (False, _number, "accounts.error.fix_rate"),
    "cost_to_serve": (False, _number, "accounts.error.fix_number"),
    "last_visit": (False, _date, "accounts.error.fix_date"),
}
CONTACTS: Spec = {
    "customer_id": (True, None, "accounts.error.fix_id"),
    "role": (True, None, "accounts.error.fix_role"),
    "name": (False, None, "accounts.error.fix_text"),
    "met": (True, _bool, "accounts.error.fix_bool"),
}


def _read(source: str | Path | pd.DataFrame, name: str) -> tuple[pd.DataFrame, str, int]:
    """The table, the name to cite in problems and the offset from position to line."""
    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True).copy(), name, 1  # row 1 = first data row
    path = Path(source)
    return read_text_table(path), str(path), 2  # line 1 is the header


def _check(df: pd.DataFrame, where: str, offset: int, spec: Spec) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse every cell; returns the parsed table (None where a cell is bad) and the problems.

    Missing required columns raise at once: nothing else can be checked without them.
    """
    df.columns = [str(c).strip() for c in df.columns]
    problems: list[Problem] = []
    for col, (required, _, _) in spec.items():
        if required and col not in df.columns:
            problems.append(Problem(where, 1 if offset == 2 else None, col,
                                    t("accounts.error.missing_column", column=col,
                                      found=", ".join(df.columns) or "-")))
    if problems:
        raise DataError(t("accounts.error.table", name=where, count=len(problems)), problems)
    out = pd.DataFrame(index=df.index)
    for col, (required, parse, fix) in spec.items():
        if col not in df.columns:
            continue
        values = []
        for pos, raw in enumerate(df[col].tolist()):
            blank = is_blank(raw)
            try:
                if parse is None:
                    if blank and required:  # a customer without an id, name or rep
                        raise ValueError
                    value = "" if blank else str(raw).strip()
                elif blank and parse is not _bool and not required:
                    value = np.nan if parse is _number else pd.NaT
                else:
                    value = parse("" if blank else raw)  # an empty `met` means not met
            except (ValueError, TypeError, OverflowError):
                shown = t("accounts.error.empty") if blank else repr(raw)
                problems.append(Problem(where, pos + offset, col,
                                        t("accounts.error.bad_value", value=shown, fix=t(fix))))
                value = None
            values.append(value)
        out[col] = values
    return out, problems


def _raise(where: str, problems: list[Problem]) -> None:
    problems = sorted(problems, key=lambda p: p.line or 0)
    shown = problems[:MAX_PROBLEMS]
    message = t("accounts.error.table", name=where, count=len(problems))
    if len(problems) > MAX_PROBLEMS:
        message += " " + t("accounts.error.more", count=len(problems) - MAX_PROBLEMS)
    raise DataError(message, shown)


def load_transactions(source: str | Path | pd.DataFrame,
                      customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load and check a transactions table (``date, customer_id, product_line, revenue, margin``).

    Revenue may be negative (a credit note) but margin may not exceed revenue when
    revenue is positive. With ``customers``, every customer id must be in it.
    """
    df, where, offset = _read(source, "transactions")
    tx, problems = _check(df, where, offset, TRANSACTIONS)
    for pos, (rev, mar) in enumerate(zip(tx["revenue"], tx["margin"], strict=True)):
        if rev is not None and mar is not None and rev > 0 and mar > rev:
            problems.append(Problem(where, pos + offset, "margin",
                                    t("accounts.error.margin_above_revenue", margin=mar, revenue=rev)))
    if customers is not None:
        known = set(customers["customer_id"].astype(str))
        for pos, cid in enumerate(tx["customer_id"]):
            if cid is not None and cid not in known:
                problems.append(Problem(where, pos + offset, "customer_id",
                                        t("accounts.error.unknown_customer", value=cid)))
    if problems:
        _raise(where, problems)
    tx["date"] = pd.to_datetime(tx["date"])
    tx["revenue"] = tx["revenue"].astype(float)
    tx["margin"] = tx["margin"].astype(float)
    return tx


def load_customers(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Load and check a customers table (``customer_id, name, rep`` and optional columns)."""
    df, where, offset = _read(source, "customers")
    cu, problems = _check(df, where, offset, CUSTOMERS)
    seen: dict[str, int] = {}
    for pos, cid in enumerate(cu["customer_id"]):
        if cid is None:
            continue
        if cid in seen:
            problems.append(Problem(where, pos + offset, "customer_id",
                                    t("accounts.error.duplicate_id", value=cid, line=seen[cid])))
        seen.setdefault(cid, pos + offset)
    if "renewal_rate" in cu:
        for pos, rate in enumerate(cu["renewal_rate"]):
            if rate is not None and pd.notna(rate) and not 0 <= rate <= 1:
                problems.append(Problem(where, pos + offset, "renewal_rate",
                                        t("accounts.error.bad_value", value=repr(rate),
                                          fix=t("accounts.error.fix_rate"))))
    if problems:
        _raise(where, problems)
    for col in ("renewal_rate", "cost_to_serve"):
        if col in cu:
            cu[col] = cu[col].astype(float)
    if "last_visit" in cu:
        cu["last_visit"] = pd.to_datetime(cu["last_visit"])
    return cu


def load_contacts(source: str | Path | pd.DataFrame, account: str | None = None) -> pd.DataFrame:
    """Load and check a buying-centre table (``customer_id, role, name, met``).

    Also reads a single account's contact list (a case exhibit): without a
    ``customer_id`` column every row belongs to ``account``; without ``met``, a contact
    counts as met when ``meetings_12m`` is above zero. Roles may be written with spaces
    ("decision maker") or as buying influences (economic buyer, technical buyer, coach).
    Other columns are kept.
    """
    df, where, offset = _read(source, "contacts")
    df.columns = [str(c).strip() for c in df.columns]
    if "customer_id" not in df.columns and account is not None:
        df["customer_id"] = account
    if "met" not in df.columns and "meetings_12m" in df.columns:
        met = []
        for pos, raw in enumerate(df["meetings_12m"].tolist()):
            try:
                met.append(str(raw).strip() != "" and _number(raw) > 0)
            except (ValueError, TypeError):
                _raise(where, [Problem(where, pos + offset, "meetings_12m", t(
                    "accounts.error.bad_value", value=repr(raw), fix=t("accounts.error.fix_number")))])
        df["met"] = met
    co, problems = _check(df, where, offset, CONTACTS)
    for pos, role in enumerate(co["role"]):
        if role is not None and role_key(role) is None:
            problems.append(Problem(where, pos + offset, "role",
                                    t("accounts.error.bad_value", value=repr(role),
                                      fix=t("accounts.error.fix_role"))))
    if problems:
        _raise(where, problems)
    co["role"] = co["role"].map(role_key)
    co["met"] = co["met"].astype(bool)
    extra = [c for c in df.columns if c not in co.columns]
    return pd.concat([co, df[extra].reset_index(drop=True)], axis=1)


BOOK_FILES = ("customers.csv", "transactions.csv", "contacts.csv")


def load_book(folder: str | Path, as_of: date | None = None) -> Book:
    """Load ``customers.csv``, ``transactions.csv`` and (optional) ``contacts.csv``.

    ``as_of`` defaults to the date of the last transaction.
    """
    folder = Path(folder)
    for name in BOOK_FILES[:2]:
        if not (folder / name).exists():
            raise DataError(t("accounts.error.no_file", path=str(folder / name)))
    customers = load_customers(folder / "customers.csv")
    transactions = load_transactions(folder / "transactions.csv", customers)
    contacts_path = folder / "contacts.csv"
    contacts = (load_contacts(contacts_path) if contacts_path.exists() else
                pd.DataFrame(columns=["customer_id", "role", "name", "met"]))
    if as_of is None:
        as_of = transactions["date"].max().date() if len(transactions) else date.today()
    return Book(customers, transactions, contacts, as_of)
