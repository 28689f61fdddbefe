"""Fixtures for this folder's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from salestrain import i18n


@pytest.fixture
def zh() -> Iterator[None]:
    """Run the test in Chinese and always return to the default, even when it fails.

    A language left set once broke later tests, so this does not rely on the shared
    autouse fixture alone.
    """
    i18n.set_language("zh_CN")
    try:
        yield
    finally:
        i18n.set_language(None)
