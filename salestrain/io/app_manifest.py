"""The list of projector apps, as data: names, modules and titles without importing widgets.

Validating a case (which names the apps its teaching plan projects) must not load the
widget layer (about 900 modules and several seconds), and io may not import apps. So the
apps are listed in ``salestrain/data/apps.yaml``; the apps registry registers the same
names, and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from salestrain.base.resources import data_path

MANIFEST = data_path("apps.yaml")


@dataclass(frozen=True)
class AppInfo:
    name: str
    module: str
    title: str  # catalog key


@cache
def app_manifest() -> tuple[AppInfo, ...]:
    with MANIFEST.open(encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)["apps"]
    return tuple(AppInfo(e["name"], e["module"], e["title"]) for e in entries)


def manifest_app_names() -> set[str]:
    return {app.name for app in app_manifest()}
