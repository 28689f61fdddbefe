"""Lesson outputs that read as debug output: what no learner or trainer should see.

A lesson shows data through ``salestrain.apps.tables.show_table`` and prose through
``IPython.display.Markdown``; what slips past that shows up as one of:

- a bare Python value as a cell's last line: a list, a tuple, a dict, a number, a string
  (an output with nothing but ``text/plain``, the repr);
- a pandas DataFrame or Series as pandas prints it (``class="dataframe"``, ``dtype: int64``);
- a float with five decimals or more (``0.866667``): nobody reads a share or an amount so;
- Markdown printed as text instead of rendered (``## Heading``, a table's ``|---|`` rule,
  ``**bold**``);
- a warning on stderr.

:func:`debug_outputs` names each one in a cell's outputs; the nbval hooks
(tests/nbval_language.py) fail a lesson cell that shows any, in every language.
"""

from __future__ import annotations

import html
import re
from typing import Any

WIDGET = "application/vnd.jupyter.widget-view+json"
IMAGES = ("image/png", "image/svg+xml", "image/jpeg")
# A number as floats print when nobody formatted them: 0.866667, 575968.7451
LONG_FLOAT = re.compile(r"(?<![\w.])\d+\.\d{5,}(?![\d.])")
FRAME = re.compile(r'class="dataframe"|\bdtype: \w+|\[\d+ rows x \d+ columns\]')
MARKDOWN = re.compile(r"(?m)^(?:#{1,6} \S|\|(?: *:?-+:? *\|)+ *$)|\*\*[^*\n]+\*\*")
_TAG = re.compile(r"<style.*?</style>|<[^>]+>", re.S)


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def debug_outputs(outputs: list[dict[str, Any]] | None) -> list[str]:
    """What in a cell's outputs reads as debug output, one short description each."""
    found: list[str] = []
    for out in outputs or []:
        kind = out.get("output_type")
        if kind == "stream":
            text = _text(out.get("text", ""))
            if out.get("name") == "stderr" and text.strip():
                found.append(f"a message on stderr: {text.strip().splitlines()[0][:80]!r}")
            found.extend(_numbers(text))
            markdown = MARKDOWN.search(text)
            if markdown:
                line = text[text.rfind("\n", 0, markdown.start()) + 1:].split("\n", 1)[0]
                found.append(f"Markdown printed as text: {line.strip()[:80]!r}")
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if WIDGET in data or any(k in data for k in IMAGES):
                continue  # a widget's view and a figure are checked by their own tests
            if "text/html" in data:
                markup = _text(data["text/html"])
                if FRAME.search(markup):
                    found.append("a pandas table as pandas prints it (use show_table)")
                found.extend(_numbers(html.unescape(_TAG.sub(" ", markup))))
            elif "text/markdown" in data:
                found.extend(_numbers(_text(data["text/markdown"])))
            elif "text/plain" in data:
                plain = _text(data["text/plain"])
                found.append("a pandas table as pandas prints it (use show_table)" if FRAME.search(plain)
                             else f"a Python value's repr: {plain[:80]!r}")
    return found


def _numbers(text: str) -> list[str]:
    return [f"an unformatted number: {n}" for n in LONG_FLOAT.findall(text)[:3]]
