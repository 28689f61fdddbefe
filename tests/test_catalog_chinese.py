"""Every Chinese text salestrain can show is Chinese, whichever path shows it.

The apps, the command line, the grader and the lessons print only catalog messages and
content texts (``t()``; nothing user-facing is written inline: tests/test_i18n.py scans the
code for keys). So reading every zh_CN message and every zh_CN content text covers every
message path, including the error paths no other test reaches.

Allowed Latin: code in backticks, placeholders (``{value}``: they are filled with the user's
own data), and single words from the list below, which are what a user types or installs as
it is: column names and values of the files, commands, program names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.language import english_phrases, english_words

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "salestrain" / "base" / "i18n" / "zh_CN"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]")  # {value}, click's %(prog)s

# Words a user types into a file or a terminal as they are: the files' column names and
# values (deal_id, stage, won/lost, yes/no, self/manager, the buying-centre roles), the
# fields of the content files (kind, prompt, expect ...) and the programs named in a fix.
TYPED = {
    # file columns and values
    "advanced", "agreement", "amount", "buyer", "category", "coach", "contact", "customer",
    "date", "decision", "discount", "economic", "entered", "false", "integer", "lost", "maker",
    "manager", "number", "null", "owner", "potential", "purchaser", "rep", "self", "seller",
    "stage", "stalled", "strategic", "technical", "true", "user", "won", "yes",
    "family", "objection", "reply", "outcome",  # the objection log's columns
    # fields of the content files, options and formats
    "border", "dmy", "expect", "file", "kind", "lang", "line", "mapping", "mdy", "pmax",
    "pmin", "points", "prompt", "question", "slug", "strptime", "teams", "tests", "token",
    # programs and what one types to install them
    "bubblewrap", "chmod", "git", "install", "ipywidgets", "jupyterlab", "localhost",
    "matplotlib", "pip", "postgres", "postgresql", "root",
    "low", "high",  # border: low|high in the coaching files
    # subcommands and option values of the command line
    "import", "export", "progress", "learner",
    "funnel", "negotiation", "objections", "coaching", "goals", "strategy",
}


def _strings(node: object, path: str, chinese: bool) -> Iterator[tuple[str, str]]:
    """(path, text) for every string under ``node`` that is Chinese: every leaf of a zh_CN
    catalog, and the ``zh_CN:`` side of a bilingual content text."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _strings(child, f"{path}.{key}", chinese or key == "zh_CN")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _strings(child, f"{path}[{index}]", chinese)
    elif isinstance(node, str) and chinese:
        yield path, node


def _catalog_texts() -> list[tuple[str, str]]:
    found = []
    for file in sorted(CATALOGS.glob("*.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        found += [(f"{file.name}{path}", text) for path, text in _strings(doc, "", True)]
    return found


def _content_files() -> list[Path]:
    roots = [ROOT / "salestrain" / "data", ROOT / "cases", ROOT / "exercises"]
    return sorted(p for root in roots for p in root.rglob("*.yaml"))


def _content_texts() -> list[tuple[str, str]]:
    found = []
    for file in _content_files():
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        whole = ".zh_CN." in file.name  # help.zh_CN.yaml: every string is Chinese
        found += [(f"{file.relative_to(ROOT)}{path}", text)
                  for path, text in _strings(doc, "", whole)]
    return found


def _leaks(texts: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    phrases, words = [], []
    for where, text in texts:
        bare = _PLACEHOLDER.sub(" ", text)
        phrases += [f"{where}: {p}" for p in english_phrases(bare)]
        words += [f"{where}: {w}" for w in english_words(bare) if w not in TYPED]
    return phrases, words


def test_the_catalogs_and_content_hold_chinese_texts_to_scan():
    # the scan below proves nothing if it reads nothing
    assert len(_catalog_texts()) > 2000
    assert len(_content_texts()) > 1000


@pytest.mark.parametrize("source", ["catalogs", "content"])
def test_no_chinese_message_or_content_text_holds_an_english_phrase(source):
    texts = _catalog_texts() if source == "catalogs" else _content_texts()
    phrases, words = _leaks(texts)
    assert phrases == []
    assert words == []


def test_the_scan_finds_english_in_a_chinese_text():
    phrases, words = _leaks([("x", "请先 run the grader 再提交"), ("y", "请填写 value（{value}）")])
    assert phrases == ["x: run the grader"]
    assert words == ["x: run", "x: the", "x: grader", "y: value"]


_FOLD = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]\n[ ]+[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_no_chinese_text_is_folded_across_lines():
    # YAML folds a line break into a space, and Chinese has no spaces between characters:
    # "价格。 四项待谈" on a role card. Write a Chinese text on one line.
    folded = [str(p.relative_to(ROOT)) for p in [*_content_files(), *sorted(CATALOGS.glob("*.yaml"))]
              if _FOLD.search(p.read_text(encoding="utf-8"))]
    assert folded == []
