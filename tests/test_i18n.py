import json
import re
from pathlib import Path

import pytest

import salestrain
from salestrain.base import i18n
from salestrain.io.content import validate_path

ROOT = Path(__file__).resolve().parent.parent
KEYLIKE = re.compile(r"""["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")
# "coaching.sqlite" is a file name, not a message key.
FILE_SUFFIXES = {"sqlite", "db", "csv", "yaml", "yml", "json", "ipynb", "png", "html", "py", "txt", "md"}


def _catalog_stems() -> set[str]:
    return {p.stem for p in i18n.catalog_files("en")}


def _sources() -> list[tuple[Path, str]]:
    files: list[tuple[Path, str]] = []
    for path in sorted((ROOT / "salestrain").rglob("*.py")):
        files.append((path, path.read_text(encoding="utf-8")))
    for folder in ("notebooks", "cases", "exercises"):
        for path in sorted((ROOT / folder).rglob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
            files.append((path, text))
    return files


def test_every_key_used_in_code_and_notebooks_is_in_english():
    stems = _catalog_stems()
    english = i18n.catalog("en")
    # A prefix of messages (show_table's values={"stage": "funnel.stage"} reads
    # funnel.stage.<code>) is used as such, not as a message.
    prefixes = {key.rsplit(".", n)[0] for key in english for n in range(1, key.count(".") + 1)}
    missing = []
    for path, text in _sources():
        for match in KEYLIKE.finditer(text):
            key = match.group(1)
            parts = key.split(".")
            if (parts[0] in stems and parts[-1] not in FILE_SUFFIXES and key not in english
                    and key not in prefixes):
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, "keys missing from the English catalog:\n" + "\n".join(missing)


def test_the_scan_would_catch_a_missing_key():
    english = i18n.catalog("en")
    assert "start.app.title" in english
    assert "start.app.no_such_key" not in english
    text = 't("start.app.no_such_key")'
    found = [m.group(1) for m in KEYLIKE.finditer(text)]
    assert found == ["start.app.no_such_key"]


def test_catalogs_validate():
    checked, problems = validate_path(i18n.CATALOG_DIR)
    assert checked >= 2
    assert problems == []


def test_language_switch_and_fallback(monkeypatch):
    assert salestrain.t("start.app.title") == "How many deals will you win?"
    salestrain.set_language("zh-CN")
    assert salestrain.get_language() == "zh_CN"
    assert salestrain.t("start.app.title") == "你能赢下多少单？"
    salestrain.set_language(None)
    monkeypatch.setenv(i18n.ENV_VAR, "zh_CN.UTF-8")
    assert salestrain.get_language() == "zh_CN"
    # Intended change (issue 12): an unknown language no longer raises in front of a
    # learner; it reads English with a one-line notice (see the fallback tests below).
    i18n.forget_notices()
    assert salestrain.set_language("fr") == "en"
    assert salestrain.t("start.app.title") == "How many deals will you win?"


def test_missing_key_raises_and_formatting_fills_values():
    with pytest.raises(KeyError, match="missing from the English catalog"):
        salestrain.t("start.nope")
    text = salestrain.t("start.plot.title", deals=5, rate="30%")
    assert text == "5 deals, each won with probability 30%"


def test_zh_catalog_key_not_in_english_is_reported(tmp_path):
    lang_dir = tmp_path / "i18n" / "zh_CN"
    lang_dir.mkdir(parents=True)
    bad = lang_dir / "start.yaml"
    bad.write_text('app:\n  title: "好"\n  invented: "多余"\n  summary: "{mean}"\n', encoding="utf-8")
    _, problems = validate_path(bad)
    texts = [str(p) for p in problems]
    assert any(":3: app.invented:" in t and "not in the English catalog" in t for t in texts)
    assert any(":4: app.summary:" in t and "placeholders" in t for t in texts)


# -- one translation path: plurals, locale fallback, content texts --------------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from salestrain.base.i18n import Text  # noqa: E402


def test_plural_forms_follow_cldr_in_english_and_chinese():
    def summary(n: int, lang: str) -> str:
        return salestrain.t("grading.grade.summary", lang=lang, count=n, mean="1.0", max_points=2)

    assert summary(1, "en").startswith("1 submission graded;")
    assert summary(0, "en").startswith("0 submissions graded;")
    assert summary(2, "en").startswith("2 submissions graded;")
    assert summary(1234, "en").startswith("1,234 submissions graded;")  # counts are grouped
    assert summary(1, "zh_CN").startswith("已批改 1 份作业")
    assert summary(12000, "zh_CN").startswith("已批改 12,000 份作业")
    with pytest.raises(TypeError, match="plural forms; pass count"):
        salestrain.t("grading.grade.summary", mean="1", max_points=2)


@given(st.integers(min_value=0, max_value=10**9))
def test_english_uses_one_only_for_exactly_one_and_chinese_never(n):
    # CLDR: English integers are "one" iff n == 1; Chinese has the single form "other".
    assert i18n.plural_category(n, "en") == ("one" if n == 1 else "other")
    assert i18n.plural_category(n, "zh_CN") == "other"
    text = salestrain.t("objections.cli.sessions", lang="en", count=n)
    assert text.endswith(" session.") == (n == 1)


@pytest.mark.parametrize("tag", ["zh_TW", "zh-HK", "zh_MO", "zh-Hant", "zh_Hant_TW.UTF-8"])
def test_traditional_chinese_is_not_silently_simplified(tag, capsys):
    i18n.forget_notices()
    assert salestrain.set_language(tag) == "en"
    assert salestrain.t("start.app.title") == "How many deals will you win?"
    salestrain.set_language(tag)  # a second time: no second notice
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traditional Chinese" in err[0] and tag in err[0]


@pytest.mark.parametrize("tag", ["zh", "zh_CN", "zh-cn", "zh_SG", "zh-Hans", "zh_Hans_CN", "zh_CN.UTF-8"])
def test_simplified_chinese_spellings_read_zh_cn_without_notice(tag, capsys):
    i18n.forget_notices()
    assert salestrain.set_language(tag) == "zh_CN"
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("tag", ["fr", "de_DE", "xx", "!!!", "12"])
def test_unknown_locale_reads_english_with_one_notice(tag, capsys):
    i18n.forget_notices()
    assert salestrain.set_language(tag) == "en"
    assert salestrain.t("start.app.title", lang=tag) == "How many deals will you win?"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "showing English" in err[0]


def test_unknown_locale_from_the_environment_and_the_posix_locale(monkeypatch, capsys):
    i18n.forget_notices()
    salestrain.set_language(None)  # the test fixture chose English; read the environment
    monkeypatch.setenv(i18n.ENV_VAR, "zh_TW")
    assert salestrain.get_language() == "en"
    assert salestrain.get_language() == "en"
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    monkeypatch.setenv(i18n.ENV_VAR, "C.UTF-8")
    assert salestrain.get_language() == "en" and capsys.readouterr().err == ""


def test_content_text_resolves_with_the_same_rules_as_catalog_keys(capsys):
    both = Text.parse({"en": "Too expensive.", "zh_CN": "太贵了。"})
    english_only = Text.parse("Too expensive.")
    chinese_only = Text.parse({"zh_CN": "太贵了。"})
    assert english_only == Text.parse({"en": "Too expensive."})
    assert salestrain.t(both) == "Too expensive."
    assert salestrain.t(both, lang="zh-CN") == "太贵了。"
    salestrain.set_language("zh_CN")
    assert salestrain.t(both) == "太贵了。"
    assert salestrain.t(english_only) == "Too expensive."  # zh_CN -> en, the catalog chain
    salestrain.set_language(None)
    i18n.forget_notices()
    assert salestrain.t(both, lang="zh_TW") == "Too expensive."  # zh_TW is not zh_CN here either
    assert "Traditional Chinese" in capsys.readouterr().err
    # a text in no language of the chain is still shown, never an empty screen
    assert salestrain.t(chinese_only, lang="en") == "太贵了。"
    assert salestrain.t(Text.parse({"en": "Hi {name}"}), name="Tang Min") == "Hi Tang Min"


@pytest.mark.parametrize("value, words", [
    ({"zh": "太贵了"}, "unknown language"), ({"en": "  "}, "empty"), ({}, "mapping of languages"),
    (42, "mapping of languages"), ({"en": "x", "zh_TW": "太貴了"}, "zh_TW"),
])
def test_bad_content_texts_are_named(value, words):
    with pytest.raises(ValueError, match=words):
        Text.parse(value)


def _catalog(tmp_path: Path, lang: str, text: str) -> Path:
    folder = tmp_path / "i18n" / lang
    folder.mkdir(parents=True)
    path = folder / "grading.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plural_forms_are_validated_per_language(tmp_path):
    bad_zh = _catalog(tmp_path, "zh_CN", 'grade:\n  summary:\n    one: "{count} 份"\n'
                                           '    other: "已批改 {count} 份；{mean}/{max_points}"\n')
    _, problems = validate_path(bad_zh)
    assert any(":3: grade.summary.one:" in str(p) and "no plural category 'one'" in str(p)
               for p in problems), problems
    bad_en = _catalog(tmp_path / "b", "en", 'grade:\n  summary:\n    other: "{count} things"\n')
    _, problems = validate_path(bad_en)
    assert any(":2: grade.summary:" in str(p) and "one are missing" in str(p) for p in problems)
    plain_zh = _catalog(tmp_path / "c", "zh_CN", 'grade:\n  summary: "已批改 {count} 份；{mean}/{max_points}"\n')
    assert validate_path(plain_zh)[1] == []


def test_catalog_plural_messages_load_as_plural():
    message = i18n.catalog("en")["grading.grade.summary"]
    assert isinstance(message, i18n.Plural) and set(message) == {"one", "other"}
    assert i18n.placeholders(message) == {"count", "mean", "max_points"}
    assert isinstance(i18n.catalog("zh_CN")["grading.grade.summary"], str)


def _leaf_keys(node: object, prefix: str = "") -> set[str]:
    plural = {"zero", "one", "two", "few", "many", "other"}
    if not isinstance(node, dict) or (node and set(node) <= plural):
        return {prefix}
    keys: set[str] = set()
    for name, child in node.items():
        keys |= _leaf_keys(child, f"{prefix}.{name}" if prefix else str(name))
    return keys


def test_every_english_message_has_its_chinese_text():
    # A missing zh_CN key falls back to English: a mixed screen (issue 14 found 26 in
    # workshop.yaml, the case exercises' feedback).
    import yaml

    root = Path(__file__).resolve().parents[1] / "salestrain" / "base" / "i18n"
    missing = []
    for en_file in sorted((root / "en").glob("*.yaml")):
        zh_file = root / "zh_CN" / en_file.name
        en_keys = _leaf_keys(yaml.safe_load(en_file.read_text(encoding="utf-8")) or {})
        zh_keys = (_leaf_keys(yaml.safe_load(zh_file.read_text(encoding="utf-8")) or {})
                   if zh_file.exists() else set())
        missing += [f"{en_file.name}: {key}" for key in sorted(en_keys - zh_keys)]
    assert missing == []
