"""Building instruments in the UI, and versioning once a wave has responses."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from movilim.surveys import services
from movilim.surveys.models import Answer, Instrument, Question, Response

from .helpers import study

pytestmark = pytest.mark.usefixtures("module_world")


def test_evaluator_builds_an_instrument_with_sections_and_questions(world, client_for) -> None:
    client = client_for("evaluator")
    response = client.post(
        reverse("surveys:instruments"),
        {
            "program": world.program.pk,
            "title_he": "שאלון סיום",
            "title_en": "",
            "submission_token": str(uuid.uuid4()),
        },
    )
    instrument = Instrument.objects.get(title_he="שאלון סיום")
    assert response["Location"] == reverse("surveys:instrument", args=[instrument.pk])
    url = reverse("surveys:instrument", args=[instrument.pk])
    client.post(url, {"section-title_he": "ידע", "section-title_en": "Knowledge"})
    section = instrument.sections.get()
    response = client.post(
        url,
        {
            "question-code": "know1",
            "question-kind": "likert",
            "question-text_he": "רכשתי ידע",
            "question-required": "on",
            "question-domain": "",
            "question-section": section.pk,
        },
    )
    assert response.status_code == 302
    question = instrument.questions.get(code="know1")
    assert question.section == section and question.required
    assert [c.label_he for c in question.choices.all()][-1] == "מסכים/ה מאוד"
    response = client.post(
        url,
        {
            "question-code": "pick",
            "question-kind": "single",
            "question-text_he": "בחר",
            "question-choices": "רק אחת",
        },
    )
    assert response.status_code == 400
    assert "לפחות שתי אפשרויות" in response.content.decode()
    response = client.post(
        url, {"question-code": "know1", "question-kind": "text", "question-text_he": "שוב"}
    )
    assert response.status_code == 400
    assert "know1" in response.content.decode()
    assert instrument.questions.count() == 1


def test_free_text_cannot_have_an_outcome_domain(world) -> None:
    from movilim.core.errors import InvalidInput
    from movilim.surveys.models import OutcomeDomain

    services.domains_ensure_defaults()
    instrument = services.instrument_create(program=world.program, title_he="ש")
    try:
        services.question_save(
            instrument=instrument,
            code="t",
            kind="text",
            text_he="?",
            domain=OutcomeDomain.objects.first(),
        )
    except InvalidInput as error:
        assert "סגורות" in str(error.message)
    else:
        raise AssertionError("a free-text question was mapped to a domain")


def test_editing_after_responses_makes_a_new_version_and_old_answers_keep_their_question(
    world, client_for
) -> None:
    s = study(world)
    old_question = s.instrument.questions.get(code="q_know")
    result = services.invitation_submit(
        invitation=s.invitation, raw={"q_know": "5", "q_ties": "1", "q_parts": ["1"]}
    )
    assert result.created
    client = client_for("evaluator")
    response = client.post(
        reverse("surveys:question_edit", args=[old_question.pk]),
        {"code": "q_know", "kind": "likert", "text_he": "ניסוח חדש", "required": "on"},
    )
    new_version = Instrument.objects.get(previous=s.instrument)
    assert response["Location"] == reverse("surveys:instrument", args=[new_version.pk])
    assert new_version.version == 2
    assert new_version.questions.get(code="q_know").text_he == "ניסוח חדש"
    assert new_version.questions.count() == s.instrument.questions.count()
    old_question.refresh_from_db()
    assert old_question.text_he == "רכשתי ידע חדש"
    answer = Answer.objects.get(response__wave=s.wave, question__code="q_know")
    assert answer.question_id == old_question.pk
    # A second edit of the old version lands on the same new version, not a third one.
    client.post(reverse("surveys:question_edit", args=[old_question.pk]), {"delete": "1"})
    assert not new_version.questions.filter(code="q_know").exists()
    assert Instrument.objects.count() == 2
    assert Question.objects.filter(instrument=s.instrument, code="q_know").exists()
    assert Response.objects.count() == 1


def test_domains_are_seeded_and_editable(world, client_for) -> None:
    from movilim.surveys.models import OutcomeDomain

    services.domains_ensure_defaults()
    assert OutcomeDomain.objects.count() == 8
    client = client_for("evaluator")
    client.post(
        reverse("surveys:domains"),
        {"key": "ties", "name_he": "קשרים", "name_en": "Ties", "position": 5},
    )
    assert OutcomeDomain.objects.get(key="ties").name_en == "Ties"
    response = client.post(reverse("surveys:domains"), {"key": "bad key!", "name_he": ""})
    assert response.status_code == 400
