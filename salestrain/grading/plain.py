"""Turn a learner's answer into plain data, without trusting the learner's objects.

This runs inside the learner's kernel (for ``check`` and for the grader), so it
imports nothing heavy and never calls the answer's own ``__eq__``, ``__iter__`` or
``__int__``: values are read through the built-in types' C methods, so a subclass of
``float`` that claims to equal everything is read as the float it really holds, and
an object of any other class is reported by its type name and scores zero.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

MAX_ITEMS = 100_000  # an answer bigger than this is not a course answer


class NotPlainError(Exception):
    """The answer (or a part of it) is not plain data.

    ``type_name`` is the English description; ``code`` (with ``detail``) names the
    limit that was hit, so the grader can word it in the learner's language."""

    def __init__(self, type_name: str, code: str = "", detail: str = "") -> None:
        super().__init__(type_name)
        self.type_name = type_name
        self.code = code
        self.detail = detail


def type_name(obj: Any) -> str:
    # type(obj), not obj.__class__: a learner's class can lie about __class__.
    return type.__getattribute__(type(obj), "__name__")


def to_plain(obj: Any, _depth: int = 0) -> Any:
    """``obj`` as None/bool/int/float/str/list/dict-with-str-keys, or raise NotPlainError."""
    if _depth > 20:
        raise NotPlainError("nested too deeply", "deep")
    kind = type(obj)
    if obj is None or kind is bool:
        return obj
    if issubclass(kind, bool):  # pragma: no cover - bool cannot be subclassed
        return bool.__bool__(obj)
    if issubclass(kind, int):
        return int.__add__(obj, 0)  # the int value, whatever the subclass overrides
    if issubclass(kind, float):
        return float.__add__(obj, 0.0)
    if issubclass(kind, str):
        return str.__str__(obj)
    if issubclass(kind, (list, tuple)):
        items = list.__iter__(obj) if issubclass(kind, list) else tuple.__iter__(obj)
        out = []
        for item in items:
            if len(out) >= MAX_ITEMS:
                raise NotPlainError("list too long", "long_list")
            out.append(to_plain(item, _depth + 1))
        return out
    if issubclass(kind, dict):
        result: dict[str, Any] = {}
        for key, value in dict.items(obj):
            if type(key) is not str:
                raise NotPlainError(f"mapping with {type_name(key)} keys", "keys", type_name(key))
            result[key] = to_plain(value, _depth + 1)
        return result
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        if issubclass(kind, numpy.bool_):
            return bool(numpy.bool_.item(obj))
        if issubclass(kind, (numpy.integer, numpy.floating)):
            return to_plain(numpy.generic.item(obj), _depth + 1)
        if issubclass(kind, numpy.ndarray):
            if obj.size > MAX_ITEMS:
                raise NotPlainError("array too long", "long_array")
            return to_plain(numpy.ndarray.tolist(obj), _depth + 1)
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        if kind is pandas.Series or kind is pandas.Index:
            return to_plain(obj.to_numpy().tolist(), _depth + 1)
        if kind is pandas.DataFrame:
            return {str(c): to_plain(obj[c].to_numpy().tolist(), _depth + 1) for c in obj.columns}
    raise NotPlainError(type_name(obj))


def evaluate(namespace: dict[str, Any], expressions: list[str]) -> list[dict[str, Any]]:
    """Evaluate each answer expression; one plain-data record per expression."""
    records: list[dict[str, Any]] = []
    for expr in expressions:
        try:
            value = eval(expr, namespace)  # noqa: S307 - evaluating the learner's own names
        except BaseException as exc:  # noqa: BLE001 - SystemExit from a learner function too
            records.append({"status": "error", "error": type_name(exc)})
            continue
        try:
            records.append({"status": "ok", "value": to_plain(value)})
        except NotPlainError as exc:
            record = {"status": "unsupported", "type": exc.type_name}
            if exc.code:
                record.update(code=exc.code, detail=exc.detail)
            records.append(record)
    return records


def answer(thunk: Any) -> str:
    """One answer for the grader's answer channel: call ``thunk`` (a lambda around the
    test's expression, built by the grader) and return its record as JSON text.

    The grader sends this as a Jupyter ``user_expressions`` entry, so the text travels in
    the kernel's execute reply, never over the learner's stdout, and nothing is printed
    (a learner who rebound ``print`` or installed output hooks changes nothing)."""
    try:
        value = thunk()
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt from a learner function too
        return json.dumps({"status": "error", "error": type_name(exc)})
    try:
        record: dict[str, Any] = {"status": "ok", "value": to_plain(value)}
    except NotPlainError as exc:
        record = {"status": "unsupported", "type": exc.type_name}
        if exc.code:
            record.update(code=exc.code, detail=exc.detail)
    except BaseException as exc:  # noqa: BLE001 - a value whose reading fails is the learner's error
        record = {"status": "error", "error": type_name(exc)}
    try:
        return json.dumps(record, allow_nan=True, ensure_ascii=True)
    except (ValueError, TypeError, RecursionError):
        return json.dumps({"status": "error", "error": "ValueError"})


def dumps(records: list[dict[str, Any]]) -> str:
    # NaN/inf are legal answers to report (and then fail); keep them as JSON extensions.
    return json.dumps(records, allow_nan=True, ensure_ascii=True)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def finite(value: float) -> bool:
    return math.isfinite(value)
