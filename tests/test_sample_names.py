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
