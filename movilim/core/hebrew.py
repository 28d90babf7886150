"""Folding Hebrew text for search: the same rule in Python and in SQL.

People type names without vowel points while imported lists sometimes carry them (``שָׂרָה``),
and a name cut short for a search ends in a regular letter where the full name has a final form
(``כהנ`` is how ``כהן`` starts a longer word). Search therefore compares folded text: lower case,
points and cantillation marks (U+0591–U+05C7) removed, final letters (ך ם ן ף ץ) made regular.

The rule exists three times and must stay identical: :func:`fold` in Python, the SQL
expression PostgreSQL indexes and searches (:func:`fold_sql`), and the
``movilim_fold`` function registered on every SQLite connection.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Func, TextField

POINTS = "".join(chr(code) for code in range(0x0591, 0x05C8))
FINALS, REGULARS = "ךםןףץ", "כמנפצ"

_TABLE = str.maketrans(FINALS, REGULARS, POINTS)

#: Name of the SQLite function that applies :func:`fold`.
SQLITE_FUNCTION = "movilim_fold"


def fold(text: str) -> str:
    """``text`` as search compares it: lower case, no points, no final letter forms."""
    return text.lower().translate(_TABLE)


def fold_sql(expression: str) -> str:
    """The PostgreSQL expression folding ``expression`` (SQL text), exactly as :func:`fold` does.

    ``translate`` maps the five final letters and ``regexp_replace`` drops the range of points.
    A single ``translate`` could do both, but it compares each character with every character of
    its list, and with the 55 points that cost 35 µs a row (measured on 20,000 names): the index
    finds candidates, and PostgreSQL re-checks each one with this expression, so it must be
    cheap. All three functions are IMMUTABLE, so the expression can be indexed; a query must
    spell it the same way to use the index, which is why the migration and :class:`Folded` both
    build it here.
    """
    folded = f"translate(lower({expression}), '{FINALS}', '{REGULARS}')"
    return f"regexp_replace({folded}, '[{POINTS[0]}-{POINTS[-1]}]', '', 'g')"


class Folded(Func):
    """The folded text of one or more text columns, joined by single spaces.

    ``Folded("first_name", "last_name", "email")`` is what the search index on users holds.
    """

    output_field = TextField()
    arg_joiner = " || ' ' || "

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper, **extra: Any) -> Any:  # type: ignore[override]
        if connection.vendor == "postgresql":
            template = fold_sql("%(expressions)s")
        elif connection.vendor == "sqlite":
            template = f"{SQLITE_FUNCTION}(%(expressions)s)"
        else:  # pragma: no cover - only the two supported databases
            raise NotImplementedError(f"No search folding for {connection.vendor}.")
        return super().as_sql(compiler, connection, template=template, **extra)


def _sqlite_fold(value: str | None) -> str | None:
    return None if value is None else fold(value)


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give each new SQLite connection ``movilim_fold``; deterministic, so SQLite may index it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(  # type: ignore[attr-defined]
            SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True
        )


def connect() -> None:
    """Register the SQLite function for connections opened from now on (called at start-up)."""
    connection_created.connect(register_sqlite_function, dispatch_uid="movilim.core.hebrew.fold")


# --- search terms ------------------------------------------------------------------------------
#
# Full-text search compares *terms*, not folded text. Hebrew attaches prepositions, the article
# and conjunctions to the word (``וכשהפרויקט``: "and when the project"), and plural or
# construct endings change its end (``פרויקטים``, ``ממשלת``). Stripping them with a single
# guess goes wrong both ways (``משרד`` starts with the prefix letter מ but is not ``שרד`` with
# one), so instead every word stands for the small set of forms it could be read as, and a
# document matches a query word when the two sets share a form. Documents store the sets of
# all their words (:func:`document_terms`); a query asks, word by word, for any form of the
# word (:func:`query_groups`). The rule is the same on both sides, which is what makes it work.

#: Prefixes a Hebrew word may carry, in the order they attach: ו, then ש and its compounds,
#: then the article or a preposition (ב כ ל absorb the article's ה).
_CONJUNCTIONS = ("", "ו")
_RELATIVES = ("", "ש", "כש", "מש", "לכש")
_PREPOSITIONS = ("", "ה", "ב", "כ", "ל", "מ")
HEBREW_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {c + r + p for c in _CONJUNCTIONS for r in _RELATIVES for p in _PREPOSITIONS},
        key=lambda prefix: (len(prefix), prefix),
    )
)
#: Endings of plurals (ים, ות), the feminine ה and the construct ת, as folded (ם is מ).
HEBREW_SUFFIXES = ("ימ", "ות", "ה", "ת")
#: A prefix or a suffix is taken off only if at least this many letters remain: a two-letter
#: stem would match too many unrelated words.
MIN_STEM = 3

#: Words a query drops: they match nearly every document. Folded forms.
STOP_WORDS = frozenset((
    "של", "את", "על", "עמ", "אל", "גמ", "כי", "אמ", "או", "לא", "זה", "זו", "הוא", "היא", "הממ",
    "הנ", "יש", "אינ", "כל", "כמו", "רק", "מי", "מה", "לי", "אני", "איכ",
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "by", "is", "are", "be",
    "at", "from", "as", "it",
))  # fmt: skip

_HEBREW_LETTER = re.compile("[\u05d0-\u05ea]")
_WORD = re.compile(r"[^\W_]+")
# Geresh and gershayim (ASCII or Hebrew) inside abbreviations: צה"ל, ג'ירה.
_INNER_MARKS = re.compile("(?<=\\w)[\"'\u05f3\u05f4](?=\\w)")


def _english_stem(word: str) -> str:
    """A light stem for English words: plural -s/-es/-ies, -ing, -ed (as in Porter's first
    step, without its exceptions): "projects" and "project", "designing" and "design"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_PREFIX_SET = frozenset(HEBREW_PREFIXES)
_LONGEST_PREFIX = max(len(prefix) for prefix in HEBREW_PREFIXES)


@functools.lru_cache(maxsize=100_000)
def _forms(word: str) -> tuple[str, ...]:
    if not _HEBREW_LETTER.match(word):
        stem = _english_stem(word)
        return (word,) if stem == word else (word, stem)
    forms = [word]
    for length in range(min(_LONGEST_PREFIX, len(word) - MIN_STEM) + 1):
        if word[:length] not in _PREFIX_SET:
            continue
        base = word[length:]
        if length and base not in forms:
            forms.append(base)
        for suffix in HEBREW_SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= MIN_STEM:
                stem = base[: -len(suffix)]
                if stem not in forms:
                    forms.append(stem)
                break
    return tuple(forms)


def word_forms(word: str) -> list[str]:
    """The forms one folded word may stand for, itself first.

    ``בפרויקטים`` gives ``פרויקטימ``, ``פרויקט`` among others; ``פרויקט`` gives itself, so the
    two meet at ``פרויקט``. English words give themselves and their stem.
    """
    return list(_forms(word))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (abbreviation marks joined, punctuation dropped)."""
    return _WORD.findall(_INNER_MARKS.sub("", fold(text)))


def document_terms(text: str) -> str:
    """Every form of every word of ``text``, each once, space-separated: what the index holds."""
    seen: dict[str, None] = {}
    for word in words(text):
        for form in word_forms(word):
            seen.setdefault(form, None)
    return " ".join(seen)


def query_groups(text: str) -> list[list[str]]:
    """For each word of a query (stop words left out, each word once), the forms that would
    match it; a document matches the query when it holds some form of every word."""
    groups: list[list[str]] = []
    seen: set[str] = set()
    for word in words(text):
        if word in STOP_WORDS or word in seen:
            continue
        seen.add(word)
        groups.append(word_forms(word))
    return groups
