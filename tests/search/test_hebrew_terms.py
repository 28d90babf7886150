"""The normalizer's table of Hebrew word forms: a query word finds a document word when their
forms meet, and does not when they should not."""

from __future__ import annotations

import pytest

from movilim.core.hebrew import document_terms, query_groups, word_forms, words


def finds(query: str, document: str) -> bool:
    held = set(document_terms(document).split())
    return all(held & set(forms) for forms in query_groups(query))


# (query, document text, found?)
TABLE = [
    ("בפרויקטים", "פרויקט", True),  # preposition and plural
    ("פרויקט", "בפרויקטים", True),
    ("וכשהפרויקט", "פרויקט", True),  # ו + כש + ה
    ("שבמשרדים", "משרד", True),  # ש + ב + plural
    ("ממשלה", "בממשלת", True),  # construct state ת
    ("הצלחות", "הצלחה", True),  # plural ות against feminine ה
    ("הַמֶּמְשָׁלָה", "ממשלה", True),  # niqqud removed
    ("ירושלים", "בירושלים", True),  # final mem folded, prefix ב
    ('צה"ל', "צהל", True),  # gershayim inside an abbreviation
    ("projects", "Project management", True),  # English stem
    ("designing", "design sprint", True),
    # The price of reading every prefix letter as a possible prefix: "משרד" also stands for
    # "שרד". Ranking puts the word as typed first (queries.matching); precision is not total.
    ("משרד", "שרד", True),
    ("עיצוב", "עצוב", False),  # spelling with and without vowel letters is not unified
    ("בית", "בתים", False),  # irregular plurals are not guessed
    ("שיתוף", "השתתפות", False),
    ("של", "anything", True),  # a stop word alone asks for nothing
]


@pytest.mark.parametrize(("query", "document", "expected"), TABLE)
def test_word_forms_table(query: str, document: str, expected: bool) -> None:
    assert finds(query, document) is expected


def test_forms_keep_the_word_first_and_short_stems_out() -> None:
    forms = word_forms(words("בפרויקטים")[0])
    assert forms[0] == "בפרויקטימ"
    assert "פרויקט" in forms
    # Stripping never leaves fewer than three letters: "בדף" keeps its ב.
    assert word_forms(words("בדף")[0]) == ["בדפ"]


def test_query_groups_drop_stop_words_and_repeats() -> None:
    groups = query_groups("מה של עיצוב, עיצוב the design")
    assert [group[0] for group in groups] == ["עיצוב", "design"]
