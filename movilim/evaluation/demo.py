"""The qualitative side of the demo's studies (see ``surveys/demo.py`` for the questionnaires):
cohort C's online focus group of 9 and an observation, with coded excerpts, and the
recommendations of its report by phase; cohort A's 7 follow-up interviews. After the
Myers-JDC-Brookdale Institute's evaluation reports (DOMAIN.md)."""

from __future__ import annotations

from datetime import date

from django.db import models, transaction

from movilim.surveys.models import Wave

from . import services
from .models import Code, QualitativeRecord, Recommendation

COUNTED: tuple[tuple[str, type[models.Model]], ...] = (
    ("evaluation codes", Code),
    ("qualitative records", QualitativeRecord),
    ("recommendations", Recommendation),
)

RECOMMENDATIONS = (
    ("before", "פרסום התכנית בקרב רשויות נוספות והיכרות מוקדמת בין המשתתפים."),
    (
        "during",
        "חיבור לשטח, יותר כלים דיגיטליים והעמקה בנושאים: קבלת החלטות ברשות, ניהול ידע, "
        "פרטיות ואבטחת מידע, חדשנות ויזמות.",
    ),
    (
        "during",
        "עבודה בקבוצות קטנות לפי מאפיינים כמו רמת הדיגיטציה של הרשות; "
        "מעורבות רבה יותר של משרד הפנים.",
    ),
    ("after", "שמירה על הקשרים בין הבוגרים ובחינה מחודשת של השתתפות החברה האזרחית."),
)

#: (wave's English name, kind, date, participants, summary, [(excerpt, [codes])])
RECORDS = (
    (
        "Cohort C – end of program",
        "focus_group",
        date(2020, 9, 24),
        9,
        "קבוצת מיקוד מקוונת עם תשעה משתתפים.",
        [
            (
                "הקשרים עם ראשי אגפים מרשויות אחרות הם הדבר החשוב ביותר שלקחתי",
                ["קשרים", "למידת עמיתים"],
            ),
            ("הייתי רוצה יותר מעורבות של משרד הפנים", ["משרד הפנים"]),
        ],
    ),
    ("Cohort C – end of program", "observation", date(2020, 2, 10), 38, "תצפית במפגש דו-יומי.", []),
    (
        "Cohort A – follow-up",
        "interview",
        date(2016, 11, 20),
        7,
        "שבעה ראיונות עומק עם בוגרי המחזור.",
        [
            ("רוב הפרויקטים התקדמו, אבל אני כבר לא מעורב בהם", ["פרויקטים"]),
            ("שיתוף פעולה בין משרדים עדיין קשה", ["שיתוף פעולה בין-משרדי"]),
        ],
    ),
)


@transaction.atomic
def load(*, today: date) -> None:
    waves = {w.name_en: w for w in Wave.objects.filter(name_en__in=[r[0] for r in RECORDS])}
    for name, kind, held_on, participants, summary, excerpts in RECORDS:
        wave = waves.get(name)
        if wave is None or QualitativeRecord.objects.filter(wave=wave, kind=kind).exists():
            continue
        codes = {
            code: services.code_create(wave=wave, name_he=code)
            for _text, names in excerpts
            for code in names
        }
        services.record_add(
            wave=wave,
            kind=kind,
            held_on=held_on,
            participants=participants,
            summary=summary,
            excerpts=[(text, [codes[n].pk for n in names]) for text, names in excerpts],
        )
    wave_c = waves.get("Cohort C – end of program")
    if wave_c is not None and not wave_c.recommendations.exists():
        Recommendation.objects.bulk_create(
            Recommendation(wave=wave_c, phase=phase, text=text) for phase, text in RECOMMENDATIONS
        )
