"""Live role plays: seating a room, the moves at a table, the scripted counterpart, the debrief."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salestrain.base.i18n import set_language
from salestrain.core.negotiation import Domain, Issue, Preferences, class_debrief
from salestrain.core.negotiation.live import (
    SCRIPTED,
    SCRIPTED_PACE,
    STATUSES,
    Deadline,
    DeadlineError,
    LiveError,
    LiveMove,
    Pairing,
    TableState,
    live_debrief,
    open_table,
    pair_room,
    scripted_move,
)
from salestrain.core.negotiation.tactics import standard_tactics
from salestrain.io.negotiation import load_scenario, read_class_sheet, scenario_names
from tests.negotiation.strategies import domains

ROLES = ("seller", "buyer")
PAIR = Pairing("T1", "ana", "bo")


@pytest.fixture(scope="module")
def psb():
    return load_scenario("price-sensitive-buyer", lang="en").domain


def _other(role):
    return "buyer" if role == "seller" else "seller"


# -- seating a room ---------------------------------------------------------------------------
ids = st.text("abcdefghij", min_size=1, max_size=4)


@st.composite
def rooms(draw):
    learners = draw(st.lists(ids, max_size=14, unique=True))
    pool = list(learners)
    draw(st.randoms(use_true_random=False)).shuffle(pool)
    n_fixed = draw(st.integers(0, len(pool) // 2))
    fixed = [(pool[2 * i], pool[2 * i + 1]) for i in range(n_fixed)]
    return learners, fixed


@given(rooms(), st.integers(0, 2**32), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_every_learner_sits_at_one_table_and_the_draw_is_fixed_by_the_seed(room, seed, rnd):
    learners, fixed = room
    tables = pair_room(learners, seed, fixed)
    seated = [p.seller for p in tables] + [p.buyer for p in tables]
    real = [who for who in seated if who != SCRIPTED]
    assert sorted(real) == sorted(learners)  # everyone, once
    assert seated.count(SCRIPTED) == len(learners) % 2  # odd room: exactly one scripted side
    assert [p.table for p in tables] == [f"T{n}" for n in range(1, len(tables) + 1)]
    assert [(p.seller, p.buyer) for p in tables[:len(fixed)]] == fixed  # trainer's pairs first
    assert all(p.seller != p.buyer for p in tables)
    if len(learners) % 2:
        assert SCRIPTED in (tables[-1].seller, tables[-1].buyer)
    shuffled = list(learners)
    rnd.shuffle(shuffled)
    assert pair_room(shuffled, seed, fixed) == tables  # same seed and room: same seating


def test_seeds_change_the_pairs_and_the_roles():
    room = [f"rep{n}" for n in range(10)]
    draws = [pair_room(room, seed) for seed in range(30)]
    assert len({tuple(d) for d in draws}) > 20
    roles = {(p.seller == "rep0") for d in draws for p in d if "rep0" in (p.seller, p.buyer)}
    assert roles == {True, False}  # rep0 sells at some seeds and buys at others


@pytest.mark.parametrize(("learners", "fixed", "named", "words"), [
    (["ana", "bo", "ana"], [], "ana", "listed twice"),
    (["ana", "bo", "cy"], [("ana", "zed")], "zed", "not in the room"),
    (["ana", "bo"], [("bo", "bo")], "bo", "twice; a pair needs two different"),
    (["ana", "bo", "cy", "di"], [("ana", "bo"), ("cy", "ana")], "ana", "two fixed pairs"),
    (["ana", SCRIPTED], [], SCRIPTED, "scripted counterpart"),
])
def test_a_bad_room_is_refused_naming_the_learner(learners, fixed, named, words):
    with pytest.raises(LiveError, match=words) as info:
        pair_room(learners, 0, fixed)
    assert repr(named) in str(info.value)


def test_a_bad_room_is_named_in_chinese_too():
    set_language("zh_CN")
    try:
        with pytest.raises(LiveError, match="固定搭档（ana，zed）中的 'zed' 不在本场学员名单里"):
            pair_room(["ana", "bo"], 0, [("ana", "zed")])
    finally:
        set_language(None)


# -- the moves at a table --------------------------------------------------------------------------
def test_moves_are_appended_to_a_new_state_and_an_accept_takes_the_partners_latest(psb):
    start = open_table(PAIR, psb, Deadline(rounds=10))
    assert start.options == (4, 3, 3, 3) and start.status == "open" and start.agreement is None
    s1 = start.apply("seller", "offer", (0, 0, 0, 0), 1.0)
    assert start.moves == () and s1.moves == (LiveMove(1, "seller", "offer", (0, 0, 0, 0), 1.0),)
    # People talk freely: the seller improves its own offer before the buyer answers,
    # and the buyer makes two offers in a row.
    s3 = (s1.apply("seller", "offer", (1, 1, 0, 0), 2.0)
            .apply("buyer", "offer", (3, 2, 2, 2), 3.0)
            .apply("buyer", "offer", (2, 2, 2, 2), 4.0))
    assert s3.last_offer().offer == (2, 2, 2, 2) and s3.last_offer("seller").offer == (1, 1, 0, 0)
    assert s3.offers == 4 and s3.waiting_for() == "seller"
    done = s3.apply("seller", "accept", None, 5.0)
    assert done.status == "agreed" and done.agreement == (2, 2, 2, 2)
    assert [m.seq for m in done.moves] == [1, 2, 3, 4, 5]
    # Accepting with the offer one read works when it is still the latest one.
    assert s3.apply("seller", "accept", [2, 2, 2, 2], 5.0).agreement == (2, 2, 2, 2)
    walked = s3.apply("buyer", "walk", None, 5.0)
    assert walked.status == "walked" and walked.agreement is None


def _refused(state, role, kind, offer, now=1.0, error=LiveError):
    with pytest.raises(error) as info:
        state.apply(role, kind, offer, now)
    return str(info.value)


def test_every_refusal_names_the_table_and_the_reason(psb):
    start = open_table(PAIR, psb, Deadline(rounds=10))
    offered = start.apply("seller", "offer", (0, 0, 0, 0), 0.0)
    assert "T1" in _refused(start, "broker", "offer", (0, 0, 0, 0))
    assert "'broker'" in _refused(start, "broker", "offer", (0, 0, 0, 0))
    for kind in ("haggle", "timeout"):  # a timeout is the table's, not a side's move
        assert "`offer`, `accept` or `walk`" in _refused(start, "seller", kind, None)
    assert "one option number per issue (4 in all)" in _refused(start, "seller", "offer", (0, 0, 0))
    assert "(4 in all)" in _refused(start, "seller", "offer", None)
    assert "(4 in all)" in _refused(start, "seller", "offer", 7)
    assert "issue 1 has options 0 to 3, got 4" in _refused(start, "seller", "offer", (4, 0, 0, 0))
    assert "issue 3 has options 0 to 2, got -1" in _refused(start, "seller", "offer", (0, 0, -1, 0))
    assert "got True" in _refused(start, "seller", "offer", (0, True, 0, 0))
    assert "got 1.0" in _refused(start, "seller", "offer", (1.0, 0, 0, 0))
    # Accepting: nothing to accept, or only one's own offer.
    assert "nothing to accept" in _refused(start, "buyer", "accept", None)
    assert "nothing to accept" in _refused(offered, "seller", "accept", None)
    answered = offered.apply("buyer", "offer", (3, 2, 2, 2), 0.0).apply("seller", "offer",
                                                                       (1, 0, 0, 0), 0.0)
    assert "latest offer on the table is your own" in _refused(answered, "seller", "accept", None)
    # The buyer read the seller's first offer; the seller has replaced it since.
    assert "is now [1, 0, 0, 0], not [0, 0, 0, 0]" in _refused(answered, "buyer", "accept",
                                                              (0, 0, 0, 0))
    assert "walking away takes no offer" in _refused(answered, "buyer", "walk", (1, 0, 0, 0))
    for closed in (answered.apply("buyer", "accept", None, 0.0),
                   answered.apply("seller", "walk", None, 0.0)):
        for role, kind, offer in (("seller", "offer", (0, 0, 0, 0)), ("buyer", "walk", None),
                                  ("buyer", "accept", None)):
            assert "the negotiation is over" in _refused(closed, role, kind, offer)


def test_refusals_read_in_chinese(psb):
    set_language("zh_CN")
    try:
        start = open_table(PAIR, psb, Deadline(rounds=10))
        assert _refused(start, "buyer", "accept", None).startswith("「T1」组，买方：对方还没有报价")
        done = start.apply("seller", "offer", (0, 0, 0, 0), 0.0).apply("buyer", "walk", None, 0.0)
        assert "（一方退出谈判）" in _refused(done, "seller", "offer", (0, 0, 0, 0))
    finally:
        set_language(None)


def test_the_rounds_cap_the_offers_but_the_last_offer_can_still_be_answered(psb):
    state = open_table(PAIR, psb, Deadline(rounds=3))
    for n, role in enumerate(("seller", "buyer", "seller")):
        assert not state.deadline.passed(state.offers, 0.0)
        state = state.apply(role, "offer", (n, 0, 0, 0), float(n))
    assert state.deadline.passed(3, 0.0)
    for role in ROLES:
        message = _refused(state, role, "offer", (1, 1, 1, 1), error=DeadlineError)
        assert "all 3 offers have been made" in message
    assert "your own" in _refused(state, "seller", "accept", None)
    assert state.close_if_late(1e9) is state  # no time limit: the answer is still to come
    assert state.apply("buyer", "accept", None, 9.0).agreement == (2, 0, 0, 0)
    assert state.apply("buyer", "walk", None, 9.0).status == "walked"


def test_when_the_time_is_up_no_move_counts_and_the_table_times_out(psb):
    deadline = Deadline(minutes=2, started=100.0)
    state = open_table(PAIR, psb, deadline).apply("seller", "offer", (0, 0, 0, 0), 150.0)
    just_in = state.apply("buyer", "offer", (3, 0, 0, 0), 219.9)
    assert just_in.close_if_late(219.9) is just_in
    for role, kind, offer in (("buyer", "offer", (3, 0, 0, 0)), ("buyer", "accept", None),
                              ("seller", "walk", None)):
        assert "the 2 minutes are up" in _refused(state, role, kind, offer, 220.0, DeadlineError)
    closed = state.close_if_late(220.0)
    assert closed.status == "timed-out" and closed.agreement is None
    assert closed.moves[-1] == LiveMove(2, "buyer", "timeout", None, 220.0)  # the buyer owed an answer
    assert closed.close_if_late(500.0) is closed
    assert "the negotiation is over (the time ran out)" in _refused(closed, "buyer", "walk", None, 500.0)
    nobody = open_table(PAIR, psb, deadline).close_if_late(400.0)
    assert nobody.moves[-1].role == "seller" and nobody.status == "timed-out"


@pytest.mark.parametrize(("rounds", "minutes"), [(0, None), (-2, None), (True, None), (2.5, None),
                                                 (None, 0), (None, -1.0), (None, math.nan),
                                                 (None, math.inf), (None, "5")])
def test_a_bad_deadline_is_refused(rounds, minutes):
    with pytest.raises(LiveError, match="deadline's"):
        Deadline(rounds=rounds, minutes=minutes)


def test_deadline_passes_by_offers_or_by_time_whichever_first():
    both = Deadline(rounds=4, minutes=1.5, started=10.0)
    assert not both.passed(3, 99.9)
    assert both.passed(4, 10.0) and both.passed(0, 100.0)
    assert not Deadline().passed(10**6, 1e12)
    assert Deadline().progress(5, 0.0) is None
    assert both.progress(0, 10.0) == 0.0 and both.progress(3, 10.0) == 1.0
    assert both.progress(1, 55.0) == pytest.approx(0.5)


# -- random play never breaks a table ------------------------------------------------------
raw_offers = st.one_of(st.none(), st.lists(st.integers(-1, 4), min_size=1, max_size=4).map(tuple))
attempts = st.lists(st.tuples(
    st.sampled_from(["seller", "buyer"] * 4 + ["auditor"]),
    st.sampled_from(["offer"] * 6 + ["accept"] * 3 + ["walk", "timeout", "tick"]),
    st.one_of(st.lists(st.integers(0, 3), min_size=3, max_size=3), raw_offers),  # mostly in range
    st.floats(0.0, 20.0)), max_size=30)


def _fit(offer, options):
    """A drawn list of three numbers becomes an offer in range; anything else stays as drawn."""
    if isinstance(offer, list):
        return tuple(k % n for k, n in zip(offer, options, strict=False))
    return offer


def _expected(state, role, kind, offer, now):
    """The rules of a live table, written from the brief: None (allowed), "late" or "refused"."""
    moves, d = state.moves, state.deadline
    if moves and moves[-1].kind in ("accept", "walk", "timeout"):
        return "refused"
    if role not in ROLES or kind not in ("offer", "accept", "walk"):
        return "refused"
    if d.minutes is not None and now - d.started >= 60 * d.minutes:
        return "late"
    offers = [m for m in moves if m.kind == "offer"]
    if kind == "offer":
        if offer is None or len(offer) != len(state.options):
            return "refused"
        if any(not 0 <= k < n for k, n in zip(offer, state.options, strict=True)):
            return "refused"
        return "late" if d.rounds is not None and len(offers) >= d.rounds else None
    if kind == "walk":
        return None if offer is None else "refused"
    if not offers or offers[-1].role == role:
        return "refused"
    return None if offer is None or tuple(offer) == offers[-1].offer else "refused"


def _check_invariants(state):
    moves = state.moves
    assert [m.seq for m in moves] == list(range(1, len(moves) + 1))
    assert state.status in STATUSES
    ends = [i for i, m in enumerate(moves) if m.kind in ("accept", "walk", "timeout")]
    assert ends in ([], [len(moves) - 1])  # a table ends once, with its last move
    assert all(m.role in ROLES for m in moves)
    for m in moves:
        if m.kind in ("offer", "accept"):
            assert len(m.offer) == len(state.options)
            assert all(0 <= k < n for k, n in zip(m.offer, state.options, strict=True))
    if state.deadline.rounds is not None:
        assert state.offers <= state.deadline.rounds
    if state.status == "agreed":
        accept = moves[-1]
        offers = [m for m in moves[:-1] if m.kind == "offer"]
        # The agreement is an offer the other role made, and the latest on the table.
        assert offers[-1].role == _other(accept.role)
        assert state.agreement == offers[-1].offer
    else:
        assert state.agreement is None
    assert TableState.replay(state.pairing, state.options, state.deadline, moves) == state


@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.one_of(st.none(), st.integers(1, 6)),
       st.one_of(st.none(), st.floats(0.5, 3.0)), attempts)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_moves_follow_the_rules_and_never_make_a_bad_table(options, rounds, minutes, tries):
    state = TableState(PAIR, tuple(options), Deadline(rounds, minutes, started=0.0))
    now = 0.0
    for role, kind, drawn, step in tries:
        offer = _fit(drawn, options)
        now += step
        before = state
        if kind == "tick":
            state = state.close_if_late(now)
            late = minutes is not None and now >= 60 * minutes
            assert (state is before) == (before.status != "open" or not late)
        else:
            expected = _expected(state, role, kind, offer, now)
            try:
                state = state.apply(role, kind, offer, now)
                outcome = None
            except DeadlineError:
                outcome = "late"
            except LiveError:
                outcome = "refused"
            assert outcome == expected, (role, kind, offer, now, state.moves)
            if outcome is None:
                assert state.moves[:-1] == before.moves and state.moves[-1].seq == len(state.moves)
            else:
                assert state is before
        _check_invariants(state)


def test_replay_refuses_a_record_that_breaks_the_rules(psb):
    good = (open_table(PAIR, psb, Deadline(minutes=1.0))
            .apply("seller", "offer", (0, 0, 0, 0), 1.0).apply("buyer", "accept", None, 2.0))
    assert TableState.replay(PAIR, good.options, good.deadline, good.moves) == good
    bad_moves = [
        (LiveMove(1, "buyer", "accept", (0, 0, 0, 0), 1.0),),
        (LiveMove(2, "seller", "offer", (0, 0, 0, 0), 1.0),),
        (LiveMove(1, "seller", "timeout", None, 5.0),),  # before the minute was up
        (LiveMove(1, "seller", "offer", (0, 0, 0, 0), 1.0), LiveMove(2, "seller", "timeout", None, 90.0)),
    ]
    for moves in bad_moves:
        with pytest.raises(LiveError, match=r"^table T1, move \d"):
            TableState.replay(PAIR, good.options, good.deadline, moves)


# -- the scripted counterpart --------------------------------------------------------------
def _human(domain, role, state, now, last):
    """A person who concedes steadily: asks for its best deal, then for less each time, down
    to its walk-away value at the ``last`` offer; accepts anything worth what it would ask."""
    side = ROLES.index(role)
    mine = domain.utilities[:, side]
    top, floor = float(mine.max()), float(domain.reservations[side])
    made = sum(1 for m in state.moves if m.kind == "offer" and m.role == role)
    level = top - (top - floor) * min(1.0, made / max(1, last))
    theirs = state.last_offer()
    if theirs is not None and theirs.role != role and mine[domain.index_of(theirs.offer)] >= level - 1e-9:
        return "accept", None
    fits = np.flatnonzero(mine >= level - 1e-9)
    pick = fits[np.argmin(mine[fits])]
    return "offer", tuple(int(k) for k in domain.outcomes[pick])


def _play(domain, human_role, deadline, tactic, last, step=1.0, start=0.0):
    bot_role = _other(human_role)
    pairing = Pairing("T1", SCRIPTED, "ana") if bot_role == "seller" else Pairing("T1", "ana", SCRIPTED)
    state = open_table(pairing, domain, deadline)
    now = start
    turn = "seller"  # the seller opens
    for _ in range(200):
        if state.status != "open":
            break
        if turn == human_role:
            kind, offer = _human(domain, human_role, state, now, last)
        else:
            kind, offer = scripted_move(domain, bot_role, state, now, tactic)
        state = state.apply(turn, kind, offer, now)
        turn = _other(turn)
        now += step
    return state


@pytest.mark.parametrize("scenario", scenario_names())
@pytest.mark.parametrize("human_role", ROLES)
@pytest.mark.parametrize("tactic", sorted(standard_tactics()))
def test_the_scripted_side_agrees_with_a_conceding_person_within_the_deadline(scenario, human_role,
                                                                             tactic):
    domain = load_scenario(scenario, lang="en").domain
    rounds = 16
    state = _play(domain, human_role, Deadline(rounds=rounds), tactic, last=rounds // 2 - 1)
    assert state.status == "agreed", state.moves
    assert state.offers <= rounds
    k = domain.index_of(state.agreement)
    # Neither side took less than its BATNA.
    assert (domain.utilities[k] >= domain.reservations - 1e-9).all()


@pytest.mark.parametrize("human_role", ROLES)
def test_a_scripted_side_paced_by_the_clock_agrees_before_the_time_is_up(psb, human_role):
    deadline = Deadline(minutes=5, started=1000.0)
    state = _play(psb, human_role, deadline, "linear", last=6, step=15.0, start=1000.0)
    assert state.status == "agreed"
    assert state.moves[-1].at < 1000.0 + 5 * 60


def test_the_scripted_move_depends_only_on_the_moves_and_the_time(psb):
    played = _play(psb, "buyer", Deadline(rounds=12), "tit-for-tat", last=5)
    for n in range(len(played.moves)):
        prefix = TableState(played.pairing, played.options, played.deadline, played.moves[:n])
        if prefix.moves and prefix.moves[-1].role == "seller" and prefix.moves[-1].kind == "offer":
            continue  # the scripted seller's own offer waits for an answer
        again = TableState.replay(played.pairing, played.options, played.deadline, prefix.moves)
        assert scripted_move(psb, "seller", prefix, float(n), "tit-for-tat") == \
            scripted_move(psb, "seller", again, float(n), "tit-for-tat")
        move = played.moves[n]  # the scripted seller's move as it was played
        assert scripted_move(psb, "seller", prefix, move.at, "tit-for-tat") == (move.kind, move.offer)


def test_the_scripted_side_opens_high_and_waits_for_an_answer(psb):
    state = open_table(Pairing("T1", SCRIPTED, "ana"), psb, Deadline(rounds=10))
    kind, offer = scripted_move(psb, "seller", state, 0.0)
    assert kind == "offer"
    assert psb.utilities[psb.index_of(offer), 0] == pytest.approx(psb.utilities[:, 0].max())
    waiting = state.apply("seller", kind, offer, 0.0)
    with pytest.raises(LiveError, match="waits for the other side's answer"):
        scripted_move(psb, "seller", waiting, 1.0)
    closed = waiting.apply("buyer", "walk", None, 1.0)
    with pytest.raises(LiveError, match="is over"):
        scripted_move(psb, "seller", closed, 2.0)
    with pytest.raises(LiveError, match="no tactic 'nice'; choose one of boulware"):
        scripted_move(psb, "buyer", waiting, 1.0, tactic="nice")


def test_with_no_offers_left_the_scripted_side_accepts_or_walks(psb):
    state = open_table(Pairing("T1", "ana", SCRIPTED), psb, Deadline(rounds=1))
    u = psb.utilities
    good = int(np.argmax(u[:, 1] - 10 * (u[:, 0] < psb.seller.reservation)))  # fine for the buyer
    bad = int(np.argmin(u[:, 1]))  # worth less than the buyer's BATNA
    for deal, expected in ((good, "accept"), (bad, "walk")):
        offered = state.apply("seller", "offer", tuple(psb.outcomes[deal]), 0.0)
        assert scripted_move(psb, "buyer", offered, 0.0)[0] == expected


def test_without_a_deadline_the_scripted_side_still_concedes(psb):
    state = _play(psb, "seller", Deadline(), "conceder", last=SCRIPTED_PACE // 2)
    assert state.status == "agreed"


# -- the debrief ---------------------------------------------------------------------------------
def _agreed(pairing, domain, deal):
    seller_offer = tuple(int(k) for k in deal)
    return (open_table(pairing, domain, Deadline(rounds=10))
            .apply("seller", "offer", seller_offer, 0.0).apply("buyer", "accept", None, 1.0))


def test_the_debrief_agrees_with_the_class_sheet_debrief_and_puts_no_deals_last(psb):
    deals = [(0, 2, 2, 2), (3, 0, 0, 0), (1, 1, 1, 1), (2, 0, 1, 1)]
    pairs = pair_room([f"rep{n}" for n in range(12)], seed=7)
    tables = [_agreed(p, psb, d) for p, d in zip(pairs, deals, strict=False)]
    tables.append(open_table(pairs[4], psb, Deadline(rounds=10))
                  .apply("buyer", "offer", (3, 2, 2, 2), 0.0).apply("seller", "walk", None, 1.0))
    tables.append(open_table(pairs[5], psb, Deadline(minutes=1)).close_if_late(60.0))
    out = live_debrief(psb, tables).set_index("table")
    # The route a trainer takes: a class sheet typed with option numbers from 1, read by
    # the CLI's reader, debriefed by class_debrief.
    lines = ["table,price,payment,service,delivery"]
    lines += [f"{p.table}," + ",".join(str(k + 1) for k in d) for p, d in zip(pairs, deals, strict=False)]
    sheet = class_debrief(psb, read_class_sheet(io.StringIO("\n".join(lines) + "\n"))).set_index("table")
    for p, d in zip(pairs, deals, strict=False):
        row = out.loc[p.table]
        by_hand = [prefs.utility(psb.issues, d) for prefs in (psb.seller, psb.buyer)]
        assert row["u_seller"] == pytest.approx(by_hand[0])
        assert row["u_buyer"] == pytest.approx(by_hand[1])
        assert row["joint"] == pytest.approx(sum(by_hand))
        assert row["value_traded"] == pytest.approx(sum(by_hand) - psb.seller.reservation
                                                    - psb.buyer.reservation)
        for col in ("u_seller", "u_buyer", "nash_product", "pareto_distance", "discount", "rank"):
            assert row[col] == pytest.approx(sheet.loc[p.table, col]), col
        assert [row[i.name] for i in psb.issues] == [i.options[k] for i, k in zip(psb.issues, d,
                                                                                   strict=True)]
        assert row["status"] == "agreed" and row["offers"] == 1 and row["first_offer_by"] == "seller"
        assert row["seller"] == p.seller and row["buyer"] == p.buyer
    assert list(out.index[:4]) == list(sheet.sort_values("rank").index)
    walked, timed = out.loc[pairs[4].table], out.loc[pairs[5].table]
    assert (walked["status"], timed["status"]) == ("walked", "timed-out")
    for row in (walked, timed):
        assert np.isnan(row[["u_seller", "u_buyer", "joint", "value_traded", "discount"]].astype(float)).all()
        assert row["rank"] == 5 and row["price"] == ""
    assert list(out.index[4:]) == [pairs[4].table, pairs[5].table]
    assert walked["first_offer_by"] == "buyer" and walked["first_offer_u_buyer"] == pytest.approx(
        psb.buyer.utility(psb.issues, (3, 2, 2, 2)))
    assert timed["offers"] == 0 and np.isnan(timed["first_offer_u_seller"])


@given(domains(), st.data())
@settings(max_examples=60, deadline=None)
def test_the_debrief_ranks_agreed_tables_as_class_debrief_does(domain, data):
    n = data.draw(st.integers(0, 6))
    deals = [tuple(data.draw(st.integers(0, len(i.options) - 1)) for i in domain.issues)
             for _ in range(n)]
    walked = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    rank_by = data.draw(st.sampled_from(["joint", "seller", "buyer"]))
    tables = []
    for j, (deal, walk) in enumerate(zip(deals, walked, strict=True)):
        state = open_table(Pairing(f"T{j + 1}", f"s{j}", f"b{j}"), domain, Deadline())
        state = state.apply("buyer", "offer", deal, 0.0)
        tables.append(state.apply("seller", "walk" if walk else "accept", None, 1.0))
    out = live_debrief(domain, tables, rank_by=rank_by)
    assert sorted(out["table"]) == sorted(s.table for s in tables)
    agreed = [(s.table, d) for s, d, w in zip(tables, deals, walked, strict=True) if not w]
    rows = ["table," + ",".join(i.name for i in domain.issues)]
    rows += [f"{name}," + ",".join(domain.issues[j].options[k] for j, k in enumerate(d))
             for name, d in agreed]
    sheet = class_debrief(domain, read_class_sheet(io.StringIO("\n".join(rows) + "\n")),
                          rank_by=rank_by).set_index("table") if agreed else None
    top = out.iloc[:len(agreed)]
    assert list(top["status"]) == ["agreed"] * len(agreed)
    assert (out.iloc[len(agreed):]["status"] == "walked").all()
    assert (out.iloc[len(agreed):]["rank"] == len(agreed) + 1).all()
    assert list(top["rank"]) == sorted(top["rank"])
    for _, row in top.iterrows():
        assert row["rank"] == sheet.loc[row["table"], "rank"]
        assert row["u_seller"] == pytest.approx(sheet.loc[row["table"], "u_seller"])
        assert row["u_buyer"] == pytest.approx(sheet.loc[row["table"], "u_buyer"])


def test_options_whose_labels_differ_only_in_case_are_debriefed_by_number():
    issues = (Issue("plan", ("Basic", "basic", "Pro")),)
    prefs = Preferences({"plan": 1.0}, {"plan": (1.0, 0.5, 0.0)}, 0.1)
    buyer = Preferences({"plan": 1.0}, {"plan": (0.0, 0.5, 1.0)}, 0.1)
    domain = Domain(issues, prefs, buyer)
    table = _agreed(PAIR, domain, (1,))
    row = live_debrief(domain, [table]).iloc[0]
    assert row["plan"] == "basic" and row["u_seller"] == pytest.approx(0.5)


def test_the_debrief_refuses_tables_of_another_scenario_and_tables_twice(psb):
    table = _agreed(PAIR, psb, (0, 0, 0, 0))
    elsewhere = TableState(Pairing("T2", "cy", "di"), (4, 3), Deadline())
    with pytest.raises(LiveError, match=r"T2 was opened for issues with \[4, 3\] options"):
        live_debrief(psb, [table, elsewhere])
    with pytest.raises(LiveError, match="T2 was opened"):
        scripted_move(psb, "seller", elsewhere, 0.0)
    with pytest.raises(LiveError, match="table T1 appears twice"):
        live_debrief(psb, [table, table])
    assert live_debrief(psb, []).empty


def test_the_debrief_of_an_open_table_has_its_offers_but_no_deal(psb):
    state = open_table(PAIR, psb, Deadline(rounds=10)).apply("buyer", "offer", (3, 2, 2, 2), 0.0)
    row = live_debrief(psb, [state]).iloc[0]
    assert row["status"] == "open" and row["rank"] == 1 and math.isnan(row["u_seller"])
    assert row["offers"] == 1 and row["first_offer_u_seller"] == pytest.approx(
        psb.seller.utility(psb.issues, (3, 2, 2, 2)))
