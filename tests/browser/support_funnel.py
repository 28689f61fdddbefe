"""Helpers for the funnel browser test: a notebook that shows both funnel apps."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_apps_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(
            "from salestrain.apps.funnel import calibration_app, forecast_app\n"
            "from IPython.display import display\n"
            "display(forecast_app().widget)\n"
            "display(calibration_app().widget)"
        )],
        metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    )
    path = folder / "funnel_apps.ipynb"
    nbformat.write(nb, path)
    return path


def figure_sources(page, app_index: int) -> str:
    return page.eval_on_selector_all(
        ".salestrain-app", "(apps, i) => apps[i].querySelector('img.salestrain-figure').src",
        app_index)


def summary_text(page, app_index: int) -> str:
    return page.eval_on_selector_all(
        ".salestrain-app", "(apps, i) => apps[i].querySelector('.salestrain-summary').innerText",
        app_index)
