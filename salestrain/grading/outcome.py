"""What happened to one test: passed, failed (with feedback), error, timed out, kernel died."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from salestrain.base.i18n import t
from salestrain.grading.compare import shown, values_match
from salestrain.grading.format import TestCase

PASSED = "passed"
FAILED = "failed"
ERROR = "error"
TIMED_OUT = "timed out"
KERNEL_DIED = "kernel died"
NOT_RUN = "not run"
STATUSES = (PASSED, FAILED, ERROR, TIMED_OUT, KERNEL_DIED, NOT_RUN)
# The statuses are codes (stored in the gradebook, used as CSS classes); people read
# these labels instead. English labels equal the codes.
STATUS_KEYS = {
    PASSED: "grading.status.passed",
    FAILED: "grading.status.failed",
    ERROR: "grading.status.error",
    TIMED_OUT: "grading.status.timed_out",
    KERNEL_DIED: "grading.status.kernel_died",
    NOT_RUN: "grading.status.not_run",
}
# Why an answer is not plain data, as plain.py reports it: plain.py runs in the
# learner's kernel and imports nothing of ours, so it sends a code and the grader words it.
UNPLAIN_KEYS = {
    "deep": "grading.check.unplain.deep",
    "long_list": "grading.check.unplain.long_list",
    "long_array": "grading.check.unplain.long_array",
    "keys": "grading.check.unplain.keys",
}


def status_label(status: str) -> str:
    """A status code as the learner reads it, in the current language."""
    key = STATUS_KEYS.get(status)
    return t(key) if key else status


@dataclass(frozen=True)
class TestOutcome:
    __test__ = False  # not a pytest class, despite the name

    question: str
    name: str
    hidden: bool
    status: str
    points: float  # earned
    max_points: float
    message: str = ""  # feedback (failed), exception name (error), cause (timed out / died)
    feedback_key: str = ""

    @property
    def reason(self) -> str:
        """``passed``, ``failed: <feedback>``, ``error: ValueError``, ``timed out``, ``kernel died``.

        Worded in the current language when read; ``status`` and ``message`` (what the
        gradebook stores) are not changed by it."""
        label = status_label(self.status)
        if self.status in (FAILED, ERROR) or (self.message and self.status != PASSED):
            return t("grading.status.with_message", status=label, message=self.message)
        return label

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def feedback_text(test: TestCase, got: str) -> str:
    """The author's explanation for a wrong answer, in the current language."""
    try:
        return t(test.feedback, got=got)
    except (KeyError, IndexError, ValueError):
        # A key missing from the catalog is a validation error; never crash a learner's check.
        return t("grading.check.wrong_answer", got=got)


def judge(test: TestCase, record: dict[str, Any]) -> TestOutcome:
    """Turn the kernel's record for one answer into an outcome with points."""
    base = {"question": test.question, "name": test.name, "hidden": test.hidden,
            "max_points": test.points, "feedback_key": test.feedback}
    status = record.get("status")
    if status == "error":
        return TestOutcome(status=ERROR, points=0.0, message=str(record.get("error")), **base)
    if status == "unsupported":
        got = str(record.get("type"))
        code = record.get("code")
        if code in UNPLAIN_KEYS:
            got = t(UNPLAIN_KEYS[code], type=str(record.get("detail", "")))
        mismatch = t("grading.check.not_plain", type=got)
        return TestOutcome(status=FAILED, points=0.0,
                           message=t("grading.check.with_mismatch", feedback=feedback_text(test, got),
                                     mismatch=mismatch), **base)
    if status != "ok":
        return TestOutcome(status=ERROR, points=0.0, message="GraderProtocolError", **base)
    value = record.get("value")
    verdict = values_match(test.expect, value, test)
    if verdict.passed:
        return TestOutcome(status=PASSED, points=test.points, **base)
    message = feedback_text(test, shown(value))
    if verdict.mismatch:
        message = t("grading.check.with_mismatch", feedback=message, mismatch=verdict.mismatch)
    return TestOutcome(status=FAILED, points=0.0, message=message, **base)


def stopped(test: TestCase, status: str, cause: str = "") -> TestOutcome:
    """A test that never got an answer because the submission hung, died or flooded."""
    return TestOutcome(question=test.question, name=test.name, hidden=test.hidden, status=status,
                       points=0.0, max_points=test.points, message=cause, feedback_key=test.feedback)
