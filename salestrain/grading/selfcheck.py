"""``%%tests`` and ``check("q1")``: instant feedback inside the learner's notebook.

A ``%%tests`` cell registers its test cases in this kernel (it does not run them);
``check(qid)`` evaluates each public test's ``answer`` in the notebook's namespace,
turns the value into plain data and compares it in plain Python. Hidden tests never
reach a learner's kernel; the message always says they exist and may still fail.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from salestrain.base.i18n import t
from salestrain.grading.format import TestCase, parse_tests_cell
from salestrain.grading.outcome import PASSED, TestOutcome, judge
from salestrain.grading.plain import evaluate

_REGISTRY: dict[str, dict[str, list[TestCase]]] = {}


def register(source: str) -> list[str]:
    """Register the tests of one ``%%tests`` cell; returns the problems (empty if fine)."""
    header, tests, issues = parse_tests_cell(source)
    if issues or header is None:
        return [t("grading.check.problem_line", line=i.line, field=i.field, message=i.message)
                for i in issues]
    entry = _REGISTRY.setdefault(header.qid, {"public": [], "hidden": []})
    entry["hidden" if header.hidden else "public"] = tests
    return []


def tests_magic(line: str, cell: str) -> None:
    """The ``%%tests QID [hidden]`` cell magic."""
    problems = register(f"%%tests {line}\n{cell}")
    if problems:
        print(t("grading.check.bad_tests_cell"))
        for problem in problems:
            print("  " + problem)


def forget() -> None:
    _REGISTRY.clear()


@dataclass
class CheckReport:
    qid: str
    outcomes: list[TestOutcome] = field(default_factory=list)
    hidden_known: int | None = None  # hidden tests registered here (trainer's source), else None

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(o.status == PASSED for o in self.outcomes)

    @property
    def points(self) -> float:
        return sum(o.points for o in self.outcomes)

    @property
    def max_points(self) -> float:
        return sum(o.max_points for o in self.outcomes)

    def text(self) -> str:
        if not self.outcomes:
            return t("grading.check.no_tests", qid=self.qid)
        lines = [t("grading.check.heading", qid=self.qid)]
        for o in self.outcomes:
            pts = _pts(o.max_points)
            if o.status == PASSED:
                lines.append(t("grading.check.line_passed", name=o.name, points=pts))
            elif o.status == "error":
                lines.append(t("grading.check.line_error", name=o.name, error=o.message, points=pts))
            else:
                lines.append(t("grading.check.line_failed", name=o.name, message=o.message, points=pts))
        n_passed = sum(o.status == PASSED for o in self.outcomes)
        summary = t("grading.check.summary", passed=n_passed, total=len(self.outcomes),
                    points=_pts(self.points), max_points=_pts(self.max_points))
        lines.append(summary)
        # Never a bare "all passed": say what the grader still runs.
        if self.hidden_known:
            lines.append(t("grading.check.hidden_known", count=self.hidden_known))
        else:
            lines.append(t("grading.check.hidden_unknown"))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def _pts(value: float) -> str:
    return f"{value:g}"


def _namespace() -> dict[str, Any]:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        return shell.user_ns
    # Plain Python: the namespace of whoever called check().
    frame = sys._getframe(3)
    return frame.f_globals


def run_check(qid: str, namespace: dict[str, Any] | None = None) -> CheckReport:
    """Evaluate the public tests of ``qid``; returns the outcomes (prints nothing)."""
    entry = _REGISTRY.get(qid)
    if entry is None:
        return CheckReport(qid)
    tests = entry["public"]
    ns = namespace if namespace is not None else _namespace()
    records = evaluate(ns, [test.answer for test in tests])
    outcomes = [judge(test, record) for test, record in zip(tests, records, strict=True)]
    return CheckReport(qid, outcomes, hidden_known=len(entry["hidden"]) or None)


def check(qid: str, namespace: dict[str, Any] | None = None) -> None:
    """Print per-test feedback for question ``qid`` (its public tests)."""
    print(run_check(qid, namespace).text())


def run_all(namespace: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every registered test, public and hidden (the trainer's validation of a source)."""
    result: dict[str, list[dict[str, Any]]] = {}
    for qid, entry in _REGISTRY.items():
        tests = [*entry["public"], *entry["hidden"]]
        records = evaluate(namespace, [test.answer for test in tests])
        result[qid] = [judge(test, r).as_dict() for test, r in zip(tests, records, strict=True)]
    return result


def install(shell: Any) -> None:
    shell.register_magic_function(tests_magic, magic_kind="cell", magic_name="tests")
