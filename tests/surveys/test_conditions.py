"""Display conditions (XLSForm ``relevant``): the forms understood, the XLSForm import's report
of the logic it does not carry over, and the respondent form showing a question only when its
condition holds."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movilim.surveys import conditions, services
from movilim.surveys.models import Answer, Instrument, Response

from .helpers import GOOD_FORM_CHOICES, build_instrument, study, xlsform_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LOGIC_FORM = [
    ["select_one yesno", "tour", "השתתפת בסיור?", "Did you join the tour?", "yes", "", ""],
    [
        "select_one agree5",
        "tour_ok",
        "הסיור הועיל",
        "The tour helped",
        "yes",
        "",
        "${tour} = 'yes'",
    ],
    ["select_multiple parts", "parts", "רכיבים", "Parts", "", "", ""],
    ["text", "why_meet", "למה מפגשים?", "", "", "", "selected(${parts}, 'meet')"],
    ["integer", "age", "גיל", "", "", "", "${tour} != 'no'"],
    ["integer", "hours", "שעות", "", "", "", ""],
    ["text", "role", "תפקיד", "", "${tour} = 'yes'", "", ""],
    ["calculate", "total", "", "", "", "", ""],
]


pytestmark = pytest.mark.usefixtures("module_world")


def _logic_workbook() -> bytes:
    from io import BytesIO

    from openpyxl import load_workbook

    body = xlsform_bytes(
        [row[:6] for row in LOGIC_FORM],
        [
            *GOOD_FORM_CHOICES,
            ["yesno", "yes", "כן", "Yes"],
            ["yesno", "no", "לא", "No"],
        ],
    )
    workbook = load_workbook(BytesIO(body))
    survey = workbook["survey"]
    for column, header in ((7, "relevant"), (8, "constraint"), (9, "calculation")):
        survey.cell(row=1, column=column, value=header)
    for index, row in enumerate(LOGIC_FORM, start=2):
        survey.cell(row=index, column=7, value=row[6])
    survey.cell(row=7, column=8, value=". >= 0 and . < 200")  # hours
    survey.cell(row=9, column=9, value="${hours} * 2")  # total
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_two_understood_forms_and_nothing_else() -> None:
    assert conditions.parse("${tour} = 'yes'") == conditions.Condition("tour", "yes", False)
    assert conditions.parse(' selected( ${parts} , "meet" ) ') == conditions.Condition(
        "parts", "meet", True
    )
    for text in ("${a} != 'x'", "${a} = 'x' and ${b} = 'y'", "${a} > 3", "selected(${a})"):
        assert conditions.parse(text) is None


def test_xlsform_import_keeps_simple_conditions_and_names_the_logic_it_drops(
    world, client_for
) -> None:
    upload = SimpleUploadedFile("logic.xlsx", _logic_workbook(), content_type=XLSX)
    response = client_for("evaluator").post(
        reverse("surveys:xlsform_import"),
        {"program": world.program.pk, "file": upload},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    instrument = Instrument.objects.get()
    questions = {q.code: q for q in instrument.questions.all()}
    # yes/no named "yes" in the file is stored as 1; a choice's name as its value.
    assert questions["tour_ok"].relevant == "${tour} = '1'"
    assert questions["why_meet"].relevant == "selected(${parts}, '1')"
    assert questions["age"].relevant == "" and not questions["role"].required
    # The report names each question whose logic was not carried over, in Hebrew.
    assert "תנאי הצגה (relevant) לא הועברו" in page and "age (${tour} != &#x27;no&#x27;)" in page
    assert "בדיקות תשובה (constraint)" in page and "hours (. &gt;= 0 and . &lt; 200)" in page
    assert "חישובים (calculate)" in page and "total (${hours} * 2)" in page
    assert "role (${tour} = &#x27;yes&#x27;)" in page
    assert "2 תנאי הצגה הועברו" in page
    # Exported and imported again, the conditions come back as they are.
    body = client_for("evaluator").get(reverse("surveys:xlsform_export", args=[instrument.pk]))
    again = SimpleUploadedFile("again.xlsx", body.content, content_type=XLSX)
    client_for("evaluator").post(
        reverse("surveys:xlsform_import"), {"program": world.program.pk, "file": again}
    )
    copy = Instrument.objects.exclude(pk=instrument.pk).get()
    assert {q.code: q.relevant for q in copy.questions.all() if q.relevant} == {
        "tour_ok": "${tour} = '1'",
        "why_meet": "selected(${parts}, '1')",
    }


def _conditional(world):  # type: ignore[no-untyped-def]
    s = study(world)
    services.question_save(
        instrument=s.instrument,
        code="q_why",
        kind="text",
        text_he="מה יצר את הקשרים?",
        required=True,
        relevant="${q_ties} = 'yes'",
    )
    return s


def test_a_conditional_question_is_shown_and_required_only_when_its_condition_holds(
    world, client_for
) -> None:
    s = _conditional(world)
    assert s.instrument.questions.get(code="q_why").relevant == "${q_ties} = '1'"
    client = client_for("participant")
    url = reverse("surveys:answer", args=[s.invitation.pk])
    form = client.get(url).content.decode()
    assert 'data-show-if="q_ties" data-show-value="1" hidden disabled' in form
    assert "surveys/respond.js" in form
    # "No": the question is not required, and an answer sent anyway is not kept.
    response = client.post(url, {"q_know": "4", "q_ties": "0", "q_why": "אין", "submit": "1"})
    assert response.status_code == 200
    assert not Answer.objects.filter(question__code="q_why").exists()


def test_a_shown_conditional_question_is_required(world, client_for) -> None:
    s = _conditional(world)
    client = client_for("participant")
    url = reverse("surveys:answer", args=[s.invitation.pk])
    response = client.post(url, {"q_know": "4", "q_ties": "1", "submit": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#q-q_why"' in page and not Response.objects.exists()
    assert 'data-show-value="1" hidden' not in page  # shown now, without any script
    response = client.post(url, {"q_know": "4", "q_ties": "1", "q_why": "הסיור", "submit": "1"})
    assert response.status_code == 200
    assert Answer.objects.get(question__code="q_why").text == "הסיור"
    # Once answered, an edit makes a new version, which keeps the condition.
    text = s.instrument.questions.get(code="q_text")
    edited = services.question_save(
        instrument=s.instrument, code="q_text", kind="text", text_he="הערות?", replacing=text
    )
    assert edited.instrument_id != s.instrument.pk
    assert edited.instrument.questions.get(code="q_why").relevant == "${q_ties} = '1'"


def test_builder_checks_conditions_and_keeps_them_pointing_somewhere(world, client_for) -> None:
    s = _conditional(world)
    client = client_for("evaluator")
    page = reverse("surveys:instrument", args=[s.instrument.pk])
    response = client.post(
        page,
        {
            "question-code": "q_more",
            "question-kind": "text",
            "question-text_he": "עוד",
            "question-relevant": "${q_ties} > 0",
        },
    )
    assert response.status_code == 400 and "selected(${name}, &#x27;value&#x27;)" in (
        response.content.decode()
    )
    response = client.post(
        page,
        {
            "question-code": "q_more",
            "question-kind": "text",
            "question-text_he": "עוד",
            "question-relevant": "selected(${q_parts}, '3')",
        },
    )
    assert response.status_code == 400 and "אינה אחת מהאפשרויות" in response.content.decode()
    # The question a condition names can be neither deleted nor renamed.
    ties = s.instrument.questions.get(code="q_ties")
    edit = reverse("surveys:question_edit", args=[ties.pk])
    response = client.post(edit, {"delete": "1"})
    assert response.status_code == 400 and "מה יצר את הקשרים?" in response.content.decode()
    response = client.post(
        edit, {"code": "q_ties2", "kind": "yesno", "text_he": "יצרתי קשרים חדשים", "required": "on"}
    )
    assert response.status_code == 400
    assert s.instrument.questions.filter(code="q_ties").exists()
    # Cleared, it can.
    why = s.instrument.questions.get(code="q_why")
    client.post(
        reverse("surveys:question_edit", args=[why.pk]),
        {"code": "q_why", "kind": "text", "text_he": "מה יצר את הקשרים?", "relevant": ""},
    )
    assert client.post(edit, {"delete": "1"}).status_code == 302
    assert not s.instrument.questions.filter(code="q_ties").exists()


def test_a_condition_on_a_hidden_question_does_not_hold(world) -> None:
    instrument = build_instrument(world.program, title="שרשרת")
    services.question_save(
        instrument=instrument,
        code="q_a",
        kind="yesno",
        text_he="א",
        relevant="${q_ties} = '1'",
    )
    services.question_save(
        instrument=instrument, code="q_b", kind="text", text_he="ב", relevant="${q_a} = 'yes'"
    )
    questions = services.instrument_questions(instrument)
    # q_a is hidden when q_ties is "no", so q_b is too, whatever q_a's stray answer.
    answers = services.clean_answers(questions, {"q_know": "3", "q_ties": "0", "q_a": "1"})
    assert "q_a" not in answers
    assert {q.code for q in services.missing_required(questions, answers)} == set()
    answers = services.clean_answers(questions, {"q_know": "3", "q_ties": "1"})
    # q_a is asked and unanswered, so q_b (which needs q_a "yes") is not.
    assert {q.code for q in services.missing_required(questions, answers)} == {"q_a"}


def test_a_form_pyxform_accepts_but_movilim_cannot_keep_is_refused_by_name(
    world, client_for
) -> None:
    cases = [
        ([["select_one one", "pick", "בחרו", "", "", ""]], [["one", "a", "א", ""]], "pick"),
        ([["text", "my.note", "הערה", "", "", ""]], [], "my.note"),
        (
            [
                ["begin_group", "g1", "א" * 250, "", "", ""],
                ["text", "t", "ט", "", "", ""],
                ["end_group", "", "", "", "", ""],
            ],
            [],
            "g1",
        ),
    ]
    for rows, choices, name in cases:
        upload = SimpleUploadedFile("f.xlsx", xlsform_bytes(rows, choices), content_type=XLSX)
        response = client_for("evaluator").post(
            reverse("surveys:xlsform_import"), {"program": world.program.pk, "file": upload}
        )
        assert response.status_code == 400, name
        assert f"„{name}”" in response.content.decode() or f"“{name}”" in (
            response.content.decode()
        ), name
    assert not Instrument.objects.exists()
