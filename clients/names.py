"""Names as the duplicate check and the search compare them.

"José  Álvarez", "jose alvarez" and "JOSE ALVAREZ" are one name: case, accents and spacing do not
count. PostgreSQL's unaccent and pg_trgm are contrib extensions we cannot rely on (TECH.md), so the
normalised form is computed here and stored in an indexed column.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")

# Letters that NFKD does not split into a base letter and an accent.
_SPECIAL_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th",
                                  "\u0131": "i"})  # dotless i


def name_key(*parts: str) -> str:
    """Casefolded, accent-free words of ``parts`` joined by single spaces ("jose alvarez")."""
    text = " ".join(p for p in parts if p).casefold().translate(_SPECIAL_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def search_terms(query: str) -> list[str]:
    """The words of a search box entry, normalised like ``name_key`` (safe to put in a tsquery)."""
    return name_key(query).split()[:6]
