"""Case exercises: at least two per case, on the case's own exhibits, gradable in the sandbox."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from salestrain.io.cases import case_folders, load_case, variant
from salestrain.io.lessons import variant_language
from tests.workshop.test_flows import _solutions, learner_copy

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"


def test_every_case_has_two_exercises_whose_data_are_its_exhibits():
    for folder in case_folders(CASES):
        case = load_case(folder)
        mine = folder / "exercises"
        # X.zh_CN.ipynb is exercise X in Chinese (built from source/X.ipynb, sharing its tests)
        notebooks = sorted(p for p in mine.glob("*.ipynb") if variant_language(p) is None)
        assert len(notebooks) >= 2, case.slug
        exhibit_files = {Path(e.file).name: e.file for e in case.spec.exhibits}
        for data in mine.glob("*.csv"):
            # A copy beside the exercise (the grader gives learners only that folder);
            # it must stay byte-identical to the exhibit the case text describes, and a
            # translated copy (X.zh_CN.csv, which read_exhibit reads in a Chinese session)
            # to that exhibit's own translation.
            lang = variant_language(data)
            original = data.name.replace(f".{lang}.", ".") if lang else data.name
            assert original in exhibit_files, (case.slug, data.name)
            exhibit = folder / variant(exhibit_files[original], lang or "en")
            assert exhibit.is_file(), (data, exhibit)
            assert data.read_bytes() == exhibit.read_bytes(), data
        for nb_path in notebooks:
            nb = nbformat.read(nb_path, as_version=4)
            text = "\n".join(c.source for c in nb.cells)
            assert "fictional" in text and nb.metadata.kernelspec.name == "python3"
            for name in {n for n in exhibit_files if f'"{n}"' in text}:
                assert (mine / name).exists(), (nb_path, name)
                # every translation of the exhibit travels with it, for read_exhibit
                for translated in folder.glob(variant(exhibit_files[name], "*")):
                    assert (mine / translated.name).exists(), (nb_path, translated.name)


def test_case_exercise_markup_is_valid_and_every_question_has_feedback_that_teaches():
    # Executing every solution against its tests is `salestrain validate` (run on all
    # shipped content by tests/test_cli.py); here only the markup, without kernels.
    from salestrain.grading.nocode import declared_questions, is_no_code
    from salestrain.grading.validate import markup_problems, read_notebook

    paths = sorted(p for p in CASES.glob("*/exercises/*.ipynb") if variant_language(p) is None)
    assert len(paths) >= 8
    no_code = 0
    for path in paths:
        nb, problems = read_notebook(path)
        if is_no_code(nb):
            # the case's own decisions, judged in widgets: every option explains itself
            no_code += 1
            questions, problems = declared_questions(nb, str(path))
            assert problems == [] and len(questions) >= 3, (path, problems)
            for declared in questions.values():
                for option in declared.data.get("options", []):
                    assert option.get("why"), (path, declared.qid, option.get("id"))
            continue
        exercise, problems = markup_problems(nb, str(path))
        assert problems == [], "\n".join(map(str, problems))
        assert len(exercise.questions) >= 2, path
        for question in exercise.questions.values():
            for test in question.tests:
                assert test.feedback.startswith("workshop.ex."), (path, test.feedback)
    assert no_code >= 2 * len(case_folders(CASES))  # two no-code exercises per case (issue 13)


def test_a_case_exercise_grades_in_the_sandbox_with_its_side_files(tmp_path):
    source_dir = CASES / "telecom-post-mortem" / "exercises"
    private = tmp_path / "trainer"
    private.mkdir()
    private.chmod(0o700)
    exercise = Path(shutil.copytree(source_dir, private / "exercises" / "telecom")) / "coaching_and_coverage.ipynb"
    release = tmp_path / "release"
    run = [sys.executable, "-m", "salestrain"]
    subprocess.run([*run, "release", str(source_dir), "--out", str(release)], cwd=ROOT, check=True,
                   capture_output=True)
    released = release / "coaching_and_coverage.ipynb"
    assert (release / "rep_assessment.csv").exists() and (release / "contacts.csv").exists()
    subs = tmp_path / "subs"
    learner_copy(released, dict(enumerate(_solutions(exercise))), subs / "an.ipynb")
    learner_copy(released, {}, subs / "bo.ipynb")
    out = subprocess.run([*run, "grade", str(subs), "--exercise", str(exercise), "--db",
                          str(tmp_path / "book.sqlite"), "--quiet"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "an: 9 / 9" in out.stdout and "bo: 0 / 9" in out.stdout
