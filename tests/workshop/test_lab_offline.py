"""`salestrain lab` in a room without internet: JupyterLab asks about no news and checks
for no update (a real JupyterLab server, no browser)."""

from __future__ import annotations

import json
import re
import sys
import urllib.request

import pytest

from salestrain.cli.projector import free_port
from tests.browser.conftest import ROOT, serve


@pytest.mark.slow
def test_jupyterlab_is_served_with_news_and_update_checks_off(tmp_path):
    port = free_port(9700) or pytest.skip("no free port in 9700-9799")
    base = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "salestrain", "lab", "--no-browser", "--port", str(port),
            "--IdentityProvider.token=", "--ServerApp.ip=127.0.0.1"]
    with serve(args, f"{base}/lab", ROOT, tmp_path / "lab.log"):
        with urllib.request.urlopen(f"{base}/lab", timeout=10) as response:
            page = response.read().decode("utf-8")
        found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                          page, re.S)
        assert json.loads(found.group(1))["news"] == {"disabled": True}
        with urllib.request.urlopen(f"{base}/lab/api/news", timeout=10) as response:
            assert json.loads(response.read())["news"] == []  # nothing fetched from outside
