"""The learner's live pages against the real classroom service, in-process.

The service (salestrain.hub.service.make_app) runs on a free loopback port in a tornado
loop on a background thread, with its real store (SQLite in tmp_path). Only the hub's
token check is replaced: :class:`Tokens` vouches for the tokens this test issues, as the
hub vouches for a learner's API token. Each learner's app gets its own
:class:`~salestrain.io.classroom_client.Classroom` client, as each learner's server does.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from salestrain.apps import live_poll, live_table
from salestrain.apps.live_poll import LivePollApp, parse_number
from salestrain.apps.live_table import LiveTableApp
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import get_language, t
from salestrain.hub.service import make_app
from salestrain.hub.settings import HubSettings
from salestrain.io import classroom as store
from salestrain.io.classroom_client import TOKEN_ENV, URL_ENV, Classroom
from salestrain.io.negotiation import load_scenario

PREFIX = "/services/classroom/"


class Tokens:
    """The hub's side of a learner's token: which user a token belongs to."""

    access_scopes: set[str] = set()  # the service checks scopes only when some are required

    def __init__(self) -> None:
        self.users: dict[str, dict[str, Any]] = {}

    def issue(self, username: str) -> str:
        token = secrets.token_hex(16)
        self.users[token] = {"kind": "user", "name": username}
        return token

    async def user_for_token(self, token: str, sync: bool = True) -> dict[str, Any] | None:
        return self.users.get(token)

    def check_scopes(self, required: Any, model: dict[str, Any]) -> bool:
        return True


@dataclass
class Room:
    settings: HubSettings
    url: str
    tokens: Tokens

    def learner(self, username: str, display: str, lang: str = "en") -> Classroom:
        st = store.open_classroom(self.settings.db_url)
        assert store.join(st, username, display, "2468", lang) is not None
        return Classroom(self.url, self.tokens.issue(username))

    def trainer(self, action: str, data: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            f"{self.url}/api/trainer/{action}", data=json.dumps(data).encode(), method="POST",
            headers={"Authorization": f"token {self.settings.trainer_token}",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def trainer_get(self, action: str) -> Any:
        request = urllib.request.Request(
            f"{self.url}/api/trainer/{action}",
            headers={"Authorization": f"token {self.settings.trainer_token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())


@pytest.fixture
def room(tmp_path) -> Iterator[Room]:
    settings = HubSettings(folder=str(tmp_path / "hub"), project=str(tmp_path / "project"),
                           class_code="code", db_url=f"sqlite:///{tmp_path / 'classroom.sqlite'}",
                           trainer_token=secrets.token_hex(16))
    tokens = Tokens()
    sockets = bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    started = threading.Event()
    state: dict[str, Any] = {}

    def serve() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        app = make_app(settings, PREFIX, tokens)
        server = HTTPServer(app)
        server.add_sockets(sockets)
        state.update(loop=IOLoop.current(), server=server, app=app)
        started.set()
        state["loop"].start()
        server.stop()
        app.settings["room"].close()

    thread = threading.Thread(target=serve, name="classroom-service", daemon=True)
    thread.start()
    assert started.wait(30)
    try:
        yield Room(settings, f"http://127.0.0.1:{port}{PREFIX.rstrip('/')}", tokens)
    finally:
        state["loop"].add_callback(state["loop"].stop)
        thread.join(30)


def wait_until(check: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the page did not change in time")
        time.sleep(0.05)


def _best(issue: dict[str, Any]) -> int:
    scores = issue["my_scores"]
    return max(range(len(scores)), key=scores.__getitem__)


def test_two_learners_negotiate_live_and_both_pages_show_the_deal(room):
    seller_client = room.learner("ann", "Ann")
    buyer_client = room.learner("bo", "Bo")
    seated = room.trainer("rounds", {"pairs": [["ann", "bo"]], "seed": 1})
    assert seated["tables"] == [{"table": "T1", "seller": "Ann", "buyer": "Bo"}]

    seller, buyer = LiveTableApp(seller_client, wait=2), LiveTableApp(buyer_client, wait=2)
    try:
        scenario = load_scenario("price-sensitive-buyer")
        # Each page shows its own side: role, partner, own brief and own points only.
        assert seller.result.mode == buyer.result.mode == "table"
        assert "Bo" in seller.result.seated and "Ann" in buyer.result.seated
        assert seller.result.brief == scenario.briefs["seller"]
        assert buyer.result.brief == scenario.briefs["buyer"]
        assert scenario.briefs["buyer"] not in seller.card.value
        issues = seller.info["issues"]
        assert [v.label for v in seller.result.values] == [i["label"] for i in issues]
        assert set(seller.controls) == {f"issue_{i['name']}" for i in issues}
        assert seller.result.history == () and t("live.table.no_moves") in seller.history.value
        assert not buyer.result.can_accept and buyer.actions["accept"].disabled

        # The seller builds an offer from the dropdowns and sends it.
        offer = [_best(i) for i in issues]
        offer[0] = len(issues[0]["options"]) - 1  # give the most on the first issue
        seller.set(**{f"issue_{i['name']}": k for i, k in zip(issues, offer, strict=True)})
        seller.actions["send"].click()
        assert seller.error is None, seller.error
        assert seller.result.history[0].who == t("live.table.you")

        # The buyer's page hears of it through its long poll, with no click.
        wait_until(lambda: len(buyer.result.history) == 1)
        row = buyer.result.history[0]
        labels = [i["options"][k] for i, k in zip(buyer.info["issues"], offer, strict=True)]
        assert row.who == "Ann" and row.move == t("live.table.move.offer")
        assert all(label in row.offer for label in labels)
        # Its value is the buyer's own: the sum of the buyer's points for those options.
        mine = sum(i["my_scores"][k] for i, k in zip(buyer.info["issues"], offer, strict=True))
        assert row.points == pytest.approx(100 * mine, abs=1e-3)
        assert buyer.result.can_accept and not buyer.actions["accept"].disabled
        assert "Ann" in buyer.history.value

        buyer.actions["accept"].click()
        assert buyer.error is None, buyer.error
        assert buyer.result.status == "agreed"
        wait_until(lambda: seller.result.status == "agreed")
        for app in (seller, buyer):
            assert app.result.status_text.startswith("Agreed")
            assert "Agreed" in app.status_line.value
            assert app.actions["send"].disabled and app.actions["walk"].disabled
            assert [r.move for r in app.result.history] == [t("live.table.move.accept"),
                                                            t("live.table.move.offer")]
        # The service recorded the same deal the pages show.
        debrief = room.trainer_get("debrief")["tables"]
        assert [(d["table"], d["status"]) for d in debrief] == [("T1", "agreed")]

        # A move on a closed table: the service's own sentence, no traceback.
        seller.actions["send"].click()  # disabled on screen; a click from code still reaches it
        assert seller.error and "Traceback" not in seller.message.value
        assert seller.result.status == "agreed"
    finally:
        seller.close()
        buyer.close()


def test_walking_away_needs_a_second_click_and_a_closed_widget_stops_the_thread(room):
    a, b = room.learner("cy", "Cy"), room.learner("di", "Di")
    room.trainer("rounds", {"pairs": [["cy", "di"]], "seed": 2})
    app, other = LiveTableApp(a, wait=1), LiveTableApp(b, wait=1)
    try:
        app.actions["walk"].click()
        assert app.result.confirm_walk and app.result.status == "open"
        assert t("live.table.confirm_walk") in app.status_line.value
        app.actions["walk"].click()
        assert app.result.status == "walked"
        wait_until(lambda: other.result.status == "walked")
        assert "Cy" in other.result.status_text
    finally:
        app.close()
        other.close()
    app.thread.join(10)
    assert not app.thread.is_alive()


def test_a_page_opened_before_pairing_waits_then_picks_up_its_table(room):
    client = room.learner("ed", "Ed")
    room.learner("fay", "Fay")
    app = LiveTableApp(client, wait=1)
    try:
        assert app.result.mode == "waiting"
        assert t("hub.table.none") in app.seated.value  # the service's sentence
        assert "send" not in app.actions and not app.controls
        room.trainer("rounds", {"pairs": [["fay", "ed"]], "seed": 3})
        wait_until(lambda: getattr(app.result, "mode", None) == "table", timeout=30)  # None while it rebuilds
        assert app.info["role"] == "buyer" and "Fay" in app.result.seated
        assert set(app.controls) == {f"issue_{i['name']}" for i in app.info["issues"]}
        assert app.widget is app.frame and app.frame.children[0] is not None
    finally:
        app.close()


def test_outside_a_hub_the_pages_say_where_they_work(monkeypatch):
    monkeypatch.delenv(URL_ENV, raising=False)
    table = LiveTableApp()
    assert table.client is None and table.result.mode == "outside"
    assert table.result.note == t("live.table.outside")
    assert t("live.table.outside") in table.seated.value
    assert not table.controls and not table.actions and table.thread is None
    poll = LivePollApp()
    assert poll.result.mode == "outside" and t("live.poll.outside") in poll.question.value
    assert not poll.controls


def test_outside_message_in_chinese(monkeypatch, zh):
    monkeypatch.delenv(URL_ENV, raising=False)
    assert "培训" in LiveTableApp().result.note


def test_poll_shows_the_question_takes_an_answer_and_the_service_counts_it(room):
    client = room.learner("gus", "Gus")
    app = LivePollApp(client)
    assert app.result.mode == "none" and t("live.poll.none") in app.question.value
    assert "send" not in app.actions

    room.trainer("polls", {"question": {"en": "What discount would you give?", "zh_CN": "你会给多少折扣？"},
                           "kind": "number"})
    app.actions["refresh"].click()
    assert app.result.mode == "open" and "What discount" in app.question.value
    app.controls["answer"].value = "seven"
    app.actions["send"].click()
    assert app.error == t("live.poll.not_number", value="seven") and app.result.mine == ""
    app.controls["answer"].value = "1,200"
    app.actions["send"].click()
    assert app.error is None
    assert app.result.mine == t("live.poll.mine", value="1,200") and "1,200" in app.mine.value
    assert room.trainer_get("poll")["votes"] == [1200]

    # A choice poll: radio buttons, nothing ticked; Send without a pick is refused here.
    room.trainer("polls", {"question": {"en": "Who should open?"}, "kind": "choice",
                           "options": {"en": ["Seller", "Buyer"]}})
    app.actions["refresh"].click()
    assert app.result.kind == "choice" and app.controls["answer"].value is None
    app.actions["send"].click()
    assert app.error == t("live.poll.pick")
    app.controls["answer"].value = 1
    app.actions["send"].click()
    assert app.result.mine == t("live.poll.mine", value="Buyer")
    assert room.trainer_get("poll")["votes"] == [1]

    # Closed: the service refuses in its own words.
    room.trainer("polls/close", {})
    app.actions["send"].click()
    assert t("hub.poll.closed") in app.error


def test_parse_number_reads_what_people_type():
    assert parse_number(" 1,200 ") == 1200 and parse_number("12.5") == 12.5
    assert parse_number("1 000 000") == 1_000_000 and parse_number("3，000") == 3000
    for bad in ("", "abc", "nan", "1e999"):
        with pytest.raises(SalestrainError):
            parse_number(bad)


# -- the app pattern (tests/test_app_pattern.py), on pages fed by a real room ----------------
def _check_pattern(shown, other) -> None:
    from tests.test_app_pattern import app_state, fingerprint, inputs_of, views_of

    for app in (shown, other):
        declared = [c.name for c in app.control_specs()]
        assert len(declared) == len(set(declared)) and set(declared) == set(app.controls) | set(app.actions)
        assert not [x for x in inputs_of(app) if x not in app.controls.values()]
        for spec in app.specs.values():
            if spec.handler:
                assert getattr(getattr(type(app), spec.handler), "is_action", False)
    before = app_state(shown)
    first, second = shown.compute(**shown.params()), shown.compute(**shown.params())
    assert fingerprint(first) == fingerprint(second) == fingerprint(shown.result)
    assert app_state(shown) == before, "compute() changed the app's state or views"
    assert views_of(other) != views_of(shown)
    other.show(shown.result)
    assert views_of(other) == views_of(shown)


def test_the_live_pages_keep_the_app_pattern(room):
    ann, bo = room.learner("ann", "Ann"), room.learner("bo", "Bo")
    room.trainer("rounds", {"pairs": [["ann", "bo"]], "seed": 1})
    ann.send("offer", [0, 0, 0, 0])
    seller, buyer = LiveTableApp(ann, listen=False), LiveTableApp(bo, listen=False)
    _check_pattern(seller, buyer)

    room.trainer("polls", {"question": {"en": "Your forecast?"}, "kind": "number"})
    bo.vote(42)
    _check_pattern(LivePollApp(bo), LivePollApp(ann))


def test_the_pages_cells_open_in_the_learners_language(room, monkeypatch):
    client = room.learner("hua", "华", lang="zh_CN")
    room.learner("li", "李")
    room.trainer("rounds", {"pairs": [["li", "hua"]], "seed": 4})
    monkeypatch.setenv(URL_ENV, room.url)
    monkeypatch.setenv(TOKEN_ENV, client.token)
    pages = Path(live_table.__file__).parents[1] / "data" / "hub" / "pages"
    for name, module in (("live_table", live_table), ("live_poll", live_poll)):
        cells = json.loads((pages / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        assert len(cells) == 1 and cells[0]["cell_type"] == "code"
        exec(cells[0]["source"], {})  # what Voila runs (its source hidden)
        app = module._SHOWN[0]
        try:
            assert get_language() == "zh_CN" and app.client == client
        finally:
            if name == "live_table":
                app.close()
    table = live_table._SHOWN[0]
    assert table.result.mode == "table" and "你是" in table.result.seated
    assert "价格" in table.card.value  # the scenario's own Chinese, from the service
    assert live_poll._SHOWN[0].result.note == t("live.poll.none", lang="zh_CN")


def test_a_classroom_out_of_reach_is_one_sentence_not_a_traceback():
    sock = bind_sockets(0, "127.0.0.1")[0]  # a port nobody answers on once closed
    port = sock.getsockname()[1]
    sock.close()
    nowhere = Classroom(f"http://127.0.0.1:{port}{PREFIX.rstrip('/')}", "no-token")
    table, poll = LiveTableApp(nowhere, listen=False), LivePollApp(nowhere)
    assert table.result.mode == "waiting" and "cannot be reached" in table.result.note
    assert poll.result.mode == "none" and "cannot be reached" in poll.result.note
    poll.actions["refresh"].click()
    assert "cannot be reached" in poll.error and "Traceback" not in poll.message.value
