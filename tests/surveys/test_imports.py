"""XLSForm import and export, and responses collected elsewhere."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movilim.core import tabular
from movilim.surveys import services
from movilim.surveys.models import Answer, Instrument, Response

from .helpers import GOOD_FORM_CHOICES, GOOD_FORM_ROWS, study, xlsform_bytes, xlsform_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


pytestmark = pytest.mark.usefixtures("module_world")


def test_xlsform_import_skips_unsupported_types_and_names_them(world, client_for) -> None:
    response = client_for("evaluator").post(
        reverse("surveys:xlsform_import"), xlsform_upload(world), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "where (geopoint)" in page and "דולגו" in page
    instrument = Instrument.objects.get()
    questions = {q.code: q for q in instrument.questions.select_related("section", "domain")}
    assert list(questions) == ["know1", "parts", "meetings", "notes"]
    know = questions["know1"]
    assert know.kind == "likert" and know.required and know.domain.key == "knowledge"
    assert know.text_en == "I learned" and know.section.title_he == "ידע"
    assert questions["parts"].kind == "multiple" and questions["parts"].choices.count() == 2
    assert questions["meetings"].kind == "number" and questions["notes"].section is None


def test_xlsform_export_reads_back_the_same(world, client_for) -> None:
    s = study(world)
    client = client_for("evaluator")
    body = client.get(reverse("surveys:xlsform_export", args=[s.instrument.pk])).content
    upload = SimpleUploadedFile("again.xlsx", body, content_type=XLSX)
    client.post(reverse("surveys:xlsform_import"), {"program": world.program.pk, "file": upload})
    copy = Instrument.objects.exclude(pk=s.instrument.pk).get()

    def shape(instrument):  # type: ignore[no-untyped-def]
        return [
            (
                q.code,
                q.kind,
                q.text_he,
                q.required,
                q.domain_id,
                [c.label_he for c in q.choices.all()],
            )
            for q in instrument.questions.all()
        ]

    assert shape(copy) == shape(s.instrument)


def test_invalid_xlsform_is_refused_with_the_parsers_reason(world, client_for) -> None:
    body = xlsform_bytes([["select_one nolist", "q", "שאלה", "", "", ""]], GOOD_FORM_CHOICES)
    upload = SimpleUploadedFile("bad.xlsx", body, content_type=XLSX)
    response = client_for("evaluator").post(
        reverse("surveys:xlsform_import"), {"program": world.program.pk, "file": upload}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "הטופס אינו XLSForm תקין" in page and "nolist" in page
    assert not Instrument.objects.exists()
    junk = SimpleUploadedFile("junk.xlsx", b"not a workbook", content_type=XLSX)
    response = client_for("evaluator").post(
        reverse("surveys:xlsform_import"), {"program": world.program.pk, "file": junk}
    )
    assert response.status_code == 400 and "XLSForm" in response.content.decode()


def test_oversized_upload_is_refused_before_reading(world, client_for, monkeypatch) -> None:
    monkeypatch.setattr("movilim.surveys.xlsform.MAX_UPLOAD_BYTES", 100)
    body = xlsform_bytes(GOOD_FORM_ROWS, GOOD_FORM_CHOICES)
    upload = SimpleUploadedFile("big.xlsx", body, content_type=XLSX)
    response = client_for("evaluator").post(
        reverse("surveys:xlsform_import"), {"program": world.program.pk, "file": upload}
    )
    assert response.status_code == 400
    assert tabular.upload_too_large_message()[:20] in response.content.decode()


def test_responses_import_is_atomic_with_a_row_report(world, client_for) -> None:
    s = study(world)
    url = reverse("surveys:responses_import", args=[s.wave.pk])
    client = client_for("evaluator")
    bad = "q_know,q_ties,q_parts,q_text,gender\n4,1,1 2,טוב,female\n9,1,,,male\n,0,,,male\n"
    response = client.post(
        url, {"file": SimpleUploadedFile("a.csv", bad.encode(), content_type="text/csv")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "אינה אחד מהערכים" in page and "q_know" in page
    assert not Response.objects.exists()
    good = "q_know,q_ties,q_parts,q_text,gender\n4,1,1 2,טוב,female\n2,0,,,male\n"
    response = client.post(
        url, {"file": SimpleUploadedFile("a.csv", good.encode(), content_type="text/csv")}
    )
    assert response.status_code == 302
    assert Response.objects.filter(wave=s.wave, source="import").count() == 2
    assert set(Response.objects.values_list("gender", flat=True)) == {"female", "male"}


def test_responses_exported_by_kobo_name_their_choices(world, client_for) -> None:
    client = client_for("evaluator")
    client.post(reverse("surveys:xlsform_import"), xlsform_upload(world))
    instrument = Instrument.objects.get()
    wave = services.wave_create(
        instrument=instrument,
        cohort=world.cohort,
        name_he="קובו",
        time_point="end",
        months_after=None,
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 2, 1),
        mode="anonymous",
    )
    body = "know1,parts,meetings,notes\n4,meet tour,7,\n5,tour,3,טוב\n"
    upload = SimpleUploadedFile("kobo.csv", body.encode(), content_type="text/csv")
    response = client.post(reverse("surveys:responses_import", args=[wave.pk]), {"file": upload})
    assert response.status_code == 302
    chosen = Answer.objects.filter(wave=wave, question__code="parts").values_list(
        "number", flat=True
    )
    assert sorted(chosen) == [1, 2, 2]


def test_kobo_headers_that_keep_the_groups_are_read(world, client_for) -> None:
    """``group/question`` headers; a multiple choice's per-option columns after it are left."""
    s = study(world)
    body = (
        "intro/q_know,intro/q_ties,more/q_parts,more/q_parts/1,more/q_parts/2,more/q_text,_uuid\n"
        "4,1,1 2,1,1,טוב,5b1c-cc\n"
    )
    url = reverse("surveys:responses_import", args=[s.wave.pk])
    assert client_for("evaluator").post(url, _csv("kobo.csv", body)).status_code == 302
    answers = Answer.objects.filter(response__external_id="kobo:5b1c-cc")
    assert sorted(answers.values_list("question__code", "number")) == [
        ("q_know", 4),
        ("q_parts", 1),
        ("q_parts", 2),
        ("q_text", None),
        ("q_ties", 1),
    ]


def test_limesurvey_writes_a_multiple_choice_as_a_column_per_option(world, client_for) -> None:
    s = study(world)
    body = "id,q_know,q_ties,q_parts[1],q_parts[2],q_text\n7,4,1,Y,,טוב\n8,3,0,,,\n"
    url = reverse("surveys:responses_import", args=[s.wave.pk])
    assert client_for("evaluator").post(url, _csv("lime.csv", body)).status_code == 302
    chosen = Answer.objects.filter(question__code="q_parts").values_list(
        "response__external_id", "number"
    )
    assert list(chosen) == [("id:7", 1)]


def _csv(name: str, body: str) -> dict[str, object]:
    return {"file": SimpleUploadedFile(name, body.encode(), content_type="text/csv")}


KOBO = "q_know,q_ties,q_parts,q_text,_uuid,_id\n4,1,1 2,טוב,5b1c-aa,101\n2,0,,,5b1c-bb,102\n"


def test_the_same_kobo_file_twice_stores_its_responses_once(world, client_for) -> None:
    s = study(world)
    url = reverse("surveys:responses_import", args=[s.wave.pk])
    client = client_for("evaluator")
    assert client.post(url, _csv("kobo.csv", KOBO)).status_code == 302
    assert set(Response.objects.values_list("external_id", flat=True)) == {
        "kobo:5b1c-aa",
        "kobo:5b1c-bb",
    }
    again = client.post(url, _csv("kobo.csv", KOBO))
    assert again.status_code == 400 and "הקובץ הזה כבר יובא" in again.content.decode()
    assert Response.objects.count() == 2
    # The next export has the earlier rows and a new one (and meta/instanceID, as ODK writes
    # it): the new one is stored, the others are skipped and listed by row.
    newer = (
        "q_know,q_ties,q_parts,q_text,meta/instanceID\n"
        "4,1,1 2,טוב,uuid:5b1c-aa\n"
        "2,0,,,uuid:5b1c-bb\n"
        "5,1,,,uuid:5b1c-cc\n"
        "5,1,,,uuid:5b1c-cc\n"
    )
    response = client.post(url, _csv("kobo-2.csv", newer))
    assert response.status_code == 200
    page = response.content.decode()
    assert "תשובה אחת יובאה" in page and "3 שורות דולגו" in page
    skipped = page[page.index('id="skipped-rows"') :]
    for row in ("2", "3", "5"):
        assert f'<td class="num">{row}</td>' in skipped
    assert "כמו בשורה 4" in skipped
    assert Response.objects.count() == 3


def test_a_row_of_someone_who_already_answered_is_skipped_and_links_the_others(
    world, client_for
) -> None:
    s = study(world)
    services.wave_invite(wave=s.wave)
    services.invitation_submit(invitation=s.invitation, raw={"q_know": "5", "q_ties": "1"})
    url = reverse("surveys:responses_import", args=[s.wave.pk])
    client = client_for("evaluator")
    body = (
        "q_know,q_ties,email,id\n"
        "4,1,PARTICIPANT@example.org,7\n"
        "3,0,fellow@example.org,8\n"
        "2,0,fellow@example.org,9\n"
    )
    response = client.post(url, _csv("limesurvey.csv", body))
    assert response.status_code == 200
    page = response.content.decode()
    assert "התשובה של משיב/ה זה/ו כבר שמורה" in page and "כמו בשורה 3" in page
    imported = Response.objects.get(source="import")
    # A confidential wave: the response names the invitation and the person.
    assert imported.person == world.fellow_person and imported.external_id == "id:8"
    assert imported.invitation.status == "submitted"
    assert Response.objects.count() == 2


def test_an_address_no_one_invited_refuses_the_file(world, client_for) -> None:
    s = study(world, mode="anonymous")
    url = reverse("surveys:responses_import", args=[s.wave.pk])
    body = "q_know,q_ties,email\n4,1,participant@example.org\n3,0,stranger@example.org\n"
    response = client_for("evaluator").post(url, _csv("a.csv", body))
    assert response.status_code == 400 and "stranger@example.org" in response.content.decode()
    assert not Response.objects.exists()
    s.invitation.refresh_from_db()
    assert s.invitation.status != "submitted"
    # Without the stranger: the invitation is used, the anonymous response names no one.
    body = "q_know,q_ties,email\n4,1,participant@example.org\n"
    assert client_for("evaluator").post(url, _csv("b.csv", body)).status_code == 302
    s.invitation.refresh_from_db()
    response = Response.objects.get()
    assert s.invitation.status == "submitted"
    assert (response.person, response.invitation) == (None, None)
    assert response.submitted_at.hour == 0 and response.gender == "female"
