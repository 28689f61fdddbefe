"""Scenario files: the shipped ones hold the course's lesson; bad ones say file:line."""

from pathlib import Path

import pytest

from salestrain.base.errors import ContentError
from salestrain.core.negotiation import BUYER, SELLER, nash_point, zopa
from salestrain.io.content import validate_path
from salestrain.io.negotiation import DATA_DIR, load_scenario, load_scenarios, scenario_names

GOOD = DATA_DIR / "price-sensitive-buyer.yaml"


def test_shipped_scenarios_validate_and_load_by_name_and_by_path():
    checked, problems = validate_path(DATA_DIR)
    assert checked >= 3 and problems == []
    assert len(scenario_names()) >= 3
    by_name = load_scenario("doubting-technology")
    by_path = load_scenario(DATA_DIR / "doubting-technology.yaml")
    assert by_name.domain.utilities.tolist() == by_path.domain.utilities.tolist()
    assert by_path.source.endswith("doubting-technology.yaml")


@pytest.mark.parametrize("name", ["price-sensitive-buyer", "doubting-technology",
                                  "downtime-service-renewal"])
def test_the_best_joint_deal_trades_instead_of_discounting(name):
    # The course's point: the Nash point keeps the list price and gives value elsewhere.
    s = load_scenario(name)
    n = nash_point(s.domain)
    assert zopa(s.domain).exists and n is not None
    assert s.domain.discount_of(n) == 0.0
    deal = s.domain.deal(n)
    first = {i.name: i.options[0] for i in s.domain.issues if not i.is_price}
    assert any(deal[k] != v for k, v in first.items())
    # and it is a better joint deal than the seller's own offer with the biggest discount
    u = s.domain.utilities
    r = s.domain.reservations
    deepest = max(range(s.domain.n_outcomes), key=lambda k: (s.domain.discount_of(k), u[k, SELLER]))
    assert (u[n] - r).prod() > (u[deepest] - r).clip(0).prod()


def test_scenario_texts_follow_the_language():
    zh = load_scenario("price-sensitive-buyer", lang="zh_CN")
    en = load_scenario("price-sensitive-buyer", lang="en")
    assert "价格" in zh.title and "price" in en.title.lower()
    assert zh.domain.utilities.tolist() == en.domain.utilities.tolist()
    assert en.briefs.keys() == {"seller", "buyer"} and en.batna["buyer"]


def _broken(tmp_path: Path, replacements: list[tuple[str, str]]) -> Path:
    text = GOOD.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, nth: int = 0) -> int:
    lines = [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if needle in line]
    return lines[nth]


def test_bad_weights_and_scores_name_their_line_value_and_fix(tmp_path):
    path = _broken(tmp_path, [
        ("weights: {price: 0.55, payment: 0.15, service: 0.15, delivery: 0.15}",
         "weights: {price: 0.55, payment: 0.15, service: 0.15, delivry: 0.1}"),
        ("      payment: [1.0, 0.8, 0.55]", "      payment: [1.0, 0.8]"),
    ])
    _, problems = validate_path(path)
    text = [str(p) for p in problems]
    w = _line_of(path, "delivry")
    assert f"{path}:{w}: roles.seller.weights.delivry: 'delivry' is not an issue; the issues are price, payment, service, delivery" in text
    assert any(t.startswith(f"{path}:{w}: roles.seller.weights: no weight for delivery") for t in text)
    assert any(t.startswith(f"{path}:{w}: roles.seller.weights: weights sum to 0.95") for t in text)
    s = _line_of(path, "payment: [1.0, 0.8]")
    assert f"{path}:{s}: roles.seller.scores.payment: 2 scores for 3 options of 'payment'; give one score per option" in text


def test_out_of_range_values_and_missing_zopa(tmp_path):
    path = _broken(tmp_path, [("    reservation: 0.4\n", "    reservation: 1.4\n")])
    [problem] = validate_path(path)[1]
    assert problem.line == _line_of(path, "reservation: 1.4")
    assert problem.field == "roles.buyer.reservation" and "(got 1.4)" in problem.message
    path = _broken(tmp_path, [("    reservation: 0.4\n", "    reservation: 0.95\n")])
    [problem] = validate_path(path)[1]
    assert "no ZOPA" in problem.message and problem.field == "roles"
    # no ZOPA by design: then the lesson is walking away, and no deal can be the model answer
    path = _broken(tmp_path, [("    reservation: 0.4\n", "    reservation: 0.95\n"),
                              ("teaching_note:", "expect_zopa: false\nteaching_note:"),
                              ("model_answer: {price: 1, payment: 3, service: 3, delivery: 3}\n", "")])
    assert validate_path(path)[1] == []


def test_loading_a_bad_file_raises_with_every_problem(tmp_path):
    path = _broken(tmp_path, [("      price: [0.0, 0.35, 0.7, 1.0]", "      price: [0.0, 0.35, 0.7, 1.5]"),
                              ("    amounts: [1200000, 1140000, 1080000, 1020000]",
                               "    amounts: [1200000, 1140000]")])
    with pytest.raises(ContentError) as err:
        load_scenario(path)
    message = str(err.value)
    assert f"{path}:{_line_of(path, '1.5]')}: roles.buyer.scores.price.3: score 1.5 is outside [0, 1]" in message
    assert f"{path}:{_line_of(path, 'amounts:')}: issues.0.amounts: 2 amounts for 4 options" in message


def test_unknown_names_list_the_choices():
    with pytest.raises(ContentError, match="no negotiation scenario named 'nope'.*price-sensitive-buyer"):
        load_scenario("nope")
    with pytest.raises(ContentError, match="does not exist"):
        load_scenario("missing/file.yaml")


def test_every_shipped_scenario_has_a_zopa_and_both_briefs():
    for s in load_scenarios():
        assert zopa(s.domain).exists, s.name
        assert s.briefs["seller"] and s.briefs["buyer"] and s.shared
        assert s.domain.list_price and s.domain.prefs(SELLER) and s.domain.prefs(BUYER)
