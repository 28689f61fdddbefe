"""What the isolation tests run as learner code, and the host side they aim at.

Each probe is plain Python that a learner could write: it leaves its findings in a list
``leaks`` and answers q3 of the sample exercise with ``"proposal"`` only if the list is
empty, so the real grading path carries the verdict back (q3's outcome says what leaked).
The same code run directly on the host must find every leak: that proves the probes can
fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tests.grading import hostile
from tests.grading.helpers import SAMPLE

AFTER_Q3_SOLUTION = 12  # hostile.py: cell 12 is the q3 solution, 13 its tests

CHANNELS = '''
import os, socket
leaks = []
def _try(name, action):
    try:
        action()
        leaks.append(name)
    except OSError:
        pass
def _unix(address):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect(address)
    s.sendall(b"leak")
    s.close()
def _tcp():
    socket.create_connection(("127.0.0.1", {tcp_port}), timeout=2).sendall(b"leak")
def _udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"leak", ("127.0.0.1", {udp_port}))
def _read_solution(path):
    data = open(path, "rb").read()
    if b"BEGIN SOLUTION" not in data and b"hidden" not in data:
        raise OSError("no solution in " + path)
_try("unix socket file", lambda: _unix({unix_path!r}))
_try("abstract unix socket", lambda: _unix("\\0" + {abstract!r}))
_try("tcp to the host", _tcp)
_udp()  # a datagram is sent whatever happens: the host says whether it arrived
_try("clone in /tmp", lambda: _read_solution({clone!r}))
_try("exercise source", lambda: _read_solution({source!r}))
# Its own /tmp must work (learner code may need it), and must stay its own.
with open("/tmp/" + {token!r}, "w") as fh:
    fh.write("written inside")
if open("/tmp/" + {token!r}).read() != "written inside":
    leaks.append("private /tmp does not work")
'''

ANSWER = '\nbiggest_stage = "proposal" if not leaks else "LEAK " + "; ".join(leaks)\n'


@dataclass
class HostSide:
    """Listeners and a world-readable clone of the exercise on the host."""

    token: str
    folder: Path
    unix: socket.socket
    abstract_name: str
    abstract: socket.socket
    tcp: socket.socket
    udp: socket.socket
    clone: Path
    received: list[str] = field(default_factory=list)

    @property
    def probe_code(self) -> str:
        return CHANNELS.format(tcp_port=self.tcp.getsockname()[1], udp_port=self.udp.getsockname()[1],
                               unix_path=str(self.folder / "host.sock"), abstract=self.abstract_name,
                               clone=str(self.clone), source=str(SAMPLE), token=self.token)

    def contacts(self) -> list[str]:
        """Which host channels were reached since the last call (drains them)."""
        reached = []
        for name, sock in (("unix", self.unix), ("abstract", self.abstract), ("tcp", self.tcp)):
            try:
                conn, _ = sock.accept()
                conn.close()
                reached.append(name)
            except BlockingIOError:
                pass
        try:
            while True:
                self.udp.recv(64)
                reached.append("udp")
        except BlockingIOError:
            pass
        return reached


@contextmanager
def host_side() -> Iterator[HostSide]:
    token = "salestrain-iso-" + secrets.token_hex(6)
    folder = Path(tempfile.mkdtemp(prefix=token + "-"))
    folder.chmod(0o777)  # any user id may reach the socket: only the sandbox keeps it out
    sockets = []
    try:
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        unix.bind(str(folder / "host.sock"))
        os.chmod(folder / "host.sock", 0o777)
        abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        abstract.bind("\0" + token)
        tcp = socket.create_server(("127.0.0.1", 0))
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        sockets = [unix, abstract, tcp, udp]
        for sock in sockets:
            if sock.type == socket.SOCK_STREAM:
                sock.listen(5)
            sock.setblocking(False)
        # A world-readable clone of the exercise, as `git clone` into /tmp leaves it.
        clone_dir = folder / "clone" / "exercises" / "sample"
        clone_dir.mkdir(parents=True)
        for path in [folder / "clone", folder / "clone" / "exercises", clone_dir]:
            path.chmod(0o755)
        clone = Path(shutil.copy(SAMPLE, clone_dir / SAMPLE.name))
        clone.chmod(0o644)
        yield HostSide(token, folder, unix, token, abstract, tcp, udp, clone)
    finally:
        for sock in sockets:
            sock.close()
        shutil.rmtree(folder, ignore_errors=True)
        Path("/tmp", token).unlink(missing_ok=True)


def run_on_host(code: str) -> list[str]:
    """The probe run as a plain process of the grader's user: what it finds unguarded."""
    out = subprocess.run([sys.executable, "-c", code + "\nprint('|'.join(leaks))"],
                         capture_output=True, text=True, timeout=60, check=True)
    return [x for x in out.stdout.strip().split("|") if x]


def submission(code: str) -> nbformat.NotebookNode:
    """The solved sample notebook with ``code`` answering q3 (see the module docstring)."""
    return hostile.with_cell(code + ANSWER, after=AFTER_Q3_SOLUTION)


ESCAPER = '''
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execve("/bin/sleep", ["sleep", {seconds!r}], {{}})
    os._exit(0)
os.wait()
time.sleep(4)  # the host looks for the sleeper meanwhile
'''


def sleepers(seconds: str) -> list[int]:
    """Host pids of ``sleep SECONDS`` processes (not zombies)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if argv[:2] == [b"sleep", seconds.encode()] and state != "Z":
            found.append(int(entry.name))
    return found
