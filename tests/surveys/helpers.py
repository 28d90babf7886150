"""A small study in a test World's program: an instrument, an open wave of its cohort and the
participant's invitation; get-or-create, so the access table may build it for both programs."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from movilim.surveys import services
from movilim.surveys.models import Instrument, OutcomeDomain, Wave, WaveInvitation

from ..conftest import World


@dataclass
class Study:
    instrument: Instrument
    wave: Wave
    invitation: WaveInvitation

    @property
    def token(self) -> str:
        return services.invitation_token(self.invitation)


def build_instrument(program, title: str = "שאלון בדיקה") -> Instrument:  # type: ignore[no-untyped-def]
    instrument = Instrument.objects.filter(program=program, title_he=title).first()
    if instrument is not None:
        return instrument
    # Rows of data migrations are gone after a transactional test has flushed the database.
    services.domains_ensure_defaults()
    instrument = services.instrument_create(program=program, title_he=title, title_en="Test")
    section = services.section_add(instrument=instrument, title_he="חלק א'")
    knowledge = OutcomeDomain.objects.get(key="knowledge")
    ties = OutcomeDomain.objects.get(key="ties")
    services.question_save(
        instrument=instrument,
        code="q_know",
        kind="likert",
        text_he="רכשתי ידע חדש",
        text_en="I gained new knowledge",
        domain=knowledge,
        section=section,
    )
    services.question_save(
        instrument=instrument,
        code="q_ties",
        kind="yesno",
        text_he="יצרתי קשרים חדשים",
        domain=ties,
        section=section,
    )
    services.question_save(
        instrument=instrument,
        code="q_parts",
        kind="multiple",
        text_he="מה הועיל?",
        required=False,
        choices=[services.ChoiceSpec("מפגשים"), services.ChoiceSpec("סיור")],
    )
    services.question_save(
        instrument=instrument, code="q_text", kind="text", text_he="הערות", required=False
    )
    return instrument


def study(w: World, *, mode: str = "confidential") -> Study:
    instrument = build_instrument(w.program)
    today = timezone.localdate()
    wave = Wave.objects.filter(instrument=instrument, cohort=w.cohort, mode=mode).first()
    if wave is None:
        wave = services.wave_create(
            instrument=instrument,
            cohort=w.cohort,
            name_he=f"גל בדיקה {mode}",
            time_point="end",
            months_after=None,
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=30),
            mode=mode,
        )
    invitation = WaveInvitation.objects.filter(wave=wave, person=w.participant_person).first()
    if invitation is None:
        invitation = WaveInvitation.objects.create(
            wave=wave, person=w.participant_person, nonce="n" + wave.name_he[-3:] + str(wave.pk)
        )
    return Study(instrument, wave, invitation)


def xlsform_bytes(rows: list[list[str]], choices: list[list[str]] | None = None) -> bytes:
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(
        ["type", "name", "label::Hebrew (he)", "label::English (en)", "required", "domain"]
    )
    for row in rows:
        survey.append(row)
    sheet = workbook.create_sheet("choices")
    sheet.append(["list_name", "name", "label::Hebrew (he)", "label::English (en)"])
    for row in choices or []:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_FORM_ROWS = [
    ["begin_group", "part1", "ידע", "Knowledge", "", ""],
    ["select_one agree5", "know1", "רכשתי ידע", "I learned", "yes", "knowledge"],
    ["select_multiple parts", "parts", "רכיבים מועילים", "Useful parts", "", "satisfaction"],
    ["integer", "meetings", "מספר מפגשים", "Meetings attended", "", ""],
    ["geopoint", "where", "מיקום", "Location", "", ""],
    ["end_group", "", "", "", "", ""],
    ["text", "notes", "הערות", "Notes", "", ""],
]
GOOD_FORM_CHOICES = [
    *[["agree5", str(i), f"דרגה {i}", f"Level {i}"] for i in range(1, 6)],
    ["parts", "meet", "מפגשים", "Meetings"],
    ["parts", "tour", "סיור", "Tour"],
]


def xlsform_upload(w: World) -> dict[str, object]:
    services.domains_ensure_defaults()
    body = xlsform_bytes(GOOD_FORM_ROWS, GOOD_FORM_CHOICES)
    upload = SimpleUploadedFile(
        "form.xlsx",
        body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return {"program": w.program.pk, "file": upload}
