"""Cross-check against NegMAS, the research reference for this protocol.

NegMAS is an optional dev extra (large); these tests skip without it and CI installs
it. The same domain is built in both: NegMAS computes the utilities, the Pareto
frontier and the Nash point with its own code, and runs its own alternating-offers
mechanism (SAOMechanism) with a Faratin negotiator written here against NegMAS's API
(NegMAS's own time-based negotiators pick at random among outcomes near the
aspiration level and count time as (step+1)/(n_steps+1), so their agreements differ
from any deterministic bot by design; see docs/negotiation.md).
"""

import pytest

from salestrain.core.negotiation import (
    BUYER,
    SELLER,
    TimeDependent,
    nash_point,
    negotiate,
    pareto_frontier,
    zopa,
)
from salestrain.io.negotiation import load_scenarios

negmas = pytest.importorskip("negmas")

from negmas import SAOMechanism, make_issue  # noqa: E402
from negmas.outcomes import make_os  # noqa: E402
from negmas.preferences import LinearAdditiveUtilityFunction, nash_points  # noqa: E402
from negmas.preferences import pareto_frontier as nm_pareto_frontier  # noqa: E402
from negmas.preferences.value_fun import TableFun  # noqa: E402
from negmas.sao import ResponseType, SAONegotiator  # noqa: E402

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
    """Faratin et al.'s time-dependent tactic written against NegMAS's API only."""

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
def test_same_agreements_for_time_dependent_pairings(scenario, rounds, first):
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
