"""A small valid scenario as YAML text, for tests that break one thing at a time."""

from __future__ import annotations

from pathlib import Path

SMALL = """\
kind: objection-scenario
id: tiny
title: "Tiny"
company: "Testco (fictional)"
buyer: "Pat, buyer"
brief: "A two-step scenario for tests."
persona: {persona}
families: [price]
state: {{trust: 50, patience: 50, value: 20, concerns: 1}}
start: a
nodes:
  - id: a
    say: "Too expensive."
    options:
      - text: "Discount!"
        techniques: [premature_discount]
        effects: {{trust: 5}}
        next: b
      - text: "What does the problem cost you?"
        techniques: [{technique}]
        effects: {{value: 10}}
        next: b
  - id: b
    say: "And?"
    options:
      - text: "Here's the ROI."
        techniques: [value_anchor]
        effects: {{value: 20}}
        next: decide
      - text: "Sign now."
        techniques: [ignore]
        next: lost
  - id: decide
    say: "(thinks)"
    route:
      - when: {{value: ">= 40"}}
        next: won
      - next: stalled
  - id: won
    ending: won
    say: "Yes."
  - id: stalled
    ending: stalled
    say: "Maybe."
  - id: lost
    ending: lost
    say: "No."
"""


def small_yaml(persona: str = "stubborn", technique: str = "spin_implication") -> str:
    return SMALL.format(persona=persona, technique=technique)


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing ``fragment``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{fragment!r} not in text")
