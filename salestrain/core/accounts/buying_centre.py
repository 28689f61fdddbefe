"""The buying centre: the course's four roles, and who covers them.

The handouts record four roles per key account in the CRM: decision maker, user,
purchaser and interface (contact) person. Miller Heiman's "buying influences" name the
same people economic buyer, user buyer, technical buyer and coach, so both spellings
are accepted wherever a table names a role. One module serves the account book (many
accounts, a contacts table) and the cases (one account, a richer contacts exhibit).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# Canonical keys, in the course's order; labels come from the catalog (accounts.role.*).
ROLES = ("decision_maker", "user", "purchaser", "contact")

ROLE_SYNONYMS = {
    "decision_maker": "decision_maker", "economic_buyer": "decision_maker",
    "user": "user", "user_buyer": "user",
    "purchaser": "purchaser", "technical_buyer": "purchaser", "procurement": "purchaser",
    "contact": "contact", "contact_person": "contact", "interface": "contact", "coach": "contact",
}


def role_key(text: object) -> str | None:
    """The canonical role for a spelling a trainer may type ("Decision maker", "coach")."""
    if not isinstance(text, str):
        return None
    return ROLE_SYNONYMS.get(text.strip().lower().replace("-", "_").replace(" ", "_"))


def with_role_keys(contacts: pd.DataFrame) -> pd.DataFrame:
    """The same table with its ``role`` column in canonical keys (unknown roles kept as None)."""
    return contacts.assign(role=contacts["role"].map(role_key))


def coverage(contacts: pd.DataFrame, customer_ids: pd.Index | list | None = None) -> pd.DataFrame:
    """Which of the four roles are known (a named person) and met, per account.

    Columns ``<role>_known`` / ``<role>_met`` for each role, ``known`` and ``met``
    (counts out of 4), ``coverage`` (met / 4) and ``missing`` (roles nobody has met,
    in the order decision maker, user, purchaser, contact).
    """
    contacts = with_role_keys(contacts)
    ids = pd.Index(customer_ids if customer_ids is not None else contacts["customer_id"].unique(),
                   name="customer_id")
    named = contacts[contacts["name"].fillna("").astype(str).str.strip() != ""]
    out = pd.DataFrame(index=ids)
    for role in ROLES:
        r = named[named["role"] == role]
        out[f"{role}_known"] = ids.isin(r["customer_id"])
        out[f"{role}_met"] = ids.isin(r.loc[r["met"].astype(bool), "customer_id"])
    out["known"] = out[[f"{r}_known" for r in ROLES]].sum(axis=1)
    out["met"] = out[[f"{r}_met" for r in ROLES]].sum(axis=1)
    out["coverage"] = out["met"] / len(ROLES)
    met = out[[f"{r}_met" for r in ROLES]].to_numpy()
    out["missing"] = [[r for r, m in zip(ROLES, row, strict=True) if not m] for row in met]
    return out


@dataclass(frozen=True)
class BuyingCentre:
    """What one account's contact list says about the four roles."""

    contacts: pd.DataFrame  # role column in canonical keys
    unsupported_roles: tuple[str, ...]  # no supporter in the role
    never_met_roles: tuple[str, ...]  # nobody in the role was ever met
    influence_without_relationship: int  # summed influence at relationship layer none
    influence_supporting: int
    influence_opposing: int


def account_buying_centre(contacts: pd.DataFrame) -> BuyingCentre:
    """Coverage of the four roles from one account's contacts (a case exhibit).

    Needs the columns ``role``, ``attitude``, ``influence``, ``relationship`` and
    ``last_met`` (blank when never met), as every case's contacts exhibit has.
    """
    contacts = with_role_keys(contacts)
    roles = [r for r in ROLES if r in set(contacts["role"])]
    supported = set(contacts.loc[contacts["attitude"] == "supporter", "role"])
    met = set(contacts.loc[contacts["last_met"].notna(), "role"])
    influence = contacts["influence"].astype(int)
    return BuyingCentre(
        contacts=contacts,
        unsupported_roles=tuple(r for r in roles if r not in supported),
        never_met_roles=tuple(r for r in roles if r not in met),
        influence_without_relationship=int(influence[contacts["relationship"] == "none"].sum()),
        influence_supporting=int(influence[contacts["attitude"] == "supporter"].sum()),
        influence_opposing=int(influence[contacts["attitude"] == "opponent"].sum()),
    )
