"""A learner of a real hub, driven over HTTP as a browser would (tests and benchmarks/hub.py).

Login goes through the class-code form; the learner's own API token is then made through
the hub's REST API with their login cookie, as JupyterHub's token page does. Nothing here
is a stand-in: every call reaches the real hub, proxy, learner server and classroom service.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def missing() -> str | None:
    """Why a real hub cannot run here, or None."""
    from salestrain.hub.jupyterhub_setup import proxy_command

    if not sys.platform.startswith("linux"):
        return "the hub isolates learners with bubblewrap, which needs Linux"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (apt-get install bubblewrap)"
    if proxy_command() is None:
        return "configurable-http-proxy is not installed (./workshop test installs it with npm)"
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (pip install -e '.[hub]')"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(folder: Path, env: dict[str, str], *args: str) -> str:
    """``salestrain ARGS --folder FOLDER`` as the trainer types it; its output, or an error."""
    done = subprocess.run([sys.executable, "-m", "salestrain", *args, "--folder", str(folder)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    if done.returncode:
        raise RuntimeError(f"salestrain {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def wait_up(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/hub/api", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the hub at {base} did not answer in {timeout} s")


@dataclass
class Learner:
    base: str            # the hub's public URL, e.g. http://127.0.0.1:8000
    name: str            # as typed on the login page
    pin: str = "2468"
    lang: str = "en"
    username: str = ""
    token: str = ""
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _xsrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "_xsrf"), "")

    def open(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None,
             method: str | None = None, timeout: float = 120) -> tuple[int, str, str]:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return answer.status, answer.geturl(), answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode("utf-8", "replace")

    def login(self, code: str) -> tuple[int, str, str]:
        """Post the login form; the hub then spawns the server and redirects to the landing page."""
        status, _, page = self.open(f"/hub/login?lang={self.lang}")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page)
        form = {"_xsrf": xsrf.group(1) if xsrf else self._xsrf(), "username": self.name,
                "password": code, "pin": self.pin, "lang": self.lang}
        return self.open("/hub/login", urllib.parse.urlencode(form).encode())

    def whoami(self) -> dict[str, Any]:
        status, _, body = self.open("/hub/api/user", headers={"X-XSRFToken": self._xsrf()})
        assert status == 200, body[:300]
        return json.loads(body)

    def make_token(self) -> str:
        model = self.whoami()
        self.username = model["name"]
        body = json.dumps({"note": "test", "expires_in": 3600}).encode()
        status, _, text = self.open(f"/hub/api/users/{self.username}/tokens", body,
                                    {"X-XSRFToken": self._xsrf(), "Content-Type": "application/json"})
        assert status in (200, 201), text[:300]
        self.token = json.loads(text)["token"]
        return self.token

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _, body = self.open(f"/hub/api/users/{self.username}",
                                        headers={"Authorization": f"token {self.token}"})
            if status == 200 and json.loads(body).get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(1)
        raise TimeoutError(f"{self.name}'s server was not ready in {timeout} s")

    def classroom(self, method: str, path: str, data: Any = None, timeout: float = 60) -> tuple[int, Any]:
        body = None if data is None else json.dumps(data).encode()
        status, _, text = self.open(f"/services/classroom/api/{path}", body,
                                    {"Authorization": f"token {self.token}", "Content-Type": "application/json"},
                                    method=method, timeout=timeout)
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text
