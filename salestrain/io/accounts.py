"""The account book's tables: a seeded sample book, and loaders that check every cell.

Loaders are plain functions taking a CSV path or a DataFrame (the case exhibits use
them too). A bad table raises one :class:`~salestrain.base.errors.DataError` listing every
problem as ``file:line: column: message`` (for a DataFrame: ``name:row``), naming the
bad value and the fix. The generator is pure and seeded: same seed, same book.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t
from salestrain.base.tables import is_blank, read_text_table
from salestrain.core.accounts.buying_centre import ROLES, role_key

MAX_PROBLEMS = 20

# Product lines of a fictional online-recruitment vendor (the handouts' industry),
# with typical gross-margin rates: job ads are the low-margin "traffic" product.
PRODUCT_LINES = {
    "job_ads": 0.28,
    "campus": 0.34,
    "branding": 0.55,
    "assessment": 0.62,
}
LINE_MIX = (0.45, 0.15, 0.20, 0.20)
OWNERSHIP = ("private", "state_owned", "joint_venture", "government", "listed")
INDUSTRIES = ("logistics", "pharma", "retail", "banking", "energy", "electronics",
              "food", "software", "auto_parts", "hotels", "construction", "telecom")
_PLACES = ("Jade River", "Northstar", "Silver Pine", "Blue Harbor", "Redcliff", "Eastwind",
           "Golden Field", "Lotus Bay", "Cloudpeak", "Stonebridge", "Maple Ridge", "Crane Lake",
           "Pearl Delta", "Iron Hill", "Willow Gate", "Bright Lantern", "Twin Peaks", "Amber Coast",
           "Swift Current", "Green Terrace")
_SECTOR_WORD = {"logistics": "Logistics", "pharma": "Pharma", "retail": "Retail",
                "banking": "Commercial Bank", "energy": "Energy", "electronics": "Electronics",
                "food": "Foods", "software": "Software", "auto_parts": "Auto Parts",
                "hotels": "Hotels", "construction": "Construction", "telecom": "Telecom"}
_SURNAMES = ("Chen", "Lin", "Zhou", "Xu", "Sun", "Ma", "Hu", "Guo", "He", "Gao", "Luo", "Zheng",
             "Liang", "Xie", "Tang", "Han", "Cao", "Deng", "Feng", "Peng")
_GIVEN = ("Wei", "Jing", "Hao", "Min", "Lei", "Yan", "Tao", "Xin", "Jun", "Ning", "Rui", "Qing",
          "Bo", "Lan", "Fei", "Yu", "Kai", "Hui", "Ping", "Zhen")
REPS = ("Ada Wen", "Ben Qiao", "Cora Lu", "Dan Mei", "Eve Shao", "Finn Yao")
MONTH_WEIGHTS = (0.6, 0.7, 1.3, 1.2, 1.0, 0.9, 0.8, 0.9, 1.3, 1.1, 1.0, 0.9)  # hiring seasons


@dataclass(frozen=True)
class Book:
    """A customer book: the three tables and the date it describes."""

    customers: pd.DataFrame
    transactions: pd.DataFrame
    contacts: pd.DataFrame
    as_of: date


def generate_book(n_customers: int = 120, n_reps: int = 4, seed: int = 0,
                  start: date = date(2024, 1, 1), as_of: date = date(2025, 9, 30),
                  churn_share: float = 0.15) -> Book:
    """A realistic fictional book: skewed spend, seasonal orders, some accounts fading.

    Annual spend is log-normal (a few large accounts, many small ones: the 80/20
    the course starts from); a ``churn_share`` of accounts stop ordering in the last
    months and renew less, so the churn warning has something to find.
    """
    if n_customers < 1 or not 1 <= n_reps <= len(REPS):
        raise ValueError(f"need n_customers >= 1 and 1 <= n_reps <= {len(REPS)}")
    rng = np.random.default_rng(seed)
    start_ts, end_ts = pd.Timestamp(start), pd.Timestamp(as_of)
    days = pd.date_range(start_ts, end_ts, freq="D")
    day_w = np.array([MONTH_WEIGHTS[d.month - 1] for d in days])
    years = len(days) / 365.0

    ids = [f"C{i:03d}" for i in range(1, n_customers + 1)]
    names = _company_names(rng, n_customers)
    industry = rng.choice(INDUSTRIES, n_customers)
    ownership = rng.choice(OWNERSHIP, n_customers, p=(0.45, 0.2, 0.1, 0.1, 0.15))
    spend = rng.lognormal(mean=np.log(30_000), sigma=1.3, size=n_customers)  # yuan a year
    reps = [REPS[i % n_reps] for i in rng.permutation(n_customers)]
    fading = rng.random(n_customers) < churn_share

    tx_rows = []
    for i, cid in enumerate(ids):
        orders_per_year = 4 + 10 * (spend[i] / (spend[i] + 80_000))
        n = max(1, rng.poisson(orders_per_year * years))
        w = day_w.copy()
        if fading[i]:
            # the account goes quiet somewhere in the last five months
            stop = end_ts - pd.Timedelta(days=int(rng.integers(100, 150)))
            w[days > stop] *= 0.05
        when = rng.choice(len(days), size=n, p=w / w.sum())
        lines = rng.choice(list(PRODUCT_LINES), size=n, p=LINE_MIX)
        amounts = spend[i] * years / n * rng.lognormal(0, 0.35, n)
        for d, line, amount in zip(when, lines, amounts, strict=True):
            rate = PRODUCT_LINES[line] + rng.normal(0, 0.04)
            revenue = float(round(amount, -1))
            tx_rows.append((days[d], cid, line, revenue, float(round(revenue * rate, 0))))
    tx = pd.DataFrame(tx_rows, columns=["date", "customer_id", "product_line", "revenue", "margin"])
    tx = tx.sort_values(["date", "customer_id"], kind="mergesort").reset_index(drop=True)

    pct = pd.Series(spend).rank(pct=True).to_numpy()
    renewal = np.clip(rng.beta(10, 2, n_customers) - 0.35 * fading, 0, 1).round(2)
    # small accounts cost relatively more to serve; a few large ones are demanding
    cost = 1_500 + 0.08 * spend * rng.lognormal(0, 0.5, n_customers)
    cost[rng.random(n_customers) < 0.08] *= 3
    gap = rng.exponential(10 + 80 * (1 - pct))
    last_visit = [(end_ts - pd.Timedelta(days=int(g))).date() for g in gap]
    customers = pd.DataFrame({
        "customer_id": ids, "name": names, "industry": industry, "ownership": ownership,
        "rep": reps, "renewal_rate": renewal, "cost_to_serve": cost.round(-1),
        "last_visit": pd.to_datetime(last_visit),
    })

    c_rows = []
    for i, cid in enumerate(ids):
        for role in ROLES:
            known = rng.random() < 0.45 + 0.5 * pct[i]
            name = f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}" if known else ""
            met = bool(known and rng.random() < 0.5 + 0.4 * pct[i])
            c_rows.append((cid, role, name, met))
    contacts = pd.DataFrame(c_rows, columns=["customer_id", "role", "name", "met"])
    return Book(customers, tx, contacts, as_of)


def _company_names(rng: np.random.Generator, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        base = f"{rng.choice(_PLACES)} {_SECTOR_WORD[rng.choice(INDUSTRIES)]}"
        name = base if base not in seen else f"{base} {len(out) + 1}"
        seen.add(name)
        out.append(name)
    return out


def monthly_revenue(transactions: pd.DataFrame, year: int) -> pd.Series:
    """Revenue per month (1-12) of one year; months without orders are absent."""
    tx = transactions[transactions["date"].dt.year == year]
    return tx.groupby(tx["date"].dt.month)["revenue"].sum()


# -- loading with cell-level checks ------------------------------------------------------
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
