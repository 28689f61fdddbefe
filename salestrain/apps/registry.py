"""Named apps, for projector mode (``salestrain app NAME``) and the browser tests.

salestrain/data/apps.yaml is the one list of apps: name, the module and factory that build it,
and its title (a catalog key). It is plain data on purpose:

- the app modules do not import this module, and this module imports an app module
  only when that app is asked for, so there is no ``apps`` <-> ``apps.registry`` cycle
  (the old decorator-and-discover scheme needed one in each direction);
- ``salestrain app --list`` and content validation (which checks the app names a case
  names) read names and titles without loading ipywidgets, pandas or matplotlib.

Every factory builds a working app with no arguments (on its module's sample data).
``tests/test_app_pattern.py`` checks that every app module is listed here and that
each entry's factory exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t
from salestrain.io.app_manifest import app_manifest


@dataclass(frozen=True)
class AppEntry:
    name: str
    module: str  # dotted module path of the factory
    attribute: str  # the factory's name in that module
    title: str  # catalog key

    @property
    def factory(self) -> Callable[..., object]:
        """The factory, imported on first use (importing an app module loads widgets)."""
        return getattr(importlib.import_module(self.module), self.attribute)


# The shipped apps are listed once, as data, in salestrain/data/apps.yaml (io reads the
# same file to validate the apps a case names, without importing this layer).
_APPS: dict[str, AppEntry] = {a.name: AppEntry(a.name, a.module, a.factory, a.title)
                              for a in app_manifest()}


def register_app(name: str, title: str) -> Callable:
    """Add an app defined outside this package (a lesson's or a trainer's own).

    The shipped apps are listed in the table above instead; this is for code that
    imports the registry, so it adds no cycle either.
    """

    def decorator(factory: Callable) -> Callable:
        _APPS[name] = AppEntry(name, factory.__module__, factory.__qualname__, title)
        return factory

    return decorator


def app_entries() -> list[AppEntry]:
    return [_APPS[name] for name in sorted(_APPS)]


def app_names() -> list[str]:
    return sorted(_APPS)


def get_app(name: str) -> AppEntry:
    if name not in _APPS:
        raise SalestrainError(t("workshop.projector.no_app", name=name,
                                names=", ".join(sorted(_APPS))))
    return _APPS[name]
