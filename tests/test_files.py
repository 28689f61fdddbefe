"""Safe writes: whole files, the user's umask, nothing replaced without --force."""

import os
import stat

import pytest

from salestrain.base.errors import SalestrainError
from salestrain.base.files import OverwriteRefusedError, write_atomic


def test_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "release.ipynb", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text() == "{}"


def test_private_mode_is_still_masked(tmp_path):
    old = os.umask(0o027)
    try:
        path = write_atomic(tmp_path / "scores.json", b"[]", mode=0o600)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_existing_file_is_kept_without_force(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("yesterday's report")
    with pytest.raises(OverwriteRefusedError, match="--force"):
        write_atomic(target, "new")
    assert target.read_text() == "yesterday's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temp left
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new"


def test_missing_folder_is_a_named_error(tmp_path):
    with pytest.raises(SalestrainError, match="does not exist"):
        write_atomic(tmp_path / "nowhere" / "out.csv", "a,b\n")
    assert write_atomic(tmp_path / "made" / "out.csv", "a\n", make_parents=True).exists()


def test_folder_target_is_refused(tmp_path):
    with pytest.raises(SalestrainError, match="folder"):
        write_atomic(tmp_path, "x", force=True)


def test_messages_in_chinese(tmp_path, monkeypatch):
    from salestrain.base import i18n

    target = tmp_path / "a.csv"
    target.write_text("x")
    i18n.set_language("zh_CN")
    try:
        with pytest.raises(OverwriteRefusedError, match="已存在"):
            write_atomic(target, "y")
    finally:
        i18n.set_language(None)
