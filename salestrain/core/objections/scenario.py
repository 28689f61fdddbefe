"""The scenario graph: buyer lines, learner options, routes on hidden state, endings.

A scenario is content (a YAML file of kind ``objection-scenario``); these pydantic
models are its schema. Every text a learner reads is a :class:`~salestrain.base.i18n.Text`
(``say: {en: ..., zh_CN: ...}``, or one English string for a draft), resolved by the
same :func:`~salestrain.base.i18n.t` as the catalogs (:func:`localized`), so a trainer
translates a scenario without touching code and the language rules are the same as
everywhere else (docs/i18n.md).
"""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from salestrain.base.i18n import Text, t

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
# Where the story takes place. A China-set scenario has a Chinese company and buyer (in
# both languages); an international one keeps its foreign names, so learners in either
# language meet both kinds of ground (issue 14). A trainer's draft may leave it out.
Setting = Literal["china", "international"]
SETTINGS: tuple[str, ...] = get_args(Setting)
DEFAULT_SETTING: Setting = "international"
_CONDITION = re.compile(r"^\s*(>=|<=|>|<|==)\s*(-?\d+)\s*$")


class _Strict(BaseModel):
    # A misspelt field name is an error, not a silently ignored line.
    model_config = ConfigDict(extra="forbid", frozen=True)


def localized(obj: BaseModel, field: str, lang: str | None = None) -> str:
    """``obj.<field>`` in ``lang`` (default: the current language), via the one ``t()``."""
    value = getattr(obj, field)
    return "" if value is None else t(value, lang=lang)


def parse_condition(text: str) -> tuple[str, int]:
    match = _CONDITION.match(text)
    if not match:
        raise ValueError(
            f"condition {text!r} is not a comparison; write e.g. '>= 60' "
            "(one of >=, <=, >, <, == and a whole number)"
        )
    return match.group(1), int(match.group(2))


def condition_holds(text: str, value: int) -> bool:
    op, bound = parse_condition(text)
    return {
        ">=": value >= bound, "<=": value <= bound, ">": value > bound,
        "<": value < bound, "==": value == bound,
    }[op]


class Option(_Strict):
    text: Text
    techniques: list[str] = Field(min_length=1)
    effects: dict[str, int] = Field(default_factory=dict)
    next: str
    feedback: Text | None = None


class Route(_Strict):
    when: dict[str, str] = Field(default_factory=dict)
    next: str

    @field_validator("when")
    @classmethod
    def _conditions_parse(cls, when: dict[str, str]) -> dict[str, str]:
        for text in when.values():
            parse_condition(str(text))
        return when


class Node(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    family: str | None = None
    say: Text
    options: list[Option] = Field(default_factory=list)
    route: list[Route] = Field(default_factory=list)
    ending: Literal["won", "next_step", "stalled", "lost"] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Node:
        kinds = [k for k, present in (("options", self.options), ("route", self.route),
                                      ("ending", self.ending)) if present]
        if len(kinds) > 1:
            raise ValueError(
                f"node {self.id!r} has {' and '.join(kinds)}; a node either offers options, "
                "routes on the buyer's state, or is an ending"
            )
        return self

    @property
    def is_decision(self) -> bool:
        return bool(self.options)


# The two kinds share this schema; the kind picks the vocabulary (core/objections/modes.py):
# an objection scenario trains a seller, a coaching dialogue a sales manager.
KIND_MODES = {"objection-scenario": "objection", "coaching-dialogue": "coaching"}


class Scenario(_Strict):
    kind: Literal["objection-scenario", "coaching-dialogue"] = "objection-scenario"
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    company: Text
    buyer: Text
    brief: Text
    setting: Setting = DEFAULT_SETTING
    persona: str
    families: list[str] = Field(min_length=1)
    state: dict[str, int]
    start: str
    nodes: list[Node] = Field(min_length=1)

    def node(self, node_id: str) -> Node:
        return self._index()[node_id]

    @property
    def mode(self) -> str:
        """``objection`` or ``coaching``: which vocabulary the ids come from."""
        return KIND_MODES[self.kind]

    _node_index: dict[str, Node] = PrivateAttr(default_factory=dict)

    def model_post_init(self, _context: Any) -> None:
        # The first node of a duplicated id wins here; the validator reports the rest.
        index: dict[str, Node] = {}
        for n in self.nodes:
            index.setdefault(n.id, n)
        self._node_index = index

    def _index(self) -> dict[str, Node]:
        return self._node_index

    def has_node(self, node_id: str) -> bool:
        return node_id in self._index()

    def family_of(self, node: Node) -> str:
        return node.family or self.families[0]

    @property
    def decision_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.is_decision]

    @property
    def ending_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.ending]

    def text(self, field: str, lang: str | None = None) -> str:
        return localized(self, field, lang)


def scenario_from_data(data: Any) -> Scenario:
    """Build a scenario from plain data (raises pydantic's ValidationError)."""
    return Scenario.model_validate(data)
