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
    missing = []
    for path, text in _sources():
        for match in KEYLIKE.finditer(text):
            key = match.group(1)
            parts = key.split(".")
            if parts[0] in stems and parts[-1] not in FILE_SUFFIXES and key not in english:
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
    with pytest.raises(ValueError, match="unknown language"):
        salestrain.set_language("fr")


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
