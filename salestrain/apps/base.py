"""The app pattern: controls declared once as data, one builder, one recompute path.

An app subclasses :class:`App`, lists its controls in ``CONTROLS`` (or returns them
from :meth:`App.control_specs` when they depend on data), computes its result with a
core function in :meth:`App.compute`, and shows it in :meth:`App.show`. Tests drive
it in-process::

    app = StartHereApp()
    app.controls["win_rate"].value = 0.6
    app.result.mean

The same declaration feeds the widget builder, value checks and the browser tests.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import ipywidgets as w

from salestrain.base import i18n
from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t
from salestrain.plots import style as plots

ControlKind = Literal["float", "int", "choice", "bool", "text"]


@dataclass(frozen=True)
class Control:
    """One control of an app, as data.

    ``label`` is a catalog key. For ``choice`` controls ``options`` holds values or
    ``(label, value)`` pairs; a label that is a catalog key is translated.
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

    def __post_init__(self) -> None:
        if self.kind in ("float", "int"):
            if self.min is None or self.max is None:
                raise ValueError(f"control {self.name!r}: a slider needs min and max")
            if not self.min <= self.default <= self.max:
                raise ValueError(
                    f"control {self.name!r}: default {self.default!r} is outside "
                    f"[{self.min}, {self.max}]"
                )
        if self.kind == "choice" and self.default not in self.values():
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


def build_control(spec: Control) -> w.ValueWidget:
    """Turn one declaration into its ipywidget."""
    common = {"description": t(spec.label), "style": _STYLE, "layout": w.Layout(**_LAYOUT)}
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
    raise ValueError(f"control {spec.name!r}: unknown kind {spec.kind!r}")


class FigureView:
    """One matplotlib figure shown as a PNG ``Image`` widget and redrawn in place.

    A PNG in an Image widget renders the same in JupyterLab and Voila (``display``
    of an Agg figure shows only ``<Figure ...>`` text in Voila), and updating the
    bytes of one widget avoids the clear-and-redraw flicker of an Output widget.
    """

    def __init__(self, width: float = 7.0, height: float = 3.6) -> None:
        self.figure = plots.new_figure(width, height)
        # Show the PNG at its own size (dpi 100): stretched to the cell width it blurs.
        self.image = w.Image(format="png", layout=w.Layout(
            width=f"{round(width * self.figure.dpi)}px", max_width="100%", height="auto"))
        self.image.add_class("salestrain-figure")

    def refresh(self) -> None:
        self.image.value = plots.to_png(self.figure)


class App:
    """Base class of every salestrain app. Subclasses define the three hooks."""

    CONTROLS: ClassVar[tuple[Control, ...]] = ()
    TITLE: ClassVar[str | None] = None  # catalog key

    def __init__(self, **values: Any) -> None:
        self.specs: dict[str, Control] = {c.name: c for c in self.control_specs()}
        self.controls: dict[str, w.ValueWidget] = {
            name: build_control(spec) for name, spec in self.specs.items()
        }
        self.result: Any = None
        self.error: str | None = None
        self.message = w.HTML(layout=w.Layout(min_height="1.5em"))
        self.message.add_class("salestrain-message")
        self._held = False
        self._build()
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        self.set(**values)
        self.update()

    # -- hooks ------------------------------------------------------------
    def control_specs(self) -> Sequence[Control]:
        """The controls, as data. Override when they depend on the app's input."""
        return self.CONTROLS

    def build_views(self) -> list[w.Widget]:
        """The output widgets (figures, tables, labels), created once."""
        return []

    def compute(self, **params: Any) -> Any:
        """Call the core with the control values; return the result object."""
        raise NotImplementedError

    def show(self, result: Any) -> None:
        """Update the views in place from a fresh result."""

    # -- machinery --------------------------------------------------------
    def _build(self) -> None:
        header = []
        if self.TITLE:
            header.append(w.HTML(f"<h3>{html.escape(t(self.TITLE))}</h3>"))
        self.controls_box = w.VBox(list(self.controls.values()))
        self.views = self.build_views()
        self.widget = w.VBox([*header, self.controls_box, self.message, *self.views])
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

    def _on_change(self, _change: dict) -> None:
        if not self._held:
            self.update()

    def update(self) -> None:
        """Recompute through the core and refresh the views; errors become messages."""
        try:
            result = self.compute(**self.params())
        except SalestrainError as exc:
            # A learner sees what to fix, never a traceback; the last good result stays.
            self.error = str(exc)
            self.message.value = (
                f'<span style="color:#b8403a">{html.escape(str(exc))}</span>'
            )
            return
        self.result = result
        self.error = None
        self.message.value = ""
        self.show(result)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
