"""The command line in Chinese: every command's and option's help, click's own words and
the messages of the commands a trainer runs, with no English phrase.

The translations are tables keyed by command path and by click's English message
(salestrain/cli/help_text.py); these tests keep them complete and free of stale keys.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from salestrain.base import i18n
from salestrain.cli import help_text
from salestrain.cli.main import LAZY_COMMANDS, load_all_commands, main
from tests.language import CJK, english_phrases

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _language_put_back(monkeypatch):
    """`--lang zh_CN` chooses the language and sets $SALESTRAIN_LANG for child processes:
    both are put back, so the tests after these (test_cli.py) read English again."""
    monkeypatch.setenv(i18n.ENV_VAR, "")
    yield
    # The command objects are shared by the whole test session: give every loaded command its
    # English help back, as a new English process would have it (test_cli_start.py reads it).
    i18n.set_language("en")
    help_text.localise(main)
    i18n.set_language(None)
CLICK_DIR = Path(click.__file__).parent
# click's translatable messages: _("...") and ngettext("...", "...", n), as click writes them
_MSGID = re.compile(r'\b_\(\s*"((?:[^"\\]|\\.)+)"\s*\)')
_NGETTEXT = re.compile(r'ngettext\(\s*"((?:[^"\\]|\\.)+)",\s*"((?:[^"\\]|\\.)+)"')
# ... and the words click keeps in an option's help extra and translates where it shows them:
# extra["required"] = "required", then _(extra["required"])
_EXTRA = re.compile(r'extra\["\w+"\] = "((?:[^"\\]|\\.)+)"')


def help_keys() -> dict[str, str]:
    """Every key of the help table, with its English text, for the whole CLI."""
    load_all_commands()
    keys: dict[str, str] = {}

    def walk(command: click.Command, path: str) -> None:
        key = path or "salestrain"
        english = command.__dict__.get(help_text._ENGLISH, {})
        text = english.get("help", command.help)
        if text:
            keys[key] = text
        short = english.get("short_help", command.short_help)
        if short:
            keys[f"{key} (short)"] = short
        for param in command.params:
            if isinstance(param, click.Option):
                text = param.__dict__.get(help_text._ENGLISH, {}).get("help", param.help)
                if text:
                    keys[f"{key} {help_text.option_name(param)}"] = text
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(main, "")
    return keys


def click_messages() -> set[str]:
    found: set[str] = set()
    for module in help_text.CLICK_MODULES:
        path = CLICK_DIR / f"{module}.py"
        if path.is_file():
            source = path.read_text(encoding="utf-8")
            found.update(m.encode().decode("unicode_escape") for m in _MSGID.findall(source))
            for one, other in _NGETTEXT.findall(source):
                found.update({one, other})
            found.update(_EXTRA.findall(source))
    return found


def test_every_command_and_option_has_its_chinese_help_and_none_is_stale():
    keys = help_keys()
    table = help_text.table("help", "zh_CN")
    missing = sorted(k for k in keys if k not in table)
    assert not missing, "help texts without a zh_CN translation:\n" + "\n".join(missing)
    stale = sorted(k for k in table if k not in keys)
    assert not stale, "translations of no command or option:\n" + "\n".join(stale)
    for key, text in table.items():
        assert CJK.search(text), (key, text)
        assert not english_phrases(text), (key, text)


def test_the_lazy_summaries_are_the_commands_own_first_paragraph():
    # `salestrain --help` shows the lazy table's summary, translated by the command's key
    for name in LAZY_COMMANDS:
        assert name in help_keys()


def test_clicks_own_words_are_translated_and_exist_in_click():
    table = help_text.table("click", "zh_CN")
    messages = click_messages()
    assert len(messages) > 40  # the scan found click's messages
    missing = sorted(m for m in messages if m not in table)
    assert not missing, "click messages without a zh_CN translation:\n" + "\n".join(missing)
    stale = sorted(m for m in table if m not in messages)
    assert not stale, "not a message of this click:\n" + "\n".join(stale)
    for english, chinese in table.items():
        # click fills these in after translating: the same placeholders in both
        assert sorted(re.findall(r"\{\w*\}|%\(\w+\)s", english)) == \
            sorted(re.findall(r"\{\w*\}|%\(\w+\)s", chinese)), english


def _all_paths() -> list[list[str]]:
    load_all_commands()
    paths: list[list[str]] = [[]]

    def walk(command: click.Command, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*path, name])
            walk(sub, [*path, name])

    walk(main, [])
    return paths


@pytest.mark.parametrize("path", _all_paths(), ids=lambda p: " ".join(p) or "salestrain")
def test_help_in_chinese_has_no_english_phrase(path):
    result = CliRunner().invoke(main, ["--lang", "zh_CN", *path, "--help"])
    try:
        assert result.exit_code == 0, result.output
        assert CJK.search(result.output)
        assert not english_phrases(result.output), result.output
    finally:
        i18n.set_language(None)


@pytest.mark.parametrize("args", [
    ["release", "exercises/funnel"],           # a missing required option
    ["forecast", "--target", "lots", "x.csv"],  # a bad value
    ["no-such-command"],                        # an unknown command
    ["grade", "no-such-folder"],                # a path that is not there (click names it)
    ["lab", "--root", str(ROOT / "pyproject.toml")],  # a file for a folder (an eager command)
])
def test_usage_errors_in_chinese_have_no_english_phrase(args):
    result = CliRunner().invoke(main, ["--lang", "zh_CN", *args])
    try:
        assert result.exit_code == 2
        assert CJK.search(result.output), result.output
        assert not english_phrases(result.output), result.output
    finally:
        i18n.set_language(None)


def test_english_path_errors_are_restored_after_a_chinese_session():
    args = ["lab", "--root", str(ROOT / "pyproject.toml")]
    runner = CliRunner()
    assert "目录" in runner.invoke(main, ["--lang", "zh_CN", *args]).output
    i18n.set_language(None)
    result = runner.invoke(main, ["--lang", "en", *args])
    assert "Directory" in result.output and "is a file" in result.output
    assert not CJK.search(result.output)


def test_english_help_is_restored_after_a_chinese_session():
    runner = CliRunner()
    runner.invoke(main, ["--lang", "zh_CN", "forecast", "--help"])
    i18n.set_language(None)
    result = runner.invoke(main, ["--lang", "en", "forecast", "--help"])
    assert "Revenue target for the period." in result.output
    assert not CJK.search(result.output)


# -- what the commands a trainer runs print, in Chinese (none needs a server) ----------------

def _in_chinese(*args: str) -> str:
    result = CliRunner().invoke(main, ["--lang", "zh_CN", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


def _reads_as_chinese(output: str) -> None:
    assert CJK.search(output), output
    assert not english_phrases(output), (english_phrases(output), output)


def test_doctor_in_chinese():
    from salestrain.plots.style import installed_cjk_families

    output = _in_chinese("doctor", "--no-kernel")
    for family in installed_cjk_families():  # a font's name (WenQuanYi Micro Hei) is a name
        output = output.replace(family, "")
    _reads_as_chinese(output)


def test_doctor_failing_in_chinese_names_the_fixes_in_chinese(monkeypatch):
    from importlib import metadata

    from salestrain.plots import style as plots

    real_version = metadata.version

    def version(name: str) -> str:
        if name == "voila":
            raise metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(plots, "installed_cjk_families", lambda: ())
    monkeypatch.setattr(metadata, "version", version)
    result = CliRunner().invoke(main, ["--lang", "zh_CN", "doctor", "--no-kernel"])
    assert result.exit_code == 1, result.output
    _reads_as_chinese(result.output)
    assert "`pip install voila`" in result.output and "fonts-wqy-microhei" in result.output
    assert "2 项检查未通过" in result.output


def _bad_case(folder: Path) -> Path:
    case = folder / "cases" / "broken"
    case.mkdir(parents=True)
    (case / "case.yaml").write_text("kind: no-such-kind\n", encoding="utf-8")
    return case.parent


def test_validate_in_chinese_counts_in_chinese(tmp_path):
    result = CliRunner().invoke(main, ["--lang", "zh_CN", "validate", str(_bad_case(tmp_path))])
    assert result.exit_code == 1, result.output
    summary = result.output.splitlines()[-1]
    assert summary == "已检查 1 个文件，发现 1 个问题。"


def test_validate_in_chinese_reports_problems_in_chinese(tmp_path):
    _reads_as_chinese(_in_chinese("validate", str(_bad_case(tmp_path))))


def _broken_cases(folder: Path) -> Path:
    """Two broken case files: one of an unknown kind, one with a missing and a mistyped field."""
    unknown = folder / "cases" / "unknown"
    unknown.mkdir(parents=True)
    (unknown / "case.yaml").write_text("kind: no-such-kind\n", encoding="utf-8")
    broken = folder / "cases" / "broken"
    broken.mkdir(parents=True)
    (broken / "case.yaml").write_text(
        "kind: case\nslug: broken\ntitle: Broken\ntheme: Theme\nmodules: [funnel]\n"
        "protagonist: {name: A, role: B, company: C}\nseller: {name: S, sector: X, description: D}\n"
        "text: case.md\ndecision_point: What now?\n"
        "learning_objectives: [Learn this well, And this one too]\n"
        "discussion_questions: [The first question, The second question, The third question]\n"
        "exhibits:\n  - {id: e1, title: T, file: e1.csv, description: D, columns: "
        "[{name: amount, type: integer, description: X}]}\n"
        "teaching:\n  note: note.md\n  minutes: lots\n"
        "  plan: [{minutes: 30, activity: A}, {minutes: 45, activity: B}]\n"
        "  debrief: [{question: Q1, good_answer: A1}, {question: Q2, good_answer: A2}, "
        "{question: Q3, good_answer: A3}]\n", encoding="utf-8")
    return folder / "cases"


def _problem_lines(output: str) -> dict[str, str]:
    """``field: message`` of each problem line, by field."""
    lines = [line.split(": ", 2) for line in output.splitlines() if ".yaml:" in line]
    return {parts[1]: parts[2] for parts in lines if len(parts) == 3}


def test_a_broken_case_reads_in_the_users_language(tmp_path):
    cases = _broken_cases(tmp_path)
    chinese = CliRunner().invoke(main, ["--lang", "zh_CN", "validate", str(cases)])
    english = CliRunner().invoke(main, ["--lang", "en", "validate", str(cases)])
    assert chinese.exit_code == english.exit_code == 1, (chinese.output, english.output)
    _reads_as_chinese(chinese.output)
    zh, en = _problem_lines(chinese.output), _problem_lines(english.output)
    # the same problems at the same fields: the missing one, the mistyped one, the unknown kind
    assert set(zh) == set(en) == {"customer", "teaching.minutes", "kind"}, (zh, en)
    assert zh["customer"] == "缺少这个必填字段，请补上"
    assert "整数" in zh["teaching.minutes"] and "'lots'" in zh["teaching.minutes"]
    assert "'no-such-kind'" in zh["kind"] and "未知" in zh["kind"]
    assert en["customer"] == "Field required"
    assert en["teaching.minutes"].startswith("Input should be a valid integer") and "(got 'lots')" in en["teaching.minutes"]
    assert en["kind"].startswith("unknown kind 'no-such-kind'; use one of: ")
    assert not CJK.search(english.output), english.output


def test_forecast_in_chinese():
    output = _in_chinese("forecast", str(ROOT / "salestrain" / "data" / "funnel" / "sample_pipeline.csv"),
                         "--target", "1000000")
    _reads_as_chinese(output)
    # the category rows line up: a Chinese character takes two columns
    rows = [line for line in output.splitlines() if line.startswith("  ") and "个" in line]
    assert len({_columns(row.split("个")[0]) for row in rows}) == 1, rows


def _columns(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_case_list_in_chinese():
    _reads_as_chinese(_in_chinese("case"))


def test_release_in_chinese(tmp_path):
    output = _in_chinese("release", str(ROOT / "exercises" / "sample"), "--out", str(tmp_path / "out"))
    _reads_as_chinese(output)
    assert list((tmp_path / "out").iterdir())


def test_sample_book_in_chinese(tmp_path):
    _reads_as_chinese(_in_chinese("sample-book", str(tmp_path / "book")))


def test_coaching_record_in_chinese(tmp_path):
    db = str(tmp_path / "record.sqlite")
    assessments = str(ROOT / "salestrain" / "data" / "coaching" / "team_assessments.csv")
    _reads_as_chinese(_in_chinese("coaching", "record", "import", db, "--assessments", assessments))
    output = _in_chinese("coaching", "record", "progress", db)
    _reads_as_chinese(output)
    assert "授权" in output and "delegate" not in output
