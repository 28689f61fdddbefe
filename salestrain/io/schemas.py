"""Every table kind a user gives us, declared once.

Each table is a :class:`~salestrain.base.tables.Schema`: its columns with their cell kind
(text, number, percent, date, bool, whole), whether a column must exist and whether a cell
may be empty, the bounds, the unique key, the CRM spellings of its column names and the
catalog keys of its messages. The readers (``io.funnel``, ``io.accounts``, ...) parse a
table with its schema and add only the checks that are sales logic (a stage of this
funnel, a margin above revenue, a customer that is not in the book).

Why a column declaration of our own instead of pandera DataFrameModels or pydantic row
models (the two the architecture issue offered):

* pydantic row models validate one row at a time in Python objects. The 1M-deal
  pipeline must be checked in at most 3x ``pandas.read_csv`` of the same file (about
  1.1-1.6 s here). Measured on this (shared, busy) machine: a pydantic 2 ``TypeAdapter
  (list[Deal])`` over 200,000 six-field rows took 14.8 s (74 us a row, so about a minute
  for 1M) and peaked at 323 MB for those 200,000 rows alone (dicts plus models: over a
  gigabyte for 1M, against a 400 MB budget). Ruled out.
* pandera DataFrameModels are vectorised, but their coercion does not know our cell
  grammar (``12,000``, ``80%``, ``2026年12月1日``, ambiguous day/month orders), so the
  parsers here would run first anyway, and what pandera would add afterwards (required
  columns, bounds, uniqueness) is a few numpy comparisons. Its failure reports are
  English check names, where ours must name the file line, column, value and fix in the
  learner's language from the catalog; it would also be a new dependency with its own
  import cost for every CLI call. So the declaration keeps pandera's idea (one
  class-like declaration per table, checked column-wise) without the dependency.
"""

from __future__ import annotations

from salestrain.base.tables import Column, Schema

# -- funnel -------------------------------------------------------------------------------------
# Spellings common in CRM exports; used when no explicit mapping is given.
PIPELINE_ALIASES: dict[str, str] = {
    "id": "deal_id", "opportunity id": "deal_id", "opportunity": "deal_id", "deal": "deal_id",
    "account name": "account", "customer": "account", "company": "account",
    "sales stage": "stage", "stage name": "stage",
    "value": "amount", "deal value": "amount", "amount (cny)": "amount",
    "close date": "expected_close", "expected close date": "expected_close",
    "opportunity owner": "owner", "rep": "owner", "sales rep": "owner",
    "forecast category": "category", "created date": "created",
}

_PROB = {"bad": "funnel.error.bad_probability", "below": "funnel.error.bad_probability",
         "above": "funnel.error.bad_probability"}
_CLOSE = {"blank": "funnel.error.missing_date", "bad": "funnel.error.not_a_date"}
_DISCOUNT = {"bad": "impact.error.bad_discount", "below": "impact.error.bad_discount",
             "above": "impact.error.bad_discount"}

PIPELINE = Schema(
    "pipeline",
    (
        Column("deal_id", messages={"blank": "funnel.error.empty_id"}),
        Column("account", blank_ok=True),
        # blank or unknown stages are the funnel's own check (it knows the stage names)
        Column("stage", blank_ok=True),
        Column("amount", "number", min=0,
               messages={"blank": "funnel.error.missing_amount", "bad": "funnel.error.not_a_number",
                         "below": "funnel.error.negative_amount"}),
        Column("expected_close", "date", messages=_CLOSE),
        Column("owner", blank_ok=True),
        Column("probability", "percent", required=False, blank_ok=True, min=0, max=1,
               messages=_PROB),
        Column("category", required=False, blank_ok=True),
        Column("created", "date", required=False, blank_ok=True,
               messages={"bad": "funnel.error.not_a_date"}),
        # the share off the list price a won deal was signed at (salestrain impact)
        Column("discount", "percent", required=False, blank_ok=True, min=0, max=1,
               messages=_DISCOUNT),
    ),
    unique=("deal_id",),
    aliases=PIPELINE_ALIASES,
    messages={"missing_columns": "funnel.error.missing_columns",
              "missing_column": "funnel.error.no_column_rename",
              "duplicate": "funnel.error.duplicate_id"},
)

HISTORY = Schema(
    "history",
    (
        Column("deal_id", blank_ok=True),
        Column("stage", blank_ok=True),  # the funnel checks stage names
        Column("date", "date", messages={"blank": "funnel.error.not_a_date",
                                         "bad": "funnel.error.not_a_date"}),
        # optional deal facts, repeated on each row of a deal (salestrain impact reads them)
        Column("owner", required=False, blank_ok=True),
        Column("amount", "number", required=False, blank_ok=True, min=0,
               messages={"bad": "funnel.error.not_a_number",
                         "below": "funnel.error.negative_amount"}),
        Column("discount", "percent", required=False, blank_ok=True, min=0, max=1,
               messages=_DISCOUNT),
    ),
    messages={"missing_columns": "funnel.error.missing_columns",
              "missing_column": "funnel.error.no_column_history"},
)

# -- accounts ----------------------------------------------------------------------------------
# Every account-book cell problem reads "<value> is not valid; <fix>", the fix per column.
_ACC = {"bad": "accounts.error.bad_value", "blank": "accounts.error.blank_value",
        "below": "accounts.error.bad_number_value", "above": "accounts.error.bad_number_value"}
_ACC_TABLE = {"missing_columns": "accounts.error.table",
              "missing_column": "accounts.error.missing_column",
              "duplicate": "accounts.error.duplicate_id"}


def _acc(name: str, kind: str = "text", fix: str = "accounts.error.fix_text", *,
         required: bool = True, blank_ok: bool = False, **bounds: float) -> Column:
    return Column(name, kind, required=required, blank_ok=blank_ok, messages=_ACC, fix=fix,
                  **bounds)


TRANSACTIONS = Schema(
    "transactions",
    (
        _acc("date", "date", "accounts.error.fix_date"),
        _acc("customer_id", fix="accounts.error.fix_id"),
        _acc("product_line"),
        _acc("revenue", "number", "accounts.error.fix_number"),
        _acc("margin", "number", "accounts.error.fix_number"),
    ),
    messages=_ACC_TABLE,
)

CUSTOMERS = Schema(
    "customers",
    (
        _acc("customer_id", fix="accounts.error.fix_id"),
        _acc("name"),
        _acc("rep"),
        _acc("industry", required=False, blank_ok=True),
        _acc("ownership", required=False, blank_ok=True),
        _acc("renewal_rate", "percent", "accounts.error.fix_rate", required=False, blank_ok=True,
             min=0, max=1),
        _acc("cost_to_serve", "number", "accounts.error.fix_number", required=False,
             blank_ok=True),
        _acc("last_visit", "date", "accounts.error.fix_date", required=False, blank_ok=True),
    ),
    unique=("customer_id",),
    messages=_ACC_TABLE,
)

CONTACTS = Schema(
    "contacts",
    (
        _acc("customer_id", fix="accounts.error.fix_id"),
        _acc("role", fix="accounts.error.fix_role"),  # the buying-centre roles: the loader's check
        _acc("name", required=False, blank_ok=True),
        _acc("met", "bool", "accounts.error.fix_bool", blank_ok=True),  # empty: not met
    ),
    messages=_ACC_TABLE,
)

# A single account's contact list from a case exhibit: meetings instead of `met`.
MEETINGS = Column("meetings_12m", "number", blank_ok=True, messages=_ACC,
                  fix="accounts.error.fix_number")

# -- goals ---------------------------------------------------------------------------------------
# The plan and actual tables are checked by core.goals.tracking with the same cell
# parsers (the core takes DataFrames from the apps, not files); the kinds are:
GOALS_PLAN_COLUMNS = ("kpi", "period", "plan")
GOALS_ACTUAL_COLUMNS = ("kpi", "period", "actual")

# -- strategy: the opportunity view -------------------------------------------------------------
# Every cell problem reads "<value> is not valid; <fix>", the fix per column; the sales-logic
# checks (a stage of the funnel, one potential per customer) are core.strategy.opportunity's.
_OPP = {"bad": "opportunity.error.bad_value", "blank": "opportunity.error.blank_value",
        "below": "opportunity.error.bad_number_value", "above": "opportunity.error.bad_number_value"}


def _opp(name: str, kind: str = "text", fix: str = "text", *, required: bool = True,
         blank_ok: bool = False, **bounds: float) -> Column:
    return Column(name, kind, required=required, blank_ok=blank_ok, messages=_OPP,
                  fix=f"opportunity.error.fix_{fix}", **bounds)


OPPORTUNITIES = Schema(
    "opportunities",
    (
        _opp("opp_id", fix="id"),
        _opp("customer", fix="customer"),
        _opp("rep", fix="rep"),
        _opp("project", required=False, blank_ok=True),
        _opp("potential", "number", "potential", min=0),
        _opp("strategic", "whole", "strategic", min=1, max=5),
        _opp("amount", "number", "amount", min=0),
        # a share out of range is shown as written ('140%'), not as the parsed 1.4
        Column("win_rate", "percent", min=0, max=1, fix="opportunity.error.fix_win_rate",
               messages={**_OPP, "below": "opportunity.error.bad_value", "above": "opportunity.error.bad_value"}),
        _opp("stage", blank_ok=True),  # blank or unknown stages: the core's check (it knows the stages)
        _opp("hours", "number", "hours", required=False, blank_ok=True, min=0),
    ),
    unique=("opp_id",),
    aliases={"id": "opp_id", "opportunity": "opp_id", "opportunity id": "opp_id", "deal": "opp_id",
             "account": "customer", "owner": "rep", "sales rep": "rep", "deal value": "amount",
             "value": "amount", "probability": "win_rate", "win probability": "win_rate",
             "sales stage": "stage", "strategic value": "strategic"},
    messages={"missing_columns": "opportunity.error.table", "missing_column": "opportunity.error.missing_column",
              "duplicate": "opportunity.error.duplicate_id"},
)

# -- objections: the team's log ------------------------------------------------------------------
# One row per objection met; family and outcome labels (any language) are core.objections.playbook's.
_LOG = {"bad": "playbook.error.bad_value", "blank": "playbook.error.blank_value"}


def _log(name: str, kind: str = "text", fix: str = "text", *, required: bool = True,
         blank_ok: bool = False) -> Column:
    return Column(name, kind, required=required, blank_ok=blank_ok, messages=_LOG,
                  fix=f"playbook.error.fix_{fix}")


OBJECTION_LOG = Schema(
    "objection-log",
    (
        _log("date", "date", "date"),
        _log("rep", required=False, blank_ok=True),
        _log("customer", required=False, blank_ok=True),
        _log("family", fix="family"),
        _log("objection"),
        _log("reply"),
        _log("outcome", fix="outcome"),
    ),
    aliases={"response": "reply", "answer": "reply", "result": "outcome", "contact_id": "customer",
             "contact": "customer", "account": "customer", "owner": "rep", "sales rep": "rep",
             "type": "family", "category": "family"},
    messages={"missing_columns": "playbook.error.table", "missing_column": "playbook.error.missing_column"},
)

ALL = {s.name: s for s in (PIPELINE, HISTORY, TRANSACTIONS, CUSTOMERS, CONTACTS, OPPORTUNITIES,
                           OBJECTION_LOG)}
