"""One exception family for everything a user can get wrong.

Every message names where the problem is (file and line, or row and column, or
field), the bad value, and what would fix it, so a trainer never has to read a
traceback to know what to change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}"


class SalestrainError(Exception):
    """Base class: anything the user can fix by changing their input."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems: list[Problem] = list(problems or [])
        if self.problems:
            message = message + "\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(message)


class ContentError(SalestrainError):
    """A content file (case, scenario, catalog, exercise) is malformed."""


class DataError(SalestrainError):
    """A data table (pipeline, transactions, assessments) has bad rows or columns."""


class GradingError(SalestrainError):
    """An exercise or submission cannot be graded as given."""
