"""The regional-plan case: its exercises' keys and its teaching note follow from its exhibits.

The answer key of the contribution-mix exercise is not typed by hand and trusted: it is
recomputed here with the core's rule (:func:`contribution_mix`) from the very CSV the
exercise shows the learner, in each language.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from salestrain.core.strategy.analysis import TREATMENT, contribution_mix
from salestrain.grading.nocode import declared_questions
from salestrain.io.cases import load_case
from salestrain.io.lessons import variant_language

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "cases" / "regional-plan"
EXERCISES = CASE / "exercises"
LANGS = ["en", "zh_CN"]


def _notebook(name: str, lang: str) -> nbformat.NotebookNode:
    suffix = "" if lang == "en" else f".{lang}"
    return nbformat.read(EXERCISES / f"{name}{suffix}.ipynb", as_version=4)


def _questions(name: str, lang: str = "en") -> dict:
    found, problems = declared_questions(_notebook(name, lang), name)
    assert problems == []
    return {qid: d.data for qid, d in found.items()}


def _markdown(name: str, lang: str) -> str:
    return "\n".join(c.source for c in _notebook(name, lang).cells if c.cell_type == "markdown")


def _shown_customers(lang: str) -> pd.DataFrame:
    """The customer table as the learner reads it on the exercise page, back into numbers."""
    text = _markdown("classify_customers", lang)
    rows = [line.strip("|").split("|") for line in text.splitlines()
            if line.startswith("| ") and ("万元 |" in line or " M |" in line)]

    def money(cell: str) -> float:
        cell = cell.strip()
        return float(cell.removesuffix(" M")) * 1e6 if cell.endswith(" M") else float(cell.removesuffix("万元")) * 1e4

    return pd.DataFrame({"customer": [r[0].strip() for r in rows], "revenue": [money(r[2]) for r in rows],
                         "margin": [float(r[3].strip().rstrip("%")) / 100 for r in rows],
                         "cost_to_serve": [float(r[4].strip().rstrip("%")) / 100 for r in rows],
                         "potential": [money(r[5]) for r in rows]})


@pytest.mark.parametrize("lang", LANGS)
def test_the_mix_key_is_the_core_rule_applied_to_the_table_the_learner_sees(lang):
    shown = _shown_customers(lang)
    exhibit = load_case(CASE, lang).exhibit("customers")
    # the page's table is Exhibit 1, row by row, in the learner's language
    assert list(shown["customer"]) == list(exhibit["customer"])
    for column in ("revenue", "margin", "cost_to_serve", "potential"):
        assert shown[column].round(4).tolist() == exhibit[column].round(4).tolist(), column
    declared = _questions("classify_customers", lang)["mixes"]
    names = {i["id"]: i["text"][lang] for i in declared["items"]}
    mix = dict(zip(shown["customer"], contribution_mix(shown), strict=True))
    assert {names[i]: m for i, m in declared["answer"].items()} == mix
    assert set(mix.values()) == set(TREATMENT)  # every mix is taught


@pytest.mark.parametrize("lang", LANGS)
def test_the_medians_the_exercise_states_are_the_tables_medians(lang):
    shown = _shown_customers(lang)
    text = _markdown("classify_customers", lang)
    assert f"{shown['margin'].median():.0%}" in text  # 32%
    assert f"{shown['cost_to_serve'].median():.1%}" in text  # 12.5%
    # no customer sits on a median: the rule's ">=" never decides an item
    assert not (shown["margin"] == shown["margin"].median()).any()
    assert not (shown["cost_to_serve"] == shown["cost_to_serve"].median()).any()


def test_the_traps_the_note_names_are_real():
    customers = load_case(CASE, "en").exhibit("customers").set_index("customer")
    mix = contribution_mix(customers.reset_index()).set_axis(customers.index)
    jiuzhou = customers.loc["Jiuzhou Logistics"]
    assert jiuzhou["potential"] == customers["potential"].max()  # the largest potential ...
    assert jiuzhou["revenue"] >= 0.25 * jiuzhou["potential"]  # ... but not developing
    assert mix["Jiuzhou Logistics"] == "aggressive"
    assert mix["Songshan Environmental"] == "aggressive"
    assert customers.loc["Songshan Environmental", "margin"] < customers["margin"].median()
    # the case calls Xiangjiang the second-largest customer, the exercise Dongting Port the third
    ranked = list(customers["revenue"].sort_values(ascending=False).index)
    assert ranked[1:3] == ["Xiangjiang Home Appliances", "Dongting Port Logistics"]


def test_the_debrief_numbers_follow_from_the_exhibits():
    case = load_case(CASE, "en")
    note = " ".join(case.text_of(d.good_answer) for d in case.spec.teaching.debrief)
    customers = case.exhibit("customers")
    customers["mix"] = contribution_mix(customers)
    net = customers["revenue"] * (customers["margin"] - customers["cost_to_serve"])
    aggressive = customers["mix"] == "aggressive"
    assert f"RMB {customers.loc[aggressive, 'revenue'].sum() / 1e6:.1f} M" in note  # 12.6
    assert f"of the {customers['revenue'].sum() / 1e6:.1f} M revenue" in note  # 44.9
    assert f"({customers.loc[aggressive, 'revenue'].sum() / customers['revenue'].sum():.0%})" in note  # 28%
    assert f"only {net[aggressive].sum() / 1e6:.1f} M of the {net.sum() / 1e6:.1f} M" in note  # 1.0 of 8.7
    assert f"({net[aggressive].sum() / net.sum():.0%})" in note  # 12%

    opportunities = case.exhibit("opportunities").merge(customers[["customer_id", "segment"]], on="customer_id")
    expected = opportunities["amount"] * opportunities["win_rate"]
    assert f"RMB {expected.sum() / 1e6:.2f} M" in note  # 12.04
    by_market = expected.groupby(opportunities["segment"]).sum() / 1e6
    for market, words in (("manufacturing", "manufacturing"), ("healthcare", "healthcare"),
                          ("logistics", "logistics"), ("public_sector", "public sector")):
        assert f"{words} {by_market[market]:.2f} M" in note, market

    products = case.exhibit("products")
    target_gap = 57.8 - products["revenue_2026"].sum() / 1e6
    assert f"{target_gap:.1f} M above 2026" in note


def test_the_position_table_agrees_with_the_shares():
    competitors = load_case(CASE, "en").exhibit("competitors")
    for market, rows in competitors.groupby("product_market"):
        assert rows["share"].sum() <= 1.0, market
        assert rows["market_size"].nunique() == 1 and rows["growth"].nunique() == 1, market
        # the leader has the largest share of its product-market
        assert rows.loc[rows["share"].idxmax(), "position"] == "leader", market
    jingheng = competitors[competitors["competitor"] == "Jingheng Automation"].set_index("product_market")
    assert jingheng["position"].to_dict() == {"manufacturing": "leader", "logistics": "follower",
                                              "healthcare": "challenger", "public_sector": "nicher"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_swot_exercise_tables_are_the_exhibits(lang):
    case = load_case(CASE, lang)
    text = _markdown("build_the_swot", lang)
    for _, row in case.exhibit("products").iterrows():
        for column in ("revenue_2025", "revenue_2026"):
            shown = f"{row[column] / 1e6:.1f} M" if lang == "en" else f"{row[column] / 1e4:.0f}万元"
            assert shown in text, (row["product"], column)
        assert f"| {row['gross_margin']:.0%} | {row['market_growth']:.0%} |" in text, row["product"]
    competitors = case.exhibit("competitors")
    mine = competitors[competitors["competitor"].isin(["Jingheng Automation", "精衡自动化"])]
    for _, row in mine.iterrows():
        assert f"| {row['growth']:.0%} | {row['share']:.0%}" in text, row["product_market"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_challenger_exercise_table_is_exhibit_2(lang):
    case = load_case(CASE, lang)
    text = _markdown("challenger_plan", lang)
    healthcare = case.exhibit("competitors").query("product_market == 'healthcare'")
    for _, row in healthcare.iterrows():
        assert f"| {row['competitor']} | {row['share']:.0%} |" in text
    opportunity = case.exhibit("opportunities").set_index("opp_id").loc["OP01"]
    assert f"{opportunity['win_rate']:.0%}" in text
    key = _questions("challenger_plan")
    assert key["stance"]["options"][0]["credit"] == 1 and key["stance"]["options"][0]["id"] == "challenger_flank"


def test_every_exercise_is_bilingual_and_every_option_and_item_explains_itself():
    sources = sorted((EXERCISES / "source").glob("*.ipynb"))
    assert [p.stem for p in sources] == ["build_the_swot", "challenger_plan", "classify_customers"]
    for path in sorted(EXERCISES.glob("*.ipynb")):
        lang = variant_language(path) or "en"
        found, problems = declared_questions(nbformat.read(path, as_version=4), str(path))
        assert problems == [] and 3 <= len(found) <= 6, path
        for declared in found.values():
            data = declared.data
            assert set(data["prompt"]) == set(LANGS), (path, declared.qid)
            for part in ("options", "items"):
                for entry in data.get(part, []):
                    assert set(entry["why"]) == set(LANGS) and entry["why"][lang].strip(), (path, entry["id"])


# -- the strategy module's pre/post check -------------------------------------------------------

def _right_answer(question) -> object:
    if question.kind == "number":
        return question.answer
    return next(o.id for o in question.options if o.credit == 1)


def test_the_strategy_check_is_found_graded_and_certified(tmp_path):
    import json
    import shutil

    from salestrain.core.assessment.kinds import score
    from salestrain.grading.checks import certificate, checks_report, grade_checks
    from salestrain.grading.gradebook import Gradebook
    from salestrain.io.item_bank import item_banks, load_item_bank
    from salestrain.io.learner import LESSON_MODULES, check_id, check_pages

    shipped = ROOT / "exercises"
    assert "strategy" in item_banks(shipped) and "strategy" in LESSON_MODULES.values()
    bank = load_item_bank(item_banks(shipped)["strategy"])
    assert len(bank.items) == 8 and bank.points("pre") == bank.points("post")
    # twins: the same kind and points on each side, item by item
    for pre, post in zip(bank.form("pre"), bank.form("post"), strict=True):
        assert (pre.kind, pre.points) == (post.kind, post.points) and pre.id.split("_")[0] == post.id.split("_")[0]
        assert score(pre, _right_answer(pre)).share == 1.0
    # learner mode builds both pages, without keys
    pages = [p for p in check_pages(shipped, "zh_CN") if p[0] == "strategy"]
    assert [p[1] for p in pages] == ["pre", "post"]
    assert "credit" not in json.dumps([p[2] for p in pages], ensure_ascii=False)

    exercises = tmp_path / "exercises"
    (exercises / "strategy").mkdir(parents=True)
    shutil.copy(item_banks(shipped)["strategy"], exercises / "strategy" / "checks.yaml")
    collected = tmp_path / "collected"
    wrong = {"number": 1.0, "choice": "not-an-option"}
    for form in ("pre", "post"):
        folder = collected / check_id("strategy", form)
        folder.mkdir(parents=True)
        # ana knows nothing before the module and everything after it
        answers = {q.id: (wrong[q.kind] if form == "pre" else _right_answer(q)) for q in bank.form(form)}
        (folder / "ana.answers.json").write_text(json.dumps(
            {"learner": "ana", "exercise": check_id("strategy", form), "answers": answers}), encoding="utf-8")
    book = Gradebook.open(f"sqlite:///{tmp_path / 'book.sqlite'}")
    try:
        results = grade_checks(collected, exercises, book)
        assert sum(r.graded for r in results) == 2
        assert "+1.00" in checks_report(book, exercises)
        assert "ana" in certificate(book, exercises, "ana", "strategy")
    finally:
        book.dispose()
