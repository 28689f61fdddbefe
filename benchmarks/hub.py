"""Hub benchmark: a real room of N learners on this machine, end to end, in one run.

    .venv/bin/python benchmarks/hub.py [--learners 30] [--browsers 3] [--lessons N]
        [--offers 7] [--concurrency 10]

Starts ``salestrain hub start`` on 127.0.0.1 in its own temporary folder (mode 0711, so the
hub's own PostgreSQL account can reach its data folder; SQLite when PostgreSQL is not
installed), then drives the room as a class would. Needs bubblewrap, configurable-http-proxy,
jupyterhub (``./workshop test`` installs them) and Debian's ``chromium`` for the browser
learners (Playwright's ``executable_path``; never ``playwright install``). Everything started
here is stopped at the end (``salestrain hub stop``), also on Ctrl-C; the folder is removed
unless ``SALESTRAIN_BENCH_KEEP=1`` (then its path, with the hub's log, is printed).

1. Spawn. ``--learners`` learners log in: all but ``--browsers`` through the class-code form
   over HTTP (``tests.hub.room.Learner``: form, API token, wait for the server), at most
   ``--concurrency`` at a time (batches, for a 2-core machine); ``--browsers`` of them in
   headless Chromium, each typing the form and waiting for the learner index page rendered
   by Voila (spinner gone, cells on the page). Printed: the time from the first login POST
   until every server is ready (readiness is polled once a second), and each browser
   learner's time from submitting the form to the rendered index.
2. Lessons. Every learner (or the first ``--lessons``) opens a lesson: GET of the Voila
   render of lesson 00 or 01 (alternately) on their own server, ``--concurrency`` at a time.
   Printed: p50/p95 of the render and any failure.
3. Memory. Sum of the resident memory of every process in each learner's bubblewrap tree
   (bwrap processes whose command line names the hub's homes folder, and their descendants),
   divided by the learners; printed as RSS (counts shared library pages once per process, so
   an upper bound) and PSS (shared pages split between their users), after the spawn
   (idle servers) and after the lessons (with the lessons' kernels alive).
4. Role play. ``salestrain hub pair --rounds 40`` pairs the room; every pair at once plays
   ``--offers`` alternating offers (seller first and last, so the buyer accepts the seller's
   last one). The learner waiting for the offer has a long poll ``GET table/moves?after=N&wait=10``
   open before the other side posts.

   target offer-round-trip-p95: from the sender's ``POST table/moves`` being sent to the
   receiver's long poll returning that offer, p95 over every offer of every pair, in ms and
   as a ratio to the floor; goal ratio <= 10. Floor: the p95 of a bare round trip to the same
   service with the same learner's token (``GET api/me``, through the same proxy), made by
   the same pair right after each offer, so it sees the same load.

   target debrief-refresh-p95: from the buyer's accept ``POST`` returning to the trainer's
   debrief JSON (``GET api/trainer/debrief`` with the trainer token, through the proxy,
   polled back to back) first showing that table agreed; p95 over the pairs, in ms and as a
   ratio to the floor; goal ratio <= 10. Floor: a bare round trip to the same service
   (``GET api/me`` with the buyer's token, through the same proxy) made by the same pair's
   thread right afterwards (same load), p95.
5. Submissions. ``salestrain hub release funnel/decide_the_month``; every learner submits
   ``funnel_decide_the_month`` (different answers) at once, ``--concurrency`` at a time.

   target submissions-lost: submissions sent minus submissions graded in the trainer's
   ``status``; goal 0 (absolute: nothing to compare with, a lost submission is a bug).

The machine's load average is printed beside the figures: everything shares its cores.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hub.room import Learner, cli, free_port, missing, wait_up  # noqa: E402 - needs ROOT on the path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CODE = "BENCH7"
EXERCISE = "funnel_decide_the_month"
RATIO_GOAL = 10.0

# Voila's lab page: a spinner (#loading) until the cells are rendered, then the cells.
INDEX_RENDERED_JS = """
() => {
  if (!location.pathname.includes('/voila/render/') || document.readyState !== 'complete') return false;
  const spinner = document.getElementById('loading');
  if (spinner && spinner.offsetParent !== null) return false;
  return document.querySelectorAll('.jp-Cell, .jp-OutputArea-output, .jp-RenderedHTMLCommon').length > 0;
}
"""


def target(name: str, measured: str, goal: str, ok: bool, floor: str) -> bool:
    print(f"target {name}: {measured} (goal {goal}) {'PASS' if ok else 'FAIL'}  [{floor}]", flush=True)
    return ok


def load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def log(text: str) -> None:
    print(f"# {text}", flush=True)


# -- the hub ---------------------------------------------------------------------------------


class Trainer:
    """The trainer's API through the hub's proxy, as the projector pages call it."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def get(self, action: str) -> Any:
        request = urllib.request.Request(f"{self.base}/services/classroom/api/trainer/{action}",
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read())


# -- memory ----------------------------------------------------------------------------------


def sandbox_memory(homes: Path) -> tuple[float, float, int]:
    """RSS and PSS (MiB) of every process in the hub's bubblewrap trees, and how many trees."""
    import psutil

    needle = str(homes)
    roots = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info.get("cmdline") or []
        if cmd and cmd[0].endswith("bwrap") and any(needle in part for part in cmd):
            roots.append(proc)
    seen: set[int] = set()
    rss = pss = 0
    for root in roots:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        for proc in tree:
            if proc.pid in seen:
                continue
            seen.add(proc.pid)
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
    # Each server is one bwrap under another (bwrap forks its sandbox init): count trees by
    # their top bwrap only.
    tops = [r for r in roots if r.ppid() not in {o.pid for o in roots}]
    return rss / 2**20, pss / 2**20, len(tops)


def wait_sandboxes_gone(homes: Path, timeout: float = 60) -> None:
    """After ``hub stop``: the learner servers take seconds to exit; remove their folders after."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and sandbox_memory(homes)[2]:
        time.sleep(0.5)


# -- learners --------------------------------------------------------------------------------


def people(n: int) -> list[tuple[str, str]]:
    """Names and languages: every third learner Chinese, as in a mixed room."""
    return [(f"学员{i:02d}", "zh_CN") if i % 3 == 2 else (f"Learner {i:02d}", "en") for i in range(n)]


def enter_http(learner: Learner) -> float:
    status, url, page = learner.login(CODE)
    if status != 200:
        raise RuntimeError(f"{learner.name}: login answered {status} at {url}: {page[:300]}")
    learner.make_token()
    learner.wait_ready(timeout=900)
    return time.monotonic()


def copy_cookies(cookies: list[dict[str, Any]], jar: http.cookiejar.CookieJar) -> None:
    """The browser's login cookies into a Learner's jar, so the same login makes its API token."""
    for c in cookies:
        domain = c["domain"]
        jar.set_cookie(http.cookiejar.Cookie(
            version=0, name=c["name"], value=c["value"], port=None, port_specified=False,
            domain=domain, domain_specified=domain.startswith("."), domain_initial_dot=domain.startswith("."),
            path=c.get("path") or "/", path_specified=True, secure=bool(c.get("secure")),
            expires=int(c["expires"]) if c.get("expires", -1) > 0 else None, discard=False,
            comment=None, comment_url=None, rest={"HttpOnly": ""} if c.get("httpOnly") else {}))


def spawn_room(base: str, everyone: list[Learner], browsers: int, concurrency: int,
               pool: ThreadPoolExecutor) -> tuple[float, list[float]]:
    """Log everyone in; returns seconds to all servers ready and each browser's index time."""
    by_http, by_browser = everyone[browsers:], everyone[:browsers]
    start = time.monotonic()
    futures = [pool.submit(enter_http, learner) for learner in by_http]
    rendered: list[float] = []
    if by_browser:
        # Their own threads: a browser learner's readiness is not queued behind the HTTP batches.
        with ThreadPoolExecutor(len(by_browser)) as own:
            rendered = browser_logins(base, by_browser, own, futures)
            ready = [f.result() for f in futures]
    else:
        ready = [f.result() for f in futures]
    return max(ready) - start, rendered


def browser_logins(base: str, learners: list[Learner], pool: ThreadPoolExecutor, futures: list) -> list[float]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for learner in learners:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=learner.lang)
                page = context.new_page()
                page.goto(f"{base}/hub/login?lang={learner.lang}", timeout=120_000)
                page.fill("#code_input", CODE)
                page.fill("#username_input", learner.name)
                page.fill("#pin_input", learner.pin)
                started = time.monotonic()
                page.click("#login_submit", no_wait_after=True)
                pages.append([learner, context, page, started, False])
            deadline = time.monotonic() + 900
            while any(p[3] is not None for p in pages):
                if time.monotonic() > deadline:
                    raise TimeoutError("a browser learner's index page was not rendered in 900 s")
                for entry in pages:
                    learner, context, page, started, copied = entry
                    if started is None:
                        continue
                    if not copied and "/hub/login" not in page.url:
                        names = {c["name"] for c in context.cookies()}
                        if "jupyterhub-hub-login" in names:
                            copy_cookies(context.cookies(), learner.jar)
                            futures.append(pool.submit(_token_and_ready, learner))
                            entry[4] = True
                    try:
                        done = bool(page.evaluate(INDEX_RENDERED_JS))
                    except Exception:  # noqa: BLE001 - the page is navigating: try again
                        done = False
                    if done and entry[4]:
                        times.append(time.monotonic() - started)
                        text = page.inner_text("body")
                        if "Traceback" in text:
                            raise RuntimeError(f"{learner.name}'s index shows an error:\n{text[:2000]}")
                        entry[3] = None
                time.sleep(0.2)
            for entry in pages:
                entry[1].close()
        finally:
            browser.close()
    return times


def _token_and_ready(learner: Learner) -> float:
    learner.make_token()
    learner.wait_ready(timeout=900)
    return time.monotonic()


def open_lesson(folder: Path, learner: Learner, i: int) -> tuple[float, str]:
    site = folder / "public" / "site" / learner.lang
    lessons = sorted(p.name for p in site.glob("0[01]_*.ipynb"))
    lesson = lessons[i % len(lessons)]
    started = time.monotonic()
    status, _, page = learner.open(f"/user/{learner.username}/voila/render/{learner.lang}/{lesson}", timeout=900)
    elapsed = time.monotonic() - started
    if status != 200 or "Traceback" in page:
        return elapsed, f"{learner.name} {lesson}: HTTP {status}" + (" with a traceback" if "Traceback" in page else "")
    return elapsed, ""


# -- role play -------------------------------------------------------------------------------


def play(seller: Learner, buyer: Learner, trainer: Trainer, table: str, issues: list[dict[str, Any]],
         offers: int, start: threading.Barrier, results: dict[str, list[float]], lock: threading.Lock) -> None:
    """One pair: alternating offers, each received by the other side's long poll; then accept."""
    rtts, floors = [], []
    after = 0
    last: list[int] = []
    with ThreadPoolExecutor(1) as poller:
        start.wait()
        for k in range(offers):
            sender, receiver = (seller, buyer) if k % 2 == 0 else (buyer, seller)
            offer = [(k + j) % len(issue["options"]) for j, issue in enumerate(issues)]
            waiting = poller.submit(_long_poll, receiver, after)
            time.sleep(0.3)  # the receiver's poll is parked in the service before the offer leaves
            sent = time.monotonic()
            status, answer = sender.classroom("POST", "table/moves", {"kind": "offer", "offer": offer})
            if status != 200:
                raise RuntimeError(f"{table}: offer refused: {answer}")
            got, seen = waiting.result()
            moves = seen.get("moves", [])
            if not moves or moves[-1]["offer"] != offer or got < sent:
                raise RuntimeError(f"{table}: the long poll did not bring the offer: {seen}")
            rtts.append(got - sent)
            after = moves[-1]["seq"]
            last = offer
            t0 = time.monotonic()
            status, _ = receiver.classroom("GET", "me")
            floors.append(time.monotonic() - t0)
        status, answer = buyer.classroom("POST", "table/moves", {"kind": "accept", "offer": last})
        accepted = time.monotonic()
        if status != 200 or answer.get("status") != "agreed":
            raise RuntimeError(f"{table}: accept refused: {answer}")
        while True:
            rows = trainer.get("debrief")["tables"]
            seen_at = time.monotonic()
            if any(r["table"] == table and r["status"] == "agreed" for r in rows):
                break
            if seen_at - accepted > 60:
                raise TimeoutError(f"{table}: the debrief never showed the agreement")
        t0 = time.monotonic()
        buyer.classroom("GET", "me")
        debrief_floor = time.monotonic() - t0
    with lock:
        results["rtt"] += rtts
        results["rtt_floor"] += floors
        results["debrief"].append(seen_at - accepted)
        results["debrief_floor"].append(debrief_floor)


def _long_poll(learner: Learner, after: int) -> tuple[float, dict[str, Any]]:
    status, seen = learner.classroom("GET", f"table/moves?after={after}&wait=10", timeout=30)
    got = time.monotonic()
    if status != 200:
        raise RuntimeError(f"{learner.name}: long poll answered {status}: {seen}")
    return got, seen


# -- the run ---------------------------------------------------------------------------------


def run(args: argparse.Namespace, top: Path, env: dict[str, str], pool: ThreadPoolExecutor) -> bool:
    folder = top / "hub"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    extra = ("--db", args.db) if args.db else ()
    started = time.monotonic()
    cli(folder, env, "hub", "start", "--no-wait", "--ip", "127.0.0.1", "--port", str(port),
        "--class-code", CODE, *extra)
    wait_up(base)
    settings = json.loads((folder / "settings.json").read_text())
    log(f"hub up in {time.monotonic() - started:.1f} s at {base}; store {settings['db_url'].split(':')[0]}")
    trainer = Trainer(base, settings["trainer_token"])

    everyone = [Learner(base, name, pin=f"{4000 + i}", lang=lang) for i, (name, lang) in enumerate(people(args.learners))]
    spawn_s, rendered = spawn_room(base, everyone, args.browsers, args.concurrency, pool)
    print(f"spawn: {args.learners} servers ready {spawn_s:.1f} s after the first login POST "
          f"({args.learners - args.browsers} over HTTP, {args.browsers} in Chromium, {args.concurrency} logins "
          f"at a time; {load()})", flush=True)
    if rendered:
        print("browser index rendered (form submitted -> Voila index painted): "
              + ", ".join(f"{x:.1f} s" for x in rendered), flush=True)
    rss, pss, trees = sandbox_memory(folder / "homes")
    print(f"memory per learner, idle servers: RSS {rss / args.learners:.0f} MiB, PSS {pss / args.learners:.0f} MiB "
          f"({trees} sandboxes)", flush=True)

    sample = everyone[: args.lessons] if args.lessons is not None else everyone
    t0 = time.monotonic()
    lessons = list(pool.map(lambda pair: open_lesson(folder, pair[1], pair[0]), enumerate(sample)))
    failed = [why for _, why in lessons if why]
    times = [s for s, _ in lessons]
    print(f"lessons: {len(sample)} of {args.learners} learners opened lesson 00 or 01 (Voila render over HTTP) "
          f"in {time.monotonic() - t0:.1f} s; render p50 {pct(times, 50):.1f} s, p95 {pct(times, 95):.1f} s; "
          f"{len(failed)} failed{': ' + '; '.join(failed) if failed else ''} ({load()})", flush=True)
    rss, pss, trees = sandbox_memory(folder / "homes")
    print(f"memory per learner, after the lessons: RSS {rss / args.learners:.0f} MiB, "
          f"PSS {pss / args.learners:.0f} MiB ({trees} sandboxes; lesson kernels alive)", flush=True)

    cli(folder, env, "hub", "release", "funnel/decide_the_month")
    cli(folder, env, "hub", "pair", "--seed", "7", "--rounds", "40")
    tables: dict[str, dict[str, Learner]] = {}
    infos: dict[str, dict[str, Any]] = {}
    for learner in everyone:
        status, mine = learner.classroom("GET", "table")
        if status != 200:
            raise RuntimeError(f"{learner.name} has no table: {mine}")
        tables.setdefault(mine["table"], {})[mine["role"]] = learner
        infos[mine["table"]] = mine
    pairs = {name: seats for name, seats in tables.items() if len(seats) == 2}
    results: dict[str, list[float]] = {"rtt": [], "rtt_floor": [], "debrief": [], "debrief_floor": []}
    lock = threading.Lock()
    barrier = threading.Barrier(len(pairs))
    offers = args.offers if args.offers % 2 else args.offers + 1  # the seller makes the last offer
    with ThreadPoolExecutor(len(pairs)) as players:
        done = [players.submit(play, seats["seller"], seats["buyer"], trainer, name, infos[name]["issues"],
                               offers, barrier, results, lock) for name, seats in pairs.items()]
        for f in done:
            f.result()
    log(f"role play: {len(pairs)} pairs at once, {offers} offers each, then an accept "
        f"({len(tables) - len(pairs)} table(s) against the scripted side not played; {load()})")
    ok = True
    rtt, rtt_floor = pct(results["rtt"], 95), pct(results["rtt_floor"], 95)
    ok &= target("offer-round-trip-p95",
                 f"{rtt * 1000:.0f} ms = {rtt / rtt_floor:.1f}x floor (p50 {pct(results['rtt'], 50) * 1000:.0f} ms, "
                 f"{len(results['rtt'])} offers)",
                 f"<= {RATIO_GOAL:g}x floor", rtt / rtt_floor <= RATIO_GOAL,
                 f"floor: p95 of a bare GET api/me with the same token through the same proxy, "
                 f"right after each offer: {rtt_floor * 1000:.0f} ms")
    deb, deb_floor = pct(results["debrief"], 95), pct(results["debrief_floor"], 95)
    ok &= target("debrief-refresh-p95",
                 f"{deb * 1000:.0f} ms = {deb / deb_floor:.1f}x floor (p50 {pct(results['debrief'], 50) * 1000:.0f} ms, "
                 f"{len(results['debrief'])} accepts)",
                 f"<= {RATIO_GOAL:g}x floor", deb / deb_floor <= RATIO_GOAL,
                 f"floor: p95 of a bare GET api/me through the same proxy to the same service, "
                 f"made by the same pair right after: {deb_floor * 1000:.0f} ms")

    def submit(item: tuple[int, Learner]) -> int:
        i, learner = item
        status, _ = learner.classroom("POST", "submissions",
                                      {"exercise": EXERCISE, "answers": {"weighted": 700000 + 5000 * i}},
                                      timeout=300)
        return status

    t0 = time.monotonic()
    statuses = list(pool.map(submit, enumerate(everyone)))
    spent = time.monotonic() - t0
    status = trainer.get("status")
    lost = len(everyone) - int(status["graded"])
    ok &= target("submissions-lost", f"{lost} ({len(everyone)} sent, {status['submissions']} received, "
                 f"{status['graded']} graded, {sum(s != 200 for s in statuses)} HTTP errors, all in {spent:.1f} s)",
                 "0", lost == 0, "absolute: every submission sent must be graded in the trainer's status")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3, help="learners logging in with Chromium")
    parser.add_argument("--lessons", type=int, default=None, help="learners opening a lesson (default: all)")
    parser.add_argument("--offers", type=int, default=7, help="offers per pair (odd: the seller makes the last)")
    parser.add_argument("--concurrency", type=int, default=10, help="logins, lessons, submissions at a time")
    parser.add_argument("--db", default=None, help="passed to hub start (default: its own PostgreSQL when installed)")
    args = parser.parse_args()
    if args.learners < 2 or not 0 <= args.browsers <= args.learners:
        parser.error("need at least 2 learners and at most as many browsers as learners")
    reason = missing()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    if args.browsers and not Path(CHROMIUM).exists():
        print(f"cannot run: {CHROMIUM} is not installed (apt-get install chromium)", file=sys.stderr)
        return 2

    def stop_on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)
    top = Path(tempfile.mkdtemp(prefix="salestrain-bench-hub-"))
    os.chmod(top, 0o711)  # the hub's PostgreSQL account must reach its folder inside
    data = top / "data"
    data.mkdir()
    env = {**os.environ, "SALESTRAIN_DATA_DIR": str(data), "SALESTRAIN_LANG": "en"}
    pool = ThreadPoolExecutor(args.concurrency)
    ok = False
    try:
        ok = run(args, top, env, pool)
    except KeyboardInterrupt:
        print("interrupted: stopping the hub", file=sys.stderr)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the cleanup
        if (top / "hub" / "settings.json").is_file():
            subprocess.run([sys.executable, "-m", "salestrain", "hub", "stop", "--folder", str(top / "hub")],
                           env=env, cwd=ROOT, capture_output=True, timeout=180)
            wait_sandboxes_gone(top / "hub" / "homes")
        if os.environ.get("SALESTRAIN_BENCH_KEEP") == "1":
            print(f"kept: {top} (the hub's log: {top / 'hub' / 'private' / 'room.log'})")
        else:
            shutil.rmtree(top, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
