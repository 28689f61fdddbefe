"""The two value shapes a translatable text takes: content text and plural forms.

:class:`Text` is a text written in content (a scenario line, a case title): one entry per
language, ``{en: "...", zh_CN: "..."}``. A plain string is short for ``{en: "..."}``, so a
quick English draft (the scenario-authoring exercise) stays valid YAML content; the
validator then reports a file that translates some texts but not others.

:class:`Plural` is a catalog message with CLDR plural forms, ``{one: "...", other: "..."}``:
English has ``one`` and ``other``, Chinese only ``other``. :func:`t` picks the form from
``count`` with the rules of the language the message is written in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from salestrain.base.i18n.locales import LANGUAGES

# Every CLDR plural category; a language uses a subset (see plural_categories).
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


class _FrozenMapping(Mapping[str, str]):
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
        if isinstance(other, _FrozenMapping):
            return type(self) is type(other) and self._items == other._items
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"


class Text(_FrozenMapping):
    """A content text in one or more shipped languages; resolve it with ``t(text)``."""

    __slots__ = ()

    @classmethod
    def parse(cls, value: Any) -> Text:
        """Build from YAML data: a mapping of language codes, or a plain English string."""
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, Mapping) or not value:
            raise ValueError(_message("i18n.content.not_text"))
        unknown = [str(k) for k in value if k not in LANGUAGES]
        if unknown:
            raise ValueError(_message("i18n.content.unknown_language", languages=", ".join(unknown),
                                      available=", ".join(LANGUAGES)))
        for lang, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise ValueError(_message("i18n.content.empty", language=lang))
        return cls(value)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        # Pydantic reports a ValueError here at the field's location (file:line in content).
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(dict))

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self)


class Plural(_FrozenMapping):
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


def _message(key: str, **values: object) -> str:
    from salestrain.base.i18n import t

    return t(key, **values)
