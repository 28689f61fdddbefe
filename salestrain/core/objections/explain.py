"""Turning the engine's notes into sentences in the learner's language.

A note's key starts with its mode's catalog (``objections`` or ``coaching_dialogue``);
the names of the ids it carries are looked up in that same catalog.
"""

from __future__ import annotations

from salestrain.base.i18n import t
from salestrain.core.objections.engine import Note


def persona_name(persona: str, lang: str | None = None, catalog: str = "objections") -> str:
    return t(f"{catalog}.persona.{persona}.name", lang=lang)


def technique_name(technique: str, lang: str | None = None, catalog: str = "objections") -> str:
    return t(f"{catalog}.technique.{technique}.name", lang=lang)


def family_name(family: str, lang: str | None = None, catalog: str = "objections") -> str:
    return t(f"{catalog}.family.{family}.name", lang=lang)


def explain(note: Note, lang: str | None = None) -> str:
    """The sentence for one note; ids in its values become their catalog names."""
    values = dict(note.values)
    cat = note.key.split(".", 1)[0]
    tip = ""
    if "technique" in values:
        tech = values["technique"]
        values["technique"] = technique_name(tech, lang, cat)
        tip = t(f"{cat}.technique.{tech}.tip", lang=lang)
    if "persona" in values:
        persona = values["persona"]
        values["persona"] = persona_name(persona, lang, cat)
        if note.key in (f"{cat}.why.persona_good", f"{cat}.why.persona_bad"):
            tip = t(f"{cat}.persona.{persona}.tip", lang=lang)
    if "family" in values:
        family = values["family"]
        values["family"] = family_name(family, lang, cat)
        tip = t(f"{cat}.family.{family}.tip", lang=lang)
    if "change" in values:
        values["change"] = describe_change(values["change"], lang, cat)
    if "{tip}" in t(note.key, lang=lang):
        values["tip"] = tip
    return t(note.key, lang=lang, **values)


def gauge_name(var: str, lang: str | None = None, catalog: str = "objections") -> str:
    return t(f"{catalog}.app.gauge_{var}", lang=lang)


def describe_change(encoded: str, lang: str | None = None, catalog: str = "objections") -> str:
    """``"trust=+4;value=-2"`` as ``"Trust +4, Perceived value -2"``."""
    parts = [p.split("=") for p in encoded.split(";") if p]
    return ", ".join(f"{gauge_name(var, lang, catalog)} {amount}" for var, amount in parts)
