"""`salestrain lab` in a room without internet: JupyterLab asks about no news and checks
for no update (a real JupyterLab server, no browser)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from salestrain.cli.projector import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_jupyterlab_is_served_with_news_and_update_checks_off(tmp_path):
    port = free_port(9700) or pytest.skip("no free port in 9700-9799")
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}
    with (tmp_path / "lab.log").open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "salestrain", "lab", "--no-browser", "--port", str(port),
             "--IdentityProvider.token=", "--ServerApp.ip=127.0.0.1"],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True)
    try:
        deadline, page = time.monotonic() + 120, ""
        while not page:
            assert proc.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "JupyterLab did not start"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab", timeout=5) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                          page, re.S)
        config = json.loads(found.group(1))
        assert config["news"] == {"disabled": True}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab/api/news", timeout=10) as response:
            assert json.loads(response.read())["news"] == []  # nothing fetched from outside
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
