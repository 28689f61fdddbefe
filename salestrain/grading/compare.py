"""Compare an answer (already plain data) with the expected value, in plain Python.

The learner's objects never get here: the kernel turned them into JSON-able data
first (:mod:`salestrain.grading.plain`), so nothing the learner defined can run
during the comparison.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from salestrain.base.i18n import t
from salestrain.grading.format import TestCase
from salestrain.grading.plain import is_number, type_name

DEFAULT_REL = 1e-9
# Always allowed: float rounding noise. Without it `tolerance: 1e-7` on 67108864 would
# reject an answer 0.99e-7 away, because that sum itself rounds to 1.2e-7 away.
FLOAT_NOISE = 1e-12
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Verdict:
    passed: bool
    mismatch: str | None = None  # the type problem, when the kinds differ


def normalise_text(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def numbers_match(expected: float, got: float, tolerance: float | None, rel: float | None) -> bool:
    if math.isnan(expected) or math.isnan(got):
        return math.isnan(expected) and math.isnan(got)
    if math.isinf(expected) or math.isinf(got):
        return expected == got
    abs_tol = tolerance or 0.0
    rel_tol = rel if rel is not None else (0.0 if tolerance is not None else DEFAULT_REL)
    return math.isclose(got, expected, rel_tol=max(rel_tol, FLOAT_NOISE), abs_tol=abs_tol)


def values_match(expected: Any, got: Any, test: TestCase, top: bool = True) -> Verdict:
    """Same kind and same value under the test's rules (tolerances, synonyms, order)."""
    if is_number(expected):
        if not is_number(got):
            return Verdict(False, t("grading.compare.expected_number", got=kind(got)))
        return Verdict(numbers_match(float(expected), float(got), test.tolerance, test.rel_tolerance))
    if isinstance(expected, bool) or expected is None:
        if type(got) is not type(expected):
            return Verdict(False, t("grading.compare.expected_kind", expected=kind(expected), got=kind(got)))
        return Verdict(got is expected)
    if isinstance(expected, str):
        if not isinstance(got, str):
            return Verdict(False, t("grading.compare.expected_text", got=kind(got)))
        accepted = {normalise_text(expected)}
        if top:
            accepted |= {normalise_text(s) for s in test.synonyms}
        return Verdict(normalise_text(got) in accepted)
    if isinstance(expected, list):
        if not isinstance(got, list):
            return Verdict(False, t("grading.compare.expected_list", got=kind(got)))
        if len(got) != len(expected):
            return Verdict(False, t("grading.compare.list_length", expected=len(expected), got=len(got)))
        if top and test.order == "any":
            return Verdict(_multiset_match(expected, got, test))
        for e, g in zip(expected, got, strict=True):
            verdict = values_match(e, g, test, top=False)
            if not verdict.passed:
                return Verdict(False, verdict.mismatch)
        return Verdict(True)
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Verdict(False, t("grading.compare.expected_mapping", got=kind(got)))
        if set(got) != set(expected):
            missing = ", ".join(sorted(set(expected) - set(got)))
            extra = ", ".join(sorted(set(got) - set(expected)))
            if missing and extra:
                text = t("grading.compare.missing_and_unexpected", missing=missing, unexpected=extra)
            elif missing:
                text = t("grading.compare.missing", keys=missing)
            else:
                text = t("grading.compare.unexpected", keys=extra)
            return Verdict(False, text)
        for key, e in expected.items():
            verdict = values_match(e, got[key], test, top=False)
            if not verdict.passed:
                return Verdict(False, verdict.mismatch)
        return Verdict(True)
    return Verdict(False, t("grading.compare.cannot_compare", kind=kind(expected)))  # pragma: no cover


def kind(value: Any) -> str:
    """The kind of a plain value, as the learner would say it, in the current language."""
    if value is None:
        return t("grading.kind.null")
    if isinstance(value, bool):
        return t("grading.kind.bool")
    if isinstance(value, (int, float)):
        return t("grading.kind.number")
    if isinstance(value, str):
        return t("grading.kind.text")
    if isinstance(value, list):
        return t("grading.kind.list")
    if isinstance(value, dict):
        return t("grading.kind.mapping")
    return type_name(value)


def _multiset_match(expected: list, got: list, test: TestCase) -> bool:
    """Each expected item matched by a distinct answer item (bipartite matching)."""
    n = len(expected)
    matches = [[values_match(e, g, test, top=False).passed for g in got] for e in expected]
    owner: list[int | None] = [None] * n  # owner[j] = expected index holding got[j]

    def assign(i: int, seen: set[int]) -> bool:
        for j in range(n):
            if matches[i][j] and j not in seen:
                seen.add(j)
                if owner[j] is None or assign(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return all(assign(i, set()) for i in range(n))


def shown(value: Any, limit: int = 80) -> str:
    """A short text of an answer for feedback messages."""
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 3] + "..."
