"""Hebrew first, English complete: catalogs, the language switch, dates and numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

CATALOGS = sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))


def test_there_is_a_hebrew_and_an_english_catalog() -> None:
    assert {p.parts[-3] for p in CATALOGS} == {"he", "en"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalogs_are_complete(path: Path) -> None:
    catalog = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path}: {fuzzy[:10]}"


def test_pages_are_hebrew_and_right_to_left_by_default(db) -> None:
    html = Client().get(reverse("home")).content.decode()
    assert '<html lang="he" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "דילוג לתוכן הראשי" in html  # the skip link


def test_hebrew_even_for_browsers_that_ask_for_english(db) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(reverse("home")).content.decode()
    assert '<html lang="he" dir="rtl">' in html


def test_language_switch_is_remembered(db) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Skip to main content" in html
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en" dir="ltr">' in html


def _render(text: str, **context: object) -> str:
    return Template("{% load movilim %}" + text).render(Context(context))


def test_dates_are_day_first_in_both_languages() -> None:
    day = datetime.date(2026, 3, 9)
    with translation.override("he"):
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=day) == "09/03/2026"
        assert _render('{{ d|date:"DATE_FORMAT" }}', d=day) == "9 במרץ 2026"
    with translation.override("en"):
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=day) == "09/03/2026"
        assert _render('{{ d|date:"DATE_FORMAT" }}', d=day) == "9 March 2026"


def test_numbers_and_percentages_follow_the_locale() -> None:
    with translation.override("he"):
        assert _render("{{ v|percent }}", v=75.0) == "75%"
        assert _render("{{ v|percent:1 }}", v=Decimal("66.666")) == "66.7%"
        assert _render("{{ v|hours }}", v=Decimal("1200.0")) == "1,200"
        assert _render("{{ v|hours }}", v=Decimal("3.5")) == "3.5"
        assert _render("{{ v|percent }}", v=None) == "—"
