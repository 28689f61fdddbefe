"""Widget shells over the core: one module per app, no sales logic here."""

from salestrain.apps.base import App, Control, FigureView, action, build_control
from salestrain.apps.registry import app_names, get_app, register_app

__all__ = [
    "App",
    "Control",
    "FigureView",
    "action",
    "app_names",
    "build_control",
    "get_app",
    "register_app",
]
