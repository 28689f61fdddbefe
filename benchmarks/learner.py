"""Learner-mode benchmarks (issue 13): a lesson ready in the browser, the in-page Check,
and grading no-code answer sheets as data, each against its floor measured in this run.

    .venv/bin/python benchmarks/learner.py [--part page|check|grade|all] [--repeats 2]
        [--check-runs 200] [--sheets 200] [--floor-runs N]

1. ``lesson_ready``: ``salestrain learn --no-open --port P`` serves the lessons; Debian's
   headless Chromium (Playwright, ``executable_path``, nothing downloaded) opens the first
   lesson and the time runs from navigation to ``.salestrain-finish`` visible (the page's
   last cell done). Two floors run on one plain ``voila`` server (tree mode, sources
   stripped, no salestrain config, no kernel cap), timed to a marker the notebook's last
   cell shows: ``floor_same_cells``, the same lesson cells without the learner header and
   footer; ``floor_imports``, a notebook that only imports what the lesson's code imports.
   Each floor ends with a cell showing a widget (the marker), as the lesson ends with one.
   Target and floors are loaded interleaved, after one warm-up load each (not counted).
2. ``check_p95``: in-process, a :class:`~salestrain.apps.questions.QuestionCard` for the
   first shipped question of each kind (exercises/*/*.ipynb), given an answer, and
   ``card.check()`` (read the inputs, score, render the feedback HTML) timed N times per
   kind, interleaved with the floor, the bare ``kinds.score(question, answer)``.
3. ``grade_as_data``: N answer sheets for exercises/funnel/decide_the_month.ipynb graded by
   ``cohort.grade_cohort`` into a temporary gradebook, against executing the same exercise
   notebook with nbclient (``--floor-runs`` times, ``default_jobs()`` kernels at a time as the
   grader runs them), scaled to N notebooks.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.processes import CHROMIUM, CHROMIUM_ARGS, launched, wait_for_http  # noqa: E402

EXERCISE = ROOT / "exercises" / "funnel" / "decide_the_month.ipynb"
MARKER = "salestrain-bench-done"


def line(name: str, measured: str, goal: str, ok: bool, floor: str) -> None:
    print(f"target {name}: {measured} (goal {goal}) {'PASS' if ok else 'FAIL'}  [{floor}]", flush=True)


def load() -> str:
    return f"load average {os.getloadavg()[0]:.2f}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


# -- answers: one plausible (varied) answer per shipped question kind ------------------------


def answer_for(q: Any, rng: random.Random, domains: Any = None) -> Any:
    """An answer as the widgets produce it: mostly right, varied by ``rng``."""
    from salestrain.core.assessment import kinds

    def phrases(concepts: Any) -> str:
        picked = [rng.choice(c.phrases.get("en") or next(iter(c.phrases.values())))
                  for c in concepts if rng.random() < 0.7]
        return "I would " + ", and ".join(picked or ["call the customer"]) + "."

    def best(options: Any) -> str:
        return max(options, key=lambda o: o.credit).id if rng.random() < 0.7 else rng.choice(options).id

    if isinstance(q, kinds.NumberQuestion):
        return float(q.answer) * rng.choice([1.0, 1.0, 0.9, 1.2])
    if isinstance(q, kinds.ChoiceQuestion):
        return best(q.options)
    if isinstance(q, kinds.MultiChoiceQuestion):
        return sorted(set(q.correct) | ({rng.choice(q.option_ids())} if rng.random() < 0.3 else set()))
    if isinstance(q, kinds.OrderingQuestion):
        order = [i.id for i in q.items]
        if rng.random() < 0.5:
            a, b = rng.sample(range(len(order)), 2)
            order[a], order[b] = order[b], order[a]
        return order
    if isinstance(q, kinds.ClassifyQuestion):
        cats = [c.id for c in q.categories]
        return {k: (v if rng.random() < 0.8 else rng.choice(cats)) for k, v in q.answer.items()}
    if isinstance(q, kinds.GridQuestion):
        return {k: list(v) for k, v in q.answer.items()}
    if isinstance(q, kinds.TextQuestion):
        return phrases(q.concepts)
    if isinstance(q, kinds.EstimateQuestion):
        width = q.scale * rng.uniform(0.05, 0.5)
        return {"low": q.answer - width, "high": q.answer + width}
    if isinstance(q, kinds.ProbabilityQuestion):
        return round(rng.uniform(0.1, 0.9), 2)
    if isinstance(q, kinds.DecisionQuestion):
        return {"choice": best(q.options), "why": phrases(q.justification)}
    if isinstance(q, kinds.OfferQuestion):
        return {issue.name: rng.choice(list(issue.options)) for issue in domains(q.scenario).issues}
    raise TypeError(type(q).__name__)


def shipped_questions() -> dict[str, tuple[str, Any]]:
    """kind -> (where, question): the first shipped question of each kind, public first."""
    from salestrain.grading.nocode import declared_questions

    found: dict[str, tuple[bool, str, Any]] = {}
    for path in sorted((ROOT / "exercises").glob("*/*.ipynb")):
        if path.name.endswith(".zh_CN.ipynb"):
            continue
        questions, _ = declared_questions(json.loads(path.read_text(encoding="utf-8")), str(path))
        for qid, declared in questions.items():
            kind = declared.data.get("kind")
            if kind not in found or (found[kind][0] and not declared.hidden):
                found[kind] = (declared.hidden, f"{path.relative_to(ROOT)}:{qid}", declared.question)
    return {kind: (where, q) for kind, (_, where, q) in sorted(found.items())}


# -- 1. the first lesson ready in the browser ------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(args: list[str], ready: str, cwd: Path, log: Path):
    with launched(args, log, cwd) as proc:
        wait_for_http(ready, proc, log=log)
        yield


def code_cell(source: str, cell_id: str) -> dict[str, Any]:
    return {"cell_type": "code", "id": cell_id, "metadata": {}, "source": source, "outputs": [],
            "execution_count": None}


def floor_notebooks(lesson: Path, folder: Path) -> tuple[Path, Path, list[str]]:
    """(same cells, imports only, the imports) beside each other in ``folder``."""
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    # The target's last output is a widget (the finish button), so the marker is one too.
    marker = code_cell("import ipywidgets\n"
                       f"ipywidgets.Button(description='done').add_class('{MARKER}')", "bench-marker")
    body = [c for c in nb["cells"] if c.get("id") not in ("salestrain-header", "salestrain-footer")]
    same = {**nb, "cells": [*body, marker]}
    imports: list[str] = []
    for cell in nb["cells"]:  # the header's and footer's imports too: the page imports them
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                text = ast.unparse(node)
                if text not in imports:
                    imports.append(text)
    bare = {**nb, "cells": [code_cell("\n".join(imports), "bench-imports"), marker]}
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "same_cells.ipynb", folder / "imports_only.ipynb"
    for path, data in zip(paths, (same, bare), strict=True):
        path.write_text(json.dumps(data), encoding="utf-8")
    return *paths, imports


def time_page(browser: Any, url: str, selector: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=60_000)
        page.wait_for_selector(selector, state="visible", timeout=120_000)
        elapsed = time.perf_counter() - start
        body = page.inner_text("body")
        if "Traceback" in body:
            raise SystemExit(f"{url} shows an error:\n{body[:3000]}")
        page.goto("about:blank")  # unload: Voila shuts the page's kernel down
        return elapsed
    finally:
        context.close()


def bench_page(tmp: Path, repeats: int) -> None:
    from playwright.sync_api import sync_playwright

    from salestrain.io.learner import read_manifest

    if not Path(CHROMIUM).exists():
        raise SystemExit("Debian's chromium is not installed")
    tmp.mkdir(parents=True)
    os.environ["SALESTRAIN_DATA_DIR"] = str(tmp / "data")
    port, floor_port = free_port(), free_port()
    learn = [sys.executable, "-m", "salestrain", "learn", "--no-open", "--port", str(port),
             "--learner", "bench", "--max-kernels", str(2 * (repeats + 1) + 2)]
    with server(learn, f"http://127.0.0.1:{port}/voila/static/voila.js", ROOT, tmp / "learn.log"):
        site = tmp / "data" / "learner-site" / "en"
        first = read_manifest(site)[0][0].name
        same, bare, imports = floor_notebooks(site / f"{first}.ipynb", tmp / "floor")
        voila = [sys.executable, "-m", "voila", str(same.parent), "--no-browser", "--strip_sources=True",
                 "--Voila.ip=127.0.0.1", f"--port={floor_port}"]
        with server(voila, f"http://127.0.0.1:{floor_port}/voila/static/voila.js", same.parent,
                    tmp / "voila.log"):
            pages = {
                "target": (f"http://127.0.0.1:{port}/voila/render/en/{first}.ipynb", ".salestrain-finish"),
                "same": (f"http://127.0.0.1:{floor_port}/voila/render/{same.name}", f".{MARKER}"),
                "imports": (f"http://127.0.0.1:{floor_port}/voila/render/{bare.name}", f".{MARKER}"),
            }
            times: dict[str, list[float]] = {k: [] for k in pages}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    for url, selector in pages.values():  # warm-up: file cache, .pyc, fonts
                        time_page(browser, url, selector)
                    print(f"lesson page: en/{first}.ipynb; {repeats} loads each after 1 warm-up; {load()}",
                          flush=True)
                    for _ in range(repeats):
                        for key, (url, selector) in pages.items():
                            times[key].append(time_page(browser, url, selector))
                finally:
                    browser.close()
    os.environ.pop("SALESTRAIN_DATA_DIR", None)
    med = {k: statistics.median(v) for k, v in times.items()}
    fmt = {k: ", ".join(f"{x:.2f}" for x in v) for k, v in times.items()}
    print(f"floor_same_cells: plain `voila` (tree mode, sources stripped, no salestrain config) serving "
          f"the lesson's own cells without the learner header/footer, to a last cell showing a marker widget: "
          f"median {med['same']:.2f} s ({fmt['same']})", flush=True)
    print(f"floor_imports: the same plain `voila` serving a notebook that only runs "
          f"`{'; '.join(imports)}` then the marker widget: median {med['imports']:.2f} s ({fmt['imports']})",
          flush=True)
    line("lesson_ready", f"{med['target']:.2f} s median ({fmt['target']}) from navigation to "
         f".salestrain-finish visible; {med['target'] / med['same']:.2f}x floor_same_cells, "
         f"{med['target'] / med['imports']:.2f}x floor_imports", "<= 10 s", med["target"] <= 10.0,
         "floors: floor_same_cells and floor_imports above, loaded interleaved with it")


# -- 2. in-page Check latency ------------------------------------------------------------------


def bench_check(runs: int) -> None:
    from salestrain.apps.questions import QuestionCard, scenario_domains
    from salestrain.core.assessment import kinds

    domains = scenario_domains()
    rng = random.Random(13)
    cards = []
    for kind, (where, q) in shipped_questions().items():
        answer = answer_for(q, rng, domains)
        card = QuestionCard(q, "bench", None, domains if kind == "offer" else None)
        card.restore(answer)
        assert card.answer is not None and card.check().valid, (kind, where, card.answer)
        cards.append((kind, where, card, card.answer))
    target: dict[str, list[float]] = {k: [] for k, *_ in cards}
    floor: dict[str, list[float]] = {k: [] for k, *_ in cards}
    print(f"check: {len(cards)} kinds ({', '.join(f'{k} {w}' for k, w, *_ in cards)}); {runs} runs each; "
          f"{load()}", flush=True)
    for _ in range(runs):
        for kind, _, card, answer in cards:
            start = time.perf_counter()
            kinds.score(card.question, answer, card.domains)
            middle = time.perf_counter()
            card.check()
            floor[kind].append(middle - start)
            target[kind].append(time.perf_counter() - middle)
    t_all = [x for v in target.values() for x in v]
    f_all = [x for v in floor.values() for x in v]
    t95, f95 = p95(t_all) * 1000, p95(f_all) * 1000
    slowest = max(target, key=lambda k: p95(target[k]))
    print(f"floor: bare `kinds.score(question, answer)` on the same {len(cards)} questions and answers, "
          f"interleaved: p50 {statistics.median(f_all) * 1000:.3f} ms, p95 {f95:.3f} ms", flush=True)
    line("check_p95", f"p95 {t95:.3f} ms over {len(t_all)} checks (p50 {statistics.median(t_all) * 1000:.3f} ms; "
         f"slowest kind {slowest} p95 {p95(target[slowest]) * 1000:.3f} ms); {t95 / f95:.2f}x the floor's p95",
         "p95 <= 100 ms", t95 <= 100.0, f"floor: bare kinds.score p95 {f95:.3f} ms")


# -- 3. grading answer sheets as data ---------------------------------------------------------


def write_sheets(folder: Path, count: int) -> str:
    from salestrain.grading.nocode import declared_questions, exercise_name, scenario_lookup

    nb = json.loads(EXERCISE.read_text(encoding="utf-8"))
    questions, _ = declared_questions(nb, str(EXERCISE))
    name = exercise_name(EXERCISE, nb)
    rng = random.Random(2026)
    folder.mkdir(parents=True)
    for i in range(count):
        learner = f"rep{i:03d}"
        answers = {qid: answer_for(d.question, rng, scenario_lookup()) for qid, d in questions.items()
                   if rng.random() < 0.95}
        (folder / f"{learner}.answers.json").write_text(json.dumps(
            {"format": 1, "learner": learner, "exercise": name, "answers": answers}), encoding="utf-8")
    return name


async def execute_all(path: Path, runs: int, jobs: int, workdir: Path) -> list[float]:
    import nbformat
    from nbclient import NotebookClient

    gate = asyncio.Semaphore(jobs)

    async def one() -> float:
        async with gate:
            nb = nbformat.read(str(path), as_version=4)
            start = time.perf_counter()
            await NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=False,
                                 shutdown_kernel="immediate",
                                 resources={"metadata": {"path": str(workdir)}}).async_execute()
            return time.perf_counter() - start

    return list(await asyncio.gather(*(one() for _ in range(runs))))


def bench_grade(tmp: Path, sheets: int, floor_runs: int | None) -> None:
    from salestrain.grading import autograde, cohort

    jobs = autograde.default_jobs()
    runs = floor_runs or 2 * jobs
    name = write_sheets(tmp / "sheets", sheets)
    print(f"grading: {sheets} answer sheets for {EXERCISE.relative_to(ROOT)} ({name}); {load()}", flush=True)
    cpu0, start = time.process_time(), time.perf_counter()
    run = cohort.grade_cohort(tmp / "sheets", EXERCISE, db=f"sqlite:///{tmp / 'book.sqlite'}")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    assert len(run.graded) == sheets and not run.record_errors, (len(run.graded), run.record_errors)
    # The floor's kernels write their answer books here, never into the user's data.
    os.environ["SALESTRAIN_DATA_DIR"] = str(tmp / "floor-data")
    (tmp / "floor-work").mkdir()
    print(f"floor: executing {EXERCISE.relative_to(ROOT)} with plain nbclient (no sandbox), {runs} times, "
          f"{jobs} kernels at a time (autograde.default_jobs() on {os.cpu_count()} cores); {load()}", flush=True)
    # The kernels inherit our stderr and each warns about TCP transport: keep that in a file.
    saved, log = os.dup(2), (tmp / "kernels.log").open("w")
    os.dup2(log.fileno(), 2)
    try:
        start = time.perf_counter()
        each = asyncio.run(execute_all(EXERCISE, runs, jobs, tmp / "floor-work"))
        floor_wall = time.perf_counter() - start
    except Exception:
        os.dup2(saved, 2)
        print((tmp / "kernels.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        log.close()
    os.environ.pop("SALESTRAIN_DATA_DIR", None)
    scaled = floor_wall * sheets / runs
    ratio = scaled / wall
    print(f"floor measured: {runs} executions in {floor_wall:.2f} s wall (each {min(each):.2f}-{max(each):.2f} s, "
          f"median {statistics.median(each):.2f} s); scaled x {sheets}/{runs}: {scaled:.1f} s for {sheets}",
          flush=True)
    line("grade_as_data", f"{sheets} sheets graded into a gradebook in {wall:.3f} s wall ({cpu:.3f} s CPU) vs "
         f"{scaled:.1f} s executing {sheets} notebooks = {ratio:.0f}x faster", ">= 20x faster", ratio >= 20,
         f"floor: {runs} nbclient executions of the same exercise, {jobs} at a time, wall scaled by {sheets}/{runs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["page", "check", "grade", "all"], default="all")
    parser.add_argument("--repeats", type=int, default=3, help="lesson page loads per target and floor")
    parser.add_argument("--check-runs", type=int, default=200)
    parser.add_argument("--sheets", type=int, default=200)
    parser.add_argument("--floor-runs", type=int, default=None, help="default: 2 x default_jobs()")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="salestrain-bench-learner-"))
    try:
        print(f"cores: {os.cpu_count()}; {load()}", flush=True)
        if args.part in ("check", "all"):
            bench_check(args.check_runs)
        if args.part in ("grade", "all"):
            bench_grade(tmp / "grade", args.sheets, args.floor_runs)
        if args.part in ("page", "all"):
            bench_page(tmp / "page", args.repeats)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
