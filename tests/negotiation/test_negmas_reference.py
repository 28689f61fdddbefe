"""Cross-check against NegMAS, the research reference for this protocol.

NegMAS is an optional dev extra (the ``reference`` extra, large); these tests skip
without it and CI installs it. The same domain is built in both, and:

- NegMAS computes the utilities, the Pareto frontier and the Nash point with its own
  code;
- NegMAS's own time-based agents (``BoulwareTBNegotiator``, ``LinearTBNegotiator``,
  ``ConcederTBNegotiator``) negotiate in NegMAS's ``SAOMechanism``, and salestrain's
  engine with ``conventions="negmas"`` must make the same offers, in the same order,
  and reach the same agreement in the same round, on every one of the 9 pairings;
- salestrain's default (classroom) Faratin tactic, written against NegMAS's API,
  reaches the same agreements in NegMAS's mechanism as in ours: the round structure
  of the two protocols is the same.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salestrain.core.negotiation import (
    BUYER,
    SELLER,
    Domain,
    Issue,
    Preferences,
    TimeDependent,
    boulware,
    conceder,
    linear,
    nash_point,
    negotiate,
    pareto_frontier,
    zopa,
)
from salestrain.io.negotiation import load_scenarios

negmas = pytest.importorskip(
    "negmas", reason="NegMAS is not installed (pip install 'salestrain[reference]'; CI installs it)")

from negmas import SAOMechanism, make_issue  # noqa: E402
from negmas.outcomes import make_os  # noqa: E402
from negmas.preferences import LinearAdditiveUtilityFunction, nash_points  # noqa: E402
from negmas.preferences import pareto_frontier as nm_pareto_frontier  # noqa: E402
from negmas.preferences.value_fun import TableFun  # noqa: E402
from negmas.sao import (  # noqa: E402
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
    ResponseType,
    SAONegotiator,
)

SCENARIOS = load_scenarios()


def to_negmas(domain):
    issues = [make_issue(list(i.options), i.name) for i in domain.issues]
    space = make_os(issues)
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={i.name: TableFun(dict(zip(i.options, p.scores[i.name], strict=True)))
                    for i in domain.issues},
            weights=dict(p.weights), outcome_space=space, reserved_value=p.reservation)
        for p in (domain.seller, domain.buyer)
    ]
    return issues, space, ufuns


def labels(domain, k):
    return tuple(domain.deal(k).values())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_same_utilities_pareto_set_and_nash_point(scenario):
    d = scenario.domain
    issues, space, ufuns = to_negmas(d)
    outcomes = list(space.enumerate())
    assert [tuple(o) for o in outcomes] == [labels(d, k) for k in range(d.n_outcomes)]
    for side in (SELLER, BUYER):
        theirs = [float(ufuns[side](o)) for o in outcomes]
        assert theirs == pytest.approx(d.utilities[:, side].tolist(), abs=1e-12)

    front_utils, front_idx = nm_pareto_frontier(ufuns, issues=issues)
    theirs = {tuple(outcomes[i]) for i in front_idx}
    # NegMAS keeps only rational frontier deals (both sides at or above their BATNA);
    # ours is the whole frontier, so compare its part inside the ZOPA.
    inside = set(zopa(d).outcomes.tolist())
    ours = {labels(d, k) for k in pareto_frontier(d) if k in inside}
    assert ours == theirs and len(ours) >= 3

    nash = nash_points(ufuns, front_utils, outcome_space=space)
    assert nash, "NegMAS found no Nash point"
    their_points = {tuple(round(x, 9) for x in utils) for utils, _ in nash}
    ours = nash_point(d)
    assert tuple(round(x, 9) for x in d.utilities[ours]) in their_points


class FaratinNegotiator(SAONegotiator):
    """salestrain's classroom Faratin tactic written against NegMAS's API only."""

    def __init__(self, e, **kwargs):
        super().__init__(**kwargs)
        self.e = e
        self._table = None

    def _prepare(self):
        if self._table is None:
            outcomes = list(self.nmi.outcome_space.enumerate())
            utils = [float(self.ufun(o)) for o in outcomes]
            order = sorted(range(len(outcomes)), key=utils.__getitem__)
            self._table = (outcomes, utils, order)
        return self._table

    def _offer(self, state):
        outcomes, utils, order = self._prepare()
        n = self.nmi.n_steps
        t = 1.0 if n == 1 else state.step / (n - 1)
        pmax = utils[order[-1]]
        pmin = min(max(self.ufun.reserved_value, utils[order[0]]), pmax)
        level = pmax - (pmax - pmin) * t ** (1.0 / self.e)
        for k in order:
            if utils[k] >= level - 1e-12:
                return outcomes[k]
        return outcomes[order[-1]]

    def propose(self, state, dest=None):
        return self._offer(state)

    def respond(self, state, source=None):
        u = float(self.ufun(state.current_offer))
        if u >= self.ufun.reserved_value and u >= float(self.ufun(self._offer(state))):
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER


# Boulware ... linear ... conceder; 0.25 and 4 are NegMAS's named "boulware" and "conceder".
EXPONENTS = [0.2, 0.25, 1.0, 2.0, 4.0]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
@pytest.mark.parametrize("rounds,first", [(12, SELLER), (100, SELLER), (40, BUYER)])
def test_classroom_tactic_same_agreements_in_negmas_mechanism(scenario, rounds, first):
    d = scenario.domain
    _, space, ufuns = to_negmas(d)
    for es in EXPONENTS:
        for eb in EXPONENTS:
            ours = negotiate(d, TimeDependent(es), TimeDependent(eb), rounds, first)
            mech = SAOMechanism(outcome_space=space, n_steps=rounds)
            agents = {SELLER: FaratinNegotiator(es, name="seller"),
                      BUYER: FaratinNegotiator(eb, name="buyer")}
            for side in (first, 1 - first):
                mech.add(agents[side], ufun=ufuns[side])
            state = mech.run()
            expected = None if ours.agreement is None else labels(d, ours.agreement)
            got = None if state.agreement is None else tuple(state.agreement)
            assert got == expected, (es, eb)
            if ours.agreement is not None:
                # NegMAS advances its step counter after the step that ended it.
                assert state.step - 1 == ours.end_round, (es, eb)
            assert len(mech.trace) >= len(ours.offers)


# -- NegMAS's own time-based agents against salestrain in NegMAS conventions ------------
# A 3-issue renewal built for ties: quarter scores and weights of 1/2, 1/4, 1/4 give many
# deals of exactly equal utility to each side (36 outcomes, more than numpy's 16-element
# insertion-sort cutoff, so NegMAS's unstable argsort really decides their order).
THREE_ISSUES = Domain(
    issues=(Issue("price", ("list", "5% off", "10% off", "15% off")),
            Issue("term", ("1 year", "2 years", "3 years")),
            Issue("support", ("standard", "priority", "dedicated"))),
    seller=Preferences({"price": 0.5, "term": 0.25, "support": 0.25},
                       {"price": (1.0, 0.75, 0.5, 0.25), "term": (0.25, 0.75, 1.0),
                        "support": (1.0, 0.75, 0.25)}, reservation=0.3),
    buyer=Preferences({"price": 0.25, "term": 0.25, "support": 0.5},
                      {"price": (0.0, 0.25, 0.75, 1.0), "term": (1.0, 0.5, 0.25),
                       "support": (0.25, 0.75, 1.0)}, reservation=0.25),
    name="three-issue-renewal",
)
DOMAINS = [THREE_ISSUES] + [s.domain for s in SCENARIOS]
NEGMAS_AGENTS = {"boulware": BoulwareTBNegotiator, "linear": LinearTBNegotiator,
                 "conceder": ConcederTBNegotiator}
OUR_TACTICS = {"boulware": boulware, "linear": linear, "conceder": conceder}
SETTINGS = [(12, SELLER), (100, SELLER), (40, BUYER), (1, SELLER), (2, BUYER)]


def run_negmas(domain, seller, buyer, rounds, first):
    """NegMAS's agents in NegMAS's mechanism: (agreement labels, its round, the offers)."""
    _, space, ufuns = to_negmas(domain)
    mech = SAOMechanism(outcome_space=space, n_steps=rounds)
    agents = {SELLER: NEGMAS_AGENTS[seller](name="seller"), BUYER: NEGMAS_AGENTS[buyer](name="buyer")}
    for side in (first, 1 - first):
        mech.add(agents[side], ufun=ufuns[side])
    state = mech.run()
    # Each state in the history lists the offers made in its step, in order. (The
    # full_trace property shows a step that ran into the deadline with no offer.)
    offers = [tuple(o) for s in mech.history for _, o in s.new_offers]
    agreement = None if state.agreement is None else tuple(state.agreement)
    # NegMAS advances its step counter after the step that ended it.
    return agreement, (state.step - 1 if agreement is not None else None), offers


def run_ours(domain, seller, buyer, rounds, first, conventions="negmas"):
    res = negotiate(domain, OUR_TACTICS[seller](conventions=conventions),
                    OUR_TACTICS[buyer](conventions=conventions), rounds, first)
    agreement = None if res.agreement is None else labels(domain, res.agreement)
    return (agreement, res.end_round if agreement is not None else None,
            [labels(domain, m.outcome) for m in res.offers])


def test_three_issue_domain_has_ties_to_break():
    for side in (SELLER, BUYER):
        utilities = THREE_ISSUES.utilities[:, side].tolist()
        assert len(set(utilities)) < len(utilities) - 10, "the domain must be rich in ties"


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: f"{d.name}-{len(d.issues)}-issues")
def test_same_utilities_bit_for_bit(domain):
    # NegMAS's tie-break is numpy's sort of its own numbers: equal orders need equal bits.
    _, space, ufuns = to_negmas(domain)
    for side in (SELLER, BUYER):
        theirs = [float(ufuns[side](o)) for o in space.enumerate()]
        assert theirs == domain.utilities[:, side].tolist()


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: f"{d.name}-{len(d.issues)}-issues")
@pytest.mark.parametrize("rounds,first", SETTINGS)
def test_negmas_agents_and_negmas_conventions_agree(domain, rounds, first):
    for seller in NEGMAS_AGENTS:
        for buyer in NEGMAS_AGENTS:
            theirs = run_negmas(domain, seller, buyer, rounds, first)
            ours = run_ours(domain, seller, buyer, rounds, first)
            where = (seller, buyer, f"NegMAS {negmas.__version__}")
            assert ours[0] == theirs[0], ("agreement",) + where
            assert ours[1] == theirs[1], ("round",) + where
            assert ours[2] == theirs[2], ("offers",) + where


def test_the_conventions_matter():
    """The classroom conventions are not NegMAS's: on these domains they disagree with
    NegMAS's agents somewhere, so the agreement above is not an accident of the domain."""
    differ = 0
    for domain in DOMAINS:
        for seller in NEGMAS_AGENTS:
            for buyer in NEGMAS_AGENTS:
                theirs = run_negmas(domain, seller, buyer, 12, SELLER)
                differ += run_ours(domain, seller, buyer, 12, SELLER, "classroom") != theirs
    assert differ > 0


quarters = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])


@st.composite
def tie_rich_domains(draw) -> Domain:
    sizes = draw(st.lists(st.integers(2, 4), min_size=3, max_size=4))
    issues = tuple(Issue(f"i{j}", tuple(f"o{k}" for k in range(n))) for j, n in enumerate(sizes))

    def prefs() -> Preferences:
        raw = [draw(st.integers(1, 4)) for _ in issues]
        weights = {i.name: w / sum(raw) for i, w in zip(issues, raw, strict=True)}
        scores = {i.name: tuple(draw(quarters) for _ in i.options) for i in issues}
        return Preferences(weights, scores, draw(st.sampled_from([0.0, 0.25, 0.3, 0.5, 0.7, 0.99])))

    return Domain(issues, prefs(), prefs())


@given(tie_rich_domains(), st.integers(1, 30), st.sampled_from([SELLER, BUYER]),
       st.sampled_from(sorted(NEGMAS_AGENTS)), st.sampled_from(sorted(NEGMAS_AGENTS)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_negmas_conventions_match_negmas_on_random_domains(d, rounds, first, seller, buyer):
    # Random 3- and 4-issue domains full of ties, BATNAs up to hopeless (0.99).
    assert run_ours(d, seller, buyer, rounds, first) == run_negmas(d, seller, buyer, rounds, first)
