"""Loading and validating content files: cases, scenarios, catalogs, exercises.

Content is data a trainer edits without Python. Each content module in this package
(``salestrain/io/<module>.py``) registers the kinds it understands; a YAML file
names its kind in a top-level ``kind:`` field (``kind: negotiation-scenario``).
``salestrain validate PATH`` walks files and reports every problem as
``file:line: field: message``.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from salestrain.base.errors import ContentError, Problem
from salestrain.base.i18n import has_key, t
from salestrain.io.yamlio import YamlDoc, load_yaml

M = TypeVar("M", bound=BaseModel)

YamlValidator = Callable[[YamlDoc], list[Problem]]
FileValidator = Callable[[Path], list[Problem] | None]

SKIP_DIRS = {".git", ".venv", "__pycache__", ".ipynb_checkpoints", "node_modules", ".pytest_cache"}


@dataclass(frozen=True)
class Kind:
    name: str
    validate: YamlValidator
    summary: str


_KINDS: dict[str, Kind] = {}
# Validators for non-YAML files (notebooks, CSV): each returns None when the file
# is not one it owns, so several can look at the same suffix.
_FILE_VALIDATORS: dict[str, list[FileValidator]] = {}


def register_kind(name: str, summary: str) -> Callable[[YamlValidator], YamlValidator]:
    def decorator(fn: YamlValidator) -> YamlValidator:
        _KINDS[name] = Kind(name, fn, summary)
        return fn

    return decorator


def register_file_validator(suffix: str) -> Callable[[FileValidator], FileValidator]:
    def decorator(fn: FileValidator) -> FileValidator:
        _FILE_VALIDATORS.setdefault(suffix, []).append(fn)
        return fn

    return decorator


_discovered = False
CONTENT_MODULES = (
    "salestrain.io.cases",
    "salestrain.io.catalogs",
    "salestrain.io.coaching.content",
    "salestrain.io.coaching.files",
    "salestrain.io.lessons",
    "salestrain.io.negotiation",
    "salestrain.io.multiparty",
    "salestrain.io.objections.scenarios",
    "salestrain.io.app_manifest",
    "salestrain.io.sample_names",
    "salestrain.io.item_bank",
    "salestrain.io.strategy",
    "salestrain.io.survey",
)
# Validators that higher layers register (the exercise-notebook check lives in grading);
# a worker process is told their names, since it does not share the parent's imports.
WORKER_MODULES: list[str] = []


def register_worker_module(module: str) -> None:
    if module not in WORKER_MODULES:
        WORKER_MODULES.append(module)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    # Content kinds of this layer; grading registers the exercise-notebook validator when
    # it is imported (the CLI's validate command does that), since io never imports grading.
    for module in CONTENT_MODULES:
        importlib.import_module(module)


def kinds() -> dict[str, Kind]:
    _discover()
    return dict(_KINDS)


def kind_list() -> str:
    """The known kinds, listed the way the current language lists names."""
    return t("content.separator").join(sorted(_KINDS))


def _format_input(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# pydantic's error types with a catalog message (content.pydantic.<type>); the context
# values each one fills in. Any other type keeps pydantic's own (English) message.
_PLURAL_COUNT = {"too_short": "min_length", "too_long": "max_length",
                 "string_too_short": "min_length", "string_too_long": "max_length"}


def _literal_choices(expected: str) -> str:
    """pydantic's ``"'a', 'b' or 'c'"`` joined the way the current language lists choices."""
    return expected.replace(", ", t("content.separator")).replace(" or ", t("content.or"))


def pydantic_message(err: Any) -> str:
    """One pydantic error in the current language (its English message when unknown)."""
    kind = err["type"]
    key = f"content.pydantic.{kind}"
    if not has_key(key):
        return err["msg"]
    # a bound reads as pydantic writes it: 1, not 1.0
    ctx = {name: int(value) if isinstance(value, float) and value.is_integer() else value
           for name, value in (err.get("ctx") or {}).items()}
    if kind == "value_error":
        return t(key, error=ctx.get("error", err["msg"]))
    if kind in ("literal_error", "enum"):
        ctx["expected"] = _literal_choices(str(ctx.get("expected", "")))
    if kind in _PLURAL_COUNT:
        ctx["count"] = ctx.pop(_PLURAL_COUNT[kind], 0)
        ctx.setdefault("actual_length", "?")
        ctx.pop("expected_plural", None)
        field_type = str(ctx.get("field_type", ""))
        type_key = f"content.pydantic.type.{field_type}"
        ctx["field_type"] = t(type_key) if has_key(type_key) else field_type
    try:
        return t(key, **ctx)
    except (KeyError, IndexError, TypeError, ValueError):
        return err["msg"]


def pydantic_problems(doc: YamlDoc, exc: ValidationError, prefix: tuple = ()) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = (*prefix, *err["loc"])
        msg = pydantic_message(err)
        if err["type"] not in ("missing",):
            msg = t("content.got", message=msg, value=_format_input(err.get("input")))
        problems.append(doc.problem(loc, msg))
    return problems


def parse_model(doc: YamlDoc, model: type[M], data: Any = None, prefix: tuple = ()) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` (default: the whole document) against a pydantic model."""
    try:
        return model.model_validate(doc.data if data is None else data), []
    except ValidationError as exc:
        return None, pydantic_problems(doc, exc, prefix)


def load_model(path: str | Path, model: type[M]) -> tuple[M, YamlDoc]:
    """Load a YAML file into ``model`` or raise one ContentError listing every problem."""
    doc = load_yaml(path)
    obj, problems = parse_model(doc, model)
    if problems or obj is None:
        raise ContentError(t("content.problems", path=path, count=len(problems)), problems)
    return obj, doc


def is_catalog(path: Path) -> bool:
    from salestrain.base.i18n import LANGUAGES

    return path.parent.name in LANGUAGES and path.parent.parent.name == "i18n"


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem in one file; an empty list means it is valid (or not content)."""
    _discover()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            doc = load_yaml(path)
        except ContentError as exc:
            return exc.problems
        if is_catalog(path):
            from salestrain.io import catalogs

            return catalogs.validate_catalog(doc)
        if not isinstance(doc.raw, dict) or "kind" not in doc.raw:
            return [doc.problem((), t("content.no_kind", kinds=kind_list()))]
        kind = doc.raw["kind"]
        if kind not in _KINDS:
            return [doc.problem(("kind",), t("content.unknown_kind", kind=kind, kinds=kind_list()))]
        return _KINDS[kind].validate(doc)
    problems: list[Problem] = []
    for validator in _FILE_VALIDATORS.get(suffix, []):
        found = validator(path)
        if found:
            problems.extend(found)
    return problems


def iter_files(root: Path) -> Iterable[Path]:
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        parts = set(path.relative_to(root).parts[:-1])
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if path.is_file() and not hidden and not (SKIP_DIRS & parts):
            yield path


def _has_kind(path: Path) -> bool:
    """Cheap look at a YAML file's top level: does a line start with ``kind:``?"""
    try:
        with path.open(encoding="utf-8") as fh:
            return any(line.startswith("kind:") for line in fh)
    except (OSError, UnicodeDecodeError):
        return False


def owned(path: Path) -> bool:
    """Is this YAML file salestrain content (when met while walking a folder)?

    A file with ``kind:`` is; so is a catalog; so is a YAML file beside content files
    (a scenario that forgot its ``kind:`` must still be reported). Anything else, such as
    environment.yml or a CI configuration, belongs to another tool and is left alone.
    """
    if is_catalog(path) or _has_kind(path):
        return True
    siblings = [p for p in path.parent.iterdir() if p != path and p.suffix.lower() in (".yaml", ".yml")]
    return any(_has_kind(p) for p in siblings)


def _validate_in_worker(path: Path, lang: str, modules: tuple[str, ...]) -> list[Problem]:
    from salestrain.base import i18n

    i18n.set_language(lang)
    for module in modules:
        importlib.import_module(module)
    return validate_file(path)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def validate_path(path: str | Path, jobs: int | None = None) -> tuple[int, list[Problem]]:
    """Validate a file or a folder; returns (files checked, problems).

    Notebooks (each one executes its solutions in a kernel) are checked ``jobs`` at a
    time in worker processes; everything else in this process. Problems come back in
    file order whatever finishes first.
    """
    root = Path(path)
    if not root.exists():
        raise ContentError(t("content.missing_path", path=root))
    suffixes = (".yaml", ".yml", *_FILE_VALIDATORS_SUFFIXES())
    files = [f for f in iter_files(root) if f.suffix.lower() in suffixes]
    if not root.is_file():
        files = [f for f in files if f.suffix.lower() not in (".yaml", ".yml") or owned(f)]
    heavy = [f for f in files if f.suffix.lower() == ".ipynb"]
    jobs = default_jobs() if jobs is None else jobs
    found: dict[Path, list[Problem]] = {}
    if len(heavy) > 1 and jobs > 1:
        from salestrain.base.i18n import get_language

        # spawn, not fork: the parent may hold kernels, threads and open event loops.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(heavy)), mp_context=context) as pool:
            futures = {f: pool.submit(_validate_in_worker, f, get_language(), tuple(WORKER_MODULES)) for f in heavy}
            for f, future in futures.items():
                found[f] = future.result()
    problems: list[Problem] = []
    for file in files:
        problems.extend(found[file] if file in found else validate_file(file))
    return len(files), problems


def _FILE_VALIDATORS_SUFFIXES() -> tuple[str, ...]:  # noqa: N802 - read as a constant
    _discover()
    return tuple(_FILE_VALIDATORS)
