"""Projector mode: ``salestrain app NAME`` serves one registered app full-screen.

A trainer puts one simulation on the wall without showing any code: we write a
one-cell notebook that builds the app by its registered name into a temporary
folder and hand it to Voila, which runs the notebook and shows only its outputs.
The apps themselves come from :mod:`salestrain.apps.registry`, so an app a module
registers later is served the same way with no change here.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from typing import TYPE_CHECKING

import click

from salestrain.base import i18n
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t

if TYPE_CHECKING:  # nbformat costs seconds to import; only `salestrain app NAME` needs it
    import nbformat

# Bigger type, read from the back of a room. Figures keep their own pixel size (the
# app pattern's choice: a stretched PNG blurs); the browser's zoom enlarges everything.
PROJECTOR_CSS = """
<style>
  .salestrain-app h3 { font-size: 1.9em; }
  .salestrain-app .widget-html-content { font-size: 1.35em; line-height: 1.5; }
  .salestrain-app { width: 100%; max-width: 1500px; margin: 0 auto; }
  .salestrain-app .widget-label, .salestrain-app .widget-readout { font-size: 1.1em; }
</style>
"""


def projector_notebook(name: str, lang: str | None = None) -> nbformat.NotebookNode:
    """A notebook whose only cell builds app ``name`` and shows it (and the style)."""
    import nbformat

    from salestrain.apps.registry import get_app

    get_app(name)  # fail here, with the list of names, not inside a Voila kernel
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
    nb.metadata["title"] = name
    return nb


def voila_command(notebook: Path, port: int | None, open_browser: bool) -> list[str]:
    args = [sys.executable, "-m", "voila", str(notebook), "--strip_sources=True",
            "--Voila.ip=127.0.0.1"]
    if port is not None:
        args.append(f"--port={port}")
    if not open_browser:
        args.append("--no-browser")
    return args


def list_apps() -> list[tuple[str, str]]:
    """(name, translated title) of every registered app, sorted by name."""
    from salestrain.apps.registry import app_entries

    return [(entry.name, t(entry.title)) for entry in app_entries()]


@click.command("app")
@click.argument("name", required=False)
@click.option("--list", "show_list", is_flag=True, help="Name every app that can be served.")
@click.option("--port", type=int, default=None,
              help="Port to serve on (default: Voila's, 8866 or the next free one).")
@click.option("--open/--no-open", "open_browser", default=False,
              help="Open a browser tab on the app (default: print the address only).")
def app_command(name: str | None, show_list: bool, port: int | None, open_browser: bool) -> None:
    """Serve one simulation full-screen through Voila, with no code visible.

    `salestrain app --list` names them; `salestrain --lang zh_CN app NAME` serves
    it in Chinese. Stop it with Ctrl-C.
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
        click.echo(t("workshop.projector.serving", name=name))
        try:
            code = subprocess.call(voila_command(path, port, open_browser))
        except KeyboardInterrupt:
            code = 0
        except OSError as exc:  # voila missing from this environment
            raise SalestrainError(
                f"could not start Voila ({exc}); install it with `pip install voila` "
                "or run `salestrain doctor`"
            ) from None
    if code not in (0, -2, 130):
        raise SalestrainError(t("workshop.projector.failed", code=code))


COMMANDS = [app_command]
