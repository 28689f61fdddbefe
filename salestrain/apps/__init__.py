"""Widget shells over the core: one module per app, no sales logic here.

The names below load on first use (PEP 562): importing ``salestrain.apps.registry``
to list the apps, as ``salestrain app --list`` and content validation do, must not
load ipywidgets and matplotlib through this package's ``__init__``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "App": "salestrain.apps.base",
    "Control": "salestrain.apps.base",
    "FigureView": "salestrain.apps.base",
    "action": "salestrain.apps.base",
    "build_control": "salestrain.apps.base",
    "app_names": "salestrain.apps.registry",
    "get_app": "salestrain.apps.registry",
    "register_app": "salestrain.apps.registry",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'salestrain.apps' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
