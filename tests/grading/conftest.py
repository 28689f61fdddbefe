"""Gradebook back ends: every gradebook test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import postgres

_names = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    postgres.skip_or_fail()
    with postgres.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty gradebook: a SQLite file path, or a new database on the server."""
    if request.param == "sqlite":
        return str(tmp_path / "gb.sqlite")
    server = request.getfixturevalue("postgres_server")
    return postgres.fresh_database(server, f"gradebook_{next(_names)}")
