"""The command line in the user's language: command and option help, and click's own words.

click needs each help text when a command is defined, so the English stays where the
command is (its docstring and ``help=``), as gettext keeps a message id in the code. The
translation of each text is in ``salestrain/data/cli/help.<lang>.yaml``, keyed by the
command's path (``forecast``, ``negotiation debrief``) and ``path --option`` for an option.
click's own words ("Usage:", "Show this message and exit.", "Missing option") are
translated by ``salestrain/data/cli/click.<lang>.yaml``, keyed by click's English message.
Both resolve through :func:`salestrain.base.i18n.t` as an ``{en, zh_CN}`` text, with the
same language choice and fallback as every other text. ``tests/test_cli_language.py``
checks that every command and option has its translation and that none is stale.
"""

from __future__ import annotations

import gettext
import sys
from functools import cache
from typing import Any

import click
import yaml

from salestrain.base import i18n
from salestrain.base.resources import DATA_DIR

TABLES = DATA_DIR / "cli"
_ENGLISH = "_salestrain_english"  # the attribute keeping a text's English original
HELP_OPTION = "Show this message and exit."  # click's help for -h/--help
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types",
                 "utils", "shell_completion")


@cache
def table(kind: str, lang: str) -> dict[str, str]:
    """``help`` or ``click`` translations of one language ({} when none ships)."""
    path = TABLES / f"{kind}.{lang}.yaml"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {str(k): str(v) for k, v in data.items() if v}


def translate(english: str | None, key: str, kind: str = "help") -> str | None:
    """``english`` in the session's language, by its ``key`` in the ``kind`` table."""
    if not english:
        return english
    lang = i18n.get_language()
    if lang == i18n.DEFAULT_LANGUAGE:
        return english
    found = table(kind, lang).get(key)
    return i18n.t(i18n.Text({i18n.DEFAULT_LANGUAGE: english, lang: found})) if found else english


def _english(obj: Any, name: str) -> str | None:
    originals = obj.__dict__.setdefault(_ENGLISH, {})
    if name not in originals:
        originals[name] = getattr(obj, name)
    return originals[name]


def localise(command: click.Command, path: str = "") -> None:
    """Give ``command`` (at ``path``: "" for ``salestrain`` itself, else "negotiation
    debrief"), its options and its loaded subcommands their help in the session's language.
    English originals are kept, so a later English session gets them back."""
    key = path or "salestrain"
    command.help = translate(_english(command, "help"), key)
    command.short_help = translate(_english(command, "short_help"), f"{key} (short)")
    for param in command.params:
        if isinstance(param, click.Option):
            param.help = translate(_english(param, "help"), f"{key} {option_name(param)}")
            if param.metavar is None and isinstance(param.type, click.IntRange | click.FloatRange):
                # INTEGER, not "INTEGER RANGE": the range is shown beside the help already
                param.metavar = param.type.name.split()[0].upper()
        if isinstance(param.type, click.Path):
            _localise_path(param)
    # click (8.1.8+) keeps the help option it made, in the language of that moment.
    help_option = getattr(command, "_help_option", None)
    if help_option is not None:
        help_option.help = click_gettext(HELP_OPTION)
    for name, sub in getattr(command, "commands", {}).items():
        localise(sub, f"{path} {name}".strip())


def _localise_path(param: click.Parameter) -> None:
    """click names a path type ("file", "directory", "path") when it is made, in the
    language of that moment, and shows the name in its messages and as the metavar. The
    name follows the session's language; the metavar stays FILE, DIRECTORY or PATH."""
    kind = param.type
    assert isinstance(kind, click.Path)
    english = ("file" if kind.file_okay and not kind.dir_okay
               else "directory" if kind.dir_okay and not kind.file_okay else "path")
    kind.name = click_gettext(english)
    if isinstance(param, click.Option) and param.metavar is None:
        param.metavar = english.upper()


def option_name(param: click.Option) -> str:
    """The option's longest spelling (``--no-browser``), which names it in the tables."""
    return max(param.opts, key=len)


def click_gettext(message: str) -> str:
    return translate(message, message, kind="click") or message


def click_ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return translate(chosen, chosen, kind="click") or chosen


def install_click_translations() -> None:
    """Route click's own messages through :func:`click_gettext` (click calls the module
    name ``_`` it imported from :mod:`gettext`; replacing that name is how an application
    translates click without a compiled gettext catalog)."""
    for name in CLICK_MODULES:
        # Only modules click has loaded: importing the others would slow every start-up.
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = click_ngettext  # type: ignore[attr-defined]
