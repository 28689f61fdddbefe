"""``salestrain learn``: the lessons for learners, through Voila tree mode, no code visible.

Why Voila tree mode and not JupyterLab with inputs hidden: in Lab one click shows the
code and ``d d`` deletes a cell; Voila's tree mode hides code, cannot be edited and
follows links between lessons (measured: /work/shared/JUPYTER-NOTES.md). The server is
hardened as the projector's (Host allow-list or token, kernel cap, culling);
``salestrain lab`` stays the trainers' and analysts' JupyterLab, with the code.
"""

from __future__ import annotations

import json
import os

import click

from salestrain.base import i18n
from salestrain.base.i18n import t


@click.command("learn", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--learner", default=None,
              help="Your name: your progress is kept under it (default: the hub user, or 'learner').")
@click.option("--port", type=int, default=None, help="Port to serve on (default: Voila's, 8866).")
@click.option("--open/--no-open", "open_browser", default=True,
              help="Open a browser tab on the lessons (default: yes).")
@click.option("--ip", default="127.0.0.1", show_default=True,
              help="Address to serve on; any address but loopback requires the printed token.")
@click.option("--max-kernels", type=click.IntRange(1, 50), default=3, show_default=True,
              help="Most lesson pages (about 230 MB each) open at once.")
@click.pass_context
def learn_command(ctx: click.Context, learner: str | None, port: int | None, open_browser: bool,
                  ip: str, max_kernels: int) -> None:
    """Open the lessons for learners: explanations, decisions and charts, no code.

    `salestrain --lang zh_CN learn` opens the Chinese lessons. Stop it with Ctrl-C.
    """
    from salestrain.base.errors import SalestrainError
    from salestrain.cli.main import find_project_root
    from salestrain.cli.projector import (
        free_port,
        run_voila,
        stopped_cleanly,
        token_of,
        voila_command,
        voila_config,
    )
    from salestrain.io.learner import LEARNER_ENV, build_site, current_learner
    from salestrain.io.store import data_dir

    lang = i18n.get_language()
    if learner:
        os.environ[LEARNER_ENV] = learner  # Voila's kernels inherit it
    learner = current_learner()
    site = data_dir() / "learner-site"
    root = find_project_root()
    build_site(root / "notebooks", site, root / "exercises", root / "cases")
    (site / "voila.json").write_text(json.dumps(voila_config(ip)), encoding="utf-8")
    # A folder, not a notebook: Voila's tree mode, where links between lessons work.
    port = port or free_port(8866)
    # Voila's own page at / is its file tree; learners start on the index instead, so we
    # print its address and open the browser on it ourselves.
    args = voila_command(site, port, False, ip=ip, max_kernels=max_kernels,
                         extra=tuple(ctx.args))
    token = token_of(args)
    host = "127.0.0.1" if ip in ("0.0.0.0", "::") else ip
    url = f"http://{host}:{port}/voila/render/{lang}/index.ipynb"
    if token:
        url += f"?token={token}"
    click.echo(t("learner.serve.starting", lang=lang, learner=learner))
    click.echo(t("learner.serve.url", lang=lang, url=url))
    click.echo(t("learner.serve.stop", lang=lang))
    if open_browser:
        open_when_ready(url, host, port)
    code = run_voila(args)
    if not stopped_cleanly(code):
        raise SalestrainError(t("workshop.projector.failed", code=code))



def open_when_ready(url: str, host: str, port: int, timeout: float = 60) -> None:
    """Open ``url`` in the browser once the server accepts connections (in the background)."""
    import socket
    import threading
    import time
    import webbrowser

    def wait_then_open() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection((host, port), timeout=1).close()
            except OSError:
                time.sleep(0.3)
                continue
            webbrowser.open(url)
            return

    threading.Thread(target=wait_then_open, daemon=True).start()


COMMANDS = [learn_command]
