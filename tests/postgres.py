"""A throwaway PostgreSQL server for the gradebook tests.

The gradebook promises "any SQLAlchemy URL, so PostgreSQL serves a large workshop";
that promise is only worth something if a real server is exercised. Each test session
that asks for one gets its own cluster (initdb) in a temporary folder, listening on
127.0.0.1 at a free port with trust authentication, and stopped at the end. Nothing is
left running and the machine's own PostgreSQL (if any) is not touched.

Needs Debian's ``postgresql`` package (``./workshop test`` installs it as root) and the
``psycopg`` driver (in the ``test`` extra). Without them the tests skip, except under
CI=true, where a missing server is a failure: CI must prove the claim.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: the same search as the hub's own server."""
    from salestrain.hub.postgres import bin_dir

    return bin_dir()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def unavailable() -> str | None:
    """Why no server can be started here, or None when one can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed (pip install 'psycopg[binary]')"
    if _bin_dir() is None:
        return "PostgreSQL is not installed (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run the server as"
    return None


def skip_or_fail() -> None:
    reason = unavailable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must test the PostgreSQL gradebook, but {reason}")
    pytest.skip(reason)


@contextmanager
def server() -> Iterator[str]:
    """Start a private cluster; yields its SQLAlchemy URL (plain postgresql:// scheme)."""
    bin_dir = _bin_dir()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="salestrain-pg-"))
    data = folder / "data"
    # PostgreSQL refuses to run as root; as root we run it as the 'postgres' user.
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"), "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """A new empty database on the server at ``url``; returns its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name
