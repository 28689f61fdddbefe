"""Named apps, for projector mode (``salestrain app NAME``) and the browser tests.

The table below is the one list of apps: name, the module and factory that build it,
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


def _entry(name: str, target: str, title: str) -> AppEntry:
    module, attribute = target.split(":")
    return AppEntry(name, f"salestrain.apps.{module}", attribute, title)


_APPS: dict[str, AppEntry] = {e.name: e for e in (
    _entry("start-here", "start:start_here_app", "start.app.title"),
    _entry("funnel-forecast", "funnel:forecast_app", "funnel.app.title"),
    _entry("funnel-calibration", "funnel:calibration_app", "funnel.cal.title"),
    _entry("negotiation-play", "negotiation:negotiation_play_app", "negotiation.play.title"),
    _entry("negotiation-debrief", "negotiation:class_debrief_app", "negotiation.class.title"),
    _entry("negotiation-tournament", "negotiation:tournament_app", "negotiation.tournament.title"),
    _entry("objections", "objections:objection_app", "objections.app.title"),
    _entry("objection-coach", "objections:coach_app", "objections.coach.title"),
    _entry("coaching-assess", "coaching:assess_app", "coaching.app.assess_title"),
    _entry("coaching-team", "coaching:team_app", "coaching.app.team_title"),
    _entry("coaching-stages", "coaching:stage_app", "coaching.app.stages_title"),
    _entry("coaching-time", "coaching:time_matrix_app", "coaching.app.time_title"),
    _entry("target-planner", "goals:target_planner_app", "goals.app.title"),
    _entry("account-book", "accounts:account_book_app", "accounts.app.title"),
    _entry("buying-centre", "workshop:buying_centre_app", "workshop.app.bc_title"),
    _entry("workshop-agenda", "workshop:agenda_app", "workshop.app.agenda_title"),
    _entry("case-plan", "workshop:case_plan_app", "workshop.app.case_title"),
)}


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
