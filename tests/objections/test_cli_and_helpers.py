"""The trainer's command, the text helpers used by exercises, the policy table."""

from __future__ import annotations

from click.testing import CliRunner

from salestrain.apps.objections import CoachApp
from salestrain.cli.main import main
from salestrain.core.objections.simulate import quality_report
from salestrain.io.objections.scenarios import (
    scenario_from_text,
    scenario_path,
    scenario_problems,
)
from tests.objections.helpers import small_yaml, write


def test_check_command_passes_shipped_and_fails_a_trivial_scenario(tmp_path):
    ok = CliRunner().invoke(main, ["objections", "check", "--runs", "30",
                                   "ironvale-conveyor-belts"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("ok   ironvale-conveyor-belts: 6 decisions, 4 endings")
    # Make the first reply of the small scenario a strong one: now "always first" wins.
    text = small_yaml().replace("        techniques: [premature_discount]\n        effects: {trust: 5}",
                        "        techniques: [spin_implication]\n        effects: {value: 25}")
    path = write(tmp_path, text)
    bad = CliRunner().invoke(main, ["objections", "check", "--runs", "30", str(path)])
    assert bad.exit_code == 1
    assert "FAIL" in bad.output and "a trivial policy wins" in bad.output


def test_check_command_reports_file_line_for_a_broken_scenario(tmp_path):
    path = write(tmp_path, small_yaml(persona="grumpy"))
    result = CliRunner().invoke(main, ["objections", "check", str(path)])
    assert result.exit_code != 0
    assert f"{path}:" in str(result.exception) + result.output


def test_sessions_command_lists_what_coach_mode_saved(tmp_path):
    db = tmp_path / "coach.sqlite"
    app = CoachApp(scenario="lumacorp-shelf-analytics", db_path=db, learner="Mia Torres")
    app.submit("How will you choose between the four?", {"acknowledge": 0, "explore": 2,
               "family_fit": 2, "persona_fit": 1, "advance": 0})
    result = CliRunner().invoke(main, ["objections", "sessions", str(db)])
    assert result.exit_code == 0
    assert "lumacorp-shelf-analytics" in result.output and "Mia Torres" in result.output
    assert "unfinished" in result.output and "1 session." in result.output
    missing = CliRunner().invoke(main, ["objections", "sessions", str(tmp_path / "no.sqlite")])
    assert missing.exit_code != 0


def test_text_helpers_locate_problems_and_build_scenarios():
    text = scenario_path("sunmere-hotel-energy").read_text(encoding="utf-8")
    assert scenario_problems(text) == []
    assert scenario_from_text(text).id == "sunmere-hotel-energy"
    broken = text.replace("techniques: [trade]", "techniques: [trading]", 1)
    [problem] = scenario_problems(broken, name="draft.yaml")
    line = next(i for i, ln in enumerate(broken.splitlines(), 1) if "[trading]" in ln)
    assert problem.startswith(f"draft.yaml:{line}: ") and "'trading'" in problem
    assert scenario_problems("kind: [oops")[0].startswith("my-scenario.yaml:1: (syntax)")


def test_quality_report_of_a_shipped_scenario_matches_its_plays():
    from salestrain.core.objections import best_path, simulate
    from salestrain.io.objections.scenarios import load_scenario

    s = load_scenario("greyfield-sterilisation-service")
    r = quality_report(s, runs=40)
    assert r["first"] == simulate(s, "first").ending
    assert r["best"] == best_path(s).ending == "won"
    assert r["trivial_win"] is False and r["unreached_endings"] == []


def test_coaching_record_errors_in_chinese_name_the_file_and_the_fix(tmp_path):
    import pytest

    from salestrain.base.errors import DataError
    from salestrain.base.i18n import set_language
    from salestrain.io.objections.sessions import load_session, start_session

    db = tmp_path / "coach.sqlite"
    start_session(db, "lumacorp-shelf-analytics", "coach", learner="Mia Torres")
    junk = tmp_path / "notes.sqlite"
    junk.write_text("not a database", encoding="utf-8")
    set_language("zh_CN")
    try:
        with pytest.raises(DataError, match=rf"{db}：没有第 7 号会话；list_sessions\(\)"):
            load_session(db, 7)
        with pytest.raises(DataError, match="文件夹 .*nowhere 不存在；请创建它"):
            load_session(tmp_path / "nowhere" / "coach.sqlite", 1)
        with pytest.raises(DataError, match="notes.sqlite：不是 salestrain 辅导数据库"):
            load_session(junk, 1)
        missing = CliRunner().invoke(main, ["objections", "sessions", str(tmp_path / "no.sqlite")])
        listing = CliRunner().invoke(main, ["objections", "sessions", str(db)])
    finally:
        set_language(None)
    assert "no.sqlite 不存在；辅导模式会在第一次评分时创建它" in str(missing.exception) + missing.output
    assert "未完成" in listing.output and "共 1 个会话。" in listing.output
