"""Projector mode's real server: Voila as `salestrain app` starts it, on ports 9800-9899.

DNS rebinding: a request naming another host is refused. Kernels: however many pages
are requested, at most --max-kernels live, and idle ones no browser holds are culled.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from salestrain.cli.projector import free_port, token_of, voila_command, voila_config

ROOT = Path(__file__).resolve().parents[2]


def port_in_range() -> int:
    return free_port(9800) or pytest.skip("no free port in 9800-9899")


def get(url: str, host: str | None = None, timeout: float = 240) -> int:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def kernels(server: psutil.Process) -> int:
    count = 0
    for p in server.children(recursive=True):
        try:
            count += any("ipykernel" in part for part in p.cmdline())
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue  # a kernel that has just exited (culled, replaced) is not a live one
    return count


@pytest.fixture
def projector(tmp_path):
    port = port_in_range()
    log = (tmp_path / "server.log").open("w")
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "salestrain", "app", "start-here", "--port", str(port),
         "--max-kernels", "2", "--cull-after", "30", "--CappedKernelManager.grace_seconds=0"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "Voila did not start"
                time.sleep(0.5)
        yield url, psutil.Process(proc.pid)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except ProcessLookupError:
            pass  # the test stopped it already
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_other_hosts_are_refused_and_kernels_stay_within_the_cap(projector):
    url, server = projector
    port = url.rsplit(":", 1)[1].strip("/")
    # A page on evil.example that rebinds its name to 127.0.0.1 sends its own Host.
    assert get(url, host="evil.example") == 403
    assert get(url, host=f"evil.example:{port}") == 403
    assert kernels(server) == 0  # refused before any kernel starts
    statuses = []
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"localhost:{port}"):
        statuses.append(get(url, host=host))
        assert kernels(server) <= 2
    assert statuses == [200, 200, 200]  # the third page replaced the oldest unused kernel
    # Nobody opened those pages in a browser: after 30 s idle they are culled.
    deadline = time.monotonic() + 120
    while kernels(server) and time.monotonic() < deadline:
        time.sleep(2)
    assert kernels(server) == 0


def test_loopback_serves_with_a_host_list_and_any_other_address_needs_a_token(tmp_path):
    nb = tmp_path / "x.ipynb"
    local = voila_command(nb, 9801, open_browser=False)
    assert token_of(local) is None and f"--Voila.config_file_paths={tmp_path}" in local
    settings = voila_config("127.0.0.1")["Voila"]["tornado_settings"]
    assert settings == {"allow_remote_access": False, "local_hostnames": ["127.0.0.1", "localhost"]}
    assert "--CappedKernelManager.max_kernels=3" in local
    assert "--MappingKernelManager.cull_idle_timeout=600" in local
    room = voila_command(nb, 9801, open_browser=False, ip="0.0.0.0", max_kernels=40)
    token = token_of(room)
    assert token and len(token) >= 24 and token != token_of(voila_command(nb, 9801, False, ip="0.0.0.0"))
    assert voila_config("0.0.0.0") == {} and "--CappedKernelManager.max_kernels=40" in room


def test_sigterm_to_salestrain_app_alone_stops_voila_and_frees_the_port(projector):
    """A supervisor stops `salestrain app` with SIGTERM to that one process (not its group):
    Voila, its kernels and the port must go with it."""
    url, server = projector
    assert get(url) == 200  # a page, so a kernel runs too
    children = server.children(recursive=True)
    assert any("voila" in " ".join(p.cmdline()) for p in children)
    port = int(url.rsplit(":", 1)[1].strip("/"))
    os.kill(server.pid, signal.SIGTERM)  # the process only, as `kill PID` does
    assert server.wait(timeout=30) is not None or not server.is_running()
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, [p.cmdline() for p in alive]
    with pytest.raises(ConnectionRefusedError):  # nothing listens on the port any more
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_the_address_is_the_first_thing_the_trainer_reads(projector, tmp_path):
    url, _ = projector
    lines = (tmp_path / "server.log").read_text().splitlines()
    # our three lines come before any line of Voila's own log
    assert "Start here" in lines[0] or "start-here" in lines[0], lines[:4]
    assert lines[1].endswith(url), lines[:4]
    assert "Ctrl-C" in lines[2], lines[:4]
    # Open a page (a kernel starts), then read the log: none of the start-up noise that
    # buried the address is left (issue 20), while Voila's own lines still come through.
    assert get(url, host=f"127.0.0.1:{url.rsplit(':', 1)[1].strip('/')}") == 200
    text = (tmp_path / "server.log").read_text()
    assert "Kernel started" in text
    for noise in ("is not trusted", "without encryption", "websocket_ping_timeout"):
        assert noise not in text, noise
