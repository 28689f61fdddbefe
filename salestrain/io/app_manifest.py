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
from pydantic import BaseModel, ConfigDict, Field

from salestrain.base.errors import Problem
from salestrain.base.i18n import t
from salestrain.base.resources import data_path
from salestrain.io.content import parse_model, register_kind
from salestrain.io.yamlio import YamlDoc

MANIFEST = data_path("apps.yaml")


@dataclass(frozen=True)
class AppInfo:
    name: str
    module: str
    factory: str  # the function in ``module`` that builds the app
    title: str  # catalog key


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    module: str = Field(pattern=r"^salestrain\.apps\.[a-z_]+$")
    factory: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    title: str


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    apps: list[_Entry]


@register_kind("app-manifest", "the list of projector apps (salestrain/data/apps.yaml)")
def validate_manifest(doc: YamlDoc) -> list[Problem]:
    from salestrain.base.i18n import has_key

    manifest, problems = parse_model(doc, _Manifest)
    if manifest is None:
        return problems
    seen: set[str] = set()
    for i, entry in enumerate(manifest.apps):
        if entry.name in seen:
            problems.append(doc.problem(("apps", i, "name"), t("content.app.listed_twice", name=entry.name)))
        seen.add(entry.name)
        if not has_key(entry.title):
            problems.append(doc.problem(("apps", i, "title"), t("content.app.title_not_key", title=entry.title)))
    return problems


@cache
def app_manifest() -> tuple[AppInfo, ...]:
    with MANIFEST.open(encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)["apps"]
    return tuple(AppInfo(e["name"], e["module"], e["factory"], e["title"]) for e in entries)


def manifest_app_names() -> set[str]:
    return {app.name for app in app_manifest()}
