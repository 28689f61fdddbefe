import ipywidgets as w
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain import SalestrainError
from salestrain.apps import Control, app_names, build_control, get_app
from salestrain.apps.start import StartHereApp, start_here_app
from salestrain.core.workshop.intro import wins_distribution


@given(st.integers(0, 60), st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_wins_distribution_is_a_distribution_with_mean_np(n, p):
    d = wins_distribution(n, p)
    assert len(d.pmf) == n + 1
    assert sum(d.pmf) == pytest.approx(1.0, abs=1e-9)
    assert sum(k * q for k, q in enumerate(d.pmf)) == pytest.approx(n * p, abs=1e-7)
    assert d.quantile(0.1) <= d.quantile(0.5) <= d.quantile(0.9)
    assert d.p_at_least(0) == pytest.approx(1.0)


def test_builder_turns_declarations_into_widgets():
    assert isinstance(build_control(Control("x", "float", "start.app.win_rate", 0.5, 0, 1)), w.FloatSlider)
    slider = build_control(Control("n", "int", "start.app.deals", 3, 1, 9))
    assert isinstance(slider, w.IntSlider) and (slider.min, slider.max, slider.value) == (1, 9, 3)
    assert slider.description == "Open deals"
    drop = build_control(Control("c", "choice", "start.app.deals", "b", options=("a", "b")))
    assert isinstance(drop, w.Dropdown) and drop.value == "b"
    with pytest.raises(ValueError, match="outside"):
        Control("x", "float", "start.app.win_rate", 2.0, 0, 1)


def test_app_recomputes_when_a_control_changes():
    app = StartHereApp()
    assert set(app.controls) == {"deals", "win_rate", "target"}
    assert app.result.mean == pytest.approx(3.0)
    first_png = app.plot.image.value
    app.controls["win_rate"].value = 0.6
    assert app.result.mean == pytest.approx(6.0)
    assert app.plot.image.value != first_png
    assert app.plot.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert "6.0" in app.summary.value


def test_set_changes_several_controls_with_one_recompute(monkeypatch):
    app = StartHereApp()
    calls = []
    original = app.compute
    monkeypatch.setattr(app, "compute", lambda **kw: calls.append(kw) or original(**kw))
    app.set(deals=20, win_rate=0.5)
    assert len(calls) == 1 and app.result.mean == pytest.approx(10)
    with pytest.raises(SalestrainError, match="unknown control"):
        app.set(nope=1)


def test_core_errors_become_a_message_not_a_traceback():
    class Failing(StartHereApp):
        def compute(self, **params):
            if params["deals"] > 30:
                raise SalestrainError("deals: 31 is too many for this demo; use 30 or fewer")
            return super().compute(**params)

    app = Failing()
    good = app.result
    app.controls["deals"].value = 31
    assert app.result is good
    assert "too many" in app.error and "too many" in app.message.value
    app.controls["deals"].value = 5
    assert app.error is None and app.result.n_deals == 5


def test_registry_builds_every_app_without_arguments():
    assert "start-here" in app_names()
    for name in app_names():
        app = get_app(name).factory()
        assert app.controls, name
        assert app.result is not None, name


def test_language_applies_to_labels():
    import salestrain

    salestrain.set_language("zh_CN")
    app = start_here_app()
    assert app.controls["deals"].description == "在跟进的商机数"
    assert "平均赢下" in app.summary.value


# -- the pattern, checked on every registered app ------------------------------------
import dataclasses  # noqa: E402
import enum  # noqa: E402
import math  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from salestrain.apps.base import VALUE_KINDS, walk_widgets  # noqa: E402

VIEW_MODULES = ("matplotlib", "ipywidgets", "PIL", "traitlets", "IPython", "comm")
OUTPUT_WIDGETS = (w.HTML, w.HTMLMath, w.Label, w.Image, w.FloatProgress, w.IntProgress)


def fingerprint(x, seen=None, depth=0):
    """A comparable picture of ``x``: equal for equal values, widgets and figures left out."""
    seen = set() if seen is None else seen
    if x is None or isinstance(x, bool | int | str | bytes):
        return x
    if isinstance(x, float):
        return "nan" if math.isnan(x) else x
    if isinstance(x, enum.Enum):
        return repr(x)
    if isinstance(x, pd.DataFrame | pd.Series | pd.Index):
        return ("pandas", type(x).__name__, x.to_csv() if not isinstance(x, pd.Index) else list(x))
    if isinstance(x, np.ndarray):
        return ("ndarray", x.dtype.str, x.shape,
                x.tobytes() if x.dtype != object else fingerprint(x.tolist(), seen, depth))
    if isinstance(x, np.generic):
        return fingerprint(x.item(), seen, depth)
    if isinstance(x, np.random.Generator):
        return ("rng", repr(x.bit_generator.state))
    if type(x).__module__.split(".")[0] in VIEW_MODULES or callable(x) and not hasattr(x, "__dict__"):
        return f"<{type(x).__name__}>"
    if isinstance(x, type) or callable(x) and getattr(x, "__qualname__", None):
        return f"<{getattr(x, '__qualname__', type(x).__name__)}>"
    if id(x) in seen or depth > 8:
        return f"<{type(x).__name__} ...>"
    seen = seen | {id(x)}
    if isinstance(x, dict):
        return ("dict", sorted((repr(k), fingerprint(v, seen, depth + 1)) for k, v in x.items()))
    if isinstance(x, list | tuple):
        return (type(x).__name__, [fingerprint(v, seen, depth + 1) for v in x])
    if isinstance(x, set | frozenset):
        return ("set", sorted(repr(fingerprint(v, seen, depth + 1)) for v in x))
    if dataclasses.is_dataclass(x):
        return (type(x).__name__, [(f.name, fingerprint(getattr(x, f.name), seen, depth + 1))
                                   for f in dataclasses.fields(x)])
    if hasattr(x, "__dict__"):
        return (type(x).__name__, fingerprint(vars(x), seen, depth + 1))
    return f"<{type(x).__name__}>"


def app_state(app):
    """Everything an app holds (its views' values included), but not its figures."""
    progress = getattr(app, "progress", None) if app.PROGRESS else None
    widgets = [(type(x).__name__, fingerprint(x.get_state(drop_defaults=False)))
               for x in walk_widgets(app.widget) if x is not progress]
    return fingerprint(vars(app)), widgets


def inputs_of(app):
    """The input widgets on screen: value controls, buttons, uploads."""
    action_parts = {id(x) for a in app.actions.values() for x in walk_widgets(a)}
    out = []
    for x in walk_widgets(app.widget):
        if id(x) in action_parts or isinstance(x, OUTPUT_WIDGETS) or isinstance(x, w.Box):
            continue
        if isinstance(x, w.Button | w.FileUpload | w.ValueWidget):
            out.append(x)
    return out


def views_of(app):
    """What the screen shows apart from the controls: outputs, buttons and visibility."""
    # The controls, the compute-error message and a progress bar are the machinery's,
    # not show()'s.
    inputs = {id(x) for x in [*app.controls.values(), app.message, getattr(app, "progress", None)]}
    shown = []
    for x in walk_widgets(app.widget):
        if id(x) in inputs:
            continue
        item = [type(x).__name__, x.layout.display]
        if isinstance(x, OUTPUT_WIDGETS):
            item += [x.value, getattr(x, "description", None)]
        if isinstance(x, w.Button):
            item += [x.description, x.disabled]
        shown.append(item)
    return shown


def other_value(spec, widget):
    if spec.kind in ("float", "int"):
        return widget.max if widget.value != widget.max else widget.min
    if spec.kind in ("choice", "toggle"):
        values = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        others = [v for v in values if v != widget.value]
        return others[-1] if others else widget.value
    if spec.kind == "bool":
        return not widget.value
    return widget.value  # text: a path or a name; another one would only be an error


@pytest.fixture(params=app_names())
def built(request, tmp_path, monkeypatch):
    monkeypatch.setenv("SALESTRAIN_COACH_DB", str(tmp_path / "coach.sqlite"))
    return request.param, get_app(request.param).factory


def test_controls_are_declared_once_and_every_input_is_a_control(built):
    name, factory = built
    app = factory()
    declared = [c.name for c in app.control_specs()]
    assert len(declared) == len(set(declared)), name
    assert set(app.specs) == set(declared) == set(app.controls) | set(app.actions), name
    assert all(app.specs[n].kind in VALUE_KINDS for n in app.controls), name
    tree = list(walk_widgets(app.widget))
    assert len({id(x) for x in tree}) == len(tree), f"{name}: a widget is placed twice"
    placed = {id(x) for x in tree}
    assert all(id(x) in placed for x in [*app.controls.values(), *app.actions.values()]), name
    declared_widgets = {id(x) for x in app.controls.values()}
    strays = [type(x).__name__ for x in inputs_of(app) if id(x) not in declared_widgets]
    assert not strays, f"{name}: inputs outside the declaration: {strays}"


def test_every_action_control_calls_an_action_handler(built):
    name, factory = built
    app = factory()
    for spec in app.specs.values():
        for handler in (spec.handler, spec.on_change):
            if handler:
                assert getattr(getattr(type(app), handler), "is_action", False), (name, handler)


def test_compute_is_pure(built):
    name, factory = built
    app = factory()
    params = app.params()
    before = app_state(app)
    first = app.compute(**params)
    second = app.compute(**params)
    assert fingerprint(first) == fingerprint(second), name
    assert fingerprint(first) == fingerprint(app.result), f"{name}: the result is not compute's"
    assert app_state(app) == before, f"{name}: compute() changed the app's state or views"


def test_show_reads_only_the_result(built):
    name, factory = built
    shown, other = factory(), factory()
    # Give the other app other state and other control values...
    for spec in other.specs.values():
        if spec.kind == "action":
            other._run_action(spec.handler)
        elif spec.kind == "buttons" and other.actions[spec.name].buttons:
            other.actions[spec.name].buttons[0].click()
    with other.hold():
        for control, widget in other.controls.items():
            widget.value = other_value(other.specs[control], widget)
    # ...then show it the first app's result: the screen must be the first app's (its
    # views through show(), its headline cards through headlines(); render() does both).
    other.render(shown.result)
    assert views_of(other) == views_of(shown), name


def test_registry_lists_every_app_module_and_imports_none_of_them_to_list():
    import ast
    import pkgutil
    import subprocess
    import sys
    from pathlib import Path

    import salestrain.apps as pkg
    from salestrain.apps.registry import app_entries

    # base and registry are the machinery; questions holds the answer widgets lessons embed;
    # learner holds the pages of learner mode (index, navigator), which are not apps;
    # tables holds the localised tables lessons and cases show; exercise, the no-code
    # exercise page (answer sheet, %%question, Submit); predict, the predict-commit-reveal
    # cards a lesson builds from its own question; preparation, the negotiation worksheet
    # lesson 02 builds beside its game; survey, the reaction-survey page of learner mode;
    # live_table and live_poll, a learner's pages on the class hub, which need that
    # learner's classroom client (tests/hub/test_live_apps.py checks the pattern on them)
    modules = {i.name for i in pkgutil.iter_modules(pkg.__path__)} - {"base", "registry", "questions",
                                                                       "learner", "tables", "exercise",
                                                                       "predict", "preparation", "survey",
                                                                       "live_table", "live_poll"}
    assert {e.module.rsplit(".", 1)[1] for e in app_entries()} == modules
    for entry in app_entries():
        assert callable(entry.factory), entry.name
    # No apps <-> registry cycle, function-level imports included: the registry imports
    # no app module, and no app module imports the registry.
    folder = Path(pkg.__file__).parent

    def imported(path: Path) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        return names | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}

    assert not {m for m in imported(folder / "registry.py") if m.startswith("salestrain.apps")}
    for module in modules:
        assert "salestrain.apps.registry" not in imported(folder / f"{module}.py"), module
    # Listing the apps loads no widgets.
    probe = ("import sys; from salestrain.apps.registry import app_names; app_names(); "
             "print('ipywidgets' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
