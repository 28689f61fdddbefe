"""Figure technologies compared (issue 20): the forecast app's figure in real Chromium, same run.

    python benchmarks/figure_tech.py [--changes 30] [--warmup 6] [--tech png --tech ipympl ...]

Needs ``pip install anywidget ipympl`` on top of the project's test extras (use a separate
virtualenv: ``python3 -m venv /tmp/figvenv && /tmp/figvenv/bin/pip install -e ".[test]"
anywidget ipympl``), and Debian's ``chromium`` (Playwright's ``executable_path``; never
``playwright install``). Every server is started and stopped here, on free local ports; with
``SALESTRAIN_BENCH_KEEP=1`` the work folder (notebooks, server logs, screenshots at 1280 px
and with the app squeezed to 480 px) is kept and its path printed.

The same app as benchmarks/browser.py's ``browser-update``: ``funnel-forecast`` served by
Voila exactly as ``salestrain app`` serves it (its notebook, template, CSS and options), at
1280x720, the same 1,000-deal pipeline loaded through the app's upload button, the same
"proposal" slider steps pressed on the keyboard. Only the widget that shows the figure
changes, one Voila server and one page per technology, all open at once:

- ``png``: the app as it is: ``QuickFigureView``, one Agg draw, PNG bytes in an ipywidgets
  ``Image``. Timed from the ``keydown`` to the ``img`` ``src`` swap (MutationObserver),
  ``img.decode()``, then the next animation frame (as browser.py does).
- ``svg-path`` / ``svg-none``: an anywidget whose ESM puts the SVG markup that
  ``savefig(format="svg")`` writes (``svg.fonttype`` "path", matplotlib's default: glyphs as
  paths; "none": text as ``<text>`` in the browser's fonts) into its element on every change.
  Timed from the ``keydown`` to the widget element's children replaced (MutationObserver),
  then the next animation frame.
- ``ipympl``: the same figure on an ipympl canvas (``ipympl.backend_nbagg.Canvas`` with its
  ``FigureManager``; header, footer, toolbar and resize handle hidden), placed where the
  image was, the app's show() calling ``canvas.draw_idle()`` (ipympl's way: the browser
  asks back for the frame, the kernel draws it and sends a PNG of the changed pixels).
  Timed from the ``keydown`` to the frame drawn on the visible canvas
  (``CanvasRenderingContext2D.prototype.drawImage`` wrapped by an init script), then the
  next animation frame.
- ``ipympl-draw``: as ``ipympl`` but show() calls ``canvas.draw()``: the frame is sent at
  once, without the round trip through the browser (a variant, to tell ipympl's own cost
  from its protocol's).

Per technology, printed on one line: keydown -> pixels p50/p95 (the number compared; beside
it keydown -> the DOM or canvas changed, and keydown -> after the paint, i.e. a message
posted from that animation frame, which runs once the frame is painted); the in-kernel cost
of a change, p50/p95 (the same app with that figure in this process, the same slider value
set right after the page's change of it, as browser.py's floor; for ``ipympl`` the draw the
browser asks back for is included); bytes per change over the kernel's websocket (median,
received + sent by the page) and the figure's own payload (PNG or SVG bytes, median);
whether the figure keeps its aspect (within 2 %) and fits (or by how many px it overflows)
when the app is squeezed into a 480 px wide container; any request the page made outside
127.0.0.1; console errors. Changes are interleaved: every slider value goes to each page in
turn (the order rotating), so all technologies see the same load; each line but png's also
gives the median of its per-change differences to png's (keydown -> pixels), the comparison
least moved by a busy machine. The last line names the fastest by keydown -> pixels p95.

Where ``salestrain app`` lets Voila load only listed JupyterLab extensions, the widget's own
(anywidget, jupyter-matplotlib) is added to that list for its page.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlparse

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _p in (str(ROOT), str(BENCH)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from browser import (  # noqa: E402  (benchmarks/browser.py: the same servers, data and steps)
    APP,
    APP_NAME,
    CHROMIUM,
    CHROMIUM_ARGS,
    DEALS,
    SLIDER,
    _slider_index,
    free_port,
    launched,
    load,
    p95,
    pipeline_csv,
    slider_values,
    wait_for_http,
)

TECHS = ("png", "svg-path", "svg-none", "ipympl", "ipympl-draw")
WIDTH_IN, HEIGHT_IN = 7.0, 3.4  # the forecast figure's size (ForecastApp.build_views)
SQUEEZED_PX = 480

# -- kernel side: the app with another figure widget ------------------------------------------

SVG_ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "salestrain-svg";
  const put = () => { box.innerHTML = model.get("svg"); };
  put();
  model.on("change:svg", put);
  el.appendChild(box);
}
export default { render };
"""
# The SVG at the PNG's own size (700 px at 100 dpi), narrower when its container is.
SVG_CSS = """
.salestrain-svg svg { display: block; width: WIDTHpx; max-width: 100%; height: auto; }
""".replace("WIDTH", str(round(WIDTH_IN * 100)))


def _freeze(view) -> None:
    """QuickFigureView's first-frame step, the same for every technology: lay out once with
    the constrained layout, then freeze it (salestrain/apps/funnel.py)."""
    from salestrain.plots.style import freeze_layout

    if getattr(view, "_frozen", False):
        return
    view._frozen = True
    freeze_layout(view.figure)


class _View:
    """What ForecastApp needs of its ``plot``: ``figure`` and ``refresh()``; ``image`` is the
    widget that carries the ``salestrain-text-N`` class (FigureView.mark_text_size)."""

    def __init__(self, figure, widget) -> None:
        self.figure = figure
        self.image = widget
        self._text_class: str | None = None
        self.payloads: list[int] = []  # bytes of each frame's figure payload

    def mark_text_size(self) -> None:
        from salestrain.apps.base import FigureView

        FigureView.mark_text_size(self)  # type: ignore[arg-type]


class SvgView(_View):
    def __init__(self, figure, fonttype: str) -> None:
        import anywidget
        import ipywidgets as w
        import traitlets

        class SvgFigure(anywidget.AnyWidget):
            _esm = SVG_ESM
            _css = SVG_CSS
            svg = traitlets.Unicode("").tag(sync=True)

        widget = SvgFigure(layout=w.Layout(width=f"{round(WIDTH_IN * 100)}px", max_width="100%"))
        widget.add_class("salestrain-figure-svg")
        super().__init__(figure, widget)
        self.fonttype = fonttype

    def refresh(self) -> None:
        import matplotlib

        _freeze(self)
        buf = io.StringIO()
        # hashsalt: the same clip-path ids every frame, so equal frames give equal markup
        with matplotlib.rc_context({"svg.fonttype": self.fonttype, "svg.hashsalt": "salestrain"}):
            self.figure.savefig(buf, format="svg", metadata={"Date": None})
        text = buf.getvalue()
        text = text[text.index("<svg"):]  # the XML prolog and DOCTYPE mean nothing in HTML
        self.payloads.append(len(text.encode()))
        self.image.svg = text
        self.mark_text_size()


class IpymplView(_View):
    def __init__(self, figure, direct: bool) -> None:
        from ipympl.backend_nbagg import Canvas, FigureManager

        canvas = Canvas(figure)
        self.manager = FigureManager(canvas, 0)
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
        canvas.add_class("salestrain-figure-mpl")
        super().__init__(figure, canvas)
        self.canvas = canvas
        self.direct = direct
        send = canvas.send_binary

        def send_binary(data: bytes) -> None:
            self.payloads.append(len(data))
            send(data)

        canvas.send_binary = send_binary

    def refresh(self) -> None:
        _freeze(self)
        # Before the page's "initialized" a direct draw makes ipympl 0.10 send a _data_url
        # without its "data:" prefix, which breaks the canvas: draw_idle until then.
        if self.direct and not self.canvas.syncing_data_url:
            self.canvas.draw()
        else:
            self.canvas.draw_idle()
        self.mark_text_size()


def tech_app(tech: str, pipeline=None):
    """The forecast app with its figure shown by ``tech`` (``png``: the app as it is)."""
    from salestrain.apps.funnel import ForecastApp

    class TechForecastApp(ForecastApp):
        def build_views(self):
            views = super().build_views()
            if tech == "png":
                return views
            old = self.plot
            if tech.startswith("svg-"):
                new = SvgView(old.figure, tech.removeprefix("svg-"))
            else:
                new = IpymplView(old.figure, direct=tech == "ipympl-draw")
            _replace(views, old.image, new.image)
            new.box = getattr(old, "box", new.image)  # the figure and its caption, if any
            self.plot = new
            return views

    return TechForecastApp(pipeline)


def _replace(views: list, old, new) -> None:
    """Put ``new`` where ``old`` is: in the views, or in the box that holds it (the figure's
    box with its caption)."""
    from salestrain.apps.base import walk_widgets

    for k, view in enumerate(views):
        if view is old:
            views[k] = new
            return
        for box in walk_widgets(view):
            children = list(getattr(box, "children", ()))
            if any(child is old for child in children):
                box.children = [new if child is old else child for child in children]
                return
    raise SystemExit("the forecast app's figure image is not among its views")


# -- the pages ------------------------------------------------------------------------------

FIGURE_SELECTOR = {
    "png": f"{APP} img.salestrain-figure",
    "svg": f"{APP} .salestrain-figure-svg svg",
    "ipympl": f"{APP} .salestrain-figure-mpl canvas",
}
OBSERVED = {"png": f"{APP} img.salestrain-figure", "svg": f"{APP} .salestrain-figure-svg"}


# The JupyterLab extension each widget's front end lives in.
EXTENSION = {"svg-path": "anywidget", "svg-none": "anywidget", "ipympl": "jupyter-matplotlib",
             "ipympl-draw": "jupyter-matplotlib"}


def kind(tech: str) -> str:
    return tech.split("-")[0]


# Every page: count the frames drawn on a canvas that is on the page (ipympl draws the
# PNG it receives on an offscreen canvas, then that one on the visible canvas).
CANVAS_HOOK_JS = """
(() => {
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  window.__canvasDraws = 0;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const out = draw.apply(this, args);
    if (this.canvas && this.canvas.isConnected) {
      window.__canvasDraws += 1;
      if (window.__onCanvasDraw) window.__onCanvasDraw(performance.now());
    }
    return out;
  };
})();
"""

# [keydown -> next animation frame, keydown -> DOM/canvas changed, keydown -> after paint]
TIMER_JS = """
([kind, observed]) => {
  const bench = window.__bench = {t0: null, samples: []};
  document.addEventListener('keydown', e => {
    if (e.target.closest && e.target.closest('.noUi-handle')) bench.t0 = performance.now();
  }, true);
  const take = () => { const t0 = bench.t0; bench.t0 = null; return t0; };
  const finish = (t0, changed) => requestAnimationFrame(() => {
    const frame = performance.now();
    const channel = new MessageChannel();  // runs after this frame is painted
    channel.port1.onmessage = () => bench.samples.push([frame - t0, changed - t0, performance.now() - t0]);
    channel.port2.postMessage(0);
  });
  if (kind === 'png') {
    const img = document.querySelector(observed);
    new MutationObserver(async () => {
      const changed = performance.now(), t0 = take();
      if (t0 === null) return;
      try { await img.decode(); } catch (err) { bench.samples.push([-1, -1, -1]); return; }
      finish(t0, changed);
    }).observe(img, {attributes: true, attributeFilter: ['src']});
  } else if (kind === 'svg') {
    new MutationObserver(() => {
      const changed = performance.now(), t0 = take();
      if (t0 !== null) finish(t0, changed);
    }).observe(document.querySelector(observed), {childList: true, subtree: true});
  } else {
    window.__onCanvasDraw = (changed) => { const t0 = take(); if (t0 !== null) finish(t0, changed); };
  }
}
"""

FIGURE_READY_JS = """
([kind, sel]) => {
  const el = document.querySelector(sel);
  if (!el) return false;
  if (kind === 'png' && (!el.complete || el.naturalWidth === 0)) return false;
  if (kind === 'ipympl' && !window.__canvasDraws) return false;
  return new Promise(done => requestAnimationFrame(() => done(true)));
}
"""

# The app squeezed into a container SQUEEZED_PX wide: the figure's box, its drawn aspect.
SQUEEZE_JS = """
async ([app, sel, width]) => {
  const box = document.querySelector(app);
  box.style.width = width + 'px';
  box.style.maxWidth = width + 'px';
  await new Promise(done => setTimeout(done, 800));  // let widgets react to the new size
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.querySelector(sel);
  const r = el.getBoundingClientRect(), c = box.getBoundingClientRect();
  let drawn;
  if (el.tagName === 'IMG') drawn = el.naturalWidth / el.naturalHeight;
  else if (el.tagName === 'CANVAS') drawn = el.width / el.height;
  else { const v = el.viewBox.baseVal; drawn = v.width / v.height; }
  return {width: r.width, height: r.height, drawn, right: r.right, container: c.right};
}
"""


def notebook(tech: str) -> object:
    """``salestrain app funnel-forecast``'s notebook, the app built by tech_app(tech)."""
    from salestrain.base import i18n
    from salestrain.cli.projector import projector_notebook

    nb = projector_notebook(APP_NAME, i18n.get_language())
    cell = nb.cells[0]
    build = f"app = get_app({APP_NAME!r}).factory()"
    if build not in cell.source:
        raise SystemExit("salestrain.cli.projector's notebook changed; update figure_tech.notebook()")
    cell.source = (f"import sys\nsys.path.insert(0, {str(BENCH)!r})\nfrom figure_tech import tech_app\n"
                   + cell.source.replace(build, f"app = tech_app({tech!r})"))
    return nb


def serve(stack: ExitStack, tech: str, tmp: Path) -> str:
    """Start Voila on tech's notebook as `salestrain app` does; return the page's address."""
    import nbformat

    from salestrain.cli.projector import JUPYTER_DATA, voila_command, voila_config

    folder = tmp / tech
    folder.mkdir()
    path = folder / f"{APP_NAME}.ipynb"
    nbformat.write(notebook(tech), path)
    (folder / "voila.json").write_text(json.dumps(voila_config("127.0.0.1")), encoding="utf-8")
    port = free_port()
    os.environ["JUPYTER_PATH"] = os.pathsep.join(  # run_voila's template path
        p for p in (str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH", "")) if p)
    log = tmp / f"{tech}.log"
    args = voila_command(path, port, False)
    allow = "--VoilaConfiguration.extension_allowlist="
    if any(a.startswith(allow) for a in args) and tech in EXTENSION:
        args.append(allow + EXTENSION[tech])  # Voila loads only the extensions listed
    proc = stack.enter_context(launched(args, log))
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/voila/static/voila.js", proc, log)
    return base


class Page:
    """One technology's page: upload the pipeline, then time each key press."""

    def __init__(self, browser, tech: str, base: str, csv: Path) -> None:
        self.tech, self.kind = tech, kind(tech)
        self.selector = FIGURE_SELECTOR[self.kind]
        self.context = browser.new_context(viewport={"width": 1280, "height": 720})
        self.context.add_init_script(CANVAS_HOOK_JS)
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.received = self.sent = 0
        self.page.on("request", self._request)
        self.page.on("websocket", self._websocket)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(f"{base}/")
        self.page.wait_for_function(FIGURE_READY_JS, arg=[self.kind, self.selector], timeout=120_000)
        with self.page.expect_file_chooser() as chooser:  # the app's upload button, as a person would
            self.page.locator(APP).first.locator(".widget-upload").click()
        chooser.value.set_files(str(csv))
        self.page.wait_for_function("([sel, name]) => document.querySelector(sel).innerText.includes(name)",
                                    arg=[APP, csv.name], timeout=60_000)
        self.page.wait_for_timeout(1500)  # the 1,000-deal figure drawn and shown
        observed = OBSERVED.get(self.kind)
        self.page.evaluate(TIMER_JS, [self.kind, observed])
        self.handle = self.page.locator(f"{APP} .widget-slider .noUi-handle").nth(_slider_index())
        self.start = float(self.handle.get_attribute("aria-valuenow") or 0)
        self.handle.focus()
        self.bytes: list[int] = []

    def _request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.hostname != "127.0.0.1":
            self.outside.append(request.url)

    def _websocket(self, ws) -> None:
        def size(payload: str | bytes) -> int:
            return len(payload.encode() if isinstance(payload, str) else payload)

        def received(payload: str | bytes) -> None:
            self.received += size(payload)

        def sent(payload: str | bytes) -> None:
            self.sent += size(payload)

        ws.on("framereceived", received)
        ws.on("framesent", sent)

    def press(self, key: str, count: int) -> None:
        before = self.received + self.sent
        self.handle.press(key)
        self.page.wait_for_function("n => window.__bench.samples.length >= n", arg=count, timeout=30_000)
        self.page.wait_for_timeout(100)  # the kernel's last messages of this change
        self.bytes.append(self.received + self.sent - before)

    def finish(self, tmp: Path) -> tuple[list[list[float]], float, dict]:
        samples = self.page.evaluate("() => window.__bench.samples")
        shown = float(self.handle.get_attribute("aria-valuenow") or 0)
        self.page.screenshot(path=str(tmp / f"{self.tech}-1280.png"))
        squeezed = self.page.evaluate(SQUEEZE_JS, [APP, self.selector, SQUEEZED_PX])
        self.page.locator(self.selector).first.scroll_into_view_if_needed()  # Voila scrolls a div
        self.page.screenshot(path=str(tmp / f"{self.tech}-480.png"))
        self.context.close()
        return samples, shown, squeezed


# -- the in-kernel floor ---------------------------------------------------------------------


class KernelFloor:
    """The same changes in this process, on the same app and figure widget: the observer
    (compute + show + the figure's frame); for ``ipympl`` also the draw the browser asks for."""

    def __init__(self, tech: str, csv: Path) -> None:
        from salestrain.core.funnel import DEFAULT_STAGES
        from salestrain.io.funnel import read_pipeline_bytes

        pipeline = read_pipeline_bytes(csv.read_bytes(), csv.name, DEFAULT_STAGES)  # what the upload does
        self.tech = tech
        self.app = tech_app(tech, pipeline)
        if tech.startswith("ipympl"):
            self.app.plot.canvas.syncing_data_url = False  # as after the page's "initialized"
        self.samples: list[float] = []  # ms

    def change(self, value: float) -> None:
        plot = self.app.plot
        frames = len(plot.payloads) if hasattr(plot, "payloads") else None
        before = getattr(plot.image, "value", None)
        start = time.perf_counter()
        self.app.controls[SLIDER].value = value
        if self.tech == "ipympl":
            plot.canvas.handle_event({"type": "draw"})  # what the page sends back after "draw"
        self.samples.append((time.perf_counter() - start) * 1000)
        redrawn = plot.image.value != before if self.tech == "png" else len(plot.payloads) > frames
        if self.app.error is not None or not redrawn:
            raise SystemExit(f"{self.tech}: the in-process app did not redraw for {value}: {self.app.error}")

    def payload(self) -> float:
        plot = self.app.plot
        if self.tech == "png":
            return float(len(plot.image.value))
        return float(statistics.median(plot.payloads[1:] or plot.payloads))


# -- the run ---------------------------------------------------------------------------------


def rotated(items: tuple[str, ...], k: int) -> Iterator[str]:
    k %= len(items)
    yield from items[k:] + items[:k]


def run(browser, tmp: Path, techs: tuple[str, ...], warmup: int, changes: int) -> dict[str, dict]:
    csv = pipeline_csv(tmp)
    floors = {tech: KernelFloor(tech, csv) for tech in techs}
    with ExitStack() as stack:
        bases = {tech: serve(stack, tech, tmp) for tech in techs}
        pages = {tech: Page(browser, tech, bases[tech], csv) for tech in techs}
        starts = {pages[t].start for t in techs}
        if len(starts) != 1:
            raise SystemExit(f"the pages' sliders start at different values: {starts}")
        start = starts.pop()
        values = slider_values(start, warmup + changes)
        for k, value in enumerate(values):
            key = "ArrowRight" if value > (values[k - 1] if k else start) else "ArrowLeft"
            for tech in rotated(techs, k):
                pages[tech].press(key, k + 1)
                floors[tech].change(value)
                pages[tech].page.wait_for_timeout(50)
        results = {}
        for tech in techs:
            samples, shown, squeezed = pages[tech].finish(tmp)
            if min(s[0] for s in samples) < 0:
                raise SystemExit(f"{tech}: an image failed to decode in the page")
            if abs(shown - values[-1]) > 1e-6:
                raise SystemExit(f"{tech}: the slider shows {shown}, expected {values[-1]}: a key press was lost")
            results[tech] = {"samples": samples[warmup:], "floor": floors[tech].samples[warmup:],
                             "bytes": pages[tech].bytes[warmup:], "payload": floors[tech].payload(),
                             "squeezed": squeezed, "outside": pages[tech].outside,
                             "errors": pages[tech].errors}
    return results


def paired(r: dict, base: dict) -> str:
    """The median of the per-change differences to ``base`` (each change's two values were
    pressed one right after the other, so they share the machine's load of that moment)."""
    diffs = [a[0] - b[0] for a, b in zip(r["samples"], base["samples"], strict=True)]
    return f"; vs png, paired change by change: median {statistics.median(diffs):+.0f} ms"


def report(tech: str, r: dict, base: dict | None = None) -> str:
    frame = [s[0] for s in r["samples"]]
    changed = [s[1] for s in r["samples"]]
    painted = [s[2] for s in r["samples"]]
    floor = r["floor"]
    sq = r["squeezed"]
    shown = sq["width"] / sq["height"] if sq["height"] else 0.0
    kept = abs(shown / sq["drawn"] - 1) <= 0.02
    over = sq["right"] - sq["container"]  # past the container's right edge, in px
    outside = (f"{len(r['outside'])} outside 127.0.0.1 (e.g. {r['outside'][0]})" if r["outside"]
               else "none outside 127.0.0.1")
    med = statistics.median
    return (f"tech {tech:<11} keydown -> pixels p50 {med(frame):.0f} ms, p95 {p95(frame):.0f} ms "
            f"(-> DOM/canvas changed p50 {med(changed):.0f}/p95 {p95(changed):.0f}; -> after paint "
            f"p50 {med(painted):.0f}/p95 {p95(painted):.0f}); in-kernel p50 {med(floor):.0f} ms, "
            f"p95 {p95(floor):.0f} ms; bytes/change {med(r['bytes']) / 1024:.1f} KiB on the websocket, "
            f"figure payload {r['payload'] / 1024:.1f} KiB; at {SQUEEZED_PX} px: shown "
            f"{sq['width']:.0f}x{sq['height']:.0f}, aspect {'kept' if kept else 'NOT kept'}, "
            f"{'fits' if over <= 1 else f'overflows by {over:.0f} px'}; requests: {outside}; console errors: {len(r['errors'])}"
            + (paired(r, base) if base is not None and base is not r else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=6)
    parser.add_argument("--tech", action="append", choices=TECHS,
                        help="a technology to measure (repeatable; default: all)")
    args = parser.parse_args()
    techs = tuple(args.tech or TECHS)
    if not Path(CHROMIUM).exists():
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    import anywidget
    import ipympl
    import matplotlib
    from playwright.sync_api import sync_playwright

    print(f"figure-tech: {DEALS:,} deals, slider {SLIDER!r}, {args.warmup} warm-up + {args.changes} changes "
          f"per technology, interleaved; anywidget {anywidget.__version__}, ipympl {ipympl.__version__}, "
          f"matplotlib {matplotlib.__version__}; {load()}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="salestrain-bench-figtech-"))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                results = run(browser, tmp, techs, args.warmup, args.changes)
            finally:
                browser.close()
        for tech in techs:
            print(report(tech, results[tech], results.get("png")), flush=True)
        best = min(techs, key=lambda t: p95([s[0] for s in results[t]["samples"]]))
        print(f"fastest by keydown -> pixels p95: {best} "
              f"({p95([s[0] for s in results[best]['samples']]):.0f} ms); {load()}", flush=True)
    finally:
        if os.environ.get("SALESTRAIN_BENCH_KEEP"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
