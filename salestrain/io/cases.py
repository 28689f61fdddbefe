"""Case studies: the ``case`` content kind, its CSV exhibits, and a loader.

A case is a folder ``cases/<slug>/`` holding ``case.yaml`` (``kind: case``), the case
text in Markdown, a teaching note in Markdown and CSV exhibits. ``case.yaml`` is the
part a program reads: who the protagonist is, the decision point, the discussion
questions, the timed teaching plan, the debrief, and for every exhibit the columns
it must have with their types. ``salestrain validate`` checks all of it and every
cell of every exhibit, reporting ``file:line: field: message``; notebooks load a case
with :func:`load_case` and get typed pandas tables.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from salestrain.base.errors import ContentError, DataError, Problem
from salestrain.base.i18n import LANGUAGES, Text, fallback_chain, get_language, t
from salestrain.base.resources import CHECKOUT_DIR
from salestrain.io.app_manifest import manifest_app_names
from salestrain.io.content import parse_model, register_kind
from salestrain.io.yamlio import YamlDoc, load_yaml

CASE_FILE = "case.yaml"
SLUG = r"^[a-z][a-z0-9-]*$"
IDENT = r"^[a-z][a-z0-9_]*$"
MODULES = ("funnel", "negotiation", "objections", "coaching", "goals", "accounts", "strategy")
ColumnType = Literal["text", "integer", "number", "date", "category", "bool"]
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Column(_Strict):
    name: str = Field(pattern=IDENT)
    type: ColumnType
    description: Text
    required: bool = True
    unique: bool = False
    values: list[str] | None = None  # the allowed values of a category column
    min: float | None = None
    max: float | None = None


class Exhibit(_Strict):
    id: str = Field(pattern=IDENT)
    title: Text
    file: str = Field(pattern=r"\.csv$")
    description: Text
    columns: list[Column] = Field(min_length=1)


class Person(_Strict):
    name: Text
    role: Text
    company: Text


class Company(_Strict):
    name: Text
    sector: Text
    description: Text


class PlanStep(_Strict):
    minutes: int = Field(ge=1, le=240)
    activity: Text
    app: str | None = None  # a registered app the trainer projects in this step


class DebriefItem(_Strict):
    question: Text
    good_answer: Text


class Teaching(_Strict):
    note: str = Field(pattern=r"\.md$")
    minutes: int = Field(default=75, ge=15, le=480)
    plan: list[PlanStep] = Field(min_length=2)
    debrief: list[DebriefItem] = Field(min_length=3)


class CaseSpec(_Strict):
    kind: Literal["case"]
    slug: str = Field(pattern=SLUG)
    title: Text
    theme: Text
    modules: list[Literal[MODULES]] = Field(min_length=1)  # type: ignore[valid-type]
    protagonist: Person
    seller: Company
    customer: Company
    text: str = Field(pattern=r"\.md$")
    decision_point: Text
    learning_objectives: list[Text] = Field(min_length=2)
    discussion_questions: list[Text] = Field(min_length=3)
    exhibits: list[Exhibit] = Field(min_length=1)
    teaching: Teaching

    @field_validator("learning_objectives", "discussion_questions")
    @classmethod
    def _no_blank_items(cls, items: list[Text]) -> list[Text]:
        for item in items:
            for text in item.values():
                if len(text.strip()) < 5:
                    raise ValueError(t("content.case.too_short", text=text))
        return items


# -- exhibits -----------------------------------------------------------------------


def _names(names: Iterable[str]) -> str:
    """Names listed the way the current language lists them."""
    return t("content.separator").join(names)


def _parse_cell(text: str, column: Column) -> Any:
    """The typed value of one cell, or ValueError with a message that says the fix."""
    kind = column.type
    if kind == "text":
        return text
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError(t("content.case.not_integer", text=text)) from None
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError(t("content.case.not_number", text=text)) from None
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(t("content.case.not_date", text=text)) from None
    if kind == "category":
        allowed = column.values or []
        for value in allowed:
            if text.strip().lower() == value.lower():
                return value
        raise ValueError(t("content.case.not_category", text=text, values=_names(allowed)))
    if kind == "bool":
        if text.strip().lower() in TRUE_WORDS:
            return True
        if text.strip().lower() in FALSE_WORDS:
            return False
        raise ValueError(t("content.case.not_bool", text=text))
    raise ValueError(f"unknown column type {kind!r}")  # pragma: no cover - pydantic stops it


def check_table(path: Path, columns: list[Column]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV exhibit against its declared columns.

    Problems name the file, the line in the CSV (the header is line 1), the column,
    the bad value and the fix. The table comes back typed (dates as ``datetime64``,
    integers and numbers as numbers) only when there is no problem.
    """
    file = str(path)
    if not path.exists():
        return None, [Problem(file, None, t("content.field.file"), t("content.case.exhibit_missing"))]
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError as exc:
        return None, [Problem(file, None, t("content.field.encoding"),
                              t("content.yaml.encoding", reason=exc.reason))]
    if not rows:
        return None, [Problem(file, 1, t("content.field.header"), t("content.case.empty_file"))]
    header = [h.strip() for h in rows[0]]
    declared = [c.name for c in columns]
    problems: list[Problem] = []
    for name in declared:
        if name not in header:
            problems.append(Problem(file, 1, name, t("content.case.missing_column", name=name,
                                                     header=_names(header) or t("content.case.nothing"))))
    for name in header:
        if name not in declared:
            problems.append(Problem(file, 1, name or t("content.field.blank"),
                                    t("content.case.undeclared_column", name=name)))
    if problems:
        return None, problems
    index = {name: header.index(name) for name in declared}
    seen: dict[str, dict[Any, int]] = {c.name: {} for c in columns if c.unique}
    records: list[dict[str, Any]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line at the end of a file is harmless
        if len(row) != len(header):
            problems.append(Problem(file, line, t("content.field.row"),
                                    t("content.case.cell_count", cells=len(row), columns=len(header))))
            continue
        record: dict[str, Any] = {}
        for column in columns:
            text = row[index[column.name]].strip()
            if not text:
                if column.required:
                    problems.append(Problem(file, line, column.name, t("content.case.empty_cell")))
                record[column.name] = None
                continue
            try:
                value = _parse_cell(text, column)
            except ValueError as exc:
                problems.append(Problem(file, line, column.name, str(exc)))
                record[column.name] = None
                continue
            if column.min is not None and value < column.min:
                problems.append(Problem(file, line, column.name,
                                        t("content.case.below_min", text=text, min=f"{column.min:g}")))
            if column.max is not None and value > column.max:
                problems.append(Problem(file, line, column.name,
                                        t("content.case.above_max", text=text, max=f"{column.max:g}")))
            if column.unique:
                if value in seen[column.name]:
                    problems.append(Problem(file, line, column.name, t(
                        "content.case.repeats", text=text, line=seen[column.name][value])))
                else:
                    seen[column.name][value] = line
            record[column.name] = value
        records.append(record)
    if problems:
        return None, problems
    frame = pd.DataFrame.from_records(records, columns=declared)
    for column in columns:
        if column.type == "date":
            frame[column.name] = pd.to_datetime(frame[column.name])
        elif column.type == "integer" and not frame[column.name].isna().any():
            frame[column.name] = frame[column.name].astype("int64")
        elif column.type == "number":
            frame[column.name] = frame[column.name].astype("float64")
    return frame, []


# -- the case file --------------------------------------------------------------------


def _known_apps() -> set[str] | None:
    return manifest_app_names()


def inside_case(folder: Path, rel: str) -> Path | None:
    """``folder / rel`` when it stays inside the case folder, else ``None``.

    ``case.yaml`` is content a trainer may have been sent: ``text: ../../etc/passwd`` (or
    an absolute path, or a symlink that leads out) must not make ``salestrain case``
    print a file from elsewhere on the machine. Symlinks are resolved before the check.
    """
    base = folder.resolve()
    target = (folder / rel).resolve()
    return target if target.is_relative_to(base) and target != base else None


def _outside(rel: str) -> str:
    return t("workshop.case.outside_folder", path=repr(rel))


def _check_case(doc: YamlDoc, spec: CaseSpec) -> list[Problem]:
    folder = doc.path.parent
    problems: list[Problem] = []
    if folder.resolve().name != spec.slug:
        problems.append(doc.problem(("slug",), t("content.case.slug_differs", slug=spec.slug,
                                                 folder=folder.resolve().name)))
    for loc, rel in ((("text",), spec.text), (("teaching", "note"), spec.teaching.note)):
        target = inside_case(folder, rel)
        if target is None:
            problems.append(doc.problem(loc, _outside(rel)))
        elif not target.is_file():
            problems.append(doc.problem(loc, t("content.case.no_file", path=rel)))
        elif not target.read_text(encoding="utf-8").strip():
            problems.append(doc.problem(loc, t("content.case.empty_text", path=rel)))
    total = sum(step.minutes for step in spec.teaching.plan)
    if total != spec.teaching.minutes:
        problems.append(doc.problem(("teaching", "plan"), t("content.case.minutes", total=total,
                                                            minutes=spec.teaching.minutes)))
    apps = _known_apps()
    for i, step in enumerate(spec.teaching.plan):
        if step.app and apps is not None and step.app not in apps:
            problems.append(doc.problem(("teaching", "plan", i, "app"), t(
                "content.case.no_app", app=step.app, apps=_names(sorted(apps)))))
    ids: dict[str, int] = {}
    for i, exhibit in enumerate(spec.exhibits):
        if exhibit.id in ids:
            problems.append(doc.problem(("exhibits", i, "id"), t(
                "content.case.id_twice", id=exhibit.id, n=ids[exhibit.id] + 1)))
        ids.setdefault(exhibit.id, i)
        names = [c.name for c in exhibit.columns]
        for j, column in enumerate(exhibit.columns):
            loc = ("exhibits", i, "columns", j)
            if names.count(column.name) > 1 and names.index(column.name) != j:
                problems.append(doc.problem((*loc, "name"), t("content.case.column_twice", name=column.name)))
            if column.type == "category" and not column.values:
                problems.append(doc.problem((*loc, "type"), t("content.case.category_values")))
            if column.type != "category" and column.values:
                problems.append(doc.problem((*loc, "values"), t("content.case.values_only_category")))
            if (column.min is not None or column.max is not None) and column.type not in ("integer", "number"):
                problems.append(doc.problem((*loc, "type"), t("content.case.min_max_numbers")))
        column_problems = [p for p in problems if p.field.startswith(f"exhibits.{i}.columns")]
        if inside_case(folder, exhibit.file) is None:
            problems.append(doc.problem(("exhibits", i, "file"), _outside(exhibit.file)))
        elif not column_problems:
            _, table_problems = check_table(folder / exhibit.file, exhibit.columns)
            if table_problems and table_problems[0].field == t("content.field.file"):
                problems.append(doc.problem(("exhibits", i, "file"), t("content.case.no_exhibit",
                                                                       path=exhibit.file)))
            else:
                problems.extend(table_problems)
                if not table_problems:
                    problems.extend(_check_translated_exhibit(folder, exhibit))
    for loc, rel in ((("text",), spec.text), (("teaching", "note"), spec.teaching.note)):
        for lang in LANGUAGES:
            name = variant(rel, lang)
            target = inside_case(folder, name)
            if lang != "en" and target is not None and target.is_file() and \
                    not target.read_text(encoding="utf-8").strip():
                problems.append(doc.problem(loc, t("content.case.empty_translation", path=name)))
    return problems


def _check_translated_exhibit(folder: Path, exhibit: Exhibit) -> list[Problem]:
    """A translated exhibit has the columns, the rows and every number, date and category
    of the original: only its text cells may differ (a translation must not change the
    case's facts)."""
    problems: list[Problem] = []
    original, _ = check_table(folder / exhibit.file, exhibit.columns)
    for lang in LANGUAGES:
        name = variant(exhibit.file, lang)
        target = inside_case(folder, name)
        if lang == "en" or target is None or not target.is_file():
            continue
        table, found = check_table(target, exhibit.columns)
        if found or table is None or original is None:
            problems.extend(found)
            continue
        if len(table) != len(original):
            problems.append(Problem(str(target), None, t("content.field.rows"), t(
                "content.case.row_count", rows=len(table), file=exhibit.file, original=len(original))))
            continue
        for column in exhibit.columns:
            if column.type == "text":
                continue
            differs = ~((table[column.name] == original[column.name])
                        | (table[column.name].isna() & original[column.name].isna()))
            for row in differs[differs].index[:5]:
                problems.append(Problem(
                    str(target), int(row) + 2, column.name,
                    t("content.case.translated_value", value=table[column.name].iloc[row],
                      original=original[column.name].iloc[row], file=exhibit.file)))
    return problems


@register_kind("case", "a case study: protagonist, decision point, CSV exhibits, teaching note")
def validate_case(doc: YamlDoc) -> list[Problem]:
    spec, problems = parse_model(doc, CaseSpec)
    if spec is None:
        return problems
    return _check_case(doc, spec)


# -- loading ------------------------------------------------------------------------


def variant(rel: str, lang: str) -> str:
    """The name of a file's translation: ``case.md`` -> ``case.zh_CN.md``,
    ``exhibits/contacts.csv`` -> ``exhibits/contacts.zh_CN.csv`` (English is the file itself)."""
    if lang == "en":
        return rel
    path = Path(rel)
    return str(path.with_name(f"{path.stem}.{lang}{path.suffix}"))


def _in_language(folder: Path, rel: str, lang: str) -> tuple[str, str]:
    """``(relative path, its language)``: the first file along ``lang``'s fallback chain."""
    for candidate in fallback_chain(lang):
        name = variant(rel, candidate)
        target = inside_case(folder, name)
        if target is not None and target.is_file():
            return name, candidate
    return rel, "en"


@dataclass
class Case:
    """A validated case in one language: its spec, its texts and its exhibits as typed
    tables. Text fields of ``spec`` hold every language; :meth:`text_of` picks this one."""

    spec: CaseSpec
    folder: Path
    text: str
    teaching_note: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    lang: str = "en"

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def title(self) -> str:
        return self.text_of(self.spec.title)

    def text_of(self, text: Text) -> str:
        """A text field of the case in the case's language (with the usual fallback)."""
        return t(text, lang=self.lang)

    def exhibit(self, exhibit_id: str) -> pd.DataFrame:
        """A copy of one exhibit table (callers may change it freely)."""
        if exhibit_id not in self.tables:
            raise DataError(t("content.case.no_exhibit_id", slug=self.slug, id=exhibit_id,
                              ids=_names(self.tables)))
        return self.tables[exhibit_id].copy()

    def exhibit_spec(self, exhibit_id: str) -> Exhibit:
        return next(e for e in self.spec.exhibits if e.id == exhibit_id)


def cases_root(start: Path | None = None) -> Path:
    """The ``cases/`` folder of the project: found upward from ``start`` (or the cwd)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if folder.name == "cases" and any(folder.glob(f"*/{CASE_FILE}")):
            return folder
        if (folder / "cases").is_dir():
            return folder / "cases"
    return CHECKOUT_DIR / "cases"  # the checkout's own cases


def case_folders(root: Path | None = None) -> list[Path]:
    root = root or cases_root()
    return sorted(p.parent for p in root.glob(f"*/{CASE_FILE}"))


def load_case(where: str | Path, lang: str | None = None) -> Case:
    """Load a case by folder path or by slug, in ``lang`` (default: the current language);
    every problem raises one ContentError.

    A translation sits beside each file it translates (``case.zh_CN.md``,
    ``exhibits/contacts.zh_CN.csv``); a file without one is read in the fallback language.
    """
    folder = Path(where)
    if not (folder / CASE_FILE).is_file():
        folder = cases_root() / str(where)
    path = folder / CASE_FILE
    if not path.is_file():
        known = _names(p.name for p in case_folders()) or t("content.case.none")
        raise ContentError(t("content.case.no_case", where=where, known=known))
    doc = load_yaml(path)
    spec, problems = parse_model(doc, CaseSpec)
    if spec is not None:
        problems = _check_case(doc, spec)
    if problems or spec is None:
        raise ContentError(t("content.problems", path=path, count=len(problems)), problems)
    lang = get_language() if lang is None else lang
    tables = {}
    for exhibit in spec.exhibits:
        rel, _ = _in_language(folder, exhibit.file, lang)
        table, _ = check_table(_confined(path, folder, rel), exhibit.columns)
        tables[exhibit.id] = table

    def read(rel: str) -> str:
        return _confined(path, folder, _in_language(folder, rel, lang)[0]).read_text(
            encoding="utf-8")

    return Case(spec, folder, read(spec.text), read(spec.teaching.note), tables, lang)


def _confined(case_file: Path, folder: Path, rel: str) -> Path:
    """The file to read, checked again at read time (it may have changed since validation)."""
    target = inside_case(folder, rel)
    if target is None:
        raise ContentError(f"{case_file}: {_outside(rel)}")
    return target


# -- rendering (Markdown for notebooks and the CLI) ---------------------------------------


def case_brief_markdown(case: Case) -> str:
    """What the learner reads before class: the text, the exhibits, the questions."""
    s, x, lang = case.spec, case.text_of, case.lang
    lines = [f"# {x(s.title)}", "",
             t("workshop.case.protagonist", lang=lang, name=x(s.protagonist.name),
               role=x(s.protagonist.role), company=x(s.protagonist.company)), "",
             case.text.strip(), "",
             f"## {t('workshop.case.decision_point', lang=lang)}", "",
             x(s.decision_point).strip(), "",
             f"## {t('workshop.case.exhibits', lang=lang)}", ""]
    for n, exhibit in enumerate(s.exhibits, start=1):
        label = t("workshop.case.exhibit_line", lang=lang, title=x(exhibit.title),
                  label=t("workshop.case.exhibit_n", lang=lang, n=n))
        lines.append(f"- **{label}** — {x(exhibit.description).strip()}")
    lines += ["", f"## {t('workshop.case.questions', lang=lang)}", ""]
    lines += [f"{n}. {x(q).strip()}" for n, q in enumerate(s.discussion_questions, start=1)]
    return "\n".join(lines) + "\n"


def teaching_note_markdown(case: Case) -> str:
    """The trainer's full note: objectives, the note's prose, the timed plan, the debrief."""
    s, x, lang = case.spec, case.text_of, case.lang
    lines = [f"# {t('workshop.note.title', lang=lang, title=x(s.title))}", "",
             f"## {t('workshop.note.objectives', lang=lang)}", ""]
    lines += [f"- {x(o).strip()}" for o in s.learning_objectives]
    lines += ["", case.teaching_note.strip(), "",
              f"## {t('workshop.note.plan', lang=lang, minutes=s.teaching.minutes)}", "",
              f"| {t('workshop.note.clock', lang=lang)} | {t('workshop.note.minutes', lang=lang)} | "
              f"{t('workshop.note.activity', lang=lang)} | {t('workshop.note.app', lang=lang)} |",
              "|---|---|---|---|"]
    start = 0
    for step in s.teaching.plan:
        app = f"`salestrain app {step.app}`" if step.app else ""
        lines.append(f"| {start}-{start + step.minutes} | {step.minutes} | "
                     f"{x(step.activity).strip()} | {app} |")
        start += step.minutes
    lines += ["", f"## {t('workshop.note.debrief', lang=lang)}", ""]
    for n, item in enumerate(s.teaching.debrief, start=1):
        lines += [f"{n}. **{x(item.question).strip()}**", "",
                  f"   {t('workshop.note.good_answer', lang=lang)}: {x(item.good_answer).strip()}",
                  ""]
    return "\n".join(lines)


def read_exhibit(name: str | Path, **read_csv: Any) -> pd.DataFrame:
    """A case exhibit copied beside an exercise, in the session's language.

    ``read_exhibit("pipeline.csv", parse_dates=["expected_close"])`` reads
    ``pipeline.zh_CN.csv`` in a Chinese session when that translation is beside it (the
    same ids, numbers and dates, with the names and notes in Chinese: ``salestrain
    validate`` checks a translated exhibit so), else ``pipeline.csv``. One line of code
    thus serves every language of an exercise, whose code cells are shared.
    """
    path = Path(name)
    for candidate in fallback_chain(get_language()):
        found = path.with_name(variant(path.name, candidate))
        if found.is_file():
            return pd.read_csv(found, **read_csv)
    return pd.read_csv(path, **read_csv)
