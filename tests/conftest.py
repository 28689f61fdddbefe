"""Shared fixtures. Notebooks under tests/ are fixtures (submissions), never lessons."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from salestrain.base import i18n

ROOT = Path(__file__).resolve().parent.parent


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # Fixture notebooks (e.g. hostile submissions) must not be run by nbval.
    if collection_path.suffix == ".ipynb" and Path(__file__).parent in collection_path.parents:
        return True
    return None


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English, whatever the one before it chose.

    `salestrain --lang` also exports SALESTRAIN_LANG for the kernels it starts; an
    in-process CLI test would otherwise leave it set for every later notebook.
    """
    saved = os.environ.pop(i18n.ENV_VAR, None)
    i18n.set_language("en")
    yield
    i18n.set_language(None)
    # Restore by hand: monkeypatch.delenv records nothing when the variable was absent,
    # so a value the CLI exported during the test would survive into later notebooks.
    os.environ.pop(i18n.ENV_VAR, None)
    if saved is not None:
        os.environ[i18n.ENV_VAR] = saved


@pytest.fixture(autouse=True, scope="session")
def _private_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes to the real per-user data folder (~/.local/share/salestrain):
    databases that default there (gradebook, mentorship, objection sessions) go to a
    temporary folder for the whole run, kernels and subprocesses included."""
    saved = os.environ.get("SALESTRAIN_DATA_DIR")
    os.environ["SALESTRAIN_DATA_DIR"] = str(tmp_path_factory.mktemp("salestrain-data"))
    yield
    if saved is None:
        os.environ.pop("SALESTRAIN_DATA_DIR", None)
    else:
        os.environ["SALESTRAIN_DATA_DIR"] = saved


@pytest.fixture
def zh() -> Iterator[None]:
    """Run the test in Chinese and always return to the default, even when it fails."""
    i18n.set_language("zh_CN")
    try:
        yield
    finally:
        i18n.set_language(None)


@pytest.fixture
def root() -> Path:
    return ROOT
