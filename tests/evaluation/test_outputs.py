"""Comparisons, the PDF report, exports (CSV, XLSX, SPSS) and qualitative coding."""

from __future__ import annotations

import io

import pandas as pd
import pyreadstat
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from movilim.evaluation.comparisons import compare_panel, compare_waves, share_test
from movilim.evaluation.models import AnswerCode, Code, Recommendation
from movilim.surveys import services
from movilim.surveys.models import Answer, WaveInvitation

from .. import factories

pytestmark = pytest.mark.usefixtures("module_world")


def test_share_test_uses_fisher_for_small_cells_and_z_otherwise() -> None:
    test, p = share_test(9, 10, 2, 10)
    assert test == "Fisher" and p == pytest.approx(0.005477, abs=1e-5)
    test, p = share_test(80, 100, 60, 100)
    assert test == "z" and p == pytest.approx(0.002, abs=5e-4)


def test_two_waves_compared_and_as_a_panel(answered, world, client_for) -> None:
    first = answered.wave
    second = services.wave_create(
        instrument=answered.instrument,
        cohort=world.cohort,
        name_he="מעקב",
        time_point="follow_up",
        months_after=9,
        opens_on=first.opens_on,
        closes_on=first.closes_on,
        mode="confidential",
    )
    people = [r.person for r in first.responses.select_related("person")]
    for person in people:
        invitation = WaveInvitation.objects.create(wave=second, person=person, nonce="m")
        services.invitation_submit(invitation=invitation, raw={"q_know": "1", "q_ties": "0"})
    rows = {r.code: r for r in compare_waves(first, second, audience="evaluator")}
    assert rows["q_know"].test == "Mann–Whitney" and rows["q_know"].p < 0.05
    assert "הבדל ממשי" in rows["q_know"].flag
    assert rows["q_ties"].test == "Fisher" and rows["q_ties"].share_b == 0
    panel = {r.code: r for r in compare_panel(first, second, audience="evaluator")}
    assert panel["q_know"].pairs == 6 and panel["q_know"].test == "Wilcoxon"
    assert panel["q_ties"].test == "McNemar"
    # The steering committee (k = 10) gets no figures from six respondents.
    hidden = compare_waves(first, second, audience="steering")
    assert all(r.p is None for r in hidden)
    page = client_for("evaluator").get(
        reverse("evaluation:compare", args=[first.pk]), {"other": second.pk}
    )
    assert page.status_code == 200 and "Wilcoxon" in page.content.decode()


def test_report_pdf_in_hebrew_with_the_figures(answered, client_for) -> None:
    Recommendation.objects.create(
        wave=answered.wave, phase="before", text="היכרות מוקדמת בין המשתתפים"
    )
    response = client_for("evaluator").get(
        reverse("evaluation:report_pdf", args=[answered.wave.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "67%" in text  # the knowledge domain: 4 of 6
    assert "לפני התכנית" in text or "התכנית" in text


def test_exports_suppress_for_staff_and_respondent_data_is_for_evaluators(
    answered, client_for
) -> None:
    staff = client_for("manager")
    body = b"".join(
        staff.get(
            reverse("evaluation:export", args=[answered.wave.pk, "aggregates", "csv"])
        ).streaming_content
    )
    text = body.decode("utf-8-sig")
    assert "q_know" in text and "—" in text
    assert (
        staff.get(
            reverse("evaluation:export", args=[answered.wave.pk, "responses", "csv"])
        ).status_code
        == 403
    )
    evaluator = client_for("evaluator")
    Answer.objects.filter(question__code="q_text").update(text='=HYPERLINK("http://x")')
    response = evaluator.get(
        reverse("evaluation:export", args=[answered.wave.pk, "responses", "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert (
        evaluator.get(
            reverse("evaluation:export", args=[answered.wave.pk, "responses", "pdf"])
        ).status_code
        == 404
    )


def test_spss_file_has_variable_and_value_labels(answered, client_for, tmp_path) -> None:
    response = client_for("evaluator").get(
        reverse("evaluation:export", args=[answered.wave.pk, "responses", "sav"])
    )
    path = tmp_path / "wave.sav"
    path.write_bytes(response.content)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 6
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["q_know"] == "רכשתי ידע חדש"
    assert labels["q_parts_1"].endswith("מפגשים")
    assert meta.variable_value_labels["q_know"][5.0] == "מסכים/ה מאוד"
    assert sorted(frame["q_know"].tolist()) == [2, 3, 4, 4, 5, 5]
    assert frame["q_parts_1"].sum() == 3 and pd.isna(frame["q_parts_1"]).sum() == 2


def test_evaluator_codes_free_text_and_records_excerpts(answered, client_for) -> None:
    client = client_for("evaluator")
    url = reverse("evaluation:qualitative", args=[answered.wave.pk])
    client.post(url, {"action": "code", "code-name_he": "מפגשים", "code-name_en": "Meetings"})
    code = Code.objects.get()
    answer = Answer.objects.get(question__code="q_text")
    assert "מפגשים טובים" in client.get(url).content.decode()
    client.post(url, {"action": "tag", "answer": answer.pk, "codes": [code.pk]})
    assert AnswerCode.objects.get().code == code
    client.post(
        url,
        {
            "action": "record",
            "record-kind": "focus_group",
            "record-held_on": "2026-03-01",
            "record-participants": "9",
            "record-summary": "קבוצה מקוונת",
            "record-excerpt": "המפגשים חיזקו קשרים",
            "record-codes": [code.pk],
        },
    )
    report = client.get(reverse("evaluation:report", args=[answered.wave.pk])).content.decode()
    assert "קבוצת מיקוד" in report and "מפגשים" in report
    bad = client.post(
        url, {"action": "record", "record-kind": "focus_group", "record-held_on": "לא תאריך"}
    )
    assert bad.status_code == 400
    # Staff of the other program cannot tag answers of this wave.
    other = factories.ProgramFactory()
    assert (
        client_for("manager").post(url, {"action": "code", "code-name_he": "x"}).status_code == 403
    )
    assert other.evaluation_codes.count() == 0


def test_recommendations_by_phase_are_added_and_deleted(answered, client_for) -> None:
    client = client_for("evaluator")
    url = reverse("evaluation:recommendations", args=[answered.wave.pk])
    client.post(url, {"phase": "during", "text": "עבודה בקבוצות קטנות"})
    rec = Recommendation.objects.get()
    report = client.get(reverse("evaluation:report", args=[answered.wave.pk])).content.decode()
    assert "במהלך התכנית" in report and "עבודה בקבוצות קטנות" in report
    # Charts: the domains, and the multiple-choice question per option (75% chose meetings).
    assert 'id="domains-title"' in report and 'id="q_parts-title"' in report
    assert ">75%<" in report.split('id="q_parts-title"')[1].split("</svg>")[0]
    response = client.post(url, {"phase": "", "text": ""}, follow=True)
    assert "ההמלצה לא נשמרה" in response.content.decode()
    client.post(url, {"delete": str(rec.pk)})
    assert not Recommendation.objects.exists()
