"""The release: learner versions with no solution and no hidden-test text anywhere."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import ContentError
from salestrain.base.i18n import set_language
from salestrain.grading.format import BEGIN, END, cell_source, is_tests_cell
from salestrain.grading.release import release, strip_solutions
from tests.grading.helpers import SAMPLE


def secrets_of(nb) -> list[str]:
    """Every line of every solution region and hidden tests cell that the public part
    of the source does not also contain (`points: 1` is not a secret)."""
    found, public = [], []
    for cell in nb["cells"]:
        source = cell_source(cell)
        if is_tests_cell(cell) and source.splitlines()[0].split()[-1] == "hidden":
            found += [line.strip() for line in source.splitlines()]
            continue
        inside = False
        for line in source.splitlines():
            if line.strip() == BEGIN:
                inside = True
            elif line.strip() == END:
                inside = False
            else:
                (found if inside else public).append(line.strip())
    public_text = "\n".join(public)
    return [s for s in found if len(s) > 6 and s not in public_text]


def all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_release_leaks_no_solution_or_hidden_test_and_is_deterministic(tmp_path):
    src = tmp_path / "exercises" / "sample"
    src.mkdir(parents=True)
    shutil.copy(SAMPLE, src)
    (src / "deals.csv").write_text("stage,amount\nwon,10\n", encoding="utf-8")
    (src / "helper_solution.py").write_text("ANSWER = 251000\n", encoding="utf-8")
    (src / "data").mkdir()
    (src / "data" / "stages.txt").write_text("proposal\n", encoding="utf-8")
    nb = nbformat.read(str(SAMPLE), as_version=4)
    nb.metadata["grader_notes"] = "the answer is 251000"  # tools keep things in metadata
    nb.cells[4].metadata["solution_text"] = cell_source(nb.cells[4])
    nbformat.write(nb, str(src / SAMPLE.name))
    secrets = secrets_of(json.loads((src / SAMPLE.name).read_text(encoding="utf-8")))
    assert len(secrets) >= 8 and any("weighted_forecast(pd.DataFrame" in s for s in secrets)
    assert any('"negotiation": 0.7' in s for s in secrets) and "expect: 24000" in secrets

    out1, out2 = tmp_path / "release1", tmp_path / "release2"
    release(tmp_path / "exercises", out1)
    release(tmp_path / "exercises", out2)
    assert all_bytes(out1) == all_bytes(out2)  # deterministic, byte for byte
    files = sorted(p.relative_to(out1).as_posix() for p in out1.rglob("*") if p.is_file())
    assert files == ["sample/data/stages.txt", "sample/deals.csv", "sample/funnel_forecast.ipynb"]

    blob = all_bytes(out1).decode("utf-8")
    leaked = [s for s in secrets if s in blob]
    assert leaked == []
    assert "251000" in blob  # the public test's expected value stays, for check()
    assert "grader_notes" not in blob and "solution_text" not in blob
    learner = nbformat.read(str(out1 / "sample" / SAMPLE.name), as_version=4)
    nbformat.validate(learner)
    sources = [c.source for c in learner.cells]
    assert sum("# YOUR ANSWER HERE" in s for s in sources) == 3
    assert sum(s.startswith("%%tests") for s in sources) == 3  # public ones only
    assert all(not c.get("outputs") for c in learner.cells if c.cell_type == "code")


def test_release_in_chinese_and_refusal_on_broken_markers(tmp_path):
    set_language("zh_CN")
    release(SAMPLE, tmp_path / "zh")
    text = (tmp_path / "zh" / SAMPLE.name).read_text(encoding="utf-8")
    assert "# 在这里写你的答案" in text
    set_language("en")

    broken = tmp_path / "exercises" / "bad.ipynb"
    broken.parent.mkdir()
    nb = nbformat.read(str(SAMPLE), as_version=4)
    nb.cells[4].source = nb.cells[4].source.replace(END, "## END SOLUTION")
    nbformat.write(nb, str(broken))
    with pytest.raises(ContentError) as info:
        release(broken.parent, tmp_path / "out")
    assert "bad.ipynb:cell 5" in str(info.value)
    assert not (tmp_path / "out").exists()  # nothing half-written


LINE = st.text(alphabet="abcdefgh_=() 0123456789", min_size=3, max_size=20).filter(
    lambda s: s.strip() and not s.strip().startswith("#"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(LINE, min_size=1, max_size=3)), min_size=1, max_size=6),
       st.sampled_from(["", "    "]))
def test_strip_solutions_keeps_every_outside_line_and_no_inside_line(blocks, indent):
    """Any mix of plain lines and regions: the text outside survives in order, the text
    inside is gone (lines are tagged so inside and outside never share a text)."""
    lines, outside, inside = [], [], []
    for n, (is_solution, texts) in enumerate(blocks):
        tagged = [f"{text}  # b{n}l{i}" for i, text in enumerate(texts)]
        if is_solution:
            lines += [indent + BEGIN, *(indent + t for t in tagged), indent + END]
            inside += tagged
        else:
            lines += tagged
            outside += tagged
    released = strip_solutions("\n".join(lines), "# YOUR ANSWER HERE")
    kept = [line for line in released.splitlines() if line.strip() != "# YOUR ANSWER HERE"]
    assert kept == outside
    assert not any(tag in released for tag in inside)
    assert released.count("# YOUR ANSWER HERE") == sum(1 for s, _ in blocks if s)
