"""One translation path: every text a person reads is resolved by :func:`t`.

Three kinds of text go through it, with the same language choice and fallback rules:

- **catalog messages**: YAML files under ``salestrain/base/i18n/<language>/``; every file
  in a language folder is merged, so each module keeps its own file (``funnel.yaml``,
  ``grading.yaml``...). Keys are dotted and the file's name is their first part:
  ``target`` nested under ``app`` in ``funnel.yaml`` is the key ``funnel.app.target``.
  A message is a string, or plural forms ``{one: ..., other: ...}`` chosen by ``count``
  with CLDR rules (``t("grading.grade.summary", count=n, ...)``).
- **content text**: a :class:`Text` from a scenario or case file,
  ``{en: ..., zh_CN: ...}``; ``t(text)`` resolves it exactly like a key.
- **lesson prose**: paired notebooks built from one source resolve each prose cell the
  same way (:mod:`salestrain.io.lessons`).

The language is chosen, in order, by :func:`set_language`, the environment variable
``SALESTRAIN_LANG``, and finally English; :mod:`.locales` declares how a requested locale
maps to a shipped language (zh_TW is not silently zh_CN) and the fallback chain
(``zh_CN`` -> ``en``). A key missing from English raises ``KeyError`` so a test catches
it before a learner does. See docs/i18n.md.
"""

from salestrain.base.i18n.locales import (
    DEFAULT_LANGUAGE,
    FALLBACK_CHAINS,
    LANGUAGES,
    Resolution,
    fallback_chain,
    forget_notices,
    resolve_locale,
)
from salestrain.base.i18n.messages import (
    CATALOG_DIR,
    ENV_VAR,
    Message,
    available_languages,
    catalog,
    catalog_files,
    get_language,
    has_key,
    on_language_change,
    placeholders,
    reload,
    resolve,
    set_language,
    t,
)
from salestrain.base.i18n.plurals import (
    PLURAL_CATEGORIES,
    Plural,
    plural_categories,
    plural_category,
)
from salestrain.base.i18n.text import Text

__all__ = [
    "CATALOG_DIR", "DEFAULT_LANGUAGE", "ENV_VAR", "FALLBACK_CHAINS", "LANGUAGES",
    "PLURAL_CATEGORIES", "Message", "Plural", "Resolution", "Text", "available_languages",
    "catalog", "catalog_files", "fallback_chain", "forget_notices", "get_language",
    "has_key", "on_language_change", "placeholders", "plural_categories", "plural_category",
    "reload", "resolve", "resolve_locale", "set_language", "t",
]
