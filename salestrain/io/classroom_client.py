"""A learner's page talking to the classroom service of the hub it runs in.

Inside a hub, the learner's server has ``SALESTRAIN_CLASSROOM`` (the service's address)
and ``JUPYTERHUB_API_TOKEN`` (the learner's own token) in its environment; outside a hub
there is no classroom and :func:`classroom` returns None, so the same pages work in
``salestrain learn`` on a laptop. Errors come back as :class:`ClassroomError` with the
service's sentence (already in the learner's language), never as a traceback.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t

URL_ENV = "SALESTRAIN_CLASSROOM"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"


class ClassroomError(SalestrainError):
    pass


@dataclass(frozen=True)
class Classroom:
    url: str      # e.g. http://127.0.0.1:10101/services/classroom
    token: str    # the learner's hub token, or the trainer's key

    def call(self, method: str, path: str, data: Any = None, timeout: float = 30) -> Any:
        body = None if data is None else json.dumps(data, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(f"{self.url.rstrip('/')}/api/{path}", data=body, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                reason = json.loads(exc.read()).get("error") or exc.reason
            except ValueError:
                reason = exc.reason
            raise ClassroomError(t("core.classroom.refused", reason=reason)) from None
        except (urllib.error.URLError, OSError) as exc:
            raise ClassroomError(t("core.classroom.unreachable", error=getattr(exc, "reason", exc))) from None

    # learner calls
    def me(self) -> dict[str, Any]:
        return self.call("GET", "me")

    def submit(self, exercise: str, answers: dict[str, Any]) -> dict[str, Any]:
        return self.call("POST", "submissions", {"exercise": exercise, "answers": answers})

    def report(self) -> str:
        """The learner's own mastery report (a whole HTML page) from the room's gradebook."""
        return self.call("GET", "report")["html"]

    def table(self) -> dict[str, Any]:
        return self.call("GET", "table")

    def send(self, kind: str, offer: list[int] | None = None) -> dict[str, Any]:
        return self.call("POST", "table/moves", {"kind": kind, "offer": offer})

    def moves(self, after: int = 0, wait: float = 0) -> dict[str, Any]:
        return self.call("GET", f"table/moves?after={after}&wait={wait}", timeout=wait + 30)

    def poll(self) -> dict[str, Any]:
        return self.call("GET", "poll")

    def vote(self, value: Any) -> dict[str, Any]:
        return self.call("POST", "poll/votes", {"value": value})

    # trainer calls
    def trainer(self, method: str, action: str, data: Any = None) -> Any:
        return self.call(method, f"trainer/{action}", data)


def classroom() -> Classroom | None:
    """The classroom of the hub this page runs in, or None outside a hub."""
    url, token = os.environ.get(URL_ENV), os.environ.get(TOKEN_ENV)
    return Classroom(url, token) if url and token else None
