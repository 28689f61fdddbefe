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
