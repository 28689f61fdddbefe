"""Content text: a text written in a content file, in one or more languages.

:class:`Text` is a text written in content (a scenario line, a case title): one entry per
language, ``{en: "...", zh_CN: "..."}``. A plain string is short for ``{en: "..."}``, so a
quick English draft (the scenario-authoring exercise) stays valid YAML content; the
validator then reports a file that translates some texts but not others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from salestrain.base.i18n.locales import LANGUAGES
from salestrain.base.i18n.messages import t
from salestrain.base.i18n.plurals import FrozenMapping


class Text(FrozenMapping):
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


def _message(key: str, **values: object) -> str:
    return t(key, **values)
