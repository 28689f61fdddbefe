"""A question declared in an exercise notebook: the ``%%question QID [hidden]`` cell.

The cell's first line names the question; the rest is YAML, one question of a kind in
:mod:`salestrain.core.assessment.kinds` (docs/exercise-format.md). Parsing is pure: the
same function serves the page (the magic that shows the question), the validator, the
release (which drops a hidden question's key) and the grader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from salestrain.base.i18n import t
from salestrain.core.assessment.kinds import (
    Question,
    keyless_question,
    learner_view,
    parse_question,
)

MAGIC = "%%question"
QID = re.compile(r"[a-z][a-z0-9_]*\Z")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Declared:
    """One declared question: its id, whether its key stays with the trainer, its data."""

    qid: str
    hidden: bool
    data: dict[str, Any]  # as written, with ``id`` set from the header
    question: Question  # validated; for a released hidden question, a keyless stand-in


@dataclass(frozen=True)
class CellIssue:
    line: int  # 1-based within the cell
    field: str
    message: str


def is_question_source(source: str) -> bool:
    return source.lstrip().startswith(MAGIC)


def _header(line: str) -> tuple[str | None, bool, list[CellIssue]]:
    parts = line.strip().split()[1:]
    if not parts:
        return None, False, [CellIssue(1, MAGIC, t("kinds.declare.no_qid"))]
    qid, flags = parts[0], parts[1:]
    issues = []
    if not QID.match(qid):
        issues.append(CellIssue(1, MAGIC, t("kinds.declare.bad_qid", qid=qid)))
    if flags not in ([], ["hidden"]):
        issues.append(CellIssue(1, MAGIC, t("kinds.declare.bad_flags", flags=" ".join(flags))))
    return (None if issues else qid), flags == ["hidden"], issues


def _line_of(body: str, loc: tuple[Any, ...]) -> int:
    """The body line (1-based, in the cell) where the error's first key is written."""
    for part in loc:
        if isinstance(part, str):
            for number, text in enumerate(body.splitlines(), start=2):
                if re.match(rf"\s*-?\s*{re.escape(part)}\s*:", text):
                    return number
    return 2


def parse_cell(source: str, keyless: bool = False) -> tuple[Declared | None, list[CellIssue]]:
    """The question a ``%%question`` cell declares, or every problem with it.

    ``keyless``: the cell may be a released hidden question (no key); it is then made
    answerable with :func:`~salestrain.core.assessment.kinds.keyless_question`.
    """
    head, _, body = source.lstrip().partition("\n")
    qid, hidden, issues = _header(head)
    if issues:
        return None, issues
    try:
        data = yaml.load(body, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        return None, [CellIssue(line, "yaml", t("kinds.declare.bad_yaml", error=str(exc).splitlines()[0]))]
    if not isinstance(data, dict):
        return None, [CellIssue(2, "yaml", t("kinds.declare.not_mapping"))]
    if "id" in data and data["id"] != qid:
        return None, [CellIssue(_line_of(body, ("id",)), "id", t("kinds.declare.id_differs", qid=qid,
                                                                   value=data["id"]))]
    data = {**data, "id": qid}
    try:
        question = keyless_question(learner_view(data)) if (hidden and keyless) else parse_question(data)
    except ValidationError as exc:
        found = []
        for error in exc.errors():
            loc = tuple(error["loc"][2:])  # ("questions", 0, <kind>, field...)
            loc = loc[1:] if loc and loc[0] == data.get("kind") else loc
            found.append(CellIssue(_line_of(body, loc), ".".join(str(p) for p in loc) or "question",
                                   error["msg"].removeprefix("Value error, ")))
        return None, found
    return Declared(qid, hidden, data, question), []


def release_source(source: str) -> str:
    """The cell as a learner receives it: a hidden question without its key."""
    head, _, body = source.lstrip().partition("\n")
    qid, hidden, issues = _header(head)
    if issues or not hidden:
        return source
    data = yaml.load(body, Loader=_LOADER)
    view = {k: v for k, v in learner_view({**data, "id": qid}).items() if k != "id"}
    return head + "\n" + yaml.safe_dump(view, allow_unicode=True, sort_keys=False, width=100)
