"""The before-and-after screenshots of docs/design.md: every app's first screen, projected.

    .venv/bin/python docs/design/screens.py OUT [--tree PATH] [--lang en zh_CN]
        [--suffix after] [--apps NAME ...]

Serves each registered app with ``salestrain [--lang L] app NAME`` (projector mode, as the
trainer's guide says), opens it in Debian's chromium at 1280x720, waits for its figures,
and saves the first screen as ``OUT/NAME-L-SUFFIX.png``, reduced to 64 colours to keep
the repository small. ``--tree`` serves the apps of another checkout instead (for the
"before" pictures: ``git worktree add /tmp/before 04c2d0a^``, then ``--tree /tmp/before
--suffix before``); the apps are those that checkout registers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, serve  # noqa: E402

APP = ".salestrain-app"
WAIT_FIGURES = ("() => [...document.querySelectorAll('.salestrain-app img.salestrain-figure')]"
                ".every(e => e.naturalWidth > 0)")


# Where the first figure and its caption end on the first screen (720 px is the fold).
FOLD_JS = """() => {
  const img = [...document.querySelectorAll('.salestrain-app img.salestrain-figure')]
    .find(e => e.getBoundingClientRect().height > 0);
  if (!img) return 'no figure';
  const cap = img.closest('.salestrain-figure-box')?.querySelector('.salestrain-caption');
  const end = (e) => e ? Math.round(e.getBoundingClientRect().bottom) : null;
  return `figure ends at y=${end(img)}, its caption at y=${end(cap)}`;
}"""


def app_names(tree: Path) -> list[str]:
    code = "from salestrain.apps.registry import app_names; print(' '.join(app_names()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tree, env=_env(tree), check=True,
                         capture_output=True, text=True)
    return out.stdout.split()


def _env(tree: Path) -> dict[str, str]:
    # The tree's own salestrain package comes first on the path (the editable install
    # points at this checkout).
    return {**os.environ, "PYTHONPATH": str(tree), "JUPYTER_PLATFORM_DIRS": "1"}


def shoot(browser, tree: Path, name: str, lang: str, path: Path) -> None:
    port = free_port()
    args = [sys.executable, "-m", "salestrain", "--lang", lang, "app", name, "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    old = dict(os.environ)
    os.environ.update(_env(tree))  # serve() passes os.environ on to the server
    try:
        with serve(args, f"{base}/voila/static/voila.js", tree, path.with_suffix(".log")):
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            try:
                page = context.new_page()
                page.goto(f"{base}/")
                page.wait_for_selector(APP, timeout=90_000)
                page.wait_for_function(WAIT_FIGURES, timeout=90_000)
                page.wait_for_timeout(800)  # late text views and fonts
                page.screenshot(path=str(path))
                print(f"  {path.name}: {page.evaluate(FOLD_JS)}", flush=True)
            finally:
                context.close()
    finally:
        os.environ.clear()
        os.environ.update(old)
    path.with_suffix(".log").unlink(missing_ok=True)
    Image.open(path).convert("RGB").quantize(64).save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--lang", nargs="+", default=["en"])
    parser.add_argument("--suffix", default="after")
    parser.add_argument("--apps", nargs="*")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    names = args.apps or app_names(args.tree.resolve())
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for name in names:
                for lang in args.lang:
                    path = args.out / f"{name}-{lang}-{args.suffix}.png"
                    try:
                        shoot(browser, args.tree.resolve(), name, lang, path)
                        print(f"{path}", flush=True)
                    except Exception as exc:  # one app that fails to start must not stop the rest
                        print(f"{name} ({lang}): not taken: {exc}", flush=True)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
