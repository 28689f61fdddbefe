"""The exercise format (docs/exercise-format.md): questions, tests cells, solution regions.

Pure: takes a notebook (a dict as nbformat reads it) and returns plain data plus a
list of problems, each located as ``notebook:cell N:line``. Used by the validator,
the release, the grader and (for one tests cell at a time) the ``%%tests`` magic.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from salestrain.base.errors import Problem
from salestrain.base.i18n import DEFAULT_LANGUAGE, LANGUAGES, Text, t

TESTS_MAGIC = "%%tests"
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
QID = re.compile(r"[a-z][a-z0-9_]*\Z")
KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\Z")
FIELDS = {"name", "answer", "expect", "tolerance", "rel_tolerance", "points", "feedback",
          "synonyms", "order"}
REQUIRED = ("name", "answer", "expect", "points", "feedback")


@dataclass(frozen=True)
class TestCase:
    """One test of one question: evaluate ``answer``, compare with ``expect``."""

    __test__ = False  # not a pytest class, despite the name

    question: str
    name: str
    answer: str
    expect: Any
    points: float
    feedback: str
    hidden: bool = False
    tolerance: float | None = None
    rel_tolerance: float | None = None
    synonyms: tuple[str, ...] = ()
    order: str = "same"


@dataclass
class Question:
    qid: str
    public: list[TestCase] = field(default_factory=list)
    hidden: list[TestCase] = field(default_factory=list)
    cells: list[int] = field(default_factory=list)  # indices of its tests cells

    @property
    def tests(self) -> list[TestCase]:
        return [*self.public, *self.hidden]

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests)


@dataclass
class Exercise:
    questions: dict[str, Question]
    solution_cells: list[int]

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions.values())


@dataclass(frozen=True)
class Header:
    qid: str
    hidden: bool


@dataclass(frozen=True)
class Issue:
    """A problem inside one cell, before the notebook's name is known."""

    line: int  # 1-based within the cell
    field: str
    message: str


def cell_source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def is_tests_cell(cell: dict[str, Any]) -> bool:
    return cell.get("cell_type") == "code" and cell_source(cell).lstrip().startswith(TESTS_MAGIC)


def parse_header(line: str) -> tuple[Header | None, list[Issue]]:
    """``%%tests q1`` or ``%%tests q1 hidden`` (the magic line without %% is accepted too)."""
    parts = line.strip().split()
    if parts and parts[0] == TESTS_MAGIC:
        parts = parts[1:]
    if not parts:
        return None, [Issue(1, "%%tests", t("grading.error.markup.no_qid"))]
    qid, flags = parts[0], parts[1:]
    issues = []
    if not QID.match(qid):
        issues.append(Issue(1, "%%tests", t("grading.error.markup.bad_qid", qid=qid)))
    if flags not in ([], ["hidden"]):
        issues.append(Issue(1, "%%tests", t("grading.error.markup.bad_flags", flags=" ".join(flags))))
    return (None if issues else Header(qid, flags == ["hidden"])), issues


def _plain_yaml(node: Any) -> Any:
    """ruamel nodes -> built-in types (ScalarFloat -> float, CommentedMap -> dict...)."""
    if isinstance(node, dict):
        return {_plain_yaml(k): _plain_yaml(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain_yaml(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _is_plain(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, list):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)



def _test_name(value: Any) -> str | None:
    """A test's name in the session's language: text, or ``{en: ..., zh_CN: ...}`` so one
    tests cell serves every language of an exercise (its code cells are shared)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict) and DEFAULT_LANGUAGE in value and all(
            k in LANGUAGES and isinstance(v, str) and v.strip() for k, v in value.items()):
        return t(Text({str(k): str(v).strip() for k, v in value.items()}))
    return None

def parse_tests_body(body: str, header: Header, first_line: int = 2) -> tuple[list[TestCase], list[Issue]]:
    """The YAML list under a ``%%tests`` line; lines are reported relative to the cell."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import MarkedYAMLError

    try:
        raw = YAML(typ="rt").load(io.StringIO(body))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        # The parser's own words stay as they are; the fix around them is translated.
        return [], [Issue(line, "(yaml)", t("grading.error.markup.yaml", problem=exc.problem or exc))]
    if not isinstance(raw, CommentedSeq) or not raw:
        return [], [Issue(first_line, header.qid, t("grading.error.markup.not_list"))]
    tests: list[TestCase] = []
    issues: list[Issue] = []
    for i, item in enumerate(raw):
        line = raw.lc.item(i)[0] + first_line
        where = f"{header.qid}[{i}]"
        if not isinstance(item, CommentedMap):
            issues.append(Issue(line, where, t("grading.error.markup.not_mapping", fields=", ".join(REQUIRED))))
            continue

        def key_line(key: str, item: CommentedMap = item, line: int = line) -> int:
            return item.lc.key(key)[0] + first_line if key in item else line

        data = _plain_yaml(item)
        bad = sorted(set(data) - FIELDS)
        for key in bad:
            issues.append(Issue(key_line(key), f"{where}.{key}",
                                t("grading.error.markup.unknown_field", key=key,
                                  allowed=", ".join(sorted(FIELDS)))))
        missing = [k for k in REQUIRED if k not in data]
        for key in missing:
            issues.append(Issue(line, f"{where}.{key}",
                                t("grading.error.markup.missing_field", fields=", ".join(REQUIRED))))
        start = len(issues)
        name = _test_name(data.get("name"))
        if "name" in data and name is None:
            issues.append(Issue(key_line("name"), f"{where}.name",
                                t("grading.error.markup.bad_name", value=data.get("name"))))
        answer = data.get("answer")
        if "answer" in data:
            if not isinstance(answer, str) or not answer.strip():
                issues.append(Issue(key_line("answer"), f"{where}.answer",
                                    t("grading.error.markup.bad_answer", value=answer)))
            else:
                try:
                    compile(answer, "<answer>", "eval")
                except SyntaxError as exc:
                    issues.append(Issue(key_line("answer"), f"{where}.answer",
                                        t("grading.error.markup.answer_syntax", value=answer, error=exc.msg)))
        expect = data.get("expect")
        if "expect" in data and not _is_plain(expect):
            issues.append(Issue(key_line("expect"), f"{where}.expect",
                                t("grading.error.markup.bad_expect", value=expect)))
        points = data.get("points")
        if "points" in data and (not _number(points) or points <= 0):
            issues.append(Issue(key_line("points"), f"{where}.points",
                                t("grading.error.markup.bad_points", value=points)))
        feedback = data.get("feedback")
        if "feedback" in data and (not isinstance(feedback, str) or not KEY.match(feedback)):
            issues.append(Issue(key_line("feedback"), f"{where}.feedback",
                                t("grading.error.markup.bad_feedback", value=feedback)))
        for key in ("tolerance", "rel_tolerance"):
            value = data.get(key)
            if key in data and (not _number(value) or value < 0):
                issues.append(Issue(key_line(key), f"{where}.{key}",
                                    t("grading.error.markup.bad_tolerance", value=value)))
            elif key in data and not _number(expect) and not isinstance(expect, (list, dict)):
                issues.append(Issue(key_line(key), f"{where}.{key}",
                                    t("grading.error.markup.tolerance_not_number", value=expect)))
        synonyms = data.get("synonyms", [])
        if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
            issues.append(Issue(key_line("synonyms"), f"{where}.synonyms",
                                t("grading.error.markup.bad_synonyms", value=synonyms)))
        elif synonyms and not isinstance(expect, str):
            issues.append(Issue(key_line("synonyms"), f"{where}.synonyms",
                                t("grading.error.markup.synonyms_not_text")))
        order = data.get("order", "same")
        if order not in ("same", "any"):
            issues.append(Issue(key_line("order"), f"{where}.order", t("grading.error.markup.bad_order", value=order)))
        elif order == "any" and not isinstance(expect, list):
            issues.append(Issue(key_line("order"), f"{where}.order", t("grading.error.markup.order_not_list")))
        if missing or bad or len(issues) > start:
            continue
        tests.append(TestCase(
            question=header.qid, name=name, answer=answer.strip(), expect=expect,
            points=float(points), feedback=feedback, hidden=header.hidden,
            tolerance=None if data.get("tolerance") is None else float(data["tolerance"]),
            rel_tolerance=None if data.get("rel_tolerance") is None else float(data["rel_tolerance"]),
            synonyms=tuple(synonyms), order=order,
        ))
    return tests, issues


def parse_tests_cell(source: str) -> tuple[Header | None, list[TestCase], list[Issue]]:
    first, _, body = source.lstrip().partition("\n")
    header, issues = parse_header(first)
    if header is None:
        return None, [], issues
    tests, more = parse_tests_body(body, header)
    return header, tests, issues + more


def solution_issues(source: str) -> list[Issue]:
    """Markers balanced, not nested, each BEGIN closed by an END in the same cell."""
    issues = []
    open_line: int | None = None
    for n, line in enumerate(source.splitlines(), start=1):
        text = line.strip()
        if text == BEGIN:
            if open_line is not None:
                issues.append(Issue(n, "solution", t("grading.error.markup.nested_region", begin=BEGIN,
                                                     end=END, line=open_line)))
            open_line = n
        elif text == END:
            if open_line is None:
                issues.append(Issue(n, "solution", t("grading.error.markup.end_without_begin",
                                                     begin=BEGIN, end=END)))
            open_line = None
        elif text.startswith("###") and ("SOLUTION" in text.upper()):
            issues.append(Issue(n, "solution", t("grading.error.markup.bad_marker", text=text,
                                                 begin=BEGIN, end=END)))
    if open_line is not None:
        issues.append(Issue(open_line, "solution", t("grading.error.markup.unclosed_region",
                                                     begin=BEGIN, end=END)))
    return issues


def has_solution(source: str) -> bool:
    return any(line.strip() == BEGIN for line in source.splitlines())


def parse_exercise(nb: dict[str, Any], name: str = "notebook") -> tuple[Exercise, list[Problem]]:
    """Every question and solution region of a notebook, and every markup problem."""
    questions: dict[str, Question] = {}
    solution_cells: list[int] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, bool], int] = {}

    def report(index: int, issue: Issue) -> None:
        problems.append(Problem(f"{name}:cell {index + 1}", issue.line, issue.field, issue.message))

    for index, cell in enumerate(nb.get("cells", [])):
        source = cell_source(cell)
        if cell.get("cell_type") != "code":
            if BEGIN in source or source.lstrip().startswith(TESTS_MAGIC):
                report(index, Issue(1, "cell_type", t("grading.error.markup.not_code_cell")))
            continue
        if is_tests_cell(cell):
            header, tests, issues = parse_tests_cell(source)
            for issue in issues:
                report(index, issue)
            if BEGIN in source:
                report(index, Issue(1, "solution", t("grading.error.markup.solution_in_tests")))
            if header is None:
                continue
            key = (header.qid, header.hidden)
            if key in seen:
                kind = t("grading.error.markup.kind_hidden" if header.hidden
                         else "grading.error.markup.kind_public")
                report(index, Issue(1, "%%tests", t("grading.error.markup.duplicate_cell", qid=header.qid,
                                                    kind=kind, cell=seen[key] + 1)))
                continue
            seen[key] = index
            question = questions.setdefault(header.qid, Question(header.qid))
            question.cells.append(index)
            (question.hidden if header.hidden else question.public).extend(tests)
            if not tests and not issues:
                report(index, Issue(2, header.qid, t("grading.error.markup.no_cases")))
            continue
        for issue in solution_issues(source):
            report(index, issue)
        if has_solution(source):
            solution_cells.append(index)
    for qid, question in questions.items():
        if not question.tests and not any(p.field.startswith(qid) for p in problems):
            problems.append(Problem(name, None, qid, t("grading.error.markup.no_valid_cases")))
    return Exercise(questions, solution_cells), problems
