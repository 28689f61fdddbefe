"""A learner's typed name -> the hub's user name (and their folder's name).

Names are typed freely (王芳, "Anna-Lena Groß"), but the hub puts the user name in URLs
and folder names, so it is derived: ``l-`` and 12 hex digits of a hash of the name with
case and spaces folded. The same name always gives the same user, so a learner whose
browser crashed logs in again to the same server; their PIN keeps others out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_NAME = 40
PIN = re.compile(r"\d{4,8}")


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"\s+", " ", text).strip()


def username_for(name: str) -> str:
    return "l-" + hashlib.sha256(fold(name).encode("utf-8")).hexdigest()[:12]


def name_problem(name: str) -> str | None:
    """Why a typed name cannot be used (a catalog key), or None."""
    cleaned = fold(name)
    if not cleaned:
        return "hub.login.name_missing"
    if len(cleaned) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in cleaned):
        return "hub.login.name_bad"
    return None
