"""Named apps, for projector mode (``salestrain app NAME``) and the browser tests.

Each ``salestrain.apps`` module registers its apps with :func:`register_app`; the
factory must build a working app with no arguments (on the module's sample data).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from salestrain.base.errors import SalestrainError


@dataclass(frozen=True)
class AppEntry:
    name: str
    factory: Callable[[], object]
    title: str  # catalog key
    module: str


_APPS: dict[str, AppEntry] = {}


def register_app(name: str, title: str) -> Callable:
    def decorator(factory: Callable) -> Callable:
        _APPS[name] = AppEntry(name, factory, title, factory.__module__)
        return factory

    return decorator


def _discover() -> None:
    import salestrain.apps as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"salestrain.apps.{info.name}")


def app_entries() -> list[AppEntry]:
    _discover()
    return [_APPS[name] for name in sorted(_APPS)]


def app_names() -> list[str]:
    return [entry.name for entry in app_entries()]


def get_app(name: str) -> AppEntry:
    _discover()
    if name not in _APPS:
        raise SalestrainError(
            f"no app named {name!r}; `salestrain app --list` shows: {', '.join(sorted(_APPS))}"
        )
    return _APPS[name]
