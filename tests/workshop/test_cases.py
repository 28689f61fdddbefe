"""The case kind: shipped cases validate, their numbers agree, bad files get located errors."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import ContentError, DataError
from salestrain.cli.main import main
from salestrain.io.cases import (
    Column,
    case_brief_markdown,
    case_folders,
    check_table,
    load_case,
    teaching_note_markdown,
)
from salestrain.io.content import validate_path

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"
SLUGS = ["energy-group", "pharma-displacement", "regional-plan", "state-bank", "telecom-post-mortem"]
STAGE_P = {"potential": 0.1, "intention": 0.3, "proposal": 0.5, "negotiation": 0.7, "won": 1.0}


def test_five_shipped_cases_validate_without_problems():
    assert [p.name for p in case_folders(CASES)] == SLUGS
    # The case files only: the exercises inside are validated (with their solutions
    # executed) by tests/test_exercises.py.
    checked, problems = 0, []
    for case_file in sorted(CASES.glob("*/case.yaml")) + sorted(CASES.glob("*/*-*.yaml")):
        n, found = validate_path(case_file)
        checked, problems = checked + n, problems + found
    assert checked >= 6
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("slug", SLUGS)
def test_case_has_every_part_and_mentions_every_exhibit(slug):
    case = load_case(CASES / slug)
    s = case.spec
    assert s.teaching.minutes == 75 == sum(step.minutes for step in s.teaching.plan)
    assert len(s.discussion_questions) >= 3 and len(s.teaching.debrief) >= 3
    assert "fictional" in case.text
    for n in range(1, len(s.exhibits) + 1):
        assert f"Exhibit {n}" in case.text or f"Exhibits {n}" in case.text, (slug, n)
    for heading in ("## Running the simulation", "## Epilogue", "## Before class"):
        assert heading in case.teaching_note, (slug, heading)
    for exhibit in s.exhibits:
        table = case.exhibit(exhibit.id)
        assert list(table.columns) == [c.name for c in exhibit.columns]
        assert len(table) >= 2
    contacts = case.exhibit("contacts")
    # Every case records the course's four buying-centre roles.
    assert set(contacts.role) == {"decision maker", "user", "purchaser", "contact"}


def test_loaded_tables_are_typed_and_copies():
    case = load_case(CASES / "state-bank")
    contacts = case.exhibit("contacts")
    assert str(contacts.last_met.dtype).startswith("datetime64")
    assert contacts.influence.dtype == "int64"
    assert contacts.last_met.isna().sum() == 2  # never-met contacts stay blank, not 0
    contacts.loc[0, "name"] = "changed"
    assert case.exhibit("contacts").loc[0, "name"] == "Song Wenhua"
    with pytest.raises(DataError, match="no exhibit 'nope'.*contacts"):
        case.exhibit("nope")


# -- the teaching notes' numbers are the exhibits' numbers ---------------------------------

def _package_values(case, choice: dict[str, str]) -> tuple[float, float]:
    issues = case.exhibit("negotiation_issues").set_index(["issue", "option"])
    weights = case.exhibit("issue_weights").set_index("issue")
    mingda = sum(weights.loc[i, "mingda_weight"] * issues.loc[(i, o), "mingda_value"] for i, o in choice.items())
    ruikang = sum(weights.loc[i, "ruikang_weight"] * issues.loc[(i, o), "ruikang_value"] for i, o in choice.items())
    return mingda, ruikang


def test_pharma_note_package_values_follow_from_the_exhibits():
    case = load_case(CASES / "pharma-displacement")
    weights = case.exhibit("issue_weights")
    assert weights.mingda_weight.sum() == pytest.approx(1) and weights.ruikang_weight.sum() == pytest.approx(1)
    plain = _package_values(case, {"discount": "15%", "payment": "100% on delivery",
                                   "service": "1-year warranty only", "proof_of_concept": "none"})
    trade = _package_values(case, {"discount": "8%", "payment": "4 quarterly instalments",
                                   "service": "3-year service package",
                                   "proof_of_concept": "4 weeks in one Ruikang lab"})
    assert plain == pytest.approx((30, 35)) and trade == pytest.approx((66.75, 71))
    reservation = case.exhibit("reservation_values").set_index("party").reservation_value
    assert plain[0] < reservation["Mingda"] and trade[0] > reservation["Mingda"]
    note = teaching_note_markdown(case)
    assert "Mingda 30 and Ruikang 35" in note and "Mingda 66.75 and Ruikang 71" in note
    prices = case.exhibit("competitor_prices")
    equipment = prices[~prices.item.str.startswith("Service")]
    gap = ((equipment.quantity * equipment.mingda_list_unit).sum()
           / (equipment.quantity * equipment.veritas_quote_unit).sum() - 1)
    assert round(gap * 100) == 5  # "about 5% above the Veritas quote" in the case text
    total_m = (prices.quantity * prices.mingda_list_unit).sum()
    total_v = (prices.quantity * prices.veritas_quote_unit).sum()
    assert abs(total_m / total_v - 1) < 0.01 and f"{total_m / 1e6:.2f}" in note


def test_energy_note_savings_and_weighted_pipeline_follow_from_the_exhibits():
    case = load_case(CASES / "energy-group")
    plants = case.exhibit("plants")
    cost = plants.downtime_hours_2025 * plants.cost_per_downtime_hour
    note = teaching_note_markdown(case)
    for value in (cost / 1e6).round(1):
        assert f"{value:.1f} M" in note
    for saving in (0.18 * cost / 1e6).round(1):
        assert f"{saving:.1f} M" in note
    team = case.exhibit("team")
    engineering = team[team.function.isin(["solution engineering", "partner"])].available_days.sum()
    assert engineering == 85 and plants.assessment_days.sum() == 104  # the case's 85 vs 104
    pipeline = case.exhibit("pipeline")
    framework = pipeline[pipeline.deal_id == "BY-FW"].amount.item()
    plant_deals = pipeline[pipeline.deal_id != "BY-FW"]
    assert framework == plant_deals.amount.sum() == plants.contract_value.sum()
    weighted = (plant_deals.amount * plant_deals.stage.map(STAGE_P)).sum()
    assert f"{weighted / 1e6:.2f} M" in note


def test_telecom_note_rates_and_scores_follow_from_the_exhibits():
    case = load_case(CASES / "telecom-post-mortem")
    deals = case.exhibit("region_deals")
    reached = deals[deals.highest_stage.isin(["negotiation", "won"])]
    won = reached.outcome.eq("won")
    note = teaching_note_markdown(case)
    assert f"Of the {len(reached)} deals that reached negotiation, {won.sum()} were won ({won.mean():.0%})" in note
    stuck = deals[deals.months_in_proposal > 4]
    assert f"({stuck.outcome.eq('won').sum()} of {len(stuck)})" in note
    met = deals[deals.decision_maker_met]
    not_met = deals[~deals.decision_maker_met]
    assert f"{met.outcome.eq('won').sum()} times in {len(met)}" in note
    assert f"{not_met.outcome.eq('won').sum()} in {len(not_met)}" in note
    scores = case.exhibit("rep_assessment").groupby("dimension")[["self_score", "manager_score"]].mean()
    assert f"{scores.loc['capability', 'manager_score']:.1f} on capability" in note
    assert f"{scores.loc['willingness', 'manager_score']:.1f} on willingness" in note
    prices = case.exhibit("competitor_prices")
    assert f"{prices.lianchuang_final.sum() / 1e6:.2f} against {prices.kaiming_final.sum() / 1e6:.2f}" in note
    history = case.exhibit("deal_history")
    assert history.iloc[-1].stage == "lost" and history.amount.iloc[-1] == prices.kaiming_final.sum()


# -- errors a trainer would make -----------------------------------------------------------

@pytest.fixture
def broken(tmp_path) -> Path:
    """A writable copy of one shipped case."""
    dest = tmp_path / "cases" / "state-bank"
    shutil.copytree(CASES / "state-bank", dest)
    return dest


def _problems(folder: Path) -> list[str]:
    return [str(p) for p in validate_path(folder)[1]]


def test_bad_cells_are_reported_by_csv_line_and_column(broken):
    path = broken / "exhibits" / "contacts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",user,", ",influencer,").replace("2026-03-04", "04/03/2026")
    lines[5] = lines[5].replace("XH05", "XH01")
    lines[6] = lines[6] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _problems(broken)
    assert f"{path}:4: role: 'influencer' is not one of: decision maker, user, purchaser, contact; use one of them" in problems
    assert any(p.startswith(f"{path}:4: last_met: '04/03/2026' is not a date; write YYYY-MM-DD") for p in problems)
    assert f"{path}:6: contact_id: 'XH01' repeats line 2; each value must be unique" in problems
    assert any(p.startswith(f"{path}:7: (row): 12 cells but the header has 11") for p in problems)


def test_missing_and_undeclared_columns_are_reported_on_the_header_line(broken):
    path = broken / "exhibits" / "pipeline.csv"
    text = path.read_text(encoding="utf-8").replace("expected_close", "close_date", 1)
    path.write_text(text, encoding="utf-8")
    problems = _problems(broken)
    assert any(p.startswith(f"{path}:1: expected_close: missing column 'expected_close'") for p in problems)
    assert any(p.startswith(f"{path}:1: close_date: column 'close_date' is not declared") for p in problems)


def test_case_yaml_problems_carry_its_line(broken):
    yaml_path = broken / "case.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    text = text.replace("{minutes: 5, activity: {en: \"Cold call", "{minutes: 9, app: no-such-app, activity: {en: \"Cold call")
    text = text.replace("file: exhibits/account_history.csv", "file: exhibits/missing.csv")
    text = text.replace("slug: state-bank", "slug: state-bank\nsponsor: nobody")
    yaml_path.write_text(text, encoding="utf-8")
    problems = _problems(broken)
    line_of = {n + 1: ln for n, ln in enumerate(text.splitlines())}
    extra = next(p for p in problems if ": sponsor:" in p)
    assert "Extra inputs are not permitted" in extra and "sponsor" in line_of[int(extra.split(":")[1])]
    text = text.replace("sponsor: nobody\n", "")
    yaml_path.write_text(text, encoding="utf-8")
    problems = _problems(broken)
    line_of = {n + 1: ln for n, ln in enumerate(text.splitlines())}
    assert any("teaching.plan: the steps add up to 79 minutes but the session is 75" in p for p in problems)
    assert any("teaching.plan.0.app: no app named 'no-such-app'" in p and "start-here" in p for p in problems)
    missing = next(p for p in problems if "exhibits.3.file" in p)
    assert "'exhibits/missing.csv' does not exist" in missing
    assert "missing.csv" in line_of[int(missing.split(":")[1])]


def test_slug_must_match_folder_and_load_case_raises_every_problem(tmp_path, broken):
    moved = broken.parent / "other-name"
    broken.rename(moved)
    with pytest.raises(ContentError) as info:
        load_case(moved)
    assert "slug 'state-bank' differs from the folder name 'other-name'" in str(info.value)
    with pytest.raises(ContentError, match="no case at 'nowhere'.*telecom-post-mortem"):
        load_case("nowhere")


def test_case_command_lists_and_prints_brief_and_note():
    runner = CliRunner()
    listing = runner.invoke(main, ["case"])
    assert listing.exit_code == 0, listing.output
    assert all(slug in listing.output for slug in SLUGS)
    brief = runner.invoke(main, ["case", "pharma-displacement"])
    case = load_case(CASES / "pharma-displacement")
    assert brief.output.strip() == case_brief_markdown(case).strip()
    for q in case.spec.discussion_questions:
        assert case.text_of(q).strip() in brief.output
    assert "good answer" not in brief.output.lower()  # learners never see the debrief
    note = runner.invoke(main, ["case", "pharma-displacement", "--note"])
    clocks = re.findall(r"^\| (\d+)-(\d+) \|", note.output, flags=re.M)
    assert clocks[0][0] == "0" and clocks[-1][1] == "75"
    assert all(a[1] == b[0] for a, b in zip(clocks, clocks[1:], strict=False))


# -- the CSV reader round-trips what a trainer writes -----------------------------------------

_values = st.fixed_dictionaries({
    "name": st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                    min_size=1, max_size=12),
    "count": st.integers(-10**6, 10**6),
    "amount": st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 3)),
    "when": st.dates(date(1990, 1, 1), date(2100, 1, 1)),
    "stage": st.sampled_from(["potential", "won"]),
    "flag": st.booleans(),
})


@given(st.lists(_values, min_size=1, max_size=8))
@settings(max_examples=40, deadline=None)
def test_check_table_round_trips_typed_rows(tmp_path_factory, rows):
    columns = [Column(name="name", type="text", description="text"),
               Column(name="count", type="integer", description="int"),
               Column(name="amount", type="number", description="num"),
               Column(name="when", type="date", description="date"),
               Column(name="stage", type="category", values=["potential", "won"], description="cat"),
               Column(name="flag", type="bool", description="bool")]
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.name for c in columns])
        for r in rows:
            writer.writerow([r["name"], r["count"], repr(r["amount"]), r["when"].isoformat(),
                             r["stage"].upper(), "yes" if r["flag"] else "no"])
    table, problems = check_table(path, columns)
    assert problems == []
    assert table.name.tolist() == [r["name"].strip() for r in rows]
    assert table["count"].tolist() == [r["count"] for r in rows]
    assert table.amount.tolist() == [r["amount"] for r in rows]
    assert [d.date() for d in table.when] == [r["when"] for r in rows]
    assert table.stage.tolist() == [r["stage"] for r in rows]  # case-insensitive, canonical
    assert table.flag.tolist() == [r["flag"] for r in rows]


def test_load_case_from_inside_its_folder(monkeypatch):
    # Case notebooks call load_case(".") from their own folder.
    monkeypatch.chdir(CASES / "energy-group")
    assert load_case(".").slug == "energy-group"
    assert load_case("state-bank").slug == "state-bank"  # a slug still finds ../state-bank


def test_pharma_role_play_files_are_the_exhibits_on_a_0_1_scale():
    from salestrain.io.negotiation import load_scenario

    case = load_case(CASES / "pharma-displacement")
    domain = load_scenario(CASES / "pharma-displacement" / "negotiation-role-play.yaml").domain
    issues = case.exhibit("negotiation_issues")
    weights = case.exhibit("issue_weights").set_index("issue")
    reservation = case.exhibit("reservation_values").set_index("party").reservation_value
    for side, prefs in (("mingda", domain.seller), ("ruikang", domain.buyer)):
        assert prefs.reservation == pytest.approx(reservation[side.capitalize()] / 100)
        for issue in domain.issues:
            rows = issues[issues.issue == issue.name]
            assert list(rows.option) == list(issue.options)
            assert prefs.weights[issue.name] == pytest.approx(weights.loc[issue.name, f"{side}_weight"])
            assert list(prefs.scores[issue.name]) == pytest.approx(list(rows[f"{side}_value"] / 100))
    prices = case.exhibit("competitor_prices")
    list_total = (prices.quantity * prices.mingda_list_unit).sum()
    discount = next(i for i in domain.issues if i.name == "discount")
    assert list(discount.amounts) == pytest.approx(
        [list_total * (1 - float(o.rstrip("%")) / 100) for o in discount.options])


def test_pharma_objection_conversation_is_not_won_by_a_trivial_policy():
    from salestrain.core.objections.simulate import quality_report
    from salestrain.io.objections.scenarios import load_scenario

    report = quality_report(load_scenario(CASES / "pharma-displacement" / "objection-conversation.yaml"), runs=60)
    assert report["best"] == "won" and not report["trivial_win"]
    assert report["decision_points"] >= 6 and report["distinct_endings"] >= 3
    assert report["unreached_endings"] == []


# -- case.yaml paths stay inside the case folder (issue 17) ---------------------------------

SECRET = "root-password: hunter2 (a file outside the case folder)"


def _point_text_at(broken: Path, target: str) -> Path:
    yaml_path = broken / "case.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    assert "text: case.md" in text
    yaml_path.write_text(text.replace("text: case.md", f"text: {target}"), encoding="utf-8")
    return yaml_path


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_text_paths_leading_out_of_the_case_folder_are_refused(broken, how):
    secret = broken.parent.parent / "secret.md"
    secret.write_text(SECRET, encoding="utf-8")
    if how == "dotdot":
        target = "../../secret.md"
    elif how == "absolute":
        target = str(secret)
    else:  # a symlink inside the folder that leads out (what `cp -a` of a case keeps)
        (broken / "link.md").symlink_to(secret)
        target = "link.md"
    yaml_path = _point_text_at(broken, target)
    line = next(n for n, ln in enumerate(yaml_path.read_text().splitlines(), 1)
                if ln.startswith("text:"))
    problems = _problems(broken)
    assert f"{yaml_path}:{line}: text: {target!r} leads outside the case folder" in \
        " | ".join(problems)
    with pytest.raises(ContentError, match="leads outside the case folder"):
        load_case(broken)
    result = CliRunner().invoke(main, ["case", "state-bank", "--root", str(broken.parent)])
    shown = result.output + str(result.exception)  # `run` prints the error; `main` raises it
    assert result.exit_code != 0 and isinstance(result.exception, ContentError)
    assert SECRET not in shown and "leads outside the case folder" in shown


def test_exhibit_paths_outside_the_folder_are_refused_in_chinese(broken, zh):
    yaml_path = broken / "case.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("file: exhibits/account_history.csv",
                                      "file: ../../outside.csv"), encoding="utf-8")
    (broken.parent.parent / "outside.csv").write_text("a\n1\n", encoding="utf-8")
    problems = _problems(broken)
    assert any("exhibits.3.file: '../../outside.csv' 指向案例文件夹之外" in p for p in problems)


def test_a_path_changed_after_validation_is_refused_when_read(broken, monkeypatch):
    # Validation and reading are two steps; a file swapped between them (or a caller that
    # skipped validation) must still not be read from outside the folder.
    import salestrain.io.cases as cases

    secret = broken.parent.parent / "secret.md"
    secret.write_text(SECRET, encoding="utf-8")
    _point_text_at(broken, "../../secret.md")
    monkeypatch.setattr(cases, "_check_case", lambda doc, spec: [])
    with pytest.raises(ContentError, match="leads outside the case folder") as info:
        load_case(broken)
    assert SECRET not in str(info.value)


def test_paths_inside_the_folder_still_work(broken):
    (broken / "texts").mkdir()
    (broken / "case.md").rename(broken / "texts" / "case.md")
    _point_text_at(broken, "texts/../texts/case.md")
    assert "fictional" in load_case(broken).text
