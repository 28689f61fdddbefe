"""The app pattern: controls declared once as data, one builder, one recompute path.

An app subclasses :class:`App`, lists its controls in ``CONTROLS`` (or returns them
from :meth:`App.control_specs` when they depend on data), computes its result with a
core function in :meth:`App.compute`, and shows it in :meth:`App.show`. Tests drive
it in-process::

    app = StartHereApp()
    app.controls["win_rate"].value = 0.6
    app.result.mean

The rules every app keeps (``tests/test_app_pattern.py`` checks each registered app):

- every input on screen, buttons and uploads included, is a :class:`Control` in the one
  declaration. Value controls (sliders, choices, text) land in ``app.controls`` and feed
  :meth:`App.compute`; action controls (``action`` = a button, ``buttons`` = a row of
  answer buttons, ``upload`` = a file upload) land in ``app.actions`` and call the
  app method their ``handler`` names;
- state changes live only in those handlers, marked with :func:`action` (which
  recomputes once when the handler returns). A value control may name a handler in
  ``on_change`` (e.g. "a new counterpart starts a new game");
- :meth:`App.compute` is pure: the same control values and app state give an equal
  result and change nothing;
- :meth:`App.show` reads only the result it is given.

The same declaration feeds the widget builder, value checks and the browser tests.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import ipywidgets as w

from salestrain.base import i18n
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t
from salestrain.plots import style as plots

ControlKind = Literal["float", "int", "choice", "bool", "text", "textarea", "toggle",
                      "action", "buttons", "upload"]
VALUE_KINDS = frozenset({"float", "int", "choice", "bool", "text", "textarea", "toggle"})
ACTION_KINDS = frozenset({"action", "buttons", "upload"})


@dataclass(frozen=True)
class Control:
    """One control of an app, as data.

    ``label`` is a catalog key ("" for none). For ``choice`` and ``toggle`` controls
    ``options`` holds values or ``(label, value)`` pairs; a label that is a catalog key
    is translated. Action kinds name the app method they call in ``handler``: an
    ``action`` button calls it with no argument, a ``buttons`` row with the index of
    the button clicked, an ``upload`` with the uploaded files. ``on_change`` names an
    action a value control's change runs before the recompute.
    """

    name: str
    kind: ControlKind
    label: str
    default: Any
    min: float | None = None
    max: float | None = None
    step: float | None = None
    options: Sequence[Any] = field(default_factory=tuple)
    readout_format: str | None = None
    handler: str | None = None
    on_change: str | None = None
    button_style: str = ""
    accept: str = ""  # upload: the file types offered, e.g. ".csv"

    @property
    def is_action(self) -> bool:
        return self.kind in ACTION_KINDS

    def __post_init__(self) -> None:
        if self.kind in ACTION_KINDS and not self.handler:
            raise ValueError(f"control {self.name!r}: an {self.kind} control needs a handler")
        if self.kind in VALUE_KINDS and self.handler:
            raise ValueError(f"control {self.name!r}: a value control has no handler "
                             "(use on_change for an action its change runs)")
        if self.kind in ("float", "int"):
            if self.min is None or self.max is None:
                raise ValueError(f"control {self.name!r}: a slider needs min and max")
            if not self.min <= self.default <= self.max:
                raise ValueError(
                    f"control {self.name!r}: default {self.default!r} is outside "
                    f"[{self.min}, {self.max}]"
                )
        if self.kind in ("choice", "toggle") and self.default not in self.values():
            raise ValueError(
                f"control {self.name!r}: default {self.default!r} is not one of its options"
            )

    def values(self) -> list[Any]:
        return [o[1] if isinstance(o, tuple) else o for o in self.options]

    def labelled_options(self) -> list[tuple[str, Any]]:
        out = []
        for o in self.options:
            label, value = o if isinstance(o, tuple) else (str(o), o)
            out.append((_translate(label), value))
        return out


def _translate(label: str) -> str:
    return t(label) if i18n.has_key(label) else label


_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "min(100%, 460px)"}

# The apps' one stylesheet, shown (invisibly) inside every app, so JupyterLab, learner
# mode and projector mode read the same rules. Checked at 1280x720 in English and Chinese
# by tests/browser/test_screens.py.
APP_CSS = """
<style>
  /* A figure keeps the aspect it was drawn with: a flex row would otherwise stretch the
     PNG to the height of the text beside it. */
  .salestrain-app img.salestrain-figure {
    max-width: 100%; height: auto !important; align-self: flex-start; object-fit: contain;
    flex: 0 1 auto; min-width: 0;
    /* No side margins: with the widget's 2 px margin, max-width 100% overflowed a narrow
       column by 2 px (benchmarks/figure_tech.py, 480 px container). */
    margin-left: 0 !important; margin-right: 0 !important;
  }
  /* Every table in an app: cells apart, so headers never run together (a table may set
     its own padding inline). */
  .salestrain-app table th, .salestrain-app table td { padding: 1px 8px; }
  /* The one line under a figure that says what to see in it. */
  .salestrain-app .salestrain-caption .widget-html-content { font-style: italic; line-height: 1.3; }
  .salestrain-app .salestrain-figure-box { align-items: flex-start; }
  /* Controls beside the views (App.side_views): the views take the rest of the width and
     drop under the controls on a narrow screen. */
  .salestrain-app .salestrain-columns { flex-wrap: wrap; align-items: flex-start; gap: 0 28px; }
  .salestrain-app .salestrain-columns > .salestrain-side { flex: 1 1 0; min-width: 360px; }
  .salestrain-app .salestrain-columns > .salestrain-main {
    flex: 0 1 auto; max-width: 100%; min-width: min(460px, 100%);  /* the controls' own width */
  }
  /* A form of sliders (see form()): one grid, so every label shows whole and every track
     starts at the same x, whatever the language's label lengths. */
  .salestrain-app .salestrain-form {
    display: grid !important; align-items: center; column-gap: 10px; row-gap: 0;
    grid-template-columns: max-content minmax(100px, var(--salestrain-track, 120px)) max-content;
  }
  .salestrain-app .salestrain-form > .widget-slider,
  .salestrain-app .salestrain-form > .widget-dropdown { display: contents !important; }
  .salestrain-app .salestrain-form > :not(.widget-slider):not(.widget-dropdown) {
    grid-column: 1 / -1;
  }
  .salestrain-app .salestrain-form > .widget-dropdown > select { grid-column: 2 / -1; }
  .salestrain-app .salestrain-form .widget-label {
    width: auto !important; max-width: none; overflow: visible; text-align: left;
  }
  /* Headline numbers as cards (App.headlines): the number large, what it is under it;
     the left edge says whether it is good news (green), bad news (vermillion) or neither. */
  .salestrain-app .salestrain-cards { margin: 6px 0 4px; }
  .salestrain-app .salestrain-cards .widget-html-content { line-height: 1.15; }
  .salestrain-app .salestrain-card-row { display: flex; flex-wrap: wrap; gap: 8px; }
  .salestrain-app .salestrain-card {
    border: 1px solid #d0d7de; border-left: 5px solid var(--salestrain-card-edge, #0072B2);
    border-radius: 4px; background: #f6f8fa; padding: 3px 10px 4px; min-width: 6em;
  }
  .salestrain-app .salestrain-card-value { font-size: 1.4em; font-weight: 700; white-space: nowrap; }
  .salestrain-app .salestrain-card-label { font-size: max(0.8em, 12px); color: #333; }
</style>
"""


def form(widgets: Sequence[w.Widget]) -> w.VBox:
    """Sliders (and headings) laid out as one aligned form: full labels, tracks in a column.

    A heading or any widget that is not a control spans the whole row.
    """
    box = w.VBox(list(widgets))
    box.add_class("salestrain-form")
    return box


class ActionButtons(w.VBox):
    """A column of answer buttons whose labels come from the result (``buttons`` kind).

    Clicking button ``i`` calls the handler with ``i``; :meth:`set_options` (called from
    ``show``) replaces the buttons when the question changes.
    """

    def __init__(self, on_click: Callable[[int], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_click = on_click
        self.buttons: list[w.Button] = []

    def set_options(self, labels: Sequence[str], css_class: str = "") -> None:
        buttons = []
        for i, label in enumerate(labels):
            b = w.Button(description=label, layout=w.Layout(width="100%", height="auto"))
            if css_class:
                b.add_class(css_class)
            b.on_click(lambda _b, i=i: self._on_click(i))
            buttons.append(b)
        self.buttons = buttons
        self.children = buttons


def build_action(spec: Control, run: Callable[..., None]) -> w.Widget:
    """Turn one action declaration into its widget; ``run`` is called with the handler's
    arguments (none for a button, the index for ``buttons``, the files for ``upload``)."""
    description = t(spec.label) if spec.label else ""
    if spec.kind == "action":
        button = w.Button(description=description, button_style=spec.button_style,
                          layout=w.Layout(width="auto"))
        button.on_click(lambda _b: run())
        return button
    if spec.kind == "upload":
        upload = w.FileUpload(accept=spec.accept, multiple=False, description=description)

        def uploaded(change: dict) -> None:
            if change["new"]:
                run(change["new"])

        upload.observe(uploaded, names="value")
        return upload
    if spec.kind == "buttons":
        return ActionButtons(run)
    raise ValueError(f"control {spec.name!r}: unknown action kind {spec.kind!r}")


def action(method: Callable) -> Callable:
    """Mark an app method as an action handler: it changes the app's state, then the app
    recomputes and shows once (or, inside :meth:`App.hold`, once at the end)."""

    @functools.wraps(method)
    def run(self: App, *args: Any, **kwargs: Any) -> Any:
        with self.hold():
            return method(self, *args, **kwargs)

    run.is_action = True  # type: ignore[attr-defined]
    return run


def build_control(spec: Control) -> w.ValueWidget:
    """Turn one value declaration into its ipywidget."""
    common = {"description": t(spec.label) if spec.label else "", "style": _STYLE,
              "layout": w.Layout(**_LAYOUT)}
    if spec.kind == "float":
        extra = {"readout_format": spec.readout_format} if spec.readout_format else {}
        return w.FloatSlider(
            value=spec.default, min=spec.min, max=spec.max,
            step=spec.step or (spec.max - spec.min) / 100,
            continuous_update=False, **extra, **common,
        )
    if spec.kind == "int":
        return w.IntSlider(
            value=spec.default, min=int(spec.min), max=int(spec.max),
            step=int(spec.step or 1), continuous_update=False, **common,
        )
    if spec.kind == "choice":
        return w.Dropdown(options=spec.labelled_options(), value=spec.default, **common)
    if spec.kind == "bool":
        return w.Checkbox(value=bool(spec.default), indent=False, **common)
    if spec.kind == "text":
        return w.Text(value=str(spec.default), continuous_update=False, **common)
    if spec.kind == "textarea":
        return w.Textarea(value=str(spec.default), continuous_update=False, **common)
    if spec.kind == "toggle":
        return w.ToggleButtons(options=spec.labelled_options(), value=spec.default,
                               description=common["description"], style=_STYLE)
    raise ValueError(f"control {spec.name!r}: unknown kind {spec.kind!r}")


class FigureView:
    """One matplotlib figure shown as a PNG ``Image`` widget and redrawn in place.

    A PNG in an Image widget renders the same in JupyterLab and Voila (``display``
    of an Agg figure shows only ``<Figure ...>`` text in Voila), and updating the
    bytes of one widget avoids the clear-and-redraw flicker of an Output widget.
    (Measured against ipympl, an SVG anywidget and bqplot: docs/design.md, section 7.)

    ``caption`` is the catalog key of the one line under the figure that says what to
    see in it; place :attr:`box` (the figure and that line) in the app's layout.
    After each redraw the image carries the class ``salestrain-text-N``: N is the
    smallest text in the figure, in px at the PNG's own size, so a browser check can
    tell what size the figure's text is on the screen (issue 20: at least 18 px).
    """

    def __init__(self, width: float = 7.0, height: float = 3.6, caption: str | None = None) -> None:
        self.figure = plots.new_figure(width, height)
        # Show the PNG at its own size (dpi 100): stretched to the cell width it blurs.
        # align_self: in a row beside text, flex would stretch it to the row's height.
        self.image = w.Image(format="png", layout=w.Layout(
            width=f"{round(width * self.figure.dpi)}px", max_width="100%", height="auto",
            align_self="flex-start", object_fit="contain"))
        self.image.add_class("salestrain-figure")
        self.caption = w.HTML(f'<span>{html.escape(t(caption))}</span>' if caption else "")
        self.caption.add_class("salestrain-caption")
        if not caption:
            self.caption.layout.display = "none"
        self.box = w.VBox([self.image, self.caption])
        self.box.add_class("salestrain-figure-box")
        self._text_class: str | None = None

    def refresh(self) -> None:
        self.image.value = plots.to_png(self.figure)
        self.mark_text_size()

    def mark_text_size(self) -> None:
        """Tag the image with its smallest text size (px at the PNG's own size)."""
        size = plots.smallest_text_px(self.figure)
        name = f"salestrain-text-{size}" if size is not None else None
        if name != self._text_class:
            if self._text_class:
                self.image.remove_class(self._text_class)
            if name:
                self.image.add_class(name)
            self._text_class = name


@dataclass(frozen=True)
class Headline:
    """One key number of an app's result, shown as a card (:meth:`App.headlines`).

    ``value`` is already formatted for the language (``format_money`` and friends);
    ``label`` is the translated words under it; ``tone`` marks good or bad news.
    """

    label: str
    value: str
    tone: Literal["", "good", "bad"] = ""


TONE_EDGES = {"": plots.PALETTE[0], "good": plots.PALETTE[2], "bad": plots.PALETTE[3]}


def cards_html(headlines: Sequence[Headline]) -> str:
    """Headline numbers as a row of cards (empty for none)."""
    if not headlines:
        return ""
    cards = "".join(
        f'<div class="salestrain-card" style="--salestrain-card-edge:{TONE_EDGES[h.tone]}">'
        f'<div class="salestrain-card-value">{html.escape(h.value)}</div>'
        f'<div class="salestrain-card-label">{html.escape(h.label)}</div></div>'
        for h in headlines)
    return f'<div class="salestrain-card-row">{cards}</div>'


def html_legend(entries: list[tuple[str, str, str]]) -> str:
    """A figure's key as HTML, over or beside it (where a legend in the figure would cover
    data at 13 pt): entries are (colour, kind, label), kind one of "square",
    "line", "dashed", "dotted" or "dot" (a round marker)."""
    marks = {"square": "display:inline-block;width:12px;height:12px;background:{c}",
             "line": "display:inline-block;width:18px;height:0;border-top:3px solid {c}",
             "dashed": "display:inline-block;width:18px;height:0;border-top:3px dashed {c}",
             "dotted": "display:inline-block;width:18px;height:0;border-top:3px dotted {c}",
             "dot": "display:inline-block;width:12px;height:12px;border-radius:50%;"
                    "border:1px solid black;background:{c}"}
    items = [f'<span style="margin-right:14px;white-space:nowrap">'
             f'<span style="{marks[kind].format(c=colour)};vertical-align:middle"></span> '
             f'{html.escape(label)}</span>' for colour, kind, label in entries]
    return f'<div class="salestrain-legend" style="font-size:90%">{"".join(items)}</div>'


class App:
    """Base class of every salestrain app. Subclasses define the three hooks."""

    CONTROLS: ClassVar[tuple[Control, ...]] = ()
    TITLE: ClassVar[str | None] = None  # catalog key
    # Where an app with side views shows its headline cards: under the controls (the
    # column's free space), or, for an app whose controls run past the first screen, at
    # the top of the side column, above the figure.
    CARDS_IN_SIDE: ClassVar[bool] = False
    # A catalog key to give the app a progress bar that a long compute() may move
    # through report_progress(); it shows that the app is working and feeds no result.
    PROGRESS: ClassVar[str | None] = None

    def __init__(self, **values: Any) -> None:
        declared = list(self.control_specs())
        self.specs: dict[str, Control] = {c.name: c for c in declared}
        if len(self.specs) != len(declared):
            names = [c.name for c in declared]
            raise ValueError(f"{type(self).__name__}: control names declared twice: "
                             f"{sorted({n for n in names if names.count(n) > 1})}")
        for spec in declared:
            for handler in (spec.handler, spec.on_change):
                if handler and not getattr(getattr(self, handler, None), "is_action", False):
                    raise ValueError(f"{type(self).__name__}: control {spec.name!r} names "
                                     f"{handler!r}, which is not an @action method")
        self.controls: dict[str, w.ValueWidget] = {
            name: build_control(spec) for name, spec in self.specs.items() if not spec.is_action
        }
        self.actions: dict[str, w.Widget] = {
            name: build_action(spec, functools.partial(self._run_action, spec.handler))
            for name, spec in self.specs.items() if spec.is_action
        }
        self.result: Any = None
        self.error: str | None = None
        self.message = w.HTML(layout=w.Layout(min_height="1.5em"))
        self.message.add_class("salestrain-message")
        if self.PROGRESS:
            self.progress = w.IntProgress(value=0, min=0, max=1, description=t(self.PROGRESS),
                                          style={"description_width": "initial"})
        self._held = False
        self._build()
        for name, widget in self.controls.items():
            widget.observe(functools.partial(self._on_change, name), names="value")
        self.set(**values)  # computes and shows once, with or without values

    # -- hooks ------------------------------------------------------------
    def control_specs(self) -> Sequence[Control]:
        """The controls, as data. Override when they depend on the app's input."""
        return self.CONTROLS

    def build_views(self) -> list[w.Widget]:
        """The output widgets (figures, tables, labels), created once.

        An action widget (``self.actions[name]``) placed among them stays where it is
        put; the others go in a row under the value controls.
        """
        return []

    def side_views(self) -> list[w.Widget]:
        """Views from :meth:`build_views` to show beside the controls, not under them.

        For an app whose controls are tall: the figure and its key number stay on the
        first screen while a person moves the controls. Called after build_views.
        """
        return []

    def headlines(self, result: Any) -> list[Headline]:
        """The result's key numbers, shown as cards next to the controls (issue 20's grid:
        controls, headline cards, figure). Reads only ``result``, like :meth:`show`."""
        return []

    @property
    def has_cards(self) -> bool:
        return type(self).headlines is not App.headlines

    def compute(self, **params: Any) -> Any:
        """Call the core with the control values; return the result object.

        Pure: it may read the app's inputs and state, never change them (or a view).
        """
        raise NotImplementedError

    def show(self, result: Any) -> None:
        """Update the views in place from a fresh result (and nothing else)."""

    # -- machinery --------------------------------------------------------
    def _build(self) -> None:
        header = []
        if self.TITLE:
            header.append(w.HTML(f"<h3>{html.escape(t(self.TITLE))}</h3>"))
        self.controls_box = w.VBox(list(self.controls.values()))
        self.views = self.build_views()
        placed = {id(x) for x in walk_widgets(w.VBox([self.controls_box, *self.views]))}
        self.actions_box = w.HBox([a for a in self.actions.values() if id(a) not in placed])
        progress = [self.progress] if self.PROGRESS and id(self.progress) not in placed else []
        style = w.HTML(APP_CSS, layout=w.Layout(display="none"))
        self.headline_cards = w.HTML()
        self.headline_cards.add_class("salestrain-cards")
        cards = [self.headline_cards] if self.has_cards else []
        side = self.side_views()
        if side:
            # The cards stand under the controls, in the column's free space, while the
            # figure stays beside them.
            beside = {id(x) for x in side}
            under = [] if self.CARDS_IN_SIDE else cards
            if under:
                # A row of cards is wider than the sliders: as the column's widest child it
                # would widen the column and push the figure beside it down the page. Width
                # 0 leaves the cards out of the column's width; min-width 100% gives it back.
                self.headline_cards.layout.width = "0"
                self.headline_cards.layout.min_width = "100%"
            main = w.VBox([self.controls_box, self.actions_box, *progress, self.message, *under])
            main.add_class("salestrain-main")
            column = w.VBox([*(cards if self.CARDS_IN_SIDE else []), *side])
            column.add_class("salestrain-side")
            row = w.HBox([main, column])
            row.add_class("salestrain-columns")
            body = [row, *[x for x in self.views if id(x) not in beside]]
        elif cards:
            # The cards stand beside the controls, the figure under both.
            main = w.VBox([self.controls_box, self.actions_box, *progress, self.message])
            main.add_class("salestrain-main")
            column = w.VBox(cards)
            column.add_class("salestrain-side")
            row = w.HBox([main, column])
            row.add_class("salestrain-columns")
            body = [row, *self.views]
        else:
            body = [self.controls_box, self.actions_box, *progress, self.message, *self.views]
        self.widget = w.VBox([style, *header, *body])
        self.widget.add_class("salestrain-app")

    def params(self) -> dict[str, Any]:
        return {name: widget.value for name, widget in self.controls.items()}

    def set(self, **values: Any) -> None:
        """Set several controls and recompute once."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise SalestrainError(
                f"{type(self).__name__}: unknown control(s) {sorted(unknown)}; "
                f"the controls are {sorted(self.controls)}"
            )
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls with a single recompute at the end."""
        was_held, self._held = self._held, True
        try:
            yield
        finally:
            self._held = was_held
        if not was_held:
            self.update()

    def _on_change(self, name: str, _change: dict) -> None:
        handler = self.specs[name].on_change
        if handler:
            getattr(self, handler)()  # an @action: it recomputes unless held
        elif not self._held:
            self.update()

    def _run_action(self, handler: str, *args: Any) -> None:
        """What a click or an upload does: the handler, with errors as a message."""
        try:
            getattr(self, handler)(*args)
        except SalestrainError as exc:
            self._show_error(exc)

    def report_progress(self, done: int, total: int) -> None:
        """Move the progress bar (apps with ``PROGRESS``) while compute() runs."""
        self.progress.max = max(total, 1)
        self.progress.value = done

    def _show_error(self, exc: SalestrainError) -> None:
        # A learner sees what to fix, never a traceback; the last good result stays.
        # One problem per line, as a file's lines and columns are listed.
        self.error = str(exc)
        self.message.value = (f'<span style="color:{plots.ALERT_TEXT};white-space:pre-wrap">'
                              f"{html.escape(str(exc), quote=False)}</span>")

    def update(self) -> None:
        """Recompute through the core and refresh the views; errors become messages."""
        try:
            result = self.compute(**self.params())
        except SalestrainError as exc:
            self._show_error(exc)
            return
        self.result = result
        self.error = None
        self.message.value = ""
        self.render(result)

    def render(self, result: Any) -> None:
        """Show ``result``: the app's own views (:meth:`show`) and its headline cards."""
        self.show(result)
        if self.has_cards:
            self.headline_cards.value = cards_html(self.headlines(result))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def walk_widgets(root: w.Widget) -> Iterator[w.Widget]:
    """Every widget in a tree of boxes, the root first."""
    yield root
    for child in getattr(root, "children", ()):
        yield from walk_widgets(child)
