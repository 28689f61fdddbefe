"""The Chinese docs: each has its English twin, the same sections in the same order, the
same commands, and reads in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.language import CJK, english_phrases

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [(p, ROOT / "docs" / p.name) for p in sorted((ROOT / "docs" / "zh_CN").glob("*.md"))]
PAIRS.append((ROOT / "README.zh_CN.md", ROOT / "README.md"))
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def headings(text: str) -> list[str]:
    return [line for line in FENCE.sub("", text).splitlines() if line.startswith("#")]


def commands(text: str) -> list[str]:
    return sorted({" ".join(c.split()) for c in re.findall(r"`(salestrain [^`]+)`", text)})


@pytest.mark.parametrize("chinese, english", PAIRS, ids=lambda p: p.name)
def test_a_chinese_doc_follows_its_english_twin(chinese, english):
    zh, en = chinese.read_text(encoding="utf-8"), english.read_text(encoding="utf-8")
    assert len(headings(zh)) == len(headings(en))
    assert all(CJK.search(h) or not english_phrases(h) for h in headings(zh)), headings(zh)
    # every command the English page gives is on the Chinese page too
    assert set(commands(en)) <= set(commands(zh)), set(commands(en)) - set(commands(zh))
    prose = FENCE.sub("", zh)
    assert english_phrases(prose) == [], english_phrases(prose)[:5]
    for link in re.findall(r"\]\(([^)#]+)\)", zh):
        if "://" not in link:
            assert (chinese.parent / link).resolve().exists(), link


def test_the_readme_points_to_its_chinese_twin():
    assert "README.zh_CN.md" in (ROOT / "README.md").read_text(encoding="utf-8")
