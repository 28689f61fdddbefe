"""Sample data in the learner's language: the name maps are valid content and a Chinese
session sees every sample account and rep with a Chinese name."""

from __future__ import annotations

import pytest

from salestrain.base.errors import ContentError
from salestrain.io.content import validate_path
from salestrain.io.funnel import data_path, sample_history, sample_name, sample_pipeline
from salestrain.io.sample_names import load_sample_names
from tests.language import CJK


def test_every_sample_account_and_rep_has_a_chinese_name_in_a_chinese_session():
    english = sample_pipeline(lang="en")
    chinese = sample_pipeline(lang="zh_CN")
    assert (english["deal_id"] == chinese["deal_id"]).all()  # the same deals, renamed only
    assert (english["amount"] == chinese["amount"]).all()
    for column in ("account", "owner"):
        assert all(CJK.search(name) for name in chinese[column]), column
        # one name per person or company, in both directions
        pairs = set(zip(english[column], chinese[column], strict=True))
        assert len({e for e, _ in pairs}) == len({z for _, z in pairs}) == len(pairs)
    history = sample_history(lang="zh_CN")
    assert all(CJK.search(name) for name in history["owner"])
    assert sample_name("Wang Jun", "zh_CN") == "王军" and sample_name("Wang Jun", "en") == "Wang Jun"


def test_a_bad_name_map_is_named_with_its_fix(tmp_path):
    bad = tmp_path / "names.yaml"
    bad.write_text('kind: sample-names\nlanguage: fr\nowners:\n  "Wang Jun": ""\n'
                   'accounts:\n  "Wang Jun": "王军"\n', encoding="utf-8")
    _, problems = validate_path(bad)
    text = "\n".join(map(str, problems))
    assert "language 'fr'" in text and "has no name" in text
    with pytest.raises(ContentError):
        load_sample_names(bad)
    assert validate_path(data_path("sample_names.yaml"))[1] == []


def test_the_coaching_samples_name_every_rep_in_chinese_and_keep_the_scores():
    from salestrain.io.coaching.files import sample_name as rep_name
    from salestrain.io.coaching.files import sample_team

    english, chinese = sample_team(lang="en"), sample_team(lang="zh_CN")
    assert all(CJK.search(name) for name in chinese["rep"])
    assert english.drop(columns="rep").equals(chinese.drop(columns="rep"))
    assert rep_name("Lin Qiao", "zh_CN") == "林巧"
    assert list(chinese["rep"]) == [rep_name(n, "zh_CN") for n in english["rep"]]
