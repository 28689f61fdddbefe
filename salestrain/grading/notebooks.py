"""nbformat and nbclient for the grader, imported without the one part of it that costs a second.

nbformat validates notebooks with jsonschema, and jsonschema builds a lark grammar for
its optional IRI format checker at import whenever ``rfc3987_syntax`` is installed
(JupyterLab's dependencies install it): about 1 s of every grader's start-up, measured
with ``python -X importtime -c "import salestrain.grading.cohort"``. The notebook schema
has no IRI fields, so the grader does without that checker. A process that imported
``rfc3987_syntax`` before keeps it.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import nbformat  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402

__all__ = ["CellTimeoutError", "DeadKernelError", "nbformat"]
