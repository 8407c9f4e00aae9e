"""Names as the duplicate check and the search compare them.

"José  Álvarez", "jose alvarez" and "JOSE ALVAREZ" are one name, and so are "Мария" and "мария",
"MARIA" in full-width letters and "maria", "İpek" and "ipek", "Straße" and "strasse": case, accents and other
combining marks, compatibility forms and spacing do not count. Letters and digits of every script are
kept; everything else (punctuation, symbols, emoji) separates words.

The normalised form is computed here, in Python, and stored in indexed columns: PostgreSQL's lower(),
its text-search parser and unaccent depend on the database's collation, locale or contrib extensions
(TECH.md), so the database only ever compares what this module produced.
"""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not split into a base letter and a mark.
_SPECIAL_LETTERS = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th",
                                  "\u0131": "i"})  # dotless i

# Spacing vowel signs (category Mc: Devanagari, Bengali, Tamil, Thai...) are part of a written word.
_WORD_CATEGORIES = ("L", "N")
_WORD_MARK = "Mc"

NAME_NEEDS_A_LETTER = "Write the name with at least one letter (of any alphabet or script)."
SEARCH_TERMS_MAX = 6


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in _WORD_CATEGORIES or category == _WORD_MARK


def name_key(*parts: str) -> str:
    """Casefolded, mark-free words of ``parts`` joined by single spaces ("jose alvarez", "мария").

    Unicode's compatibility caseless matching (NFKD, casefold, NFKD again), then non-spacing marks
    (category Mn: accents, Arabic and Hebrew vowel points, the dot of Turkish İ) are dropped.
    """
    text = unicodedata.normalize("NFKD", " ".join(p for p in parts if p))
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL_LETTERS))
    plain = "".join(c if _is_word_char(c) else " " for c in text if unicodedata.category(c) not in ("Mn", "Me"))
    return " ".join(plain.split())


def has_a_letter(name: str) -> bool:
    """Whether ``name`` has a letter of some script (digits, punctuation or emoji alone are no name)."""
    return any(unicodedata.category(c).startswith("L") for c in name_key(name))


def search_terms(query: str) -> list[str]:
    """The words of a search box entry, normalised like ``name_key``: letters, digits and spacing marks
    only, so each is a safe tsquery lexeme."""
    return name_key(query).split()[:SEARCH_TERMS_MAX]
