"""The evaluation studies of the demo: the end-of-program questionnaire of local cohort C and
the follow-up questionnaire of government cohort A (with A's end-of-program wave to compare
with), after the Myers-JDC-Brookdale Institute's evaluation reports (see DOMAIN.md).

Answers are generated so that the report computes the published figures exactly: cohort C,
25 respondents of 35 invited (71%), each item's number of respondents agreeing chosen so the
domain averages are knowledge 85%, perceptions 68%, feeling digital leaders 94%, tools 75%,
management methods 80%, leading collaboration 88%, ties 92% / 76% / 56%; cohort A's
follow-up, 29 of 39 (74%). Cohort C has 40 enrolled people, of whom 35 are invited (the five
left out were absent from the final meeting where the questionnaire was answered).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import models, transaction

from movilim.people.models import Person
from movilim.programs.models import MEMBER_STATUSES, Cohort, Enrollment, Program

from . import services
from .models import (
    Answer,
    Instrument,
    InvitationStatus,
    OutcomeDomain,
    QuestionKind,
    Response,
    ResponseSource,
    Wave,
    WaveInvitation,
    WaveMode,
)

COUNTED: tuple[tuple[str, type[models.Model]], ...] = (
    ("questionnaires", Instrument),
    ("survey waves", Wave),
    ("survey responses", Response),
    ("survey answers", Answer),
)

TZ = ZoneInfo("Asia/Jerusalem")

#: (code, domain, kind, Hebrew, English, respondents agreeing of 25 in cohort C)
END_ITEMS: tuple[tuple[str, str, str, str, str, int], ...] = (
    (
        "know_digital",
        "knowledge",
        "likert",
        "רכשתי ידע חדש על טרנספורמציה דיגיטלית",
        "I gained new knowledge about digital transformation",
        21,
    ),
    (
        "know_service",
        "knowledge",
        "likert",
        "רכשתי ידע חדש על שירות דיגיטלי לתושב",
        "I gained new knowledge about digital services for residents",
        21,
    ),
    (
        "know_data",
        "knowledge",
        "likert",
        "רכשתי ידע חדש על נתונים ומידע",
        "I gained new knowledge about data and information",
        21,
    ),
    (
        "know_regulation",
        "knowledge",
        "likert",
        "רכשתי ידע על רגולציה ותקצוב דיגיטל ברשויות",
        "I gained knowledge about regulating and funding digital work in authorities",
        22,
    ),
    (
        "perc_positive",
        "perceptions",
        "likert",
        "התכנית חיזקה את תפיסותיי החיוביות לגבי דיגיטציה",
        "The program strengthened my positive views of digitization",
        17,
    ),
    (
        "emp_leader",
        "empowerment",
        "likert",
        "אני רואה את עצמי כמוביל/ה דיגיטלי/ת",
        "I see myself as a digital leader",
        23,
    ),
    (
        "emp_work",
        "empowerment",
        "likert",
        "התכנית שינתה את האופן שבו אני עובד/ת",
        "The program changed the way I work",
        24,
    ),
    (
        "tools_new",
        "tools_skills",
        "likert",
        "קיבלתי כלים חדשים לעבודתי",
        "I received new tools for my work",
        19,
    ),
    (
        "tools_design",
        "tools_skills",
        "likert",
        "רכשתי מיומנויות של תכנון שירות",
        "I acquired service design skills",
        19,
    ),
    (
        "tools_project",
        "tools_skills",
        "likert",
        "רכשתי מיומנויות של ניהול פרויקט דיגיטלי",
        "I acquired digital project management skills",
        19,
    ),
    (
        "tools_data",
        "tools_skills",
        "likert",
        "אני משתמש/ת בכלים של עבודה עם נתונים",
        "I use data tools in my work",
        18,
    ),
    (
        "role_methods",
        "role_perception",
        "likert",
        "אני מיישם/ת שיטות ניהול חדשניות",
        "I apply innovative management methods",
        20,
    ),
    (
        "role_collab",
        "role_perception",
        "likert",
        "יש לי מיומנויות להוביל שיתופי פעולה",
        "I have the skills to lead collaboration",
        22,
    ),
    (
        "ties_sector",
        "ties",
        "likert",
        "יצרתי קשרים עם עמיתים מהמגזר שלי",
        "I formed ties with peers in my own sector",
        23,
    ),
    (
        "ties_other",
        "ties",
        "likert",
        "יצרתי קשרים עם עמיתים ממגזרים אחרים",
        "I formed ties with peers in other sectors",
        19,
    ),
    (
        "ties_experts",
        "ties",
        "likert",
        "יצרתי קשרים עם אנשי מקצוע, מרצים ויועצים",
        "I formed ties with professionals, lecturers and consultants",
        14,
    ),
    (
        "sat_overall",
        "satisfaction",
        "likert",
        "אני שבע/ת רצון מהתכנית",
        "I am satisfied with the program",
        25,
    ),
    (
        "sat_recommend",
        "satisfaction",
        "yesno",
        "הייתי ממליץ/ה על התכנית לעמיתים",
        "I would recommend the program to colleagues",
        25,
    ),
    (
        "sat_innovation",
        "satisfaction",
        "likert",
        "התכנית היא דוגמה לחדשנות",
        "The program is an example of innovation",
        24,
    ),
)
USEFUL_CHOICES = (
    ("מפגשי הלמידה", "Learning meetings"),
    ("הסיור הלימודי", "The study tour"),
    ("המפגשים המקוונים", "The online meetings"),
    ("העבודה על הפרויקט", "Work on the project"),
)
IMPROVE_TEXTS = (
    "להכיר את המשתתפים כבר לפני הפתיחה",
    "יותר כלים דיגיטליים מעשיים",
    "להעמיק בקבלת החלטות ברשות ובניהול ידע",
    "יותר מעורבות של משרד הפנים",
    "קבוצות קטנות לפי רמת הדיגיטציה של הרשות",
    "נושא פרטיות ואבטחת מידע ראוי להעמקה",
    "חיבור לשטח כבר במהלך התכנית",
)


def _rng(purpose: str) -> random.Random:
    return random.Random(f"movilim-demo-surveys:{purpose}")  # noqa: S311 - demo data


def _end_instrument(program: Program, title_he: str, title_en: str) -> Instrument:
    instrument = Instrument.objects.filter(program=program, title_he=title_he, version=1).first()
    if instrument is not None:
        return instrument
    domains = {d.key: d for d in OutcomeDomain.objects.all()}
    instrument = services.instrument_create(program=program, title_he=title_he, title_en=title_en)
    parts = services.section_add(
        instrument=instrument, title_he="תרומת התכנית", title_en="What the program gave"
    )
    closing = services.section_add(instrument=instrument, title_he="סיכום", title_en="Closing")
    for code, domain, kind, he, en, _agree in END_ITEMS:
        services.question_save(
            instrument=instrument,
            code=code,
            kind=kind,
            text_he=he,
            text_en=en,
            domain=domains[domain],
            section=parts if domain != "satisfaction" else closing,
        )
    services.question_save(
        instrument=instrument,
        code="useful_parts",
        kind=QuestionKind.MULTIPLE,
        text_he="אילו רכיבים של התכנית היו מועילים לך?",
        text_en="Which parts of the program were useful to you?",
        domain=domains["satisfaction"],
        section=closing,
        required=False,
        choices=[services.ChoiceSpec(he, en) for he, en in USEFUL_CHOICES],
    )
    services.question_save(
        instrument=instrument,
        code="improve",
        kind=QuestionKind.TEXT,
        text_he="מה היית משפר/ת בתכנית?",
        text_en="What would you improve in the program?",
        section=closing,
        required=False,
    )
    return instrument


def _likert(rng: random.Random, agrees: bool) -> int:
    if agrees:
        return 5 if rng.random() < 0.5 else 4
    return rng.choice((3, 3, 2, 1))


def _fill_wave(
    wave: Wave,
    people: list[Person],
    *,
    invited: int,
    respondents: int,
    agree_counts: dict[str, int],
    submitted_on: date,
    sent_on: date,
) -> None:
    """Invite ``invited`` of ``people`` and store ``respondents`` responses whose items have
    exactly ``agree_counts`` respondents agreeing (of ``respondents``)."""
    rng = _rng(f"wave:{wave.name_en}")
    chosen = rng.sample(sorted(people, key=lambda p: p.pk), invited)
    answering = chosen[:respondents]
    sent_at = datetime.combine(sent_on, time(9), tzinfo=TZ)
    submitted_at = datetime.combine(submitted_on, time(12), tzinfo=TZ)
    invitations = []
    for index, person in enumerate(chosen):
        done = index < respondents
        invitations.append(
            WaveInvitation(
                wave=wave,
                person=person,
                nonce=f"demo{rng.getrandbits(64):016x}",
                status=InvitationStatus.SUBMITTED if done else InvitationStatus.SENT,
                sent_at=sent_at,
                send_count=1,
                submitted_at=submitted_at if done else None,
            )
        )
    WaveInvitation.objects.bulk_create(invitations)
    by_person = {i.person_id: i for i in WaveInvitation.objects.filter(wave=wave)}
    confidential = wave.mode == WaveMode.CONFIDENTIAL
    questions = services.instrument_questions(wave.instrument)
    # Who agrees with each item: a fixed number of respondents, drawn per item.
    agreeing = {
        code: set(rng.sample(range(respondents), count)) for code, count in agree_counts.items()
    }
    profiles = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[p.pk for p in answering]).select_related(
            "organization"
        )
    }
    for index, person in enumerate(answering):
        person = profiles[person.pk]
        response = Response.objects.create(
            wave=wave,
            invitation=by_person[person.pk] if confidential else None,
            person=person if confidential else None,
            submitted_at=submitted_at,
            source=ResponseSource.FORM,
            org_kind=person.organization.kind if person.organization_id else "",
            gender=person.gender,
            cohort_id=wave.cohort_id,
        )
        answers: dict[str, object] = {}
        for q in questions:
            if q.code in agreeing:
                agrees = index in agreeing[q.code]
                answers[q.code] = (
                    (1 if agrees else 0) if q.kind == QuestionKind.YESNO else _likert(rng, agrees)
                )
            elif q.kind == QuestionKind.MULTIPLE:
                answers[q.code] = sorted(
                    rng.sample(range(1, len(USEFUL_CHOICES) + 1), rng.randint(1, 3))
                )
            elif q.kind == QuestionKind.TEXT and index % 3 == 0:
                answers[q.code] = IMPROVE_TEXTS[(index // 3) % len(IMPROVE_TEXTS)]
        Answer.objects.bulk_create(services._answer_rows(response, questions, answers))


def _members(cohort: Cohort) -> list[Person]:
    ids = Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES).values_list(
        "person_id", flat=True
    )
    return list(Person.objects.filter(pk__in=list(ids)))


def _wave(instrument: Instrument, cohort: Cohort, **values: object) -> tuple[Wave, bool]:
    existing = Wave.objects.filter(
        instrument=instrument, cohort=cohort, name_he=values["name_he"]
    ).first()
    if existing is not None:
        return existing, False
    return Wave.objects.create(
        instrument=instrument, program_id=instrument.program_id, cohort=cohort, **values
    ), True


@transaction.atomic
def load(*, today: date) -> None:
    local = Program.objects.filter(slug="local").first()
    government = Program.objects.filter(slug="government").first()
    cohort_c = Cohort.objects.filter(program=local, name_en="Cohort C").first()
    cohort_a = Cohort.objects.filter(program=government, name_en="Cohort A").first()
    if not (local and government and cohort_c and cohort_a):
        return
    services.domains_ensure_defaults()
    agree_c = {code: agree for code, _d, _k, _he, _en, agree in END_ITEMS}

    instrument_c = _end_instrument(
        local, "שאלון סיום – מסלול השלטון המקומי", "End-of-program questionnaire – local track"
    )
    wave_c, created = _wave(
        instrument_c,
        cohort_c,
        name_he="שאלון סיום מחזור ג'",
        name_en="Cohort C – end of program",
        time_point="end",
        months_after=None,
        opens_on=date(2020, 9, 15),
        closes_on=date(2020, 9, 30),
        mode=WaveMode.ANONYMOUS,
        background=(
            "מחזור ג' של מסלול השלטון המקומי (יולי 2019 – ספטמבר 2020): 40 משתתפים, "
            "7 מפגשים דו-יומיים, "
            "סיור לימודי בדנמרק ומפגשים מקוונים. שאלון מקוון למילוי עצמי הועבר במפגש הסיום; "
            "לצדו תצפית וקבוצת מיקוד מקוונת."
        ),
    )
    if created:
        _fill_wave(
            wave_c,
            _members(cohort_c),
            invited=35,
            respondents=25,
            agree_counts=agree_c,
            submitted_on=date(2020, 9, 20),
            sent_on=date(2020, 9, 15),
        )

    instrument_a = _end_instrument(
        government, "שאלון מסלול הממשלה", "Government track questionnaire"
    )
    members_a = _members(cohort_a)
    # Cohort A's end of program, confidential, so that the follow-up can be read as a panel.
    agree_a_end = {
        code: max(0, min(33, round(agree * 33 / 25) - 1)) for code, agree in agree_c.items()
    }
    wave_a_end, created = _wave(
        instrument_a,
        cohort_a,
        name_he="שאלון סיום מחזור א'",
        name_en="Cohort A – end of program",
        time_point="end",
        months_after=None,
        opens_on=date(2016, 2, 21),
        closes_on=date(2016, 3, 10),
        mode=WaveMode.CONFIDENTIAL,
    )
    if created:
        _fill_wave(
            wave_a_end,
            members_a,
            invited=39,
            respondents=33,
            agree_counts=agree_a_end,
            submitted_on=date(2016, 2, 28),
            sent_on=date(2016, 2, 21),
        )
    agree_a_follow = {
        code: max(0, min(29, round(agree * 29 / 25) - 2)) for code, agree in agree_c.items()
    }
    wave_a, created = _wave(
        instrument_a,
        cohort_a,
        name_he="שאלון מעקב מחזור א'",
        name_en="Cohort A – follow-up",
        time_point="follow_up",
        months_after=9,
        opens_on=date(2016, 11, 1),
        closes_on=date(2016, 11, 30),
        mode=WaveMode.CONFIDENTIAL,
        background=(
            "מחזור א' של מסלול הממשלה (יוני 2015 – פברואר 2016): 39 מנהלים בכירים. "
            "שאלון מעקב למילוי עצמי "
            "כתשעה חודשים לאחר הסיום (נובמבר 2016), לצד 7 ראיונות עומק; השוואה לשאלון הסיום."
        ),
    )
    if created:
        _fill_wave(
            wave_a,
            members_a,
            invited=39,
            respondents=29,
            agree_counts=agree_a_follow,
            submitted_on=date(2016, 11, 14),
            sent_on=date(2016, 11, 1),
        )
