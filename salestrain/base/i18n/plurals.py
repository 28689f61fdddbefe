"""Plural forms of catalog messages, with CLDR's rules (via Babel).

:class:`Plural` is a catalog message with a form per CLDR plural category,
``{one: "...", other: "..."}``: English has ``one`` and ``other``, Chinese only
``other``. :func:`~salestrain.base.i18n.t` picks the form from ``count`` with the rules
of the language the message is written in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

# Every CLDR plural category; a language uses a subset (see plural_categories).
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


class FrozenMapping(Mapping[str, str]):
    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash((type(self), frozenset(self._items.items())))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMapping):
            return type(self) is type(other) and self._items == other._items
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"


class Plural(FrozenMapping):
    """A catalog message with a form per CLDR plural category (``other`` always present)."""

    __slots__ = ()

    @staticmethod
    def looks_like(value: object) -> bool:
        """A catalog mapping is a plural message when its keys are plural categories."""
        return (isinstance(value, Mapping) and "other" in value
                and all(k in PLURAL_CATEGORIES for k in value))


@cache
def _plural_rule(language: str) -> Any:
    from babel import Locale  # lazily: start-up stays fast

    return Locale.parse(language).plural_form


def plural_categories(language: str) -> frozenset[str]:
    """The CLDR plural categories ``language`` uses (always with ``other``)."""
    return frozenset(_plural_rule(language).tags) | {"other"}


def plural_category(count: float, language: str) -> str:
    """CLDR's category for ``count`` in ``language``: en 1 -> one, 2 -> other; zh -> other."""
    return _plural_rule(language)(count)
