"""A learner's answers, kept as they are given: they survive a kernel restart and a closed tab.

One JSON file per learner and exercise. Every change is written at once (a whole-file
atomic write, a few milliseconds), so nothing typed is lost when the browser closes.
Two tabs open on the same exercise do not overwrite each other: each answer carries the
time it was given, and a save merges with what is on disk, keeping the newer answer to
each question.

The file is keyed by the learner's id (their hub user name or the name they gave), not
by the computer account, so two learners sharing one laptop keep separate answers.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from salestrain.base.errors import DataError
from salestrain.base.files import write_atomic
from salestrain.base.i18n import t

FORMAT = 1
# Learner ids become file names: keep them to a safe alphabet (Chinese names included).
_SAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def safe_id(learner: str) -> str:
    cleaned = _SAFE.sub("_", learner.strip())[:80].strip("._")
    if not cleaned:
        raise DataError(t("core.answers.bad_learner", learner=learner))
    return cleaned


def answers_path(folder: Path, learner: str, exercise: str) -> Path:
    return Path(folder) / safe_id(learner) / f"{safe_id(exercise)}.answers.json"


class AnswerBook:
    """The answers of one learner to one exercise, persisted on every change."""

    def __init__(self, path: Path, learner: str, exercise: str) -> None:
        self.path = Path(path)
        self.learner = learner
        self.exercise = exercise
        self._answers: dict[str, dict[str, Any]] = {}
        self._answers = self._read().get("answers", {})

    @classmethod
    def open(cls, folder: Path, learner: str, exercise: str) -> AnswerBook:
        return cls(answers_path(folder, learner, exercise), learner, exercise)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # A damaged file is kept (renamed) for the trainer, never silently replaced.
            broken = self.path.with_suffix(f".broken-{int(time.time())}.json")
            self.path.rename(broken)
            raise DataError(t("core.answers.damaged", path=self.path, kept=broken, error=exc)) from None
        if not isinstance(data, dict) or data.get("learner") not in (None, self.learner):
            raise DataError(t("core.answers.other_learner", path=self.path))
        return data

    def get(self, qid: str, default: Any = None) -> Any:
        entry = self._answers.get(qid)
        return default if entry is None else entry["value"]

    def answers(self) -> dict[str, Any]:
        return {qid: entry["value"] for qid, entry in self._answers.items()}

    def set(self, qid: str, value: Any) -> None:
        json.dumps(value)  # only plain data is an answer; fail here, not in the grader
        self._answers[qid] = {"value": value, "at": time.time()}
        self.save()

    def save(self) -> None:
        on_disk = self._read().get("answers", {}) if self.path.exists() else {}
        merged: dict[str, dict[str, Any]] = dict(on_disk)
        for qid, entry in self._answers.items():
            if qid not in merged or entry["at"] >= merged[qid].get("at", 0):
                merged[qid] = entry
        self._answers = merged
        document = {"format": FORMAT, "learner": self.learner, "exercise": self.exercise,
                    "answers": merged}
        write_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1), force=True,
                     make_parents=True, mode=0o600)

    def submission(self) -> Mapping[str, Any]:
        """What Submit hands to the trainer: who, which exercise, and the answers as data."""
        return {"format": FORMAT, "learner": self.learner, "exercise": self.exercise,
                "answers": self.answers()}


COLLECT_ENV = "SALESTRAIN_COLLECT"


def collection_folder() -> Path:
    """Where Submit hands answer sheets in: ``$SALESTRAIN_COLLECT`` (a shared folder the
    trainer grades, or the hub's exchange), else ``<salestrain data folder>/submitted``."""
    import os

    from salestrain.io.store import data_dir

    chosen = os.environ.get(COLLECT_ENV)
    return Path(chosen).expanduser() if chosen else data_dir() / "submitted"
