"""Sample data in the learner's language: a name map per sample (kind ``sample-names``).

The shipped samples (pipelines, histories, teams) are seeded generator output with English
names; a Chinese learner sees fictional Chinese names instead. A map is a YAML file a
trainer can edit::

    kind: sample-names
    language: zh_CN
    owners:                       # any number of groups, for the reader of the file
      "Wang Jun": "王军"
    accounts:
      "Redleaf Bank": "红叶银行"

Each name is fictional. ``salestrain validate`` checks the file like every content kind.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from salestrain.base.errors import ContentError, Problem
from salestrain.base.i18n import LANGUAGES
from salestrain.io.content import register_kind
from salestrain.io.yamlio import YamlDoc, load_yaml

KIND = "sample-names"
HEADER = ("kind", "language")


@register_kind(KIND, "names of a sample's people and companies in another language")
def validate_sample_names(doc: YamlDoc) -> list[Problem]:
    data = doc.data
    problems = []
    if data.get("language") not in LANGUAGES:
        problems.append(doc.problem(("language",), f"language {data.get('language')!r} is not "
                                    f"one of {', '.join(LANGUAGES)}; name the language of the names"))
    seen: dict[str, str] = {}
    for group, names in data.items():
        if group in HEADER:
            continue
        if not isinstance(names, dict) or not names:
            problems.append(doc.problem((group,), "a group is a mapping of `English name: name`; "
                                        "write one pair per line"))
            continue
        for english, shown in names.items():
            if not isinstance(shown, str) or not shown.strip():
                problems.append(doc.problem((group, english), f"{english!r} has no name; write "
                                            "the name in this file's language"))
            elif english in seen and seen[english] != shown:
                problems.append(doc.problem((group, english), f"{english!r} is also named "
                                            f"{seen[english]!r}; one person or company, one name"))
            else:
                seen[str(english)] = shown
    return problems


@cache
def load_sample_names(path: Path) -> dict[str, str]:
    """``{English name: name}`` from a validated map (every group together)."""
    doc = load_yaml(Path(path))
    problems = validate_sample_names(doc)
    if problems:
        raise ContentError(f"{path} is not a valid name map", problems)
    return {str(k): str(v) for group, names in doc.data.items() if group not in HEADER
            for k, v in names.items()}
