"""Helpers for tests that read a screen as a Chinese trainer would."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u4e00-\u9fff]")
# Three Latin words in a row is an English phrase; single words (LAER, SPIN, PoC, BATNA,
# ids such as XH01, units) are names and codes a Chinese trainer writes as they are.
# Words of two letters or more, spaced as prose is: "A B C" (tiers) and "deal_id,stage,amount"
# (a file's header, which the user types as it is) are not phrases.
LATIN_PHRASE = re.compile(r"[A-Za-z][A-Za-z'’-]+(?:[,;:]?\s+[A-Za-z][A-Za-z'’-]+){2,}")
# Markup, code (``code``, <code>, a `salestrain` command line) and links are not prose.
_MARKUP = re.compile(r"<style.*?</style>|<code>.*?</code>|<[^>]+>|&[a-z#0-9]+;|`[^`]*`"
                     r"|https?://\S+|\bsalestrain(?: [a-z][a-z-]*)*", re.S)


def english_phrases(text: str) -> list[str]:
    """English phrases in ``text``, outside HTML tags, entities, code spans and links."""
    return LATIN_PHRASE.findall(_MARKUP.sub(" ", text))


# not within identifiers, paths, slugs or a file's header (table,price,payment)
_LOWER_WORD = re.compile(r"(?<![\w.@/,-])[a-z]{3,}(?![\w.@/,-])")


def english_words(text: str) -> list[str]:
    """Lowercase Latin words of three letters or more: English vocabulary on a Chinese screen
    (names are capitalised, codes are upper case or carry digits)."""
    return _LOWER_WORD.findall(_MARKUP.sub(" ", text))
