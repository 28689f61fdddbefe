"""The territory file a trainer edits: the shipped one loads, each bad field is named with its line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from salestrain.base.errors import ContentError
from salestrain.base.i18n import t
from salestrain.core.strategy.market import sample_territory
from salestrain.io.content import validate_file
from salestrain.io.strategy import TERRITORY_FILE, load_territory

GOOD = TERRITORY_FILE.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "territory.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_territory_is_the_sample_generator_with_the_files_numbers():
    territory = load_territory()
    sample = sample_territory(200, seed=0)
    assert [s.name for s in territory.segments] == [s.name for s in sample.segments]
    assert np.array_equal(territory.account_segment, sample.account_segment)
    assert np.array_equal(territory.potential, sample.potential)
    assert validate_file(TERRITORY_FILE) == []


def test_a_trainer_changes_the_region_without_python(tmp_path):
    text = (GOOD.replace("accounts: 200", "accounts: 80").replace("seed: 0", "seed: 9")
            .replace("    growth: 0.04", "    growth: 0.08"))
    territory = load_territory(write(tmp_path, text))
    assert territory.n_accounts == 80
    assert territory.segments[2].growth == 0.08
    assert not np.array_equal(territory.potential, sample_territory(80, seed=0).potential)


def test_a_new_segment_brings_its_own_label(tmp_path):
    text = GOOD.replace("  - name: public_sector\n    share: 0.15",
                        "  - name: retail\n    label: {en: retail chains, zh_CN: 连锁零售}\n    share: 0.15")
    territory = load_territory(write(tmp_path, text))
    assert territory.segments[-1].title() == "retail chains"
    assert t(territory.segments[-1].label, lang="zh_CN") == "连锁零售"
    # Without a label, a name the catalog does not know is refused at its line.
    bare = GOOD.replace("  - name: public_sector", "  - name: retail")
    problems = validate_file(write(tmp_path, bare))
    assert len(problems) == 1 and "retail" in problems[0].message and "label" in problems[0].message
    assert problems[0].line == bare.splitlines().index("  - name: retail") + 1


@pytest.mark.parametrize("old, new, field, words", [
    ("share: 0.35", "share: 0.45", "segments", "add up to 1.1"),
    ("  - name: logistics", "  - name: manufacturing", "segments.1.name", "listed twice"),
    ("accounts: 200", "accounts: 5", "accounts", "20"),
    ("seed: 0", "seed: -1", "seed", "0"),
    ("spread: 0.9", "spread: lots", "potential.spread", "lots"),
    ("    price_sensitivity: 2.5", "    price_sensitivity: 9", "segments.1.price_sensitivity", "9"),
    ("    growth: 0.02", "    growth: 0.02\n    colour: red", "segments.1.colour", "not permitted"),
    ("  median: 60000", "  median: 0", "potential.median", "0"),
    ("kind: market-territory", "kind: negotiation-scenario", "kind", None),
])
def test_each_bad_field_is_named_with_its_line(tmp_path, old, new, field, words):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ContentError) as err:
        load_territory(path)
    problems = err.value.problems
    assert problems and problems[0].field == field, problems
    assert problems[0].line is not None and problems[0].file == str(path)
    if words:
        assert words in problems[0].message
    assert str(path) in str(err.value)


def test_a_missing_file_says_where_the_example_is(tmp_path):
    with pytest.raises(ContentError, match="does not exist.*territory.yaml"):
        load_territory(tmp_path / "nope.yaml")


def test_a_half_translated_label_is_reported_by_validate_but_does_not_stop_the_game(tmp_path):
    text = GOOD.replace("  - name: public_sector\n    share: 0.15",
                        "  - name: retail\n    label: {en: retail chains}\n    share: 0.15")
    text = text.replace("  - name: healthcare\n", "  - name: healthcare\n    label: {en: clinics, zh_CN: 诊所}\n")
    path = write(tmp_path, text)
    problems = validate_file(path)
    assert [p.field for p in problems] == ["segments.3.label"]
    assert load_territory(path).segments[3].title() == "retail chains"
