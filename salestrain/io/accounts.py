"""The account book's tables: loaders that check every cell (the sample book is core/accounts/synthetic.py).

Loaders are plain functions taking a CSV path or a DataFrame (the case exhibits use
them too). A bad table raises one :class:`~salestrain.base.errors.DataError` listing every
problem as ``file:line: column: message`` (for a DataFrame: ``name:row``), naming the
bad value and the fix.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError
from salestrain.base.i18n import t
from salestrain.base.tables import MAX_SHOWN, ProblemSet, Schema, map_values, read_text_table
from salestrain.core.accounts.buying_centre import role_key
from salestrain.core.accounts.synthetic import Book
from salestrain.io.schemas import CONTACTS, CUSTOMERS, MEETINGS, TRANSACTIONS

MAX_PROBLEMS = MAX_SHOWN

# -- loading with cell-level checks ------------------------------------------------------
# The columns and their cell grammar are declared once in io.schemas; this module adds
# what only an account book knows (margins, customers, buying-centre roles).


def _read(source: str | Path | pd.DataFrame, name: str) -> tuple[pd.DataFrame, ProblemSet]:
    """The table, and the problem list citing its name and lines (rows from 1 for a DataFrame)."""
    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True).copy(), ProblemSet(name, first_line=1)
    path = Path(source)
    return read_text_table(path), ProblemSet(str(path), first_line=2)  # line 1 is the header


def _headline(where: str):
    def headline(count: int, shown: int, extra: int) -> str:
        message = t("accounts.error.table", name=where, count=count)
        return message + " " + t("accounts.error.more", count=extra) if extra else message
    return headline


def load_transactions(source: str | Path | pd.DataFrame,
                      customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load and check a transactions table (``date, customer_id, product_line, revenue, margin``).

    Revenue may be negative (a credit note) but margin may not exceed revenue when
    revenue is positive. With ``customers``, every customer id must be in it.
    """
    df, problems = _read(source, "transactions")
    tx = TRANSACTIONS.parse(df, problems)
    rev, mar = tx["revenue"].to_numpy(float), tx["margin"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        above = np.flatnonzero((rev > 0) & (mar > rev))
    problems.add(above, "margin", lambda p: t("accounts.error.margin_above_revenue",
                                              margin=float(mar[p]), revenue=float(rev[p])), 4)
    if customers is not None:
        known = tx["customer_id"].isin(customers["customer_id"].astype(str)).to_numpy()
        given = (tx["customer_id"] != "").to_numpy(dtype=bool)
        ids = tx["customer_id"]
        problems.add(np.flatnonzero(given & ~known), "customer_id", lambda p: t(
            "accounts.error.unknown_customer", value=ids.iloc[p]), 1)
    problems.raise_if_any(_headline(problems.source))
    return tx


def load_customers(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Load and check a customers table (``customer_id, name, rep`` and optional columns)."""
    df, problems = _read(source, "customers")
    cu = CUSTOMERS.parse(df, problems)
    problems.raise_if_any(_headline(problems.source))
    return cu


def load_contacts(source: str | Path | pd.DataFrame, account: str | None = None) -> pd.DataFrame:
    """Load and check a buying-centre table (``customer_id, role, name, met``).

    Also reads a single account's contact list (a case exhibit): without a
    ``customer_id`` column every row belongs to ``account``; without ``met``, a contact
    counts as met when ``meetings_12m`` is above zero. Roles may be written with spaces
    ("decision maker") or as buying influences (economic buyer, technical buyer, coach).
    Other columns are kept.
    """
    df, problems = _read(source, "contacts")
    df.columns = [str(c).strip() for c in df.columns]
    if "customer_id" not in df.columns and account is not None:
        df["customer_id"] = account
    if "met" not in df.columns and "meetings_12m" in df.columns:
        meetings = Schema("contacts", (MEETINGS,)).parse(df[["meetings_12m"]], problems)
        problems.raise_if_any(_headline(problems.source))
        df["met"] = (meetings["meetings_12m"].fillna(0) > 0).to_numpy()
    co = CONTACTS.parse(df, problems)
    roles = pd.Series(map_values(co["role"], role_key), index=co.index)
    bad = (roles.isna() & (co["role"] != "")).to_numpy()
    problems.add(np.flatnonzero(bad), "role", lambda p: t(
        "accounts.error.bad_value", value=repr(co["role"].iloc[p]),
        fix=t("accounts.error.fix_role")), 1)
    problems.raise_if_any(_headline(problems.source))
    co["role"] = roles
    co["met"] = co["met"].astype(bool)
    return co


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
