"""Writing a user's files safely: whole or not at all, never over a file without leave.

Every command that writes a file the user keeps (a release, a report, an export, a JSON
summary) goes through :func:`write_atomic`:

- the data goes to a temporary file in the same folder and is renamed over the target,
  so a crash or a full disk never leaves half a file;
- the new file gets the mode a plain ``open()`` would give it under the user's umask
  (``mkstemp`` alone makes it 0600, which on a shared server hides a released exercise
  from the learners it is for);
- an existing file is replaced only with ``force=True`` (the CLI's ``--force``);
- a missing folder is a named error, not a ``FileNotFoundError`` traceback, unless the
  caller asks for it to be made.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t


class OverwriteRefusedError(SalestrainError):
    """The target exists and the user did not say ``--force``."""


def current_umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_writable(path: str | Path, *, force: bool = False, make_parents: bool = False) -> Path:
    """Refuse early (before any work) when ``path`` could not be written as asked."""
    target = Path(path)
    if target.exists() and target.is_dir():
        raise SalestrainError(t("core.files.is_folder", path=target))
    if target.exists() and not force:
        raise OverwriteRefusedError(t("core.files.exists", path=target))
    parent = target.parent
    if not parent.exists() and not make_parents:
        raise SalestrainError(t("core.files.no_folder", path=target, folder=parent))
    return target


def write_atomic(path: str | Path, data: bytes | str, *, force: bool = False,
                 make_parents: bool = False, mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` whole, honouring the umask; see the module docstring.

    ``mode`` overrides the permission bits (before the umask) for files that must stay
    private, such as a gradebook export with learners' scores.
    """
    target = check_writable(path, force=force, make_parents=make_parents)
    if make_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, (0o666 if mode is None else mode) & ~current_umask())
        if not force and target.exists():
            # Someone made the file while we wrote: still never replace it without leave.
            raise OverwriteRefusedError(t("core.files.exists", path=target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
