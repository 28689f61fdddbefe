"""No-code question kinds: every point shows its rule, partial credit, no crash on bad data."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from salestrain.core.assessment import kinds
from salestrain.core.assessment.kinds import display_order, interval_score, parse_question
from salestrain.core.assessment.kinds import score as score_answer
from salestrain.core.negotiation.analysis import pareto_frontier
from salestrain.io.negotiation import load_scenario


def domains(name):
    return load_scenario(name).domain


def score(question, answer):
    return score_answer(question, answer, domains)


def opts(*ids, credit=None, why=None):
    credit = credit or {}
    why = why or {}
    return [{"id": i, "text": {"en": i.title(), "zh_CN": f"选项{i}"}, "credit": credit.get(i, 0.0),
             **({"why": why[i]} if i in why else {})} for i in ids]


NUMBER = parse_question({"id": "q1", "kind": "number", "prompt": "Weighted forecast?",
                         "answer": 986_500, "tolerance": 500, "half_credit_within": 20_000,
                         "why": {"en": "Weight each deal by its stage.", "zh_CN": "按阶段加权每一笔商机。"}})


def test_a_number_within_tolerance_earns_all_and_says_so():
    s = score(NUMBER, 986_900)
    assert (s.points, s.max_points) == (1.0, 1.0)
    assert "within" in s.evidence[0].text()


def test_a_number_near_earns_half_and_explains_the_sales_idea():
    s = score(NUMBER, 1_000_000)
    assert s.points == 0.5 and s.feedback == ("Weight each deal by its stage.",)
    assert score(NUMBER, 1_200_000).points == 0.0


@pytest.mark.parametrize("bad", ["986500", None, True, float("nan"), float("inf"), [1], {"a": 1},
                                 "x" * 10_000_000])
def test_a_number_of_the_wrong_shape_scores_zero_with_a_reason(bad):
    s = score(NUMBER, bad)
    assert s.points == 0.0 and not s.valid and s.evidence[0].text()


REPLY = parse_question({"id": "q2", "kind": "reply", "prompt": "The buyer says: too expensive.",
                        "options": opts("discount", "explore", "defend",
                                        credit={"explore": 1.0, "defend": 0.5},
                                        why={"discount": {"en": "A discount before you know the reason gives value away.",
                                                          "zh_CN": "还没弄清原因就打折，等于白白让出价值。"}})})


def test_a_reply_choice_gives_credit_by_option_and_the_why():
    assert score(REPLY, "explore").points == 1.0
    assert score(REPLY, "defend").points == 0.5
    wrong = score(REPLY, "discount")
    assert wrong.points == 0.0 and "gives value away" in wrong.feedback[0]
    assert not score(REPLY, "<script>alert(1)</script>").valid


def test_feedback_and_evidence_follow_the_learners_language(zh):
    wrong = score(REPLY, "discount")
    assert wrong.feedback == ("还没弄清原因就打折，等于白白让出价值。",)
    text = wrong.evidence[0].text()
    assert "选项discount" in text and not any(w in text for w in ("is not", "answer"))


def test_a_choice_needs_a_best_option_and_unique_ids():
    with pytest.raises(ValidationError, match="credit: 1"):
        parse_question({"id": "q", "kind": "choice", "prompt": "p", "options": opts("a", "b")})
    with pytest.raises(ValidationError, match="repeat"):
        parse_question({"id": "q", "kind": "choice", "prompt": "p",
                        "options": opts("a", "a", credit={"a": 1.0})})


MULTI = parse_question({"id": "q3", "kind": "multi", "prompt": "Which deals decide the month?",
                        "options": opts("a", "b", "c", "d", "e"), "correct": ["a", "c"]})


def test_multiple_choice_partial_credit_and_no_reward_for_ticking_everything():
    assert score(MULTI, ["a", "c"]).points == 1.0
    assert score(MULTI, ["a"]).points == 0.5
    assert score(MULTI, ["a", "b"]).points == 0.0
    assert score(MULTI, ["a", "b", "c", "d", "e"]).points == 0.0


@given(st.sets(st.sampled_from("abcde")), st.sampled_from("bde"))
def test_adding_a_wrong_pick_never_raises_the_score(picked, wrong):
    before = score(MULTI, sorted(picked)).points
    after = score(MULTI, sorted(picked | {wrong})).points
    assert after <= before


ORDER = parse_question({"id": "q4", "kind": "ordering", "prompt": "Urgent first",
                        "items": opts("complaint", "top_account", "brand", "admin")})


def test_ordering_scores_pairs_in_the_right_order():
    truth = ["complaint", "top_account", "brand", "admin"]
    assert score(ORDER, truth).points == 1.0
    assert score(ORDER, truth[::-1]).points == 0.0
    swapped = ["top_account", "complaint", "brand", "admin"]
    assert score(ORDER, swapped).points == pytest.approx(5 / 6)
    assert not score(ORDER, truth[:3]).valid


@given(st.permutations(["complaint", "top_account", "brand", "admin"]))
def test_ordering_score_counts_concordant_pairs(order):
    truth = ["complaint", "top_account", "brand", "admin"]
    concordant = sum(1 for a, b in itertools.combinations(truth, 2) if order.index(a) < order.index(b))
    assert score(ORDER, list(order)).points == pytest.approx(concordant / 6)


CLASSIFY = parse_question({
    "id": "q5", "kind": "classify", "prompt": "Tier the customers",
    "categories": [{"id": "A", "text": {"en": "Key account", "zh_CN": "大客户"}},
                   {"id": "C", "text": {"en": "Small account", "zh_CN": "小客户"}}],
    "items": opts("mingda", "kiosk"), "answer": {"mingda": "A", "kiosk": "C"},
    "synonyms": {"A": ["KA", "A tier"]}})


def test_classification_accepts_labels_without_case_spacing_or_language_worries():
    assert score(CLASSIFY, {"mingda": "  key   ACCOUNT ", "kiosk": "小客户"}).points == 1.0
    assert score(CLASSIFY, {"mingda": "ka", "kiosk": "C"}).points == 1.0
    half = score(CLASSIFY, {"mingda": "C", "kiosk": "C"})
    assert half.points == 0.5 and [e.points for e in half.evidence] == [0.0, 0.5]


GRID = parse_question({
    "id": "q6", "kind": "grid", "prompt": "Place the reps",
    "columns": opts("low_cap", "high_cap"), "rows": opts("low_will", "high_will"),
    "items": opts("lin", "daniel"),
    "answer": {"lin": ["high_cap", "high_will"], "daniel": ["low_cap", "high_will"]},
    "boundary": {"lin": [["high_cap", "low_will"]]}})


def test_grid_placement_gives_part_credit_on_a_boundary_only_where_declared():
    assert score(GRID, {"lin": ["high_cap", "high_will"], "daniel": ["low_cap", "high_will"]}).points == 1.0
    on_line = score(GRID, {"lin": ["high_cap", "low_will"], "daniel": ["low_cap", "high_will"]})
    assert on_line.points == pytest.approx(0.75)
    wrong = score(GRID, {"lin": ["low_cap", "low_will"], "daniel": ["nowhere", "x"]})
    assert wrong.points == 0.0 and wrong.valid


TEXT = parse_question({
    "id": "q7", "kind": "text", "prompt": "Reply to: your price is 15% above Kangtai's.",
    "points": 3,
    "concepts": [
        {"id": "ack", "name": {"en": "acknowledge", "zh_CN": "认同感受"}, "points": 1,
         "phrases": {"en": ["i understand", "fair question"], "zh_CN": ["理解", "您说得对"]}},
        {"id": "explore", "name": {"en": "explore the reason", "zh_CN": "探询原因"}, "points": 1,
         "phrases": {"en": ["compared to", "what matters"], "zh_CN": ["和哪家比", "最看重"]}},
        {"id": "value", "name": {"en": "total cost", "zh_CN": "总成本"}, "points": 1,
         "phrases": {"en": ["downtime", "total cost"], "zh_CN": ["停机", "总成本"]},
         "why": {"en": "Move the talk from unit price to what downtime costs.", "zh_CN": "把话题从单价引到停机损失。"}}],
    "penalties": [{"id": "discount", "name": {"en": "offering a discount", "zh_CN": "主动降价"},
                   "points": 1, "phrases": {"en": ["discount"], "zh_CN": ["打折", "优惠"]}}]})


def test_a_written_reply_shows_the_words_behind_every_point():
    s = score(TEXT, "I understand. Compared to Kangtai, what does an hour of downtime cost you?")
    assert s.points == 3.0
    assert "downtime" in s.evidence[2].text() and "I understand" not in s.evidence[2].text()
    partial = score(TEXT, "Fair question. We can give a discount.")
    assert partial.points == 0.0  # one concept, minus the penalty
    assert partial.feedback[0].startswith("Move the talk")


def test_a_chinese_reply_is_scored_by_the_chinese_phrases(zh):
    s = score(TEXT, "我理解您的顾虑。您最看重的是单价还是总成本？")
    assert s.points == 3.0


def test_phrases_match_whole_words_not_parts_of_words():
    assert score(TEXT, "Our priceless undiscounted service").points == 0.0


def test_free_text_is_data_never_markup_and_a_huge_reply_is_cut_not_fatal():
    s = score(TEXT, "<script>alert('x')</script> i understand " + "a" * 10_000_000)
    assert s.points == 1.0
    assert all("<script>" not in e.text() for e in s.evidence)
    assert any(e.rule == "kinds.text_cut" for e in s.evidence)


def test_the_rubric_must_add_up():
    with pytest.raises(ValidationError, match="make them equal"):
        parse_question({"id": "q", "kind": "text", "prompt": "p", "points": 2,
                        "concepts": [{"id": "a", "name": "a", "points": 1, "phrases": {"en": ["x"]}}]})


ESTIMATE = parse_question({"id": "q8", "kind": "estimate", "prompt": "P10-P90 of next month",
                           "answer": 980_000, "scale": 2_000_000})


def test_interval_score_rewards_a_tight_range_that_holds_the_truth():
    tight = score(ESTIMATE, {"low": 900_000, "high": 1_100_000}).points
    wide = score(ESTIMATE, {"low": 100_000, "high": 1_900_000}).points
    miss = score(ESTIMATE, {"low": 1_000_000, "high": 1_100_000}).points
    assert tight > miss > 0 and tight > wide
    assert not score(ESTIMATE, {"low": 5, "high": 1}).valid


@settings(max_examples=60)
@given(st.floats(-3, 3), st.floats(0.05, 3))
def test_the_interval_score_is_proper(shift, half_width):
    # For a normal truth, the expected score is smallest for the true central 80 % range.
    rng = np.random.default_rng(0)
    truths = rng.standard_normal(4000)
    z = 1.2815515655446004  # the 90th percentile of the standard normal
    honest = np.mean([interval_score(-z, z, x, 0.8) for x in truths])
    other = np.mean([interval_score(shift - half_width, shift + half_width, x, 0.8) for x in truths])
    assert honest <= other + 1e-9


def test_probability_uses_the_brier_score():
    q = parse_question({"id": "q9", "kind": "probability", "prompt": "P(hit)?", "answer": 0.473})
    assert score(q, 0.473).points == pytest.approx(1.0)
    assert score(q, 0.9).points < score(q, 0.5).points
    assert not score(q, 1.5).valid


DECISION = parse_question({
    "id": "q10", "kind": "decision", "prompt": "Capital freeze: what now?", "points": 2,
    "options": opts("wait", "phase", credit={"phase": 1.0}),
    "justification": [{"id": "budget", "name": "budget timing", "phrases": {"en": ["budget", "next year"]}},
                      {"id": "sponsor", "name": "the sponsor", "phrases": {"en": ["sponsor", "vp"]}}]})


def test_a_decision_scores_the_choice_and_the_reasons_separately():
    both = score(DECISION, {"choice": "phase", "why": "Split it so the budget fits and the sponsor keeps face."})
    assert both.points == pytest.approx(2.0)
    choice_only = score(DECISION, {"choice": "phase", "why": ""})
    assert choice_only.points == pytest.approx(1.0)
    reasons_only = score(DECISION, {"choice": "wait", "why": "budget and sponsor"})
    assert reasons_only.points == pytest.approx(1.0)


OFFER = parse_question({"id": "q11", "kind": "offer", "prompt": "Build the package",
                        "scenario": "price-sensitive-buyer", "points": 4, "max_discount": 0.05})


def _deal(domain, outcome):
    return {i.name: i.options[k] for i, k in zip(domain.issues, domain.outcomes[outcome], strict=True)}


def test_an_offer_on_the_frontier_that_beats_both_batnas_and_trades_earns_everything():
    domain = load_scenario("price-sensitive-buyer").domain
    front = pareto_frontier(domain)
    price = next(j for j, i in enumerate(domain.issues) if i.is_price)
    good = [k for k in front if (domain.utilities[k] >= domain.reservations).all()
            and domain.outcomes[k, price] <= 1]  # at most 5 % off
    assert good, "the scenario should allow a trade-not-discount deal"
    s = score(OFFER, _deal(domain, good[0]))
    assert s.points == 4.0 and all(e.rule.endswith(".yes") for e in s.evidence)


def test_an_offer_the_buyer_cannot_accept_loses_that_rule_only_with_its_reason():
    domain = load_scenario("price-sensitive-buyer").domain
    worst_for_buyer = int(np.argmin(domain.utilities[:, 1]))
    s = score(OFFER, _deal(domain, worst_for_buyer))
    by_rule = {e.rule: e.points for e in s.evidence}
    assert by_rule["kinds.offer_their_batna.no"] == 0.0
    assert "walk away" in next(e.text() for e in s.evidence if e.rule == "kinds.offer_their_batna.no")


def test_an_offer_with_a_missing_issue_or_option_is_refused_with_a_reason():
    assert not score(OFFER, {"price": "free"}).valid
    assert not score_answer(OFFER, {"price": "1,200,000 (list)"}).valid  # no scenario lookup given
    assert not score(OFFER, ["not", "a", "mapping"]).valid


def test_display_order_is_stable_per_learner_and_varies_across_learners():
    ids = ["a", "b", "c", "d", "e", "f"]
    first = display_order(ids, "alice", "q1")
    assert first == display_order(ids, "alice", "q1") and sorted(first) == ids
    orders = {tuple(display_order(ids, f"learner{k}", "q1")) for k in range(30)}
    assert len(orders) > 10
    assert display_order(ids, "alice", "q2") != first or display_order(ids, "alice", "q3") != first


def test_every_kind_has_a_scorer_and_every_rule_is_in_both_catalogs():
    from salestrain.base.i18n import catalog

    assert set(kinds._SCORERS) == set(kinds.Question.__args__[0].__args__)
    en, zh = catalog("en"), catalog("zh_CN")
    rules = [k for k in en if k.startswith("kinds.")]
    assert rules and all(k in zh for k in rules)
