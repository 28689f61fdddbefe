"""The classroom service: the one writer of the room's store, run by the hub as the trainer.

Learners' pages call it with their own hub token (the hub vouches for who they are, so
nobody can submit, offer or vote in another learner's name); the trainer's command line
and projector pages use the trainer's key from the hub's private folder. Every change is
committed to the store before the answer goes back.

Learner API (``/services/classroom/api/...`` through the proxy, or directly on loopback):
``GET me``, ``POST submissions``, ``GET table``, ``POST table/moves``,
``GET table/moves?after=N&wait=S`` (long poll), ``GET poll``, ``POST poll/votes``.
Trainer API: ``POST releases``, ``POST rounds``, ``POST polls``, ``POST polls/close``,
``GET status``, ``GET debrief``, ``GET report``; pages ``debrief``, ``report``, ``poll``
for the projector, refreshing themselves.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from typing import Any

from tornado import web
from tornado.ioloop import IOLoop

from salestrain.base.i18n import t
from salestrain.hub import classroom as room
from salestrain.hub.settings import HubSettings

log = logging.getLogger("salestrain.classroom")
MAX_BODY = 1_000_000  # an answer sheet; a 10 MB body is refused before it is read
TRAINER_COOKIE = "salestrain-trainer"


class Base(web.RequestHandler):
    @property
    def room(self) -> room.Classroom:
        return self.settings["room"]

    def check_xsrf_cookie(self) -> None:
        # Token-authenticated API (no cookies for learners): XSRF does not apply.
        return None

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data, ensure_ascii=False, default=str))

    def body(self) -> dict[str, Any]:
        if len(self.request.body) > MAX_BODY:
            raise web.HTTPError(413, reason="too large")
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400, reason="not JSON") from None
        if not isinstance(data, dict):
            raise web.HTTPError(400, reason="not an object")
        return data

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason
        exc = kwargs.get("exc_info", (None, None))[1]
        if isinstance(exc, room.RefusedError):
            status_code, reason = 409, str(exc)
            self.set_status(409)
        self.write_json({"error": reason}, status=status_code)

    # -- who is calling --------------------------------------------------------------
    def is_trainer(self) -> bool:
        key = self.room.settings.trainer_token
        given = (self.request.headers.get("Authorization", "").removeprefix("token ").strip()
                 or self.get_argument("key", "") or self.get_cookie(TRAINER_COOKIE, ""))
        return bool(key) and hmac.compare_digest(given.encode(), key.encode())

    def require_trainer(self) -> None:
        if not self.is_trainer():
            raise web.HTTPError(403, reason="trainer only")
        if self.get_argument("key", ""):
            # A projector page opened from the printed link keeps working after a reload.
            self.set_cookie(TRAINER_COOKIE, self.get_argument("key"), httponly=True,
                            path=self.settings["prefix"])

    async def learner(self) -> str:
        """The hub user behind the request's token (401 without one the hub vouches for)."""
        token = self.request.headers.get("Authorization", "").removeprefix("token ").strip()
        if not token:
            raise web.HTTPError(401, reason="no token")
        auth = self.settings["hub_auth"]
        model = await auth.user_for_token(token, sync=False)
        if not model or model.get("kind", "user") != "user":
            raise web.HTTPError(403, reason="not a learner")
        if auth.access_scopes and not auth.check_scopes(auth.access_scopes, model):
            raise web.HTTPError(403, reason="no access to the classroom")
        return str(model["name"])


class Me(Base):
    async def get(self) -> None:
        name = await self.learner()
        self.write_json(await self.room.read(self.room.me, name))


class Submissions(Base):
    async def post(self) -> None:
        name = await self.learner()
        data = self.body()
        result = await self.room.write(self.room.submit, name, data)
        self.write_json(result)


class OwnReport(Base):
    """The learner's own mastery report (their learner-mode report page shows it)."""

    async def get(self) -> None:
        name = await self.learner()
        self.write_json({"html": await self.room.read(self.room.learner_report, name)})


class TableInfo(Base):
    async def get(self) -> None:
        name = await self.learner()
        self.write_json(await self.room.read(self.room.my_table, name))


class TableMoves(Base):
    async def get(self) -> None:
        name = await self.learner()
        after = int(self.get_argument("after", "0"))
        wait = min(float(self.get_argument("wait", "0")), 25.0)
        self.write_json(await self.room.wait_moves(name, after, wait))

    async def post(self) -> None:
        name = await self.learner()
        data = self.body()
        self.write_json(await self.room.write(self.room.move, name, data.get("kind"), data.get("offer")))


class Poll(Base):
    async def get(self) -> None:
        name = await self.learner()
        self.write_json(await self.room.read(self.room.poll_for, name))


class Votes(Base):
    async def post(self) -> None:
        name = await self.learner()
        self.write_json(await self.room.write(self.room.vote, name, self.body().get("value")))


class Trainer(Base):
    """Trainer-only endpoints: ``action`` names the :class:`Classroom` method."""

    async def post(self, action: str) -> None:
        self.require_trainer()
        data = self.body()
        handlers = {"releases": self.room.release, "rounds": self.room.pair,
                    "polls": self.room.open_poll, "polls/close": self.room.close_poll}
        if action not in handlers:
            raise web.HTTPError(404)
        self.write_json(await self.room.write(handlers[action], data))

    async def get(self, action: str) -> None:
        self.require_trainer()
        lang = self.get_argument("lang", "") or self.room.settings.default_lang
        if action == "status":
            self.write_json(await self.room.read(self.room.status))
        elif action == "debrief":
            self.write_json(await self.room.read(self.room.debrief_rows, lang))
        elif action == "poll":
            self.write_json(await self.room.read(self.room.poll_results, lang))
        else:
            raise web.HTTPError(404)


class Page(Base):
    """The projector pages: they refresh themselves from the trainer API."""

    async def get(self, page: str) -> None:
        self.require_trainer()
        lang = self.get_argument("lang", "") or self.room.settings.default_lang
        self.set_header("Cache-Control", "no-store")
        if page in ("report", "survey"):
            # The cohort and survey reports are whole pages: they reload themselves.
            make = self.room.report_page if page == "report" else self.room.survey_page
            text = await self.room.read(make, lang)
            self.finish(text.replace("<head>", '<head><meta http-equiv="refresh" content="5">', 1)
                        if "<head>" in text else room.page("hub.report.title", text, lang))
            return
        make = self.room.debrief_page if page == "debrief" else self.room.poll_page
        fragment = await self.room.read(make, lang)
        if self.get_argument("fragment", ""):
            self.finish(fragment)
        else:
            self.finish(await self.room.read(room.page, f"hub.{page}.title", fragment, lang))


def make_app(settings: HubSettings, prefix: str, hub_auth: Any) -> web.Application:
    classroom = room.Classroom(settings)
    api = prefix.rstrip("/") + "/api/"
    return web.Application([
        (api + "me", Me), (api + "submissions", Submissions), (api + "report", OwnReport), (api + "table", TableInfo),
        (api + "table/moves", TableMoves), (api + "poll", Poll), (api + "poll/votes", Votes),
        (api + r"trainer/(releases|rounds|polls|polls/close|status|debrief|poll)", Trainer),
        (prefix.rstrip("/") + r"/(debrief|report|poll|survey)", Page),
    ], room=classroom, hub_auth=hub_auth, prefix=prefix, xsrf_cookies=False)


def main() -> None:
    from jupyterhub.services.auth import HubAuth

    logging.basicConfig(level=logging.INFO, format="[classroom %(levelname)s] %(message)s")
    settings = HubSettings.load(os.environ["SALESTRAIN_HUB_FOLDER"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/classroom/")
    auth = HubAuth(api_token=os.environ.get("JUPYTERHUB_API_TOKEN", ""), cache_max_age=60)
    app = make_app(settings, prefix, auth)
    app.listen(settings.service_port, address=settings.service_ip, max_body_size=MAX_BODY + 1024)
    app.settings["room"].resume()
    log.info(t("hub.service.ready", url=settings.service_url()))
    try:
        IOLoop.current().start()
    except KeyboardInterrupt:
        # The hub stops its services with SIGINT: a normal end, not an error for the log.
        log.info(t("hub.service.stopped"))
    finally:
        app.settings["room"].close()


if __name__ == "__main__":
    main()

