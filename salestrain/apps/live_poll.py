"""The learner's live poll on the class hub: the open question, an answer, Send.

The trainer opens a poll (``salestrain hub poll``); this page shows its question in the
learner's language with a number box or one button per choice, sends the answer through
:mod:`salestrain.io.classroom_client` and then shows "Your answer: X" (a learner may change
it while the poll is open). Refresh fetches the poll again, e.g. the trainer's next one::

    app = LivePollApp(client)                 # client: a Classroom; None: this hub's, if any
    app.controls["answer"].value = "1200"     # a number poll ("answer" is an index for choices)
    app.actions["send"].click()
    app.result.mine                           # "1,200"

Outside a hub the page says, in one sentence, that polls work in the trainer's room.
Not a registered projector app, for the same reason as the live table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
from IPython.display import display

from salestrain.apps.base import Control
from salestrain.apps.base import action as app_action
from salestrain.apps.live_table import FROM_HUB, ServiceApp, escape_text
from salestrain.base.errors import SalestrainError
from salestrain.base.formats import format_number
from salestrain.base.i18n import set_language, t
from salestrain.io.classroom_client import Classroom, ClassroomError, classroom

__all__ = ["LivePollApp", "PollView", "live_poll_page"]

# Thousands separators a learner may type (1,200 / 1 200 / Chinese full-width comma).
_SEPARATORS = re.compile(r"[,\s，_']")


@dataclass(frozen=True)
class PollView:
    """What the poll page shows; :meth:`LivePollApp.show` reads only this."""

    mode: str  # "outside" (no hub), "none" (no open poll) or "open"
    note: str  # the sentence shown instead of a question
    question: str = ""
    kind: str = ""  # number / choice
    mine: str = ""  # "Your answer: X", once the learner has answered


def _signature(poll: Mapping[str, Any] | None) -> Any:
    """What the answer control depends on: the poll, its kind and its choices."""
    if not poll or poll.get("poll") is None:
        return None
    return poll["poll"], poll["kind"], tuple(poll.get("options") or ())


def parse_number(text: str) -> int | float:
    """A number as a learner types it: ``1,200``, ``1 200``, ``12.5``; SalestrainError if
    it is none."""
    cleaned = _SEPARATORS.sub("", str(text)).replace("。", ".")
    if not cleaned:
        raise SalestrainError(t("live.poll.empty"))
    try:
        value = float(cleaned)
    except ValueError:
        raise SalestrainError(t("live.poll.not_number", value=str(text).strip())) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise SalestrainError(t("live.poll.not_number", value=str(text).strip()))
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


class LivePollApp(ServiceApp):
    """The learner's side of the room's poll; see the module docstring."""

    TITLE = "live.poll.title"

    def __init__(self, client: Classroom | None = FROM_HUB) -> None:
        client = classroom() if client is FROM_HUB else client
        self.poll: dict[str, Any] | None = None
        self.note = t("live.poll.outside") if client is None else ""
        if client is not None:
            self._load(client)
        super().__init__(client)

    def _load(self, client: Classroom) -> None:
        try:
            self.poll, self.note = dict(client.poll()), ""
        except ClassroomError as exc:
            self.poll, self.note = None, str(exc)

    # -- the declaration -----------------------------------------------------------------
    def control_specs(self) -> Sequence[Control]:
        if self.client is None:
            return []
        specs: list[Control] = []
        poll = self.poll or {}
        if poll.get("poll") is not None:
            mine = poll.get("mine")
            if poll["kind"] == "choice":
                options = [(label, k) for k, label in enumerate(poll.get("options") or [])]
                specs.append(Control("answer", "choice", "", mine if mine in range(len(options)) else 0,
                                     options=options))
            else:
                shown = "" if mine is None else format_number(mine)
                specs.append(Control("answer", "text", "live.poll.number", shown))
            specs.append(Control("send", "action", "live.poll.send", None, handler="send",
                                 button_style="primary"))
        specs.append(Control("refresh", "action", "live.poll.refresh", None, handler="refresh"))
        return specs

    def _build(self) -> None:
        spec = self.specs.get("answer")
        if spec is not None and spec.kind == "choice":
            # Radio buttons with nothing ticked until the learner picks (or picked before):
            # a preselected first choice would be counted as an answer nobody gave.
            mine = (self.poll or {}).get("mine")
            self.controls["answer"] = w.RadioButtons(
                options=spec.labelled_options(), value=mine if mine in spec.values() else None,
                layout=w.Layout(width="auto"))
        super()._build()
        # The question goes above the answer, under the title.
        inner = self.frame.children[0]
        style, *rest = inner.children
        head = [rest.pop(0)] if self.TITLE else []
        inner.children = [style, *head, self.question, *rest]

    def build_views(self) -> list[w.Widget]:
        self.question = w.HTML()
        self.mine = w.HTML()
        return [self.mine]

    def _take(self, poll: Mapping[str, Any]) -> None:
        before = _signature(self.poll)
        self.poll, self.note = dict(poll), ""
        if _signature(self.poll) != before:
            self.reseat()

    # -- actions ---------------------------------------------------------------------------
    @app_action
    def send(self) -> None:
        if self.client is None or _signature(self.poll) is None:
            return
        assert self.poll is not None
        raw = self.controls["answer"].value
        if self.poll["kind"] == "choice":
            if raw is None:
                raise SalestrainError(t("live.poll.pick"))
            value: Any = int(raw)
        else:
            value = parse_number(raw)
        answer = self.client.vote(value)
        if answer.get("poll") != self.poll["poll"]:
            self._take(self.client.poll())  # the trainer had moved on: show the new poll
        else:
            self.poll = {**self.poll, "mine": answer.get("value", value)}

    @app_action
    def refresh(self) -> None:
        if self.client is None:
            return
        self._take(self.client.poll())

    # -- the pure part -----------------------------------------------------------------------
    def compute(self, **params: Any) -> PollView:
        if self.client is None:
            return PollView("outside", self.note)
        poll = self.poll or {}
        if poll.get("poll") is None:
            return PollView("none", self.note or t("live.poll.none"))
        mine = poll.get("mine")
        if mine is None:
            shown = ""
        elif poll["kind"] == "choice":
            options = poll.get("options") or []
            shown = options[mine] if isinstance(mine, int) and 0 <= mine < len(options) else str(mine)
        else:
            shown = format_number(mine)
        return PollView("open", "", str(poll.get("question", "")), str(poll["kind"]),
                        t("live.poll.mine", value=shown) if shown else "")

    def show(self, result: PollView) -> None:
        text = result.question if result.mode == "open" else result.note
        self.question.value = f"<p style='font-size:1.25em'>{escape_text(text)}</p>"
        self.mine.value = f"<p style='font-size:1.15em'><b>{escape_text(result.mine)}</b></p>" if result.mine else ""


_SHOWN: list[LivePollApp] = []  # the app this kernel's page shows (tests drive it in-process)


def live_poll_page(lang: str | None = None) -> None:
    """The page's one cell: the open poll in ``lang``, or in the learner's language."""
    client = classroom()
    if lang is None and client is not None:
        try:
            lang = client.me().get("lang")
        except ClassroomError:
            lang = None
    if lang:
        set_language(lang)
    app = LivePollApp(client)
    _SHOWN[:] = [app]
    display(app)
