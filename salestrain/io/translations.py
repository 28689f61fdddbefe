"""Missing translations in a content file, each at its ``file:line``.

A file's languages are the ones any of its texts uses; every text must then have all
of them. So an English-only draft passes, and a file translated half-way is caught
field by field before a learner meets an English line in a Chinese screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from salestrain.base.errors import Problem
from salestrain.base.i18n import LANGUAGES, Text, t
from salestrain.io.yamlio import YamlDoc


def texts(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, Text]]:
    """Every :class:`Text` inside a validated model, with its location in the file."""
    if isinstance(value, Text):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for k, item in enumerate(value):
            yield from texts(item, (*loc, k))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, (*loc, key))


def file_languages(model: Any) -> list[str]:
    """The shipped languages this content uses, in the declared order."""
    used = {lang for _, text in texts(model) for lang in text}
    return [lang for lang in LANGUAGES if lang in used]


def translation_problems(doc: YamlDoc, model: Any) -> list[Problem]:
    languages = file_languages(model)
    problems = []
    for loc, text in texts(model):
        missing = [lang for lang in languages if lang not in text]
        if missing:
            problems.append(doc.problem(loc, t("i18n.content.missing", languages=t("content.separator").join(missing))))
    return problems
