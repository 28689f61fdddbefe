"""The check nbval runs on every lesson cell: debug output is named, what a lesson should
show (a localised table, rendered Markdown, a widget, a figure, a formatted sentence) is not."""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.display import Markdown

from salestrain.apps.tables import show_table
from tests.lesson_outputs import debug_outputs


def result(obj) -> dict:
    """The output a cell whose last line is ``obj`` records (its mime bundle)."""
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(obj)
    return {"output_type": "execute_result", "data": data}


def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


FRAME = pd.DataFrame({"learner": ["blank", "model"], "share": [0.0, 0.866667]})


@pytest.mark.parametrize(("output", "named"), [
    # issue 20's cases, as the trainer's guide showed them
    (result([("blank", 0.0, 9.0), ("model", 9.0, 9.0)]), "repr"),
    (result(sorted(["contacts.csv", "rep_assessment.csv"])), "repr"),
    (result({"score": 9}), "repr"),
    (result(0.5), "repr"),
    (stream("## Timed plan (75 minutes)\n\n| Minute | Length |\n|---|---|\n| 0-5 | 5 |\n"), "Markdown"),
    (stream("A good answer: **no**, it was not price.\n"), "Markdown"),
    (result(FRAME), "pandas"),
    (result(FRAME["share"]), "pandas"),
    (stream("with 10-day slippage 575968.74512\n"), "unformatted number"),
    (result(Markdown("win rate 0.866667")), "unformatted number"),
    ({"output_type": "display_data", "data": {"text/html": "<table><td>0.866667</td></table>"}},
     "unformatted number"),
    (stream("UserWarning: Consider using IPython.display.IFrame instead\n", "stderr"), "stderr"),
])
def test_debug_output_is_named(output, named):
    found = debug_outputs([output])
    assert found and any(named in f for f in found), found


def test_what_a_lesson_should_show_passes():
    outputs = [
        result(show_table(FRAME, {"learner": {"en": "Learner"}, "share": {"en": "Share"}},
                          formats={"share": "percent"})),
        result(Markdown("#### Timed plan (75 minutes)\n\n| Minute | Length |\n|---|---|\n| 0-5 | 5 |")),
        stream("weighted RMB 986,500; chance of target 47%\nBrier 0.1279 = 0.0023 - 0.0420 + 0.1675\n"),
        stream("/tmp/salestrain-rehearsal-x/report.html written (2 learner rows).\n"),
        {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {},
                                                 "text/plain": "VBox(children=(...))"}},
        {"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}},
        {"output_type": "display_data", "data": {"text/html": '<div><iframe srcdoc="&lt;h1&gt;"></iframe></div>',
                                                 "text/plain": "<IPython.core.display.HTML object>"}},
    ]
    assert debug_outputs(outputs) == []
    assert debug_outputs(None) == [] and debug_outputs([]) == []
