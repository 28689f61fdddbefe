"""Which files in a submissions folder are submissions, and whose.

Three small steps, each with one job:

- :func:`learner_of` names the learner of a path. It is the only function that does,
  so collecting, skipping unchanged work and recording all agree: ``alice.ipynb`` at the
  top of the folder is alice's, and so is ``alice/<anything>.ipynb``.
- :func:`collect` walks the folder **without following links** and keeps regular
  ``.ipynb`` files. Symlinks, FIFOs, devices, sockets, hard links to the exercise source
  and anything leading outside the folder become *refused* submissions, each with its
  reason, so the trainer sees them instead of a 7/7 for a link to the answer key (what
  ``cp -a`` or ``rsync -a`` of a learner's folder can bring along).
- :func:`fingerprint` reads a submission once, safely (``O_NOFOLLOW | O_NONBLOCK``, then
  ``fstat``: a FIFO swapped in later never blocks the grader), and keeps its bytes and
  SHA-256: the grader grades exactly the bytes it hashed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from salestrain.base.i18n import t

MAX_SUBMISSION_BYTES = 50_000_000  # a notebook bigger than this is not an answer
SKIP_NAMES = {".ipynb_checkpoints", "__pycache__"}


@dataclass(frozen=True)
class Submission:
    """One learner's notebook, or the reason it is not graded (``refused``)."""

    learner: str
    path: Path
    refused: str | None = None
    sha256: str = ""
    data: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def readable(self) -> bool:
        return self.refused is None and self.data is not None


def learner_of(root: Path, path: Path) -> str:
    """The learner a notebook belongs to: the file's stem at the top of ``root``, else
    the folder(s) between ``root`` and the file (``alice/week1.ipynb`` -> ``alice``)."""
    try:
        rel = Path(path).relative_to(root)
    except ValueError:
        return _stem(Path(path))
    return _stem(rel) if len(rel.parts) <= 1 else "/".join(rel.parts[:-1])


def _stem(path: Path) -> str:
    # "ana.answers.json" (a no-code exercise's answer sheet) belongs to ana
    return path.name[: -len(ANSWERS_SUFFIX)] if path.name.endswith(ANSWERS_SUFFIX) else path.stem


ANSWERS_SUFFIX = ".answers.json"
SUBMISSION_SUFFIXES = (".ipynb", ANSWERS_SUFFIX)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return t("grading.refused.kind.symlink")
    if stat.S_ISFIFO(mode):
        return t("grading.refused.kind.fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("grading.refused.kind.device")
    if stat.S_ISSOCK(mode):
        return t("grading.refused.kind.socket")
    if stat.S_ISDIR(mode):
        return t("grading.refused.kind.folder")
    return t("grading.refused.kind.other")


def _protected_ids(protected: list[Path]) -> set[tuple[int, int]]:
    ids = set()
    for path in protected:
        try:
            st = os.stat(path)
        except OSError:
            continue
        ids.add((st.st_dev, st.st_ino))
    return ids


def collect(folder: Path, protected: list[Path] | tuple[Path, ...] = ()) -> list[Submission]:
    """Every submission in ``folder`` (or the one file ``folder``), in a stable order.

    ``protected`` are files no submission may be (the exercise source: a hard link to
    it is a regular file inside the folder, and still not the learner's work)."""
    folder = Path(folder)
    forbidden = _protected_ids(list(protected))
    found: list[Submission] = []
    try:
        top = os.lstat(folder)
    except OSError as exc:
        return [Submission(folder.stem, folder, t("grading.refused.unreadable", error=type(exc).__name__))]
    if not stat.S_ISDIR(top.st_mode):
        # One file named on the command line: still only a regular file.
        found.append(_entry(folder.parent, folder, top, forbidden))
    else:
        _walk(folder, folder, forbidden, found)
    return _mark_duplicates(found)


def _entry(root: Path, path: Path, st: os.stat_result, forbidden: set[tuple[int, int]]) -> Submission:
    learner = learner_of(root, path)
    if not stat.S_ISREG(st.st_mode):
        target = ""
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
        return Submission(learner, path, t("grading.refused.not_regular", kind=_kind(st.st_mode),
                                           target=target or "-"))
    if (st.st_dev, st.st_ino) in forbidden:
        return Submission(learner, path, t("grading.refused.is_source"))
    return Submission(learner, path)


def _walk(root: Path, folder: Path, forbidden: set[tuple[int, int]], found: list[Submission]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        found.append(Submission(learner_of(root, folder / "_.ipynb"), folder,
                                t("grading.refused.unreadable", error=type(exc).__name__)))
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIP_NAMES:
            continue
        path = Path(entry.path)
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            found.append(Submission(learner_of(root, path), path,
                                    t("grading.refused.unreadable", error=type(exc).__name__)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(root, path, forbidden, found)
        elif stat.S_ISLNK(st.st_mode):
            # A link named like a notebook, or one to a folder (which could hold
            # notebooks from anywhere): refused, and said. Links to other files are
            # not submissions at all.
            try:
                to_folder = os.path.isdir(path)
            except OSError:
                to_folder = False
            if entry.name.endswith(SUBMISSION_SUFFIXES) or to_folder:
                found.append(_entry(root, path, st, forbidden))
        elif entry.name.endswith(SUBMISSION_SUFFIXES):
            found.append(_entry(root, path, st, forbidden))


def _mark_duplicates(found: list[Submission]) -> list[Submission]:
    """Two gradable notebooks for one learner: neither is graded, each says why
    (grading one at random would make the score depend on a file name)."""
    by_learner: dict[str, list[Submission]] = {}
    for sub in found:
        if sub.refused is None:
            by_learner.setdefault(sub.learner, []).append(sub)
    out = []
    for sub in found:
        group = by_learner.get(sub.learner, [])
        if sub.refused is None and len(group) > 1:
            others = ", ".join(str(o.path) for o in group if o is not sub)
            sub = replace(sub, refused=t("grading.refused.duplicate", others=others))
        out.append(sub)
    return out


def _inside(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def fingerprint(sub: Submission, root: Path | None = None,
                max_bytes: int = MAX_SUBMISSION_BYTES) -> Submission:
    """``sub`` with its bytes and SHA-256, or refused with the reason it cannot be read.

    Never blocks and never follows a link: the file is opened with ``O_NOFOLLOW`` and
    ``O_NONBLOCK`` and must still be a regular file (``fstat``) inside ``root``."""
    if sub.refused is not None or sub.data is not None:
        return sub
    if root is not None and not _inside(root, sub.path):
        return replace(sub, refused=t("grading.refused.outside", folder=root))
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(sub.path, flags)
    except OSError as exc:
        try:
            mode = os.lstat(sub.path).st_mode
        except OSError:
            mode = 0
        if mode and not stat.S_ISREG(mode):
            return replace(sub, refused=t("grading.refused.not_regular", kind=_kind(mode), target="-"))
        return replace(sub, refused=t("grading.refused.unreadable", error=type(exc).__name__))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return replace(sub, refused=t("grading.refused.not_regular", kind=_kind(st.st_mode), target="-"))
        if st.st_size > max_bytes:
            return replace(sub, refused=t("grading.refused.too_large", mb=max_bytes // 10**6))
        chunks = []
        size = 0
        while True:
            block = os.read(fd, 1 << 20)
            if not block:
                break
            size += len(block)
            if size > max_bytes:  # grew while being read
                return replace(sub, refused=t("grading.refused.too_large", mb=max_bytes // 10**6))
            chunks.append(block)
    except OSError as exc:
        return replace(sub, refused=t("grading.refused.unreadable", error=type(exc).__name__))
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return replace(sub, data=data, sha256=hashlib.sha256(data).hexdigest())
