"""Projector mode: ``salestrain app NAME`` serves one registered app full-screen.

A trainer puts one simulation on the wall without showing any code: we write a
one-cell notebook that builds the app by its registered name into a temporary
folder and hand it to Voila, which runs the notebook and shows only its outputs.
The apps themselves come from :mod:`salestrain.apps.registry`, so an app a module
registers later is served the same way with no change here.

The server is hardened for a room (issue 17):

- **Host allow-list.** Voila answers any ``Host:`` header by default, so a web page on
  another site could reach the app through DNS rebinding. On a loopback address we
  switch jupyter_server's host check on (``allow_remote_access=False``): only
  ``localhost``, loopback IPs and the ``--ip`` given are answered, anything else is
  403. On another address (``--ip 0.0.0.0`` for learners' screens) a host check
  cannot know every name the room uses, so a random token is required instead and the
  address printed carries it.
- **A cap on kernels.** Every ``GET /`` starts a kernel of about 230 MB; at most
  ``--max-kernels`` live at once (:mod:`salestrain.cli.projector_kernels`).
- **Culling.** A kernel that no browser is connected to is shut down after
  ``--cull-after`` seconds idle; a page left open on the projector is never culled.

A clean console (issue 20): Voila loads only the extensions its pages need, and the
widget manager builds that match its own front-end core (``voila_frontend_args``).
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from salestrain.base import i18n
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t
from salestrain.base.resources import data_path

if TYPE_CHECKING:  # nbformat costs seconds to import; only `salestrain app NAME` needs it
    import nbformat

# The projector's type scale (issue 20; docs/design.md has the measurements): body text
# 24 px at 1280x720, labels, readouts, buttons and dropdowns 16 px. Set in px, not em,
# so an app's own nesting cannot shrink it. Shown only by the projector notebook:
# JupyterLab and learner mode keep Jupyter's 13 px. 16 px is the largest control size at
# which every app still passes the screen checks in both languages; at 18 px the
# opportunity map's fixed-width descriptions cut their text, free-standing sliders'
# tracks shrink under 80 px and the two-rater assessment pushes its figure below the
# fold. Figures keep their own pixel size (a stretched PNG blurs).
PROJECTOR_CSS = """
<style>
  .salestrain-app { width: 100%; max-width: 1500px; margin: 0 auto;
    --jp-widgets-font-size: 16px; --jp-widgets-inline-height: 28px; }
  .salestrain-app .widget-html-content { font-size: 24px; line-height: 1.35; }
  .salestrain-app h3 { font-size: 1.35em; margin: 0.2em 0 0.4em; }
  .salestrain-app .widget-label, .salestrain-app .widget-readout,
  .salestrain-app .widget-label-basic, .salestrain-app button, .salestrain-app select,
  .salestrain-app input, .salestrain-app textarea { font-size: 16px; }
  /* Controls sized in px by their app grow with the larger text instead of cutting it. */
  .salestrain-app .widget-dropdown:not(.salestrain-form > *) {
    width: fit-content !important; min-width: min(100%, 460px); max-width: 100%; }
  .salestrain-app .widget-dropdown > select { flex: 1 1 auto; }
  .salestrain-app .widget-hprogress > .widget-label,
  .salestrain-app .widget-toggle-buttons > .widget-label { width: auto !important; min-width: 11em; }
</style>
"""


def projector_notebook(name: str, lang: str | None = None) -> nbformat.NotebookNode:
    """A notebook whose only cell builds app ``name`` and shows it (and the style)."""
    import nbformat

    from salestrain.apps.registry import get_app

    entry = get_app(name)  # fail here, with the list of names, not inside a Voila kernel
    lines = [
        "import salestrain",
        "from IPython.display import HTML, display",
        "from salestrain.apps.registry import get_app",
    ]
    if lang:
        lines.append(f"salestrain.set_language({lang!r})")
    lines += [
        f"display(HTML({PROJECTOR_CSS!r}))",
        f"app = get_app({name!r}).factory()",
        "display(app.widget)",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("\n".join(lines)))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # The browser tab reads the app's title in the room's language, not its slug.
    nb.metadata["title"] = t(entry.title, lang=lang)
    return nb


KERNEL_MANAGER = "salestrain.cli.projector_kernels.CappedKernelManager"
VOILA_TEMPLATE = "salestrain"  # salestrain/data/jupyter/voila/templates/salestrain
JUPYTER_DATA = data_path("jupyter")

# The JupyterLab extensions a Voila page loads: the widget manager pair (ipywidgets 8) and
# the code-highlighting styles. Anything else installed (jupyterlab-plotly's 4.8 MB, an
# extension a trainer adds for JupyterLab) stays off the projector and lesson pages.
VOILA_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8",
                    "jupyterlab_pygments")
# The widget manager pair as built for Voila's own JupyterLab 4.2.5 core (README.md there
# says why): the installed builds ask the core for 4.5/4.6 packages, 13 console warnings a page.
VOILA_FRONTEND = JUPYTER_DATA / "voila-labextensions"
# Voila releases whose core is that 4.2.5 build and which know extra_labextensions_path.
VOILA_FRONTEND_FOR = ((0, 5, 11), (0, 5, 13))


def _voila_version() -> tuple[int, ...] | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        parts = version("voila").split(".")[:3]
    except PackageNotFoundError:
        return None
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def _frontend_complete(folder: Path) -> bool:
    """Every extension in ``folder`` has the file Voila loads first (a wheel built without
    the .js files would otherwise break every widget instead of printing warnings)."""
    packages = list(folder.glob("@*/*/package.json"))
    return bool(packages) and all(
        (p.parent / json.loads(p.read_text(encoding="utf-8"))["jupyterlab"]["_build"]["load"]).is_file()
        for p in packages)


def voila_frontend_args() -> list[str]:
    """Which JupyterLab extensions Voila loads, and from where (see VOILA_EXTENSIONS)."""
    args = [f"--VoilaConfiguration.extension_allowlist={name}" for name in VOILA_EXTENSIONS]
    low, high = VOILA_FRONTEND_FOR
    if low <= (_voila_version() or ()) <= high and _frontend_complete(VOILA_FRONTEND):
        args.append(f"--VoilaConfiguration.extra_labextensions_path={VOILA_FRONTEND}")
    return args


def is_loopback(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def voila_command(notebook: Path, port: int | None, open_browser: bool, *,
                  ip: str = "127.0.0.1", max_kernels: int = 3, cull_after: int = 600,
                  token: str | None = None, extra: tuple[str, ...] = ()) -> list[str]:
    """The Voila command line: outputs only, host check or token, kernel cap, culling.

    ``notebook`` is one notebook, or a folder (Voila's tree mode: learner mode); the
    Voila config (voila.json) is read from the folder, or from the notebook's folder.
    """
    config = notebook if notebook.is_dir() else notebook.parent
    # Our template is Voila's lab template without its CDN stylesheets (offline rooms);
    # run_voila puts its folder on JUPYTER_PATH.
    args = [sys.executable, "-m", "voila", str(notebook), "--strip_sources=True",
            f"--Voila.ip={ip}", f"--template={VOILA_TEMPLATE}"]
    if port is not None:
        args.append(f"--port={port}")
    if not open_browser:
        args.append("--no-browser")
    # The host check lives in voila.json beside the notebook (a dict does not pass on
    # Voila's command line); only that folder is searched for Voila config.
    args.append(f"--Voila.config_file_paths={config}")
    if not is_loopback(ip):
        args.append(f"--Voila.token={token or secrets.token_urlsafe(24)}")
    args += [
        f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
        f"--CappedKernelManager.max_kernels={max_kernels}",
        # Idle and with no browser connected: a projected page is never culled.
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, cull_after // 2))}",
        "--MappingKernelManager.cull_connected=False",
        # No front-end version warnings in the console, and no unused extensions.
        *voila_frontend_args(),
        *extra,
    ]
    return args


def voila_config(ip: str) -> dict:
    """voila.json for the served folder: on a loopback address, the Host allow-list."""
    if not is_loopback(ip):
        return {}
    # Voila itself sets allow_remote_access=True; its tornado_settings win over that,
    # and jupyter_server's check then answers only loopback IPs and these names.
    return {"Voila": {"tornado_settings": {"allow_remote_access": False,
                                           "local_hostnames": sorted({"localhost", ip})}}}


def run_voila(args: list[str]) -> int:
    """Run Voila until it stops; Ctrl-C, SIGTERM and SIGHUP sent to us are passed on.

    A supervisor (a terminal closing, ``kill``, a hub) stops ``salestrain app`` with
    SIGTERM; without passing it on, Voila and its kernels would keep the port and the
    memory after we exited.
    """
    import os
    import signal

    env = {**os.environ, "JUPYTER_PATH": os.pathsep.join(
        p for p in (str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH", "")) if p)}
    try:
        # Voila's and its kernels' output goes through a filter (QUIET_LOG), then on to ours.
        child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as exc:  # voila missing from this environment
        raise SalestrainError(t("workshop.projector.no_voila", error=str(exc))) from None
    assert child.stdout is not None
    relay = threading.Thread(target=pass_on, args=(child.stdout, sys.stderr.buffer), daemon=True)
    relay.start()

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    caught = (signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, forward) for sig in caught}
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:  # Ctrl-C reached Voila too (same process group)
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.terminate()
                return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        relay.join(timeout=5)  # Voila's last lines (why it stopped) still reach the terminal


# Lines Voila and its kernels print on every start that a trainer can do nothing about
# (issue 20: the address was buried among them): the generated notebook "is not trusted"
# (it is ours, and trust only matters for its outputs, which it has none of), the kernel
# talks to Voila over TCP on this machine without encryption (loopback only: an outside
# host cannot reach it), and jupyter_server corrects its own websocket ping defaults.
# Every other line, warnings and errors included, is passed on as Voila wrote it.
QUIET_LOG = (b"is not trusted", b"Kernel is running over TCP without encryption",
             b"websocket_ping_timeout")


def pass_on(stream: IO[bytes], out: IO[bytes]) -> None:
    """Copy Voila's output line by line, leaving out the QUIET_LOG lines."""
    for line in iter(stream.readline, b""):
        if not any(noise in line for noise in QUIET_LOG):
            out.write(line)
            out.flush()


def stopped_cleanly(code: int) -> bool:
    """Voila's exit after Ctrl-C or a forwarded SIGTERM/SIGHUP counts as a clean stop."""
    import signal

    return code in (0, 130, -signal.SIGINT, -signal.SIGTERM, -signal.SIGHUP,
                    128 + signal.SIGTERM, 128 + signal.SIGHUP)


def free_port(start: int) -> int:
    """The first port from ``start`` that nothing listens on."""
    import socket

    for port in range(start, start + 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return 0


def token_of(args: list[str]) -> str | None:
    prefix = "--Voila.token="
    return next((a[len(prefix):] for a in args if a.startswith(prefix)), None)


def get_app_title(name: str) -> str:
    from salestrain.apps.registry import get_app

    return t(get_app(name).title)


def list_apps() -> list[tuple[str, str]]:
    """(name, translated title) of every registered app, sorted by name."""
    from salestrain.apps.registry import app_entries

    return [(entry.name, t(entry.title)) for entry in app_entries()]


@click.command("app", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("name", required=False)
@click.option("--list", "show_list", is_flag=True, help="Name every app that can be served.")
@click.option("--port", type=int, default=None,
              help="Port to serve on (default: Voila's, 8866 or the next free one).")
@click.option("--open/--no-open", "open_browser", default=False,
              help="Open a browser tab on the app (default: print the address only).")
@click.option("--ip", default="127.0.0.1", show_default=True,
              help="Address to serve on. Loopback: only localhost names are answered; "
                   "any other address requires the printed token.")
@click.option("--max-kernels", type=click.IntRange(1, 50), default=3, show_default=True,
              help="Most kernels (about 230 MB each, one per open page) alive at once.")
@click.option("--cull-after", type=click.IntRange(1, None), default=600, show_default=True,
              help="Seconds after which an idle kernel with no browser connected is shut down.")
@click.pass_context
def app_command(ctx: click.Context, name: str | None, show_list: bool, port: int | None,
                open_browser: bool, ip: str, max_kernels: int, cull_after: int) -> None:
    """Serve one simulation full-screen through Voila, with no code visible.

    `salestrain app --list` names them; `salestrain --lang zh_CN app NAME` serves
    it in Chinese. Stop it with Ctrl-C. Further --Voila.options are passed to Voila
    as they are.
    """
    if show_list or not name:
        apps = list_apps()
        width = max((len(n) for n, _ in apps), default=0)
        click.echo(t("workshop.projector.list_header"))
        for app_name, title in apps:
            click.echo(f"  {app_name.ljust(width)}  {title}")
        if not show_list and not name:
            click.echo(t("workshop.projector.usage"))
        return
    # The kernel inherits SALESTRAIN_LANG too; naming the language in the cell
    # makes the served notebook self-describing.
    import nbformat

    nb = projector_notebook(name, i18n.get_language())
    with tempfile.TemporaryDirectory(prefix="salestrain-app-") as folder:
        path = Path(folder) / f"{name}.ipynb"
        nbformat.write(nb, path)
        (Path(folder) / "voila.json").write_text(json.dumps(voila_config(ip)), encoding="utf-8")
        # Pick the port here, so the address is the first thing the trainer reads, in a
        # short block, before Voila's own log lines.
        port = port or free_port(8866) or None
        args = voila_command(path, port, open_browser, ip=ip, max_kernels=max_kernels,
                             cull_after=cull_after, extra=tuple(ctx.args))
        click.echo(t("workshop.projector.serving", title=get_app_title(name), name=name))
        if port:
            host = "127.0.0.1" if ip in ("0.0.0.0", "::") else ip
            token = token_of(args)
            url = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
            click.echo(t("workshop.projector.url", url=url))
        elif token_of(args):  # no free port near 8866: Voila picks one and prints it
            click.echo(t("workshop.projector.token", token=token_of(args)))
        click.echo(t("workshop.projector.stop") + "\n")
        code = run_voila(args)
    if not stopped_cleanly(code):
        raise SalestrainError(t("workshop.projector.failed", code=code))


COMMANDS = [app_command]
