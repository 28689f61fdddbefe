"""A learner of a real hub, driven over HTTP as a browser would (tests and benchmarks/hub.py).

Login goes through the class-code form; the learner's own API token is then made through
the hub's REST API with their login cookie, as JupyterHub's token page does. Nothing here
is a stand-in: every call reaches the real hub, proxy, learner server and classroom service.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any


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
