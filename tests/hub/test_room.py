"""A real room, end to end: ``salestrain hub start`` on 127.0.0.1 with its own PostgreSQL,
five learners logging in through the class-code page, a lesson rendered on each one's
sandboxed server, a live role play in pairs (one learner against the scripted counterpart),
a released exercise submitted and graded as it arrives, and the class debrief showing
every table. Then the rules a room must keep, and a hub restart that loses nothing.

Needs bubblewrap, configurable-http-proxy (npm), jupyterhub and PostgreSQL: ``./workshop
test`` installs them; without them the test skips, except under CI=true where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.hub.kernel import run_code
from tests.hub.room import Learner

ROOT = Path(__file__).resolve().parents[2]
CODE = "ROOM42"
NAMES = [("Alice Chen", "en"), ("Bo Larsen", "en"), ("王芳", "zh_CN"), ("李强", "zh_CN"), ("Carmen Ruiz", "en")]


def _missing() -> str | None:
    from salestrain.hub.jupyterhub_setup import proxy_command

    if not sys.platform.startswith("linux"):
        return "the hub isolates learners with bubblewrap, which needs Linux"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (apt-get install bubblewrap)"
    if proxy_command() is None:
        return "configurable-http-proxy is not installed (./workshop test installs it with npm)"
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (pip install -e '.[hub]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(folder: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "salestrain", *args, "--folder", str(folder)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _wait_up(base: str, timeout: float = 90) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/hub/api", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the hub at {base} did not answer in {timeout} s")


def _start(folder: Path, port: int, env: dict[str, str], *extra: str) -> str:
    out = _cli(folder, "hub", "start", "--no-wait", "--ip", "127.0.0.1", "--port", str(port),
               "--class-code", CODE, *extra, env=env)
    base = f"http://127.0.0.1:{port}"
    _wait_up(base)
    return out


def _hub_pid(folder: Path) -> int:
    return int((folder / "private" / "jupyterhub.pid").read_text())


@pytest.fixture(scope="module")
def room():
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the live classroom, but {reason}")
        pytest.skip(reason)
    from tests.postgres import unavailable

    pg = unavailable()
    # A folder the PostgreSQL account can reach (pytest's own tmp folders are private to us).
    top = Path(tempfile.mkdtemp(prefix="salestrain-room-"))
    os.chmod(top, 0o711)
    folder = top / "hub"
    data = top / "data"
    data.mkdir()
    env = {**os.environ, "SALESTRAIN_DATA_DIR": str(data), "SALESTRAIN_LANG": "en"}
    port = _free_port()
    extra = ("--db", "sqlite") if pg and os.environ.get("CI") != "true" else ()
    out = _start(folder, port, env, *extra)
    settings = json.loads((folder / "settings.json").read_text())
    try:
        yield {"folder": folder, "base": f"http://127.0.0.1:{port}", "env": env, "port": port,
               "out": out, "settings": settings, "extra": extra}
    finally:
        subprocess.run([sys.executable, "-m", "salestrain", "hub", "stop", "--folder", str(folder)],
                       env=env, capture_output=True, timeout=120)
        time.sleep(1)
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="module")
def learners(room):
    people = [Learner(room["base"], name, pin=f"{4000 + i}", lang=lang) for i, (name, lang) in enumerate(NAMES)]

    def enter(learner: Learner) -> Learner:
        status, url, _ = learner.login(CODE)
        assert status == 200, (learner.name, status, url)
        learner.make_token()
        learner.wait_ready()
        return learner

    with ThreadPoolExecutor(len(people)) as pool:
        return list(pool.map(enter, people))


def _trainer(room, method: str, action: str, data=None):
    from salestrain.io.classroom_client import Classroom

    settings = room["settings"]
    return Classroom(f"http://127.0.0.1:{settings['service_port']}/services/classroom",
                     settings["trainer_token"]).trainer(method, action, data)


def test_the_start_block_names_the_address_the_code_and_the_trainer_pages(room):
    out = room["out"]
    assert out.lstrip().startswith("Learners open:")
    assert CODE in out and "/services/classroom/debrief?key=" in out
    # The hub started its own PostgreSQL unless this machine has none (then: SQLite).
    url = room["settings"]["db_url"]
    assert url.startswith("sqlite") if room["extra"] else url.startswith("postgresql://")


def test_every_learner_lands_on_the_lessons_in_their_language(room, learners):
    for learner in learners:
        status, url, page = learner.open(f"/user/{learner.username}/")
        assert status == 200
        assert url.endswith(f"/voila/render/{learner.lang}/index.ipynb")
        assert "Traceback" not in page


def test_a_lesson_renders_on_a_learners_server_without_code(room, learners):
    alice, wang = learners[0], learners[2]
    for learner, heading in ((alice, "Funnel"), (wang, "漏斗")):
        status, _, page = learner.open(f"/user/{learner.username}/voila/render/{learner.lang}/01_funnel_forecasting.ipynb",
                                       timeout=240)
        assert status == 200
        assert heading in page
        assert "Traceback" not in page and "import salestrain" not in page


def test_the_live_table_and_poll_pages_render_in_the_learners_language(room, learners):
    from salestrain.base.i18n import t

    for learner in (learners[0], learners[2]):
        for page, key in (("live_table", "live.table.title"), ("live_poll", "live.poll.title")):
            status, _, html = learner.open(f"/user/{learner.username}/voila/render/{learner.lang}/{page}.ipynb",
                                           timeout=240)
            assert status == 200 and "Traceback" not in html
            assert f"<title>{t(key, lang=learner.lang)}</title>" in html


def test_login_refuses_a_wrong_code_and_a_taken_name(room, learners):
    status, _, page = Learner(room["base"], "Intruder").login("WRONG1")
    assert status == 403 and "class code is not this room" in page
    status, _, page = Learner(room["base"], NAMES[0][0], pin="9999").login(CODE)
    assert status == 403 and "already uses this name" in page
    status, _, page = Learner(room["base"], "王五", lang="zh_CN").login("WRONG1")
    assert status == 403 and "课堂码不属于本课堂" in page


def test_role_play_submission_grading_and_the_debrief_end_to_end(room, learners):
    folder, env = room["folder"], room["env"]
    out = _cli(folder, "hub", "release", "funnel/decide_the_month", env=env)
    assert "funnel_decide_the_month" in out
    manifest = json.loads((folder / "public" / "site" / "en" / "lessons.json").read_text())
    assert "funnel__decide_the_month" in [e["name"] for e in manifest["exercises"]]

    out = _cli(folder, "hub", "pair", "--seed", "7", "--rounds", "12", env=env)
    by_user = {learner.username: learner for learner in learners}
    tables: dict[str, dict[str, Learner]] = {}
    for learner in learners:
        status, mine = learner.classroom("GET", "table")
        assert status == 200, mine
        # Each learner sees only their own brief: the other side's is not in the answer.
        assert mine["brief"] and "briefs" not in mine
        tables.setdefault(mine["table"], {})[mine["role"]] = learner
    scripted = [name for name, seats in tables.items() if len(seats) == 1]
    assert len(scripted) == 1 and len(tables) == 3

    for name, seats in tables.items():
        if name in scripted:
            (role, learner), = seats.items()
            # Against the scripted side: concede until it accepts or we accept its offer.
            for _ in range(6):
                _, table = learner.classroom("GET", "table")
                if table["status"] != "open":
                    break
                theirs = [m for m in table["moves"] if m["role"] != role and m["kind"] == "offer"]
                if theirs and len(table["moves"]) >= 4:
                    status, answer = learner.classroom("POST", "table/moves", {"kind": "accept"})
                    assert status == 200, answer
                    break
                mine = [max(range(len(i["options"])), key=lambda k, i=i: i["my_scores"][k]) for i in table["issues"]]
                status, answer = learner.classroom("POST", "table/moves", {"kind": "offer", "offer": mine})
                assert status == 200, answer
            continue
        seller, buyer = seats["seller"], seats["buyer"]
        _, table = seller.classroom("GET", "table")
        offer = [len(i["options"]) // 2 for i in table["issues"]]
        started = time.monotonic()
        status, answer = seller.classroom("POST", "table/moves", {"kind": "offer", "offer": offer})
        assert status == 200, answer
        # The buyer's long poll returns the seller's offer as soon as it is stored.
        status, seen = buyer.classroom("GET", "table/moves?after=0&wait=10")
        assert status == 200 and seen["moves"][-1]["offer"] == offer
        assert time.monotonic() - started < 10
        status, answer = buyer.classroom("POST", "table/moves", {"kind": "accept"})
        assert status == 200 and answer["status"] == "agreed"

    # Submissions: graded as they arrive; the right answer scores more than a wrong one.
    results = {}
    for i, learner in enumerate(learners):
        answers = {"weighted": 1105000 if i == 0 else 700000}
        status, result = learner.classroom("POST", "submissions",
                                           {"exercise": "funnel_decide_the_month", "answers": answers,
                                            "learner": "Bo Larsen"})  # a forged name is ignored
        assert status == 200 and result["graded"], result
        results[learner.username] = result
    first, second = results[learners[0].username], results[learners[1].username]
    assert first["score"] > second["score"]
    weighted = next(f for f in first["feedback"] if f["question"] == "weighted")
    assert weighted["points"] == weighted["max_points"]

    status = _trainer(room, "GET", "status")
    assert status["learners"] == len(learners) and status["graded"] == len(learners)

    # The projector's debrief shows every agreed table, with the learners' names.
    import urllib.request

    key = room["settings"]["trainer_token"]
    with urllib.request.urlopen(f"{room['base']}/services/classroom/debrief?key={key}&fragment=1") as answer:
        page = answer.read().decode()
    agreed = [r for r in _trainer(room, "GET", "debrief")["tables"] if r["status"] == "agreed"]
    assert len(agreed) >= 2
    for row in agreed:
        assert f"<td>{row['table']}</td>" in page
    for name, seats in tables.items():
        if name not in scripted:
            assert all(learner.name in page for learner in seats.values())
    with urllib.request.urlopen(f"{room['base']}/services/classroom/report?key={key}") as answer:
        report = answer.read().decode()
    assert "Alice Chen" in report and by_user


def test_the_exercise_pages_submit_reaches_the_trainer_graded(room, learners):
    """What the page's Submit button does, run in the learner's own kernel on their server:
    the sheet goes to the classroom with the learner's token and comes back graded."""
    carmen = learners[4]
    code = """
from salestrain.apps.exercise import answer_sheet, current_sheet
answer_sheet("funnel_decide_the_month")
sheet = current_sheet()
sheet.book.set("weighted", 1105000)
sheet.submit()
print("GRADED", sheet.handed_in["graded"], sheet.handed_in["score"])
"""
    out = run_code(room["base"], carmen.username, carmen.token, code)
    assert "GRADED True" in out, out
    rows = [r for r in _trainer(room, "GET", "status")["tables"]]
    assert rows  # the room is still paired; the submission did not disturb it
    score = float(out.split("GRADED True")[1].split()[0])
    assert score >= 2  # the weighted forecast's two points


def test_learners_cannot_reach_each_others_servers_or_the_trainers_controls(room, learners):
    alice, bo = learners[0], learners[1]
    status, _, _ = alice.open(f"/user/{bo.username}/api/contents",
                              headers={"Authorization": f"token {alice.token}"})
    assert status in (403, 404)
    status, answer = alice.classroom("POST", "trainer/releases", {"exercise": "funnel/miscalibrated_stage"})
    assert status == 403
    status, answer = alice.classroom("GET", "trainer/status")
    assert status == 403
    anonymous = Learner(room["base"], "nobody")
    status, _ = anonymous.classroom("GET", "me")
    assert status in (401, 403)


def test_a_learners_code_sees_only_their_own_folder(room, learners):
    alice, bo = learners[0], learners[1]
    folder = room["folder"]
    probe = f"""
import os
for path in [{str(folder / 'homes' / bo.username)!r}, {str(folder / 'private')!r},
             {str(ROOT / 'exercises' / 'funnel' / 'decide_the_month.ipynb')!r},
             {str(folder / 'settings.json')!r}]:
    try:
        open(path).read() if os.path.isfile(path) else os.listdir(path)
        print("READ", path)
    except OSError as exc:
        print("DENIED", type(exc).__name__)
open(os.path.expanduser("~/mine.txt"), "w").write("x")
print("OWN", os.path.exists(os.path.expanduser("~/mine.txt")))
"""
    out = run_code(room["base"], alice.username, alice.token, probe)
    assert "READ" not in out, out
    assert out.count("DENIED") == 4 and "OWN True" in out, out


def test_a_hub_restart_loses_no_offer_agreement_or_submission(room, learners):
    folder, env = room["folder"], room["env"]
    before = _trainer(room, "GET", "status")
    debrief_before = _trainer(room, "GET", "debrief")
    os.kill(_hub_pid(folder), signal.SIGTERM)
    time.sleep(3)
    _start(folder, room["port"], env, *room["extra"])
    deadline = time.monotonic() + 60
    while True:
        try:
            after = _trainer(room, "GET", "status")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    assert after["submissions"] == before["submissions"] and after["graded"] == before["graded"]
    assert _trainer(room, "GET", "debrief") == debrief_before
    # The learners' servers kept running: no new login, the same token works.
    alice = learners[0]
    status, _, _ = alice.open(f"/user/{alice.username}/api/status",
                              headers={"Authorization": f"token {alice.token}"})
    assert status == 200
