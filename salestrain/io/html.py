"""HTML pages from Jinja2 templates (``salestrain/templates/``), always autoescaped.

Every HTML file salestrain writes (the cohort and mastery reports now; certificates and
role cards next) is a template that extends ``base.html``: one page frame (language
attribute, fonts that render Chinese, print-friendly style) and one set of macros
(``macros.html``: tables, figures). Values are escaped by Jinja2, never by hand, so a
learner named ``<script>`` is text on the page, not code. Templates get ``t`` (the
catalog) as a global, so a template's words come from the same catalog as the rest.

>>> render("report/cohort.html", title="...", sections=[])  # doctest: +SKIP
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from salestrain.base.i18n import get_language, t
from salestrain.base.resources import PACKAGE_DIR

TEMPLATE_DIR = PACKAGE_DIR / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every template, whatever its name: nothing is built by hand
        undefined=StrictUndefined,  # a misspelt variable fails a test, not a page
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["t"] = t
    return env


def html_lang() -> str:
    """The page's ``lang`` attribute for the current language (zh-CN picks CJK fonts)."""
    return "zh-CN" if get_language() == "zh_CN" else "en"


def render(template: str, **context: Any) -> str:
    """The page ``template`` (a path under salestrain/templates/) filled with ``context``."""
    context.setdefault("lang", html_lang())
    return environment().get_template(template).render(**context)
