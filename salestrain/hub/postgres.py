"""The room's private PostgreSQL server, started by ``salestrain hub`` when not given one.

A cluster in the hub's folder, listening on 127.0.0.1 only, with a random password
(scram-sha-256) that only the hub's settings hold: learners' sandboxes share the
machine's loopback network, so without a password a learner's code could open the
gradebook; with it they cannot, and their sandboxes have no view of the socket folder. PostgreSQL refuses to run as root, so as root it
runs as the ``postgres`` account that Debian's package creates. The cluster outlives
a hub restart: started again, the hub finds it running (or starts it) with every row.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

PORT_FILE = "port"


class PostgresUnavailable(Exception):  # noqa: N818 - a reason, shown to the trainer
    pass


def bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return versions[-1].parent if versions else None


def _prefix(folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("no 'postgres' account to run the server as") from None
    os.chown(folder, user.pw_uid, user.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_postgres(folder: Path) -> str:
    """Start (creating it the first time) the cluster in ``folder``; returns its URL."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise PostgresUnavailable("the psycopg driver is not installed") from None
    binaries = bin_dir()
    if binaries is None:
        raise PostgresUnavailable("PostgreSQL is not installed") from None
    folder.mkdir(mode=0o700, exist_ok=True)
    prefix = _prefix(folder)
    data = folder / "data"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)

    secret = folder / "pwfile"
    if not data.exists():
        secret.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        os.chmod(secret, 0o600)
        if prefix:
            user = pwd.getpwnam("postgres")
            os.chown(secret, user.pw_uid, user.pw_gid)
        done = run(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "scram-sha-256",
                   f"--pwfile={secret}", "-E", "UTF8")
        if done.returncode:
            raise PostgresUnavailable(done.stderr.strip()[-300:])
    port_file = folder / PORT_FILE
    port = int(port_file.read_text()) if port_file.exists() else _free_port()
    if run(str(binaries / "pg_ctl"), "-D", str(data), "status").returncode != 0:
        done = run(str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"), "-o",
                   f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300", "start")
        if done.returncode:
            raise PostgresUnavailable(done.stderr.strip()[-300:] or done.stdout.strip()[-300:])
    if not port_file.exists():
        port_file.write_text(str(port))
    password = secret.read_text(encoding="utf-8").strip()
    return f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres"


def stop_postgres(folder: Path) -> None:
    binaries = bin_dir()
    if binaries is None or not (folder / "data").exists():
        return
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"],
                   capture_output=True, timeout=60)
