"""Every shipped case reads wholly in Chinese and wholly in English, from one case.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from salestrain.base.i18n import Text
from salestrain.io.cases import (
    case_brief_markdown,
    case_folders,
    load_case,
    teaching_note_markdown,
    variant,
)
from tests.language import CJK, english_phrases

ROOT = Path(__file__).resolve().parents[2]
SLUGS = [p.name for p in case_folders(ROOT / "cases")]


def texts(node: object, where: str = "case") -> list[tuple[str, Text]]:
    if isinstance(node, Text):
        return [(where, node)]
    if isinstance(node, BaseModel):
        return [found for name in type(node).model_fields
                for found in texts(getattr(node, name), f"{where}.{name}")]
    if isinstance(node, list):
        return [found for k, item in enumerate(node) for found in texts(item, f"{where}[{k}]")]
    return []


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_of_the_case_file_is_in_both_languages(slug):
    case = load_case(ROOT / "cases" / slug, "en")
    fields = texts(case.spec)
    assert len(fields) > 30
    missing = [where for where, text in fields if set(text) != {"en", "zh_CN"}]
    assert not missing, missing
    for where, text in fields:
        assert CJK.search(text["zh_CN"]), (where, text["zh_CN"])
        assert not CJK.search(text["en"]), (where, text["en"])


@pytest.mark.parametrize("slug", SLUGS)
def test_every_file_of_the_case_has_its_chinese_twin(slug):
    folder = ROOT / "cases" / slug
    case = load_case(folder, "en")
    files = [case.spec.text, case.spec.teaching.note, *(e.file for e in case.spec.exhibits)]
    for rel in files:
        assert (folder / variant(rel, "zh_CN")).is_file(), variant(rel, "zh_CN")


@pytest.mark.parametrize("slug", SLUGS)
def test_the_chinese_brief_and_note_have_no_english_sentence(slug):
    case = load_case(ROOT / "cases" / slug, "zh_CN")
    assert case.lang == "zh_CN"
    for page in (case_brief_markdown(case), teaching_note_markdown(case)):
        assert len(CJK.findall(page)) > 500
        assert english_phrases(page) == []
    for exhibit in case.spec.exhibits:
        table = case.exhibit(exhibit.id)
        for column in exhibit.columns:
            if column.type == "text":
                cells = " | ".join(str(v) for v in table[column.name].dropna())
                assert english_phrases(cells) == [], (exhibit.id, column.name)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_english_case_is_untouched_by_its_translation(slug):
    case = load_case(ROOT / "cases" / slug, "en")
    for page in (case_brief_markdown(case), teaching_note_markdown(case)):
        assert not CJK.search(page)
    chinese = load_case(ROOT / "cases" / slug, "zh_CN")
    for exhibit in case.spec.exhibits:  # the numbers are the same in both languages
        for column in exhibit.columns:
            if column.type != "text":
                assert case.exhibit(exhibit.id)[column.name].equals(
                    chinese.exhibit(exhibit.id)[column.name]), (exhibit.id, column.name)
