"""The learner's live negotiation table on the class hub (no code on the page).

The classroom service (salestrain/hub/classroom.py) holds the table; this page only shows
what the service sends the learner (their own role, brief and points, never the other
side's) and sends their moves through :mod:`salestrain.io.classroom_client`. A background
thread long-polls the service for the other side's moves and updates the page as they
arrive; it stops when the page's widget closes (or :meth:`LiveTableApp.close`)::

    app = LiveTableApp(client)              # client: a Classroom; None: this hub's, if any
    app.controls["issue_price"].value = 1   # build an offer, one dropdown per issue
    app.actions["send"].click()
    app.result.history[0].offer             # latest first, as option labels

Outside a hub there is no classroom: the page says so in one sentence. A refusal (not
seated yet, an offer after the deadline) shows the service's own sentence in the app's
message line. When the trainer seats the room or starts a round with another scenario,
the app rebuilds its dropdowns in place (see :class:`ServiceApp`).

Not a registered projector app: it belongs to one learner's hub token, so there is
nothing to build without a classroom.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
from IPython.display import display

from salestrain.apps.base import App, Control, walk_widgets
from salestrain.apps.base import action as app_action
from salestrain.base.formats import format_number
from salestrain.base.i18n import set_language, t
from salestrain.io.classroom_client import Classroom, ClassroomError, classroom
from salestrain.plots.style import ALERT_TEXT, GOOD_TEXT


def escape_text(text: str) -> str:
    """Text for an HTML view: our markup stays, the learner's and the service's text is text."""
    return html.escape(text, quote=False)


__all__ = ["FROM_HUB", "HistoryRow", "IssueValues", "LiveTableApp", "ServiceApp", "TableView", "escape_text",
           "live_table_page"]

log = logging.getLogger(__name__)
FROM_HUB: Any = object()  # "no client given": use the hub's classroom from the environment
RETRY_SECONDS = 5.0  # after a failed call, or while waiting to be seated


class ServiceApp(App):
    """An app fed by the classroom service, whose controls follow the service's data.

    The widget is one frame that stays on the page; when the data change what the
    controls are (a table with other issues, a poll with other choices), :meth:`reseat`
    builds the app again inside the same frame, from the same declaration path as any app.
    Every state change, action and recompute holds one lock, because a background thread
    may feed the app while the learner clicks.
    """

    def __init__(self, client: Classroom | None) -> None:
        self.client = client
        self.lock = threading.RLock()
        self.troubled = False  # the message line shows the background thread's problem
        self.frame = w.VBox()
        self.frame.add_class("salestrain-live")
        super().__init__()

    def _build(self) -> None:
        super()._build()
        self.frame.children = [self.widget]
        self.widget = self.frame

    def reseat(self) -> None:
        """Build the controls and views again for new data, in the same frame."""
        with self.lock:
            App.__init__(self)

    def update(self) -> None:
        with self.lock:
            super().update()

    def _run_action(self, handler: str, *args: Any) -> None:
        with self.lock:
            super()._run_action(handler, *args)

    def say(self, exc: Exception) -> None:
        """Show a lost connection in the message line, from the background thread; the
        next good answer clears it (see :attr:`troubled`)."""
        with self.lock:
            self.troubled = True
            self._show_error(exc)  # type: ignore[arg-type]


def points(share: float) -> str:
    """A value the service sends on the 0-1 scale, as the role card's points out of 100."""
    return format_number(100.0 * share, decimals=1)


@dataclass(frozen=True)
class IssueValues:
    label: str
    options: tuple[tuple[str, str], ...]  # (option label, my points as text)


@dataclass(frozen=True)
class HistoryRow:
    seq: int
    at: str  # HH:MM:SS, the room's clock
    who: str  # "You" or the partner's name
    move: str  # offer / accepted / walked away / out of time
    offer: str  # the offer as option labels ("" for a walk)
    value: str  # what the offer is worth to me ("" for a walk)
    points: float | None  # the same, as a number of points


@dataclass(frozen=True)
class TableView:
    """Everything the live table shows; :meth:`LiveTableApp.show` reads only this."""

    mode: str  # "outside" (no hub), "waiting" (not seated yet) or "table"
    note: str  # the sentence shown instead of a table
    seated: str = ""
    scenario: str = ""
    shared: str = ""
    brief: str = ""
    batna: str = ""
    walk_away: str = ""
    values: tuple[IssueValues, ...] = ()
    draft: str = ""
    their_latest: str = ""
    history: tuple[HistoryRow, ...] = ()
    deadline: str = ""
    status: str = ""  # open / agreed / walked / timed-out ("" without a table)
    status_text: str = ""
    can_offer: bool = False
    can_accept: bool = False
    can_walk: bool = False
    confirm_walk: bool = False


def _signature(info: Mapping[str, Any] | None) -> Any:
    """What the dropdowns depend on: the issues and their options."""
    if info is None:
        return None
    return tuple((i["name"], tuple(i["options"])) for i in info["issues"])


def _clock(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at))


class LiveTableApp(ServiceApp):
    """The learner's side of one live table; see the module docstring."""

    TITLE = "live.table.title"

    def __init__(self, client: Classroom | None = FROM_HUB, wait: float = 20.0,
                 listen: bool = True) -> None:
        client = classroom() if client is FROM_HUB else client
        self.wait = wait
        self.info: dict[str, Any] | None = None  # the service's table, without its moves
        self.moves: dict[int, dict[str, Any]] = {}  # by seq
        self.status = ""
        self.note = t("live.table.outside") if client is None else ""
        self.confirm_walk = False
        self._stop = threading.Event()
        self.thread: threading.Thread | None = None
        if client is not None:
            self._load(client)
        super().__init__(client)
        self.frame.observe(self._closed, names="comm")
        if client is not None and listen:
            self.thread = threading.Thread(target=self._listen, name="salestrain-live-table", daemon=True)
            self.thread.start()

    # -- the service's data --------------------------------------------------------------
    def _load(self, client: Classroom) -> None:
        try:
            self._take(client.table())
        except ClassroomError as exc:
            self.info, self.moves, self.status, self.note = None, {}, "", str(exc)

    def _take(self, table: Mapping[str, Any]) -> None:
        info = {k: v for k, v in table.items() if k != "moves"}
        self.info = info
        self.moves = {m["seq"]: dict(m) for m in table.get("moves", [])}
        self.status = str(table.get("status", "open"))
        self.note = ""

    @property
    def last_seq(self) -> int:
        return max(self.moves, default=0)

    def _refresh_from(self, table: Mapping[str, Any]) -> None:
        """Take a fresh table from the service; rebuild the dropdowns if its issues changed."""
        with self.lock:
            before = _signature(self.info)
            old = (self.info or {}).get("round"), (self.info or {}).get("table"), self.last_seq, self.status
            self._take(table)
            if _signature(self.info) != before:
                self.confirm_walk = False
                self.reseat()
            elif old != (self.info["round"], self.info["table"], self.last_seq, self.status) or self.troubled:
                if old[:2] != (self.info["round"], self.info["table"]):
                    self.confirm_walk = False
                self.troubled = False
                self.update()

    def _refused(self, exc: ClassroomError) -> None:
        """The table could not be read. Not seated yet: the service's sentence stands in
        for the table. Seated: the table stays (a lost connection must not wipe the offer
        being built) and the sentence goes to the message line."""
        with self.lock:
            if self.info is not None:
                self._show_error(exc)
            elif self.note != str(exc):
                self.note = str(exc)
                self.update()

    def _merge(self, answer: Mapping[str, Any]) -> bool:
        """Add the moves of a long poll that continue this table; False when they do not
        (another table's moves: the caller reloads the table)."""
        new = sorted(answer.get("moves", []), key=lambda m: m["seq"])
        with self.lock:
            if not new or self.info is None or new[0]["seq"] > self.last_seq + 1 or self.status != "open":
                return not new
            before = (self.last_seq, self.status)
            for m in new:
                self.moves[m["seq"]] = dict(m)
            self.status = str(answer.get("status", self.status))
            if (self.last_seq, self.status) != before or self.troubled:
                self.troubled = False
                self.update()
            return True

    def _listen(self) -> None:
        """The background thread: long polls for moves, and the table when nothing came."""
        client = self.client
        assert client is not None
        while not self._stop.is_set():
            try:
                if self.info is None:
                    try:
                        self._refresh_from(client.table())
                    except ClassroomError as exc:
                        self._refused(exc)
                        self._stop.wait(RETRY_SECONDS)
                    continue
                answer = client.moves(after=self.last_seq, wait=self.wait)
                if self._stop.is_set():
                    break
                if not answer.get("moves") or not self._merge(answer):
                    # Nothing new (or not this table's): the table itself may have changed,
                    # a new round or a closed table.
                    self._refresh_from(client.table())
            except ClassroomError as exc:
                if self._stop.is_set():
                    break
                self.say(exc)
                self._stop.wait(RETRY_SECONDS)
            except Exception:  # a bug must not end the page's updates; the log keeps it
                log.exception("live table: the background poll failed")
                self._stop.wait(RETRY_SECONDS)

    def close(self) -> None:
        """Stop the background thread and close the page's widgets."""
        self._stop.set()
        self.frame.close()

    def _closed(self, change: Mapping[str, Any]) -> None:
        if change["new"] is None:
            self._stop.set()

    # -- the declaration -------------------------------------------------------------------
    def control_specs(self) -> Sequence[Control]:
        if self.client is None:
            return []
        specs: list[Control] = []
        for issue in (self.info or {}).get("issues", []):
            scores = issue["my_scores"]
            best = max(range(len(scores)), key=scores.__getitem__)  # open with what I value most
            specs.append(Control(f"issue_{issue['name']}", "choice", "", best,
                                 options=[(label, k) for k, label in enumerate(issue["options"])]))
        if self.info is not None:
            specs += [Control("send", "action", "live.table.send", None, handler="send_offer",
                              button_style="primary"),
                      Control("accept", "action", "live.table.accept", None, handler="accept_offer",
                              button_style="success"),
                      Control("walk", "action", "live.table.walk", None, handler="walk_away",
                              button_style="danger")]
        specs.append(Control("refresh", "action", "live.table.refresh", None, handler="refresh"))
        return specs

    def _build(self) -> None:
        super()._build()
        inner = self.frame.children[0]
        for issue in (self.info or {}).get("issues", []):
            # Issue labels come from the scenario, in the learner's language: not catalog keys.
            self.controls[f"issue_{issue['name']}"].description = issue["label"]
        if self.controls:
            self.controls_box.children = [w.HTML(f"<b>{escape_text(t('live.table.build'))}</b>"),
                                          *self.controls.values()]
        # The status and who-is-who lines go first: they are what a learner looks for; the
        # offer's worth and the deadline sit with the dropdowns and buttons, beside the brief.
        style, *rest = inner.children
        head = [rest.pop(0)] if self.TITLE else []
        moved = (self.draft, self.deadline)
        inner.children = [style, *head, self.seated, self.status_line,
                          *[x for x in rest if x not in moved]]
        main = next(box for box in walk_widgets(inner) if self.actions_box in getattr(box, "children", ()))
        main.children = [self.controls_box, self.draft, self.actions_box, self.message, self.deadline,
                         *[x for x in main.children if x not in (self.controls_box, self.actions_box,
                                                                 self.message)]]

    def build_views(self) -> list[w.Widget]:
        self.seated = w.HTML()
        self.status_line = w.HTML()
        self.status_line.add_class("salestrain-live-status")
        self.draft = w.HTML()
        self.card = w.HTML(layout=w.Layout(max_width="44em"))
        self.history = w.HTML()
        self.deadline = w.HTML()
        return [self.draft, self.deadline, self.card, self.history]

    def side_views(self) -> list[w.Widget]:
        return [self.card]

    # -- moves -------------------------------------------------------------------------------
    def _offer(self) -> list[int]:
        assert self.info is not None
        return [int(self.controls[f"issue_{i['name']}"].value) for i in self.info["issues"]]

    def _their_latest(self) -> dict[str, Any] | None:
        for m in sorted(self.moves.values(), key=lambda m: -m["seq"]):
            if m["kind"] == "offer":
                return m if self.info is not None and m["role"] != self.info["role"] else None
        return None

    def _sent(self, answer: Mapping[str, Any]) -> None:
        self.moves = {m["seq"]: dict(m) for m in answer.get("moves", [])}
        self.status = str(answer.get("status", self.status))

    @app_action
    def send_offer(self) -> None:
        self.confirm_walk = False
        if self.client is None or self.info is None:
            return
        self._sent(self.client.send("offer", self._offer()))

    @app_action
    def accept_offer(self) -> None:
        self.confirm_walk = False
        if self.client is None or self.info is None:
            return
        latest = self._their_latest()
        # Name the offer accepted: the service refuses if it changed while the learner read it.
        self._sent(self.client.send("accept", None if latest is None else list(latest["offer"])))

    @app_action
    def walk_away(self) -> None:
        if self.client is None or self.info is None:
            return
        if not self.confirm_walk:
            self.confirm_walk = True  # a second click walks: a mis-click must not end the table
            return
        self.confirm_walk = False
        self._sent(self.client.send("walk"))

    @app_action
    def refresh(self) -> None:
        self.confirm_walk = False
        if self.client is None:
            return
        try:
            table = self.client.table()
        except ClassroomError as exc:
            if self.info is not None:
                raise  # the message line says why; the table stays
            self._refused(exc)
            return
        self._refresh_from(table)

    # -- the pure part ---------------------------------------------------------------------------
    def compute(self, **params: Any) -> TableView:
        if self.client is None:
            return TableView("outside", self.note)
        info = self.info
        if info is None:
            return TableView("waiting", self.note or t("live.table.waiting"))
        issues = info["issues"]
        role, partner = info["role"], info["partner"]

        def worth(offer: Sequence[int]) -> float:
            return sum(issue["my_scores"][k] for issue, k in zip(issues, offer, strict=True))

        def deal(offer: Sequence[int]) -> str:
            return t("live.table.joiner").join(
                t("negotiation.multi.pair", issue=issue["label"], option=issue["options"][k])
                for issue, k in zip(issues, offer, strict=True))

        values = tuple(IssueValues(i["label"], tuple((label, points(s)) for label, s in
                                                     zip(i["options"], i["my_scores"], strict=True)))
                       for i in issues)
        offer = [params.get(f"issue_{i['name']}", 0) for i in issues]
        walk = points(float(info["my_reservation"]))
        moves = sorted(self.moves.values(), key=lambda m: m["seq"])
        history = []
        for m in reversed(moves):
            who = t("live.table.you") if m["role"] == role else partner
            if m["kind"] == "timeout":
                who = ""
            shown = m.get("offer")
            history.append(HistoryRow(
                m["seq"], _clock(m["at"]), who, t(f"live.table.move.{m['kind']}"),
                "" if shown is None else deal(shown),
                "" if shown is None else t("live.table.points", points=points(worth(shown))),
                None if shown is None else round(100.0 * worth(shown), 4)))
        status = self.status or "open"
        latest = next((m for m in reversed(moves) if m["kind"] == "offer"), None)
        theirs = latest if latest is not None and latest["role"] != role else None
        if status == "agreed":
            status_text = t("live.table.status.agreed", points=points(worth(moves[-1]["offer"])))
        elif status == "walked":
            last = moves[-1]
            status_text = t("live.table.status.walked",
                            who=t("live.table.you") if last["role"] == role else partner)
        elif status == "timed-out":
            status_text = t("live.table.status.timed_out")
        else:
            status_text = t("live.table.status.open")
        is_open = status == "open"
        offers_made = sum(1 for m in moves if m["kind"] == "offer")
        d = info.get("deadline") or {}
        lines = []
        if d.get("rounds"):
            lines.append(t("live.table.deadline.rounds", count=int(d["rounds"]),
                           left=max(0, int(d["rounds"]) - offers_made)))
        if d.get("minutes"):
            lines.append(t("live.table.deadline.minutes",
                           time=time.strftime("%H:%M", time.localtime(
                               float(d.get("started", 0)) + 60.0 * float(d["minutes"])))))
        spent = bool(d.get("rounds")) and offers_made >= int(d["rounds"])
        return TableView(
            mode="table", note="",
            seated=t("live.table.seated", role=info["role_label"], table=info["table"],
                     round=info["round"], partner=partner),
            scenario=info["scenario"], shared=info["shared"], brief=info["brief"],
            batna=info["batna"], walk_away=t("negotiation.card.walk_away", points=walk), values=values,
            draft=t("live.table.draft", points=points(worth(offer)), walk=walk) if is_open else "",
            their_latest=t("live.table.their_latest", points=points(worth(theirs["offer"])))
            if theirs is not None and is_open else "",
            history=tuple(history),
            deadline=" ".join(lines) if lines else t("live.table.deadline.none"),
            status=status, status_text=status_text,
            can_offer=is_open and not spent, can_accept=is_open and theirs is not None,
            can_walk=is_open, confirm_walk=self.confirm_walk and is_open)

    def show(self, result: TableView) -> None:
        table = result.mode == "table"
        if not table:
            self.seated.value = f"<p style='font-size:1.15em'>{escape_text(result.note)}</p>"
            for view in (self.status_line, self.draft, self.card, self.history, self.deadline):
                view.value = ""
            return
        self.seated.value = (f"<p style='font-size:1.15em'><b>{escape_text(result.scenario)}</b><br>"
                             f"{escape_text(result.seated)}</p>")
        colour = {"agreed": GOOD_TEXT, "open": "#1a1a1a"}.get(result.status, ALERT_TEXT)
        status = escape_text(result.status_text)
        if result.confirm_walk:
            status += f"<br><span style='color:{ALERT_TEXT}'>{escape_text(t('live.table.confirm_walk'))}</span>"
        self.status_line.value = f"<p style='font-size:1.2em;color:{colour}'><b>{status}</b></p>"
        # Both lines carry <b> from the catalog around a number we formatted: no user text.
        self.draft.value = "<br>".join(x for x in (result.their_latest, result.draft) if x)
        self.deadline.value = f"<p>{escape_text(result.deadline)}</p>"
        rows = []
        for issue in result.values:
            for k, (label, pts) in enumerate(issue.options):
                first = (f"<td rowspan='{len(issue.options)}'>{escape_text(issue.label)}</td>"
                         if k == 0 else "")
                rows.append(f"<tr>{first}<td>{escape_text(label)}</td>"
                            f"<td style='text-align:right'>{escape_text(pts)}</td></tr>")
        cell = "padding:2px 10px;border-bottom:1px solid #ccc;text-align:left"
        batna = (f"<p><b>{escape_text(t('negotiation.card.batna'))}</b>: {escape_text(result.batna)}</p>"
                 if result.batna else "")
        self.card.value = (
            f"<h4>{escape_text(t('live.table.card'))}</h4>"
            f"<p><i>{escape_text(t('negotiation.card.keep'))}</i></p>"
            f"<p>{escape_text(result.shared)}</p><p>{escape_text(result.brief)}</p>{batna}"
            f"<p><b>{escape_text(result.walk_away)}</b></p>"
            f"<h4>{escape_text(t('live.table.values'))}</h4>"
            f"<style>.salestrain-live-values td, .salestrain-live-values th {{{cell}}}</style>"
            f"<table class='salestrain-live-values'><tr><th>{escape_text(t('negotiation.card.issue'))}</th>"
            f"<th>{escape_text(t('negotiation.card.option'))}</th>"
            f"<th>{escape_text(t('negotiation.card.points'))}</th></tr>{''.join(rows)}</table>")
        if result.history:
            head = "".join(f"<th>{escape_text(t(f'live.table.col.{c}'))}</th>"
                           for c in ("time", "who", "move", "offer", "value"))
            body = "".join(
                f"<tr><td>{escape_text(r.at)}</td><td>{escape_text(r.who)}</td><td>{escape_text(r.move)}</td>"
                f"<td>{escape_text(r.offer)}</td><td style='text-align:right'>{escape_text(r.value)}</td></tr>"
                for r in result.history)
            moves = f"<table class='salestrain-live-values'><tr>{head}</tr>{body}</table>"
        else:
            moves = f"<p>{escape_text(t('live.table.no_moves'))}</p>"
        self.history.value = f"<h4>{escape_text(t('live.table.history'))}</h4>{moves}"
        for name, allowed in (("send", result.can_offer), ("accept", result.can_accept),
                              ("walk", result.can_walk)):
            if name in self.actions:
                self.actions[name].disabled = not allowed


_SHOWN: list[LiveTableApp] = []  # the app this kernel's page shows (tests drive it in-process)


def live_table_page(lang: str | None = None) -> None:
    """The page's one cell: the live table in ``lang``, or in the language the learner
    chose at login (returns nothing, so the cell shows no repr)."""
    client = classroom()
    if lang is None and client is not None:
        try:
            lang = client.me().get("lang")
        except ClassroomError:
            lang = None  # the page says why in its own message line
    if lang:
        set_language(lang)
    app = LiveTableApp(client)
    _SHOWN[:] = [app]
    display(app)
