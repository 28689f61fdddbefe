"""YAML loading that remembers where every value came from.

Validation errors must say ``file:line``; ruamel's round-trip loader keeps the line
of each key and list item, and :class:`YamlDoc` maps a pydantic error location
(``("issues", 2, "weight")``) back to that line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from salestrain.base.errors import ContentError, Problem
from salestrain.base.i18n import t


@dataclass
class YamlDoc:
    path: Path
    raw: Any  # ruamel nodes with line information

    @property
    def data(self) -> Any:
        return to_plain(self.raw)

    def line_of(self, loc: tuple[Any, ...] | list[Any]) -> int | None:
        """1-based line of the deepest part of ``loc`` that exists in the file."""
        node = self.raw
        line = 1
        for part in loc:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        return line

    def problem(self, loc: tuple[Any, ...] | list[Any], message: str) -> Problem:
        field = ".".join(str(p) for p in loc) or t("content.field.file")
        return Problem(str(self.path), self.line_of(loc), field, message)


def to_plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {to_plain(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def load_yaml(path: str | Path) -> YamlDoc:
    """Load one YAML file; a syntax error becomes a ContentError with its line."""
    path = Path(path)
    yaml = YAML(typ="rt")
    try:
        with path.open(encoding="utf-8") as fh:
            raw = yaml.load(fh)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ContentError(
            t("content.yaml.not_yaml", path=path),
            [Problem(str(path), line, t("content.field.syntax"),
                     t("content.yaml.syntax", error=exc.problem or exc))],
        ) from None
    except UnicodeDecodeError as exc:
        raise ContentError(
            t("content.yaml.not_utf8", path=path),
            [Problem(str(path), None, t("content.field.encoding"),
                     t("content.yaml.encoding", reason=exc.reason))],
        ) from None
    return YamlDoc(path, raw)
