"""Live role plays: learners negotiate each other at tables on the hub.

The pure core of a live session; the hub stores the moves and calls these functions.

- :func:`pair_room` seats a room: the trainer's fixed pairs first, the others drawn at
  random (seeded); the odd one out plays the scripted counterpart (:data:`SCRIPTED`).
- :class:`TableState` is one table: an immutable record of its moves. :meth:`TableState.apply`
  checks a move and returns a new state with it appended, so the state is always the
  replay of a valid move list (:meth:`TableState.replay` rebuilds it from storage).
- :func:`scripted_move` answers for the scripted side with the course's tactics.
- :func:`live_debrief` ranks the tables with :func:`~salestrain.core.negotiation.debrief.class_debrief`,
  the same numbers as ``salestrain negotiation debrief`` on a class sheet.

People talk freely at a table, so offers need not alternate: either side may improve its
own offer before the other answers. An accept always takes the other side's latest
offer, and only while that offer is the latest one on the table (an offer cannot be
accepted by the side that made it, nor after its maker replaced it).

Deadlines. ``Deadline.rounds`` caps the offers made by both sides together and
``Deadline.minutes`` the time since ``Deadline.started`` (times are seconds, e.g.
``time.time()``, the clock of :attr:`LiveMove.at`). Once the offers are used up, no
side may offer again, but the last offer can still be answered: accepted, or refused by
walking away (as at a real table: "this is my final offer"). Once the time is up, no
move is accepted at all and :meth:`TableState.close_if_late` records the timeout.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError
from salestrain.base.i18n import t
from salestrain.core.negotiation.conventions import classroom_time
from salestrain.core.negotiation.debrief import _option, class_debrief  # _option: see _cell
from salestrain.core.negotiation.domain import BUYER, ROLES, SELLER, Domain
from salestrain.core.negotiation.protocol import side_views
from salestrain.core.negotiation.tactics import Tactic, standard_tactics

SCRIPTED: Final = "scripted"  # the learner id of the scripted counterpart
KINDS: Final = ("offer", "accept", "walk")  # what a side may do; "timeout" is the table's
STATUSES: Final = ("open", "agreed", "walked", "timed-out")
_ENDS: Final = {"accept": "agreed", "walk": "walked", "timeout": "timed-out"}
# Without any deadline the scripted side paces itself as if the table had this many
# offers (the protocol's default game length), so it still concedes in the end.
SCRIPTED_PACE: Final = 20
_DEBRIEF_FIXED: Final = ("table", "seller", "buyer", "status", "u_seller", "u_buyer", "joint",
                         "value_traded", "nash_product", "rank", "discount", "pareto_distance",
                         "offers", "first_offer_by", "first_offer_u_seller", "first_offer_u_buyer")


class LiveError(DataError):
    """A live move, pairing or deadline that cannot be accepted; the message says why."""


class DeadlineError(LiveError):
    """A move refused because the deadline has passed: no offers left, or the time is up.

    When the time is up the caller closes the table with :meth:`TableState.close_if_late`."""


def _role_label(role: str) -> str:
    return t("negotiation.role.seller") if role == "seller" else t("negotiation.role.buyer")


def _status_label(status: str) -> str:
    return t(f"negotiation.live.status.{status.replace('-', '_')}")


# -- pairing ------------------------------------------------------------------------
@dataclass(frozen=True)
class Pairing:
    """One table: its name and the learner ids of the seller and the buyer (one may be
    :data:`SCRIPTED`)."""

    table: str
    seller: str
    buyer: str

    def learner(self, role: str) -> str:
        return self.seller if role == "seller" else self.buyer


def pair_room(learners: Sequence[str], seed: int,
              fixed: Sequence[tuple[str, str]] = ()) -> list[Pairing]:
    """Seat a room at tables ``T1``, ``T2``, ...: the trainer's ``fixed`` pairs first, in
    their order (the first name sells), then everyone else in random pairs with random
    roles; an odd one out plays against :data:`SCRIPTED` at the last table.

    The draw depends only on ``seed`` and on who is in the room, not on the order the
    room is listed in (the hub's roster order may change between two calls).
    Raises LiveError naming the learner when someone is listed twice, a fixed pair names
    someone who is not in the room or the same learner twice, or a learner is called
    :data:`SCRIPTED`.
    """
    room: set[str] = set()
    for who in learners:
        if who == SCRIPTED:
            raise LiveError(t("negotiation.live.reserved", learner=who))
        if who in room:
            raise LiveError(t("negotiation.live.twice", learner=who))
        room.add(who)
    seated: set[str] = set()
    pairs: list[tuple[str, str]] = []
    for seller, buyer in fixed:
        if seller == buyer:
            raise LiveError(t("negotiation.live.self_pair", seller=seller, buyer=buyer, learner=seller))
        for who in (seller, buyer):
            if who not in room:
                raise LiveError(t("negotiation.live.not_in_room", seller=seller, buyer=buyer,
                                  learner=who))
            if who in seated:
                raise LiveError(t("negotiation.live.fixed_twice", learner=who))
            seated.add(who)
        pairs.append((seller, buyer))
    rng = random.Random(seed)
    rest = sorted(room - seated)
    rng.shuffle(rest)
    if len(rest) % 2:
        rest.append(SCRIPTED)
    for a, b in zip(rest[::2], rest[1::2], strict=True):
        pairs.append((a, b) if rng.random() < 0.5 else (b, a))
    return [Pairing(f"T{n}", seller, buyer) for n, (seller, buyer) in enumerate(pairs, 1)]


# -- moves and deadlines ----------------------------------------------------------------
@dataclass(frozen=True)
class LiveMove:
    """One move at a table. ``offer`` is the deal offered, or for an accept the deal
    accepted (the other side's latest offer); None for a walk or a timeout.
    ``role`` of a timeout is the side the table was waiting for (see close_if_late)."""

    seq: int
    role: str
    kind: str
    offer: tuple[int, ...] | None
    at: float


@dataclass(frozen=True)
class Deadline:
    """When a table stops: after ``rounds`` offers by both sides together, or ``minutes``
    after ``started`` (seconds, the clock of the moves), whichever comes first; None: no
    such limit."""

    rounds: int | None = None
    minutes: float | None = None
    started: float = 0.0

    def __post_init__(self) -> None:
        if self.rounds is not None and (isinstance(self.rounds, bool)
                                        or not isinstance(self.rounds, int) or self.rounds < 1):
            raise LiveError(t("negotiation.live.bad_rounds", value=self.rounds))
        if self.minutes is not None and (isinstance(self.minutes, bool)
                                         or not isinstance(self.minutes, int | float)
                                         or not math.isfinite(self.minutes) or self.minutes <= 0):
            raise LiveError(t("negotiation.live.bad_minutes", value=self.minutes))

    def offers_spent(self, offers_made: int) -> bool:
        return self.rounds is not None and offers_made >= self.rounds

    def time_up(self, now: float) -> bool:
        return self.minutes is not None and now - self.started >= self.minutes * 60.0

    def passed(self, offers_made: int, now: float) -> bool:
        """No more offers: the offers are used up or the time is up."""
        return self.offers_spent(offers_made) or self.time_up(now)

    def progress(self, offers_made: int, now: float) -> float | None:
        """How far the table is towards its deadline, 0 to 1 (the later of the two
        limits); None without any limit.

        By offers it is the protocol's classroom clock with one offer per step,
        ``offers_made / (rounds - 1)``: the last offer allowed is made at 1, where a
        time-dependent tactic reaches its reservation value."""
        parts = []
        if self.rounds is not None:
            parts.append(min(1.0, classroom_time(offers_made, self.rounds)))
        if self.minutes is not None:
            parts.append(min(1.0, max(0.0, (now - self.started) / (self.minutes * 60.0))))
        return max(parts) if parts else None


# -- one table --------------------------------------------------------------------------
@dataclass(frozen=True)
class TableState:
    """One table's negotiation so far: its pairing, the number of options of each issue,
    its deadline and its moves. Immutable: :meth:`apply` returns a new state."""

    pairing: Pairing
    options: tuple[int, ...]
    deadline: Deadline
    moves: tuple[LiveMove, ...] = ()

    @property
    def table(self) -> str:
        return self.pairing.table

    @property
    def offers(self) -> int:
        """Offers made so far, by both sides."""
        return sum(1 for m in self.moves if m.kind == "offer")

    @property
    def status(self) -> str:
        """``"open"``, ``"agreed"``, ``"walked"`` or ``"timed-out"``."""
        return _ENDS.get(self.moves[-1].kind, "open") if self.moves else "open"

    @property
    def agreement(self) -> tuple[int, ...] | None:
        """The accepted offer, or None when the table has not agreed."""
        return self.moves[-1].offer if self.status == "agreed" else None

    def last_offer(self, role: str | None = None) -> LiveMove | None:
        """The latest offer on the table, or the latest one made by ``role``."""
        for move in reversed(self.moves):
            if move.kind == "offer" and (role is None or move.role == role):
                return move
        return None

    def waiting_for(self) -> str | None:
        """The side the latest offer waits on (the other side of its maker); None when
        nobody has offered yet. Either side may still move: this is only whom the table
        looks at, e.g. whom a timeout is recorded against."""
        last = self.last_offer()
        return None if last is None else _other(last.role)

    # -- moves ----------------------------------------------------------------------
    def _refuse(self, key: str, role: str | None = None, error: type[LiveError] = LiveError,
                **values: object) -> LiveError:
        who = {} if role is None else {"role": _role_label(role)}
        return error(t(key, table=self.table, **who, **values))

    def _checked_offer(self, role: str, offer: object) -> tuple[int, ...]:
        count = len(self.options)
        try:
            deal = tuple(offer)  # type: ignore[arg-type]
        except TypeError:
            raise self._refuse("negotiation.live.offer_shape", role, count=count, offer=offer) from None
        if len(deal) != count:
            raise self._refuse("negotiation.live.offer_shape", role, count=count, offer=offer)
        for number, (k, n) in enumerate(zip(deal, self.options, strict=True), 1):
            # bool is an int to Python, but True is no option number a person means.
            if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 0 <= k < n:
                raise self._refuse("negotiation.live.option_range", role, issue=number,
                                   last=n - 1, option=k)
        return tuple(int(k) for k in deal)

    def apply(self, role: str, kind: str, offer: Sequence[int] | None, now: float) -> TableState:
        """A new state with the move appended (``seq`` = number of moves + 1).

        ``kind`` is ``"offer"`` (``offer`` = one option index per issue), ``"accept"``
        (takes the other side's latest offer; when ``offer`` is given it must be that
        offer, so a person never accepts an offer that changed while they read it) or
        ``"walk"``. Raises LiveError saying why a move is refused: the table is closed,
        the role or kind is unknown, the offer has the wrong length or an option out of
        range, there is no offer of the other side to accept or the latest offer is
        one's own; DeadlineError when the offers are used up (for an offer) or the
        time is up (for any move; then call :meth:`close_if_late`).
        """
        if self.status != "open":
            raise self._refuse("negotiation.live.closed", status=_status_label(self.status))
        if role not in ROLES:
            raise self._refuse("negotiation.live.bad_role", value=role)
        if kind not in KINDS:
            raise self._refuse("negotiation.live.bad_kind", role, value=kind)
        if self.deadline.time_up(now):
            raise self._refuse("negotiation.live.time_up", error=DeadlineError,
                               minutes=f"{self.deadline.minutes:g}")
        if kind == "offer":
            deal = self._checked_offer(role, offer)
            if self.deadline.offers_spent(self.offers):
                raise self._refuse("negotiation.live.offers_spent", role, error=DeadlineError,
                                   rounds=self.deadline.rounds)
        elif kind == "accept":
            latest = self.last_offer()
            if latest is None or self.last_offer(_other(role)) is None:
                raise self._refuse("negotiation.live.no_offer", role)
            if latest.role == role:
                raise self._refuse("negotiation.live.own_offer", role)
            deal = latest.offer
            if offer is not None and self._checked_offer(role, offer) != deal:
                raise self._refuse("negotiation.live.changed", role, latest=list(deal),
                                   offer=list(offer))
        else:
            if offer is not None:
                raise self._refuse("negotiation.live.walk_offer", role, offer=offer)
            deal = None
        move = LiveMove(len(self.moves) + 1, role, kind, deal, float(now))
        return replace(self, moves=(*self.moves, move))

    def close_if_late(self, now: float) -> TableState:
        """The table closed with a ``"timeout"`` move when its time is up at ``now``;
        itself when it is already closed or still has time.

        A table whose offers are used up but whose time is not up stays open: the last
        offer can still be accepted or refused (walk away)."""
        if self.status != "open" or not self.deadline.time_up(now):
            return self
        role = self.waiting_for() or "seller"  # nobody offered: the seller was to open
        move = LiveMove(len(self.moves) + 1, role, "timeout", None, float(now))
        return replace(self, moves=(*self.moves, move))

    @classmethod
    def replay(cls, pairing: Pairing, options: Sequence[int], deadline: Deadline,
               moves: Sequence[LiveMove]) -> TableState:
        """Rebuild a table from stored moves, checking every move by the rules of
        :meth:`apply` (a timeout only when the time was up); LiveError names the first
        move that breaks them."""
        state = open_state = cls(pairing, tuple(int(n) for n in options), deadline)
        for expected, move in enumerate(moves, 1):
            try:
                if move.seq != expected:
                    raise LiveError(t("negotiation.live.bad_seq", expected=expected))
                if move.kind == "timeout":
                    closed = state.close_if_late(move.at)
                    if closed is state or closed.moves[-1] != move:
                        raise LiveError(t("negotiation.live.bad_timeout"))
                    state = closed
                else:
                    state = state.apply(move.role, move.kind, move.offer, move.at)
            except LiveError as error:
                raise open_state._refuse("negotiation.live.replay", seq=move.seq,
                                         reason=str(error)) from None
        return state


def _other(role: str) -> str:
    return "buyer" if role == "seller" else "seller"


def open_table(pairing: Pairing, domain: Domain, deadline: Deadline) -> TableState:
    """A table with no moves yet for ``domain``'s issues."""
    return TableState(pairing, tuple(len(issue.options) for issue in domain.issues), deadline)


# -- the scripted counterpart -------------------------------------------------------
def _tactic(name: str) -> Tactic:
    factories = standard_tactics()
    if name not in factories:
        raise LiveError(t("negotiation.live.unknown_tactic", tactic=name,
                          choices=", ".join(factories)))
    return factories[name]()


def scripted_move(domain: Domain, role: str, state: TableState, now: float,
                  tactic: str = "conceder") -> tuple[str, tuple[int, ...] | None]:
    """The scripted side's move at ``now``: ``("offer", deal)``, ``("accept", deal)``
    (the other side's latest offer) or ``("walk", None)``; pass it to
    :meth:`TableState.apply`.

    ``tactic`` names one of :func:`~salestrain.core.negotiation.tactics.standard_tactics`.
    The tactic is rebuilt from the table's moves each time, so the answer depends only on
    the moves and ``now`` (deterministic; nothing is kept between calls): it observes the
    other side's offers in order and makes each of its past offers again at the time it
    made them (a reciprocating tactic keeps its memory). Its clock is
    :meth:`Deadline.progress`, so it reaches its reservation value by the deadline.

    It answers the latest offer when that offer is the other side's, and opens when
    nobody has offered. When the offers are used up it can only accept or walk away;
    once the time is up :meth:`TableState.apply` refuses its move like any other.
    Raises LiveError when the table is closed or its own offer waits for an answer.
    """
    if role not in ROLES:
        raise state._refuse("negotiation.live.bad_role", value=role)
    if state.status != "open":
        raise state._refuse("negotiation.live.closed", status=_status_label(state.status))
    if state.options != tuple(len(i.options) for i in domain.issues):
        raise _mismatch(state, domain)
    latest = state.last_offer()
    if latest is not None and latest.role == role:
        raise state._refuse("negotiation.live.waiting", role)
    side = SELLER if role == "seller" else BUYER
    agent = _tactic(tactic)
    agent.reset(side_views(domain)[side])
    deadline = state.deadline

    def clock(offers_made: int, at: float) -> float:
        t_ = deadline.progress(offers_made, at)
        return classroom_time(offers_made, SCRIPTED_PACE) if t_ is None else min(1.0, t_)

    # Replay: the tactic sees what it saw at the table and repeats its past offers.
    made = 0
    for move in state.moves:
        if move.kind != "offer":
            continue
        if move.role == role:
            agent.propose(clock(made, move.at))
        else:
            agent.observe(domain.index_of(move.offer))
        made += 1
    t_now = 1.0 if deadline.offers_spent(made) else clock(made, now)
    standing = None if latest is None else domain.index_of(latest.offer)
    nxt = agent.propose(t_now)
    if standing is not None and agent.accept(t_now, standing, nxt):
        return "accept", latest.offer
    if nxt is None or deadline.offers_spent(made):
        return "walk", None
    return "offer", tuple(int(k) for k in domain.outcomes[nxt])


# -- debrief ------------------------------------------------------------------------------
def _mismatch(state: TableState, domain: Domain) -> LiveError:
    return state._refuse("negotiation.live.options_mismatch", scenario=domain.name,
                         table_options=list(state.options),
                         options=[len(i.options) for i in domain.issues])


def _cell(domain: Domain, j: int, k: int) -> str:
    """What a class sheet says for option ``k`` of issue ``j``: its label, or its number
    from 1 when the label reads as another option (two labels equal but for case)."""
    label = domain.issues[j].options[k]
    return label if _option(domain.issues, j, label) == k else str(k + 1)


def live_debrief(domain: Domain, tables: Sequence[TableState], rank_by: str = "joint") -> pd.DataFrame:
    """One row per table, agreed tables first by rank, the others after in the given order.

    Columns: ``table``, ``seller``, ``buyer`` (learner ids), ``status``, one column per
    issue (the agreed option's label; empty without a deal), then for agreed tables
    (NaN otherwise: a table without a deal has no utilities):

    - ``u_seller``, ``u_buyer``: each side's utility of the deal;
    - ``joint`` = ``u_seller + u_buyer``;
    - ``value_traded`` = ``(u_seller - r_seller) + (u_buyer - r_buyer)``, the joint gain
      over both reservation values (the utilities of the BATNAs): the value the deal
      created beyond what both sides would have had by walking away (negative when a
      side accepted less than its BATNA);
    - ``nash_product`` (the key of ``rank_by="joint"``), ``discount``, ``pareto_distance``:
      as in :func:`class_debrief`, which computes them;
    - ``rank``: :func:`class_debrief`'s rank among the agreed tables (1 = best,
      ``rank_by`` as there); every other table shares the rank after the last agreed one;

    and for every table ``offers`` (offers made by both sides), ``first_offer_by`` (the
    role that opened; empty when nobody offered) and ``first_offer_u_seller``,
    ``first_offer_u_buyer`` (the opening offer valued by each side: the anchor).
    """
    for state in tables:
        if state.options != tuple(len(i.options) for i in domain.issues):
            raise _mismatch(state, domain)
    names = [i.name for i in domain.issues]
    for name in names:
        if name in _DEBRIEF_FIXED:
            raise LiveError(t("negotiation.live.name_clash", issue=name))
    seen: set[str] = set()
    for state in tables:
        if state.table in seen:
            raise LiveError(t("negotiation.live.table_twice", table=state.table))
        seen.add(state.table)
    agreed = [s for s in tables if s.agreement is not None]
    sheet = pd.DataFrame(
        [[s.table, *(_cell(domain, j, k) for j, k in enumerate(s.agreement))] for s in agreed],
        columns=["table", *names], dtype=object)
    ranked = class_debrief(domain, sheet, source="live", rank_by=rank_by).set_index("table")
    u = domain.utilities
    last_rank = len(agreed) + 1
    records = []
    for order, state in enumerate(tables):
        deal = state.agreement
        first = next((m for m in state.moves if m.kind == "offer"), None)
        fu = (np.nan, np.nan) if first is None else tuple(u[domain.index_of(first.offer)])
        row = {"table": state.table, "seller": state.pairing.seller, "buyer": state.pairing.buyer,
               "status": state.status}
        row |= {n: ("" if deal is None else domain.issues[j].options[deal[j]])
                for j, n in enumerate(names)}
        if deal is None:
            row |= {"u_seller": np.nan, "u_buyer": np.nan, "joint": np.nan, "value_traded": np.nan,
                    "nash_product": np.nan, "rank": last_rank, "discount": np.nan,
                    "pareto_distance": np.nan}
        else:
            got = ranked.loc[state.table]
            us, ub = float(got["u_seller"]), float(got["u_buyer"])
            row |= {"u_seller": us, "u_buyer": ub, "joint": us + ub,
                    "value_traded": float(got["adv_seller"] + got["adv_buyer"]),
                    "nash_product": float(got["nash_product"]), "rank": int(got["rank"]),
                    "discount": float(got["discount"]),
                    "pareto_distance": float(got["pareto_distance"])}
        row |= {"offers": state.offers, "first_offer_by": "" if first is None else first.role,
                "first_offer_u_seller": float(fu[SELLER]), "first_offer_u_buyer": float(fu[BUYER]),
                "_order": order}
        records.append(row)
    columns = ["table", "seller", "buyer", "status", *names, *_DEBRIEF_FIXED[4:]]
    out = pd.DataFrame(records, columns=[*columns, "_order"])
    out = out.sort_values(["rank", "_order"], kind="stable").drop(columns="_order")
    out["rank"] = out["rank"].astype(int)
    out["offers"] = out["offers"].astype(int)
    return out.reset_index(drop=True)


__all__ = ["KINDS", "SCRIPTED", "SCRIPTED_PACE", "STATUSES", "Deadline", "DeadlineError",
           "LiveError", "LiveMove", "Pairing", "TableState", "live_debrief", "open_table",
           "pair_room", "scripted_move"]
