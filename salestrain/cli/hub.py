"""``salestrain hub``: a JupyterHub for a room on the trainer's machine, and the trainer's
controls for it (release, pair, poll, status, stop). See the trainer's guide, "The big room".
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from salestrain.base import i18n
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B


def default_folder() -> Path:
    from salestrain.io.store import data_dir

    return data_dir() / "hub"


def folder_option(f):  # noqa: ANN001, ANN201 - a click decorator
    return click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="The hub's folder (default: 'hub' in the salestrain data folder).")(f)


def _settings(folder: Path | None):  # noqa: ANN202
    from salestrain.hub.settings import SETTINGS_FILE, HubSettings

    folder = folder or default_folder()
    if not (folder / SETTINGS_FILE).is_file():
        raise SalestrainError(t("hub.cli.no_hub", folder=folder))
    return HubSettings.load(folder)


def _trainer(folder: Path | None):  # noqa: ANN202
    from salestrain.hub.spawner import SERVICE_PREFIX
    from salestrain.io.classroom_client import Classroom

    settings = _settings(folder)
    return settings, Classroom(settings.service_url() + SERVICE_PREFIX, settings.trainer_token)


@click.group("hub")
def hub() -> None:
    """A live classroom on JupyterHub: learners log in with a class code; you release, pair, poll and watch."""


@hub.command("start")
@click.option("--class-code", default=None, help="The code learners type (default: a new random one).")
@click.option("--ip", default="0.0.0.0", show_default=True, help="Address to serve the room on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to serve the room on.")
@click.option("--db", default=None,
              help="Store and gradebook: a PostgreSQL URL, or 'sqlite' for a small room "
                   "(default: a private PostgreSQL server when installed, else SQLite).")
@click.option("--cert", type=click.Path(exists=True, dir_okay=False), default=None,
              help="HTTPS: your certificate (PEM); needs --key.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False), default=None,
              help="HTTPS: the certificate's private key (PEM).")
@click.option("--memory", "mem_mb", type=click.IntRange(256, 65536), default=1024, show_default=True,
              help="Memory limit per learner process, in MB.")
@click.option("--cpus", type=click.FloatRange(0.1, 64), default=1.0, show_default=True,
              help="CPU share per learner, in cores (a learner over it is paused for the excess).")
@click.option("--idle-minutes", type=click.IntRange(5, 1440), default=60, show_default=True,
              help="Stop a learner's server after this long without activity.")
@click.option("--lang", "room_lang", type=click.Choice(list(i18n.LANGUAGES)), default=None,
              help="The login page's language before a learner chooses (default: yours).")
@click.option("--no-wait", is_flag=True, help="Start the hub in the background and return (for scripts).")
@folder_option
def start(class_code: str | None, ip: str, port: int, db: str | None, cert: str | None, key: str | None,
          mem_mb: int, cpus: float, idle_minutes: int, room_lang: str | None, no_wait: bool, folder: Path | None) -> None:
    """Start the room's hub (or bring it back after a stop, with everything kept)."""
    from salestrain.cli.main import find_project_root
    from salestrain.hub.jupyterhub_setup import proxy_command
    from salestrain.hub.settings import SETTINGS_FILE, HubSettings

    if bool(cert) != bool(key):
        raise SalestrainError(t("hub.cli.cert_and_key"))
    bwrap = shutil.which("bwrap")
    if not bwrap:
        raise SalestrainError(t("hub.cli.no_bwrap"))
    if not proxy_command():
        raise SalestrainError(t("hub.cli.no_proxy"))
    folder = (folder or default_folder()).resolve()
    resumed = (folder / SETTINGS_FILE).is_file()
    if resumed:
        settings = HubSettings.load(folder)
        settings.class_code = class_code or settings.class_code
    else:
        code = class_code or "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        settings = HubSettings(folder=str(folder), project=str(find_project_root().resolve()),
                               class_code=code, trainer_token=secrets.token_urlsafe(32),
                               proxy_token=secrets.token_urlsafe(32))
        # The hub's internal ports are chosen free once and kept: two rooms (or a room and a
        # benchmark) on one machine never collide, and a restart finds its proxy again.
        settings.hub_port, settings.service_port, settings.proxy_api_port = (
            _free_port(), _free_port(), _free_port())
    settings.ip, settings.port, settings.bwrap, settings.python = ip, port, bwrap, sys.executable
    settings.certfile, settings.keyfile = str(cert or ""), str(key or "")
    settings.mem_limit_mb, settings.cpu_cores, settings.idle_minutes = mem_mb, cpus, idle_minutes
    settings.default_lang = room_lang or i18n.get_language()
    _make_folders(settings)
    own_server = (settings.root / "postgres" / "data").exists()
    if db or not settings.db_url or own_server:
        # The room's own PostgreSQL is started again after a stop (its rows are all there).
        settings.db_url = _database(settings, db)
    settings.save()
    from salestrain.hub.classroom import Classroom

    Classroom(settings).build_site()
    config = settings.private / "jupyterhub_config.py"
    config.write_text("from salestrain.hub.jupyterhub_setup import configure\n"
                      f"configure(c, {str(settings.root)!r})\n", encoding="utf-8")
    env = {**os.environ, "SALESTRAIN_HUB_FOLDER": str(settings.root)}
    log = open(settings.private / "room.log", "ab")  # noqa: SIM115 - the hub's own log, kept open
    args = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
    child = subprocess.Popen(args, cwd=settings.private, env=env, stdout=log, stderr=log,
                             start_new_session=no_wait)
    (settings.private / "room.pid").write_text(str(child.pid), encoding="utf-8")
    _print_block(settings, resumed)
    if no_wait:
        return
    try:
        code = child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGTERM)
        code = child.wait()
        click.echo(t("hub.cli.paused", folder=settings.root))
        return
    if code:
        raise SalestrainError(t("hub.cli.failed", code=code, log=settings.private / "room.log"))


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _make_folders(settings) -> None:  # noqa: ANN001
    root = settings.root
    root.mkdir(parents=True, exist_ok=True)
    # Traversable but not listable by other accounts (the PostgreSQL account needs to reach
    # its own folder inside); the private folder and every home are the owner's alone.
    os.chmod(root, 0o711)
    for path, mode in ((settings.private, 0o700), (settings.homes, 0o711), (settings.public, 0o755)):
        path.mkdir(exist_ok=True)
        os.chmod(path, mode)


def _database(settings, db: str | None) -> str:  # noqa: ANN001
    if db and db != "sqlite":
        return db
    if db == "sqlite":
        return f"sqlite:///{settings.private / 'classroom.sqlite'}"
    from salestrain.hub.postgres import PostgresUnavailable, start_postgres

    try:
        return start_postgres(settings.root / "postgres")
    except PostgresUnavailable as exc:
        click.echo(t("hub.cli.sqlite_instead", reason=str(exc)))
        return f"sqlite:///{settings.private / 'classroom.sqlite'}"


def _print_block(settings, resumed: bool) -> None:  # noqa: ANN001
    from salestrain.hub.spawner import SERVICE_PREFIX

    base = settings.public_url()
    pages = f"{base}{SERVICE_PREFIX}"
    key = settings.trainer_token
    click.echo("")
    click.echo(t("hub.cli.block.learners", url=base))
    click.echo(t("hub.cli.block.code", code=settings.class_code))
    click.echo(t("hub.cli.block.debrief", url=f"{pages}/debrief?key={key}"))
    click.echo(t("hub.cli.block.report", url=f"{pages}/report?key={key}"))
    click.echo(t("hub.cli.block.poll", url=f"{pages}/poll?key={key}"))
    click.echo(t("hub.cli.block.survey", url=f"{pages}/survey?key={key}"))
    click.echo(t("hub.cli.block.resumed" if resumed else "hub.cli.block.new", folder=settings.root))
    click.echo("")


@hub.command("release")
@click.argument("exercise")
@folder_option
def release(exercise: str, folder: Path | None) -> None:
    """Release EXERCISE (e.g. funnel/decide_the_month) to the room; it appears on every learner's index."""
    _, room = _trainer(folder)
    answer = room.trainer("POST", "releases", {"exercise": exercise})
    click.echo(t("hub.cli.released", exercise=answer["released"]))


@hub.command("pair")
@click.option("--scenario", default="price-sensitive-buyer", show_default=True,
              help="The role play (a shipped scenario name).")
@click.option("--pairs", "pairs_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A CSV of fixed pairs: seller,buyer (names as typed); the rest at random.")
@click.option("--seed", type=int, default=None, help="Seed of the random pairing (to repeat it).")
@click.option("--rounds", type=click.IntRange(1, 200), default=None, help="Deadline: offers in all.")
@click.option("--minutes", type=click.FloatRange(1, 240), default=None, help="Deadline: minutes from now.")
@folder_option
def pair(scenario: str, pairs_csv: Path | None, seed: int | None, rounds: int | None,
         minutes: float | None, folder: Path | None) -> None:
    """Pair the room for a live role play; an odd learner out plays a scripted counterpart."""
    import csv

    fixed = []
    if pairs_csv is not None:
        with open(pairs_csv, encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                cells = [c.strip() for c in row if c.strip()]
                if len(cells) == 2 and cells[0].casefold() != "seller":
                    fixed.append(cells)
    _, room = _trainer(folder)
    data = {"scenario": scenario, "pairs": fixed, "rounds": rounds, "minutes": minutes}
    if seed is not None:
        data["seed"] = seed
    answer = room.trainer("POST", "rounds", data)
    for table in answer["tables"]:
        click.echo(t("hub.cli.table", **table))


@hub.command("poll")
@click.argument("question", required=False)
@click.option("--other", default=None, help="The question in the room's other language.")
@click.option("--choices", default=None, help="Choices separated by '|' (default: a number answer).")
@click.option("--other-choices", default=None, help="The choices in the other language.")
@click.option("--answer", default=None, help="The answer, shown on the poll page after --close.")
@click.option("--close", is_flag=True, help="Close the open poll (and reveal the answer).")
@folder_option
def poll(question: str | None, other: str | None, choices: str | None, other_choices: str | None,
         answer: str | None, close: bool, folder: Path | None) -> None:
    """Ask the room for a prediction before a reveal (a number, or one of --choices)."""
    _, room = _trainer(folder)
    if close:
        room.trainer("POST", "polls/close", {})
        click.echo(t("hub.cli.poll_closed"))
        return
    if not question:
        raise SalestrainError(t("hub.cli.poll_needs_question"))
    lang = i18n.get_language()
    second = next(code for code in i18n.LANGUAGES if code != lang)
    texts = {lang: question, second: other or question}
    options = {}
    if choices:
        options = {lang: [c.strip() for c in choices.split("|")],
                   second: [c.strip() for c in (other_choices or choices).split("|")]}
    value = None if answer is None else (float(answer) if _is_number(answer) else answer)
    number = room.trainer("POST", "polls", {"question": texts, "kind": "choice" if choices else "number",
                                            "options": options, "answer": value})["poll"]
    click.echo(t("hub.cli.poll_open", number=number))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@hub.command("status")
@folder_option
def status(folder: Path | None) -> None:
    """Who is in, what is released, submissions graded, and each table's state."""
    _, room = _trainer(folder)
    state = room.trainer("GET", "status")
    click.echo(t("hub.cli.status.learners", count=state["learners"]))
    click.echo(t("hub.cli.status.released", exercises=", ".join(state["released"]) or "-"))
    click.echo(t("hub.cli.status.submissions", count=state["submissions"], graded=state["graded"]))
    for table in state["tables"]:
        click.echo(t("hub.cli.status.table", table=table["table"],
                     state=t(f"hub.debrief.status.{table['status']}")))


@hub.command("stop")
@folder_option
def stop(folder: Path | None) -> None:
    """End the session: stop the hub, every learner's server, the proxy and the database server."""
    settings = _settings(folder)
    private = settings.private
    for name in ("room.pid", "jupyterhub.pid"):
        _kill_file(private / name, group=False)
    time.sleep(1)
    _stop_learner_servers(settings)  # their homes are kept: a learner's work is theirs
    _kill_file(private / "proxy.pid", group=False)
    from salestrain.hub.postgres import stop_postgres

    stop_postgres(settings.root / "postgres")
    click.echo(t("hub.cli.stopped", folder=settings.root))


def _kill_file(path: Path, group: bool) -> None:
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return
    try:
        (os.killpg if group else os.kill)(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass


def _stop_learner_servers(settings) -> None:  # noqa: ANN001
    """Every sandbox this hub started (bubblewrap naming the hub's homes), whole process groups."""
    from salestrain.hub.cpu_limit import sandboxes

    for root in sandboxes(str(settings.homes)):
        try:
            os.killpg(root, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass


@hub.command("forget")
@click.argument("name")
@folder_option
def forget(name: str, folder: Path | None) -> None:
    """Free NAME (a learner who forgot their PIN): their next login sets a new PIN; their work stays."""
    from salestrain.hub.names import username_for
    from salestrain.io.classroom import forget_pin, open_classroom

    settings = _settings(folder)
    st = open_classroom(settings.db_url)
    try:
        done = forget_pin(st, username_for(name))
    finally:
        st.dispose()
    click.echo(t("hub.cli.forgot" if done else "hub.cli.not_in_room", name=name))


COMMANDS = [hub]
