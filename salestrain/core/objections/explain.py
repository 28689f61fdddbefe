"""Turning the engine's notes into sentences in the learner's language."""

from __future__ import annotations

from salestrain.base.i18n import t
from salestrain.core.objections.engine import Note


def persona_name(persona: str, lang: str | None = None) -> str:
    return t(f"objections.persona.{persona}.name", lang=lang)


def technique_name(technique: str, lang: str | None = None) -> str:
    return t(f"objections.technique.{technique}.name", lang=lang)


def family_name(family: str, lang: str | None = None) -> str:
    return t(f"objections.family.{family}.name", lang=lang)


def explain(note: Note, lang: str | None = None) -> str:
    """The sentence for one note; ids in its values become their catalog names."""
    values = dict(note.values)
    tip = ""
    if "technique" in values:
        tech = values["technique"]
        values["technique"] = technique_name(tech, lang)
        tip = t(f"objections.technique.{tech}.tip", lang=lang)
    if "persona" in values:
        persona = values["persona"]
        values["persona"] = persona_name(persona, lang)
        if note.key in ("objections.why.persona_good", "objections.why.persona_bad"):
            tip = t(f"objections.persona.{persona}.tip", lang=lang)
    if "family" in values:
        family = values["family"]
        values["family"] = family_name(family, lang)
        tip = t(f"objections.family.{family}.tip", lang=lang)
    if "change" in values:
        values["change"] = describe_change(values["change"], lang)
    if "{tip}" in t(note.key, lang=lang):
        values["tip"] = tip
    return t(note.key, lang=lang, **values)


def gauge_name(var: str, lang: str | None = None) -> str:
    return t(f"objections.app.gauge_{var}", lang=lang)


def describe_change(encoded: str, lang: str | None = None) -> str:
    """``"trust=+4;value=-2"`` as ``"Trust +4, Perceived value -2"``."""
    parts = [p.split("=") for p in encoded.split(";") if p]
    return ", ".join(f"{gauge_name(var, lang)} {amount}" for var, amount in parts)
