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

from django.utils.translation import gettext_noop

# Letters that NFKD does not split into a base letter and a mark.
_SPECIAL_LETTERS = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th",
                                  "\u0131": "i"})  # dotless i

# Spacing vowel signs (category Mc: Devanagari, Bengali, Tamil, Thai...) are part of a written word.
_WORD_CATEGORIES = ("L", "N")
_WORD_MARK = "Mc"

NAME_NEEDS_A_LETTER = gettext_noop("Write the name with at least one letter (of any alphabet or script).")
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


# Common English given-name variants, each to one canonical form, for the near-duplicate check at intake
# ("Bob Smith" born the same day as "Robert Smith"). Data, not rules: a short list of the usual ones.
_NICKNAME_GROUPS = [
    "robert bob bobby rob robbie bert", "william bill billy will willie liam", "elizabeth liz beth betty lizzie eliza",
    "margaret maggie meg peggy marge", "richard rick ricky dick rich", "james jim jimmy jamie",
    "john johnny jack", "jonathan jon", "joseph joe joey", "michael mike mikey mick", "charles charlie chuck",
    "thomas tom tommy", "christopher chris kit", "christine chris chrissy tina", "daniel dan danny",
    "david dave davey", "anthony tony", "andrew andy drew", "edward ed eddie ted teddy", "steven steve stevie",
    "stephen steve", "matthew matt", "nicholas nick nicky", "patrick pat paddy", "patricia pat patty trish",
    "katherine kate kathy katie kat", "catherine cathy cate", "jennifer jen jenny", "rebecca becky becca",
    "deborah debbie deb", "susan sue susie", "samuel sam sammy", "samantha sam", "alexander alex al",
    "alexandra alex sandra", "benjamin ben benny", "timothy tim timmy", "gregory greg", "jeffrey jeff",
    "kenneth ken kenny", "ronald ron ronnie", "donald don donnie", "lawrence larry", "gerald gerry jerry",
    "victoria vicky tori", "abigail abby", "jacqueline jackie", "josephine jo josie", "frances fran frankie",
    "francis frank frankie", "raymond ray", "douglas doug", "peter pete", "philip phil", "zachary zach",
    "joshua josh", "nathaniel nate nathan", "theodore theo ted", "cynthia cindy", "pamela pam", "kimberly kim",
    "jose pepe", "francisco paco pancho", "guillermo memo", "alejandro alex", "roberto beto",
]
TYPO_MIN_LENGTH = 6  # "al li" and "al lu" are two people; "maria lopez" and "marai lopez" may be one
NICKNAMES = {name: group.split()[0] for group in _NICKNAME_GROUPS for name in group.split()}


def _canonical_words(key: str) -> list[str]:
    return [NICKNAMES.get(word, word) for word in key.split()]


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one inserted, deleted, changed or swapped (adjacent) letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                    and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1:]


def similar_names(a: str, b: str) -> bool:
    """Whether two normalised names (``name_key``) may be one person written another way: a nickname
    ("bob" for "robert"), first and last name swapped, or one typo (in a name of six characters or more)."""
    words_a, words_b = _canonical_words(a), _canonical_words(b)
    if sorted(words_a) == sorted(words_b):
        return True
    return min(len(a), len(b)) >= TYPO_MIN_LENGTH and _one_edit_apart(" ".join(words_a), " ".join(words_b))


PHONE_DIGITS_MIN = 7


def phone_digits(phone: str) -> str:
    """The last ten digits of a phone number ("(555) 010-2233" and "555.010.2233" are one number); empty
    when too short to tell two people apart. ``clients.models.PhoneDigits`` computes the same in SQL."""
    digits = "".join(c for c in phone if "0" <= c <= "9")[-10:]
    return digits if len(digits) >= PHONE_DIGITS_MIN else ""
