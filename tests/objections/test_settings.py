"""Where a scenario is set (issue 14): China-set stories have Chinese people and companies.

Every shipped scenario says `setting: china` or `setting: international`; both kinds ship,
so learners in either language meet familiar ground. A China-set scenario names a Chinese
buyer and company in Chinese (no transliteration, no Latin letters) and calls the buyer
by that name in the brief in both languages; the app shows the setting as a tag.
"""

from __future__ import annotations

import html
import re

import pytest

from salestrain import set_language
from salestrain.apps.objections import ObjectionApp
from salestrain.base.i18n import t
from salestrain.core.objections import SETTINGS
from salestrain.io.content import validate_path
from salestrain.io.objections.scenarios import (
    load_scenario,
    scenario_from_text,
    scenario_names,
    scenario_path,
)
from salestrain.io.yamlio import load_yaml
from tests.objections.helpers import line_of, small_yaml, write

NAMES = scenario_names()
CJK_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
LATIN = re.compile(r"[A-Za-z]")


def _by_setting(setting: str) -> list[str]:
    return [n for n in NAMES if load_scenario(n).setting == setting]


@pytest.mark.parametrize("name", NAMES)
def test_every_shipped_scenario_states_its_setting(name):
    # The default is for trainers' drafts; a shipped file says it outright.
    raw = load_yaml(scenario_path(name)).raw
    assert raw.get("setting") in SETTINGS, f"{name}: add `setting: china` or `setting: international`"


def test_both_kinds_of_ground_ship():
    assert len(_by_setting("china")) >= 3
    assert len(_by_setting("international")) >= 3


@pytest.mark.parametrize("name", _by_setting("china"))
def test_a_china_set_scenario_has_a_chinese_buyer_and_company(name):
    s = load_scenario(name)
    buyer, company = s.text("buyer", "zh_CN"), s.text("company", "zh_CN")
    for field, text in (("buyer", buyer), ("company", company)):
        assert "·" not in text, f"{name}: {field} {text!r} is a transliterated foreign name"
        assert not LATIN.search(text), f"{name}: {field} {text!r} has Latin letters"
    person, _, role = buyer.partition("，")
    assert CJK_NAME.match(person), f"{name}: buyer {buyer!r} should start with a 2-3 character Chinese name"
    assert role, f"{name}: buyer {buyer!r} should read 'name，role'"
    # The brief calls the buyer by the new name in both languages (唐经理 / Ms Tang), so
    # no sentence still talks about the old, Western buyer.
    en_surname = s.text("buyer", "en").split(",")[0].split()[0]
    assert person[0] in s.text("brief", "zh_CN"), f"{name}: zh_CN brief does not name {person}"
    assert en_surname in s.text("brief", "en"), f"{name}: en brief does not name {en_surname}"


@pytest.mark.parametrize("name", _by_setting("china"))
def test_no_transliterated_name_anywhere_in_a_china_set_story(name):
    s = load_scenario(name)
    texts = [s.text(f, "zh_CN") for f in ("title", "company", "buyer", "brief")]
    for node in s.nodes:
        texts.append(t(node.say, lang="zh_CN"))
        for option in node.options:
            texts.append(t(option.text, lang="zh_CN"))
            if option.feedback is not None:
                texts.append(t(option.feedback, lang="zh_CN"))
    dotted = [x for x in texts if "·" in x]
    assert not dotted, f"{name}: {dotted}"


def test_a_draft_without_setting_is_international():
    assert "setting" not in small_yaml()
    assert scenario_from_text(small_yaml()).setting == "international"
    china = small_yaml().replace("persona: stubborn", "setting: china\npersona: stubborn")
    assert scenario_from_text(china).setting == "china"


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["'china'", "'international'", "'mars'"]),
    ("zh_CN", ["应为", "'china'", "'international'", "'mars'"]),
])
def test_a_bad_setting_is_named_at_its_line(tmp_path, lang, words):
    text = small_yaml().replace("persona: stubborn", "setting: mars\npersona: stubborn")
    path = write(tmp_path, text)
    set_language(lang)
    try:
        _, problems = validate_path(path)
    finally:
        set_language(None)
    [problem] = problems
    assert (problem.file, problem.line, problem.field) == (str(path), line_of(text, "setting: mars"),
                                                           "setting")
    for word in words:
        assert word in problem.message, problem.message


@pytest.mark.parametrize(("name", "lang", "tag"), [
    ("harbourline-cold-chain", "en", "Set in China"),
    ("harbourline-cold-chain", "zh_CN", "中国场景"),
    ("quarrystone-route-planning", "en", "International"),
    ("quarrystone-route-planning", "zh_CN", "国际场景"),
])
def test_the_app_tags_the_setting_where_the_scenario_is_introduced(name, lang, tag):
    set_language(lang)
    try:
        app = ObjectionApp(scenario=name)
        header = app.header.value
    finally:
        set_language(None)
    assert tag in header
    # The tag sits before the company line, not lost at the bottom of the page.
    company = html.escape(load_scenario(name).text("company", lang))
    assert header.index(tag) < header.index(company)
    other = {"Set in China": "International", "International": "Set in China",
             "中国场景": "国际场景", "国际场景": "中国场景"}[tag]
    assert other not in header
