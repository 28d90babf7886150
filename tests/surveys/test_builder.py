"""The instrument builder: questions moved within and across sections, sections renamed and
deleted, each edit landing on a new version once the form has responses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from movilim.surveys import services
from movilim.surveys.models import Answer, Instrument, Section

from .helpers import build_instrument, study

pytestmark = pytest.mark.usefixtures("module_world")


def _order(instrument: Instrument) -> list[tuple[str, str | None]]:
    return [
        (q.code, q.section.title_he if q.section else None)
        for q in instrument.questions.select_related("section")
    ]


def test_questions_move_up_and_down_within_their_section(world, client_for) -> None:
    instrument = build_instrument(world.program)
    client = client_for("evaluator")
    know = instrument.questions.get(code="q_know")
    ties = instrument.questions.get(code="q_ties")
    move = reverse("surveys:question_move", args=[ties.pk])
    response = client.post(move, {"direction": "up", "section": ties.section_id})
    assert response["Location"] == reverse("surveys:instrument", args=[instrument.pk])
    assert [c for c, _s in _order(instrument)] == ["q_ties", "q_know", "q_parts", "q_text"]
    # The first of its section stays first; the last stays last.
    client.post(move, {"direction": "up"})
    assert [c for c, _s in _order(instrument)][:2] == ["q_ties", "q_know"]
    client.post(reverse("surveys:question_move", args=[know.pk]), {"direction": "down"})
    assert [c for c, _s in _order(instrument)][:2] == ["q_ties", "q_know"]
    # Questions outside any section move among themselves.
    parts = instrument.questions.get(code="q_parts")
    client.post(reverse("surveys:question_move", args=[parts.pk]), {"direction": "down"})
    assert [c for c, _s in _order(instrument)] == ["q_ties", "q_know", "q_text", "q_parts"]
    bad = client.post(move, {"direction": "sideways"})
    assert bad.status_code == 400 and "למעלה או למטה" in bad.content.decode()


def test_a_question_moves_to_another_section_and_sections_are_renamed_and_deleted(
    world, client_for
) -> None:
    instrument = build_instrument(world.program)
    client = client_for("evaluator")
    page = reverse("surveys:instrument", args=[instrument.pk])
    client.post(page, {"section-title_he": "חלק ב'", "section-title_en": ""})
    second = instrument.sections.get(title_he="חלק ב'")
    # The empty section is on the builder, ready to receive questions.
    assert "עדיין אין שאלות בחלק זה" in client.get(page).content.decode()
    text = instrument.questions.get(code="q_text")
    client.post(reverse("surveys:question_move", args=[text.pk]), {"section": second.pk})
    know = instrument.questions.get(code="q_know")
    client.post(reverse("surveys:question_move", args=[know.pk]), {"section": second.pk})
    assert _order(instrument) == [
        ("q_ties", "חלק א'"),
        ("q_parts", None),
        ("q_text", "חלק ב'"),
        ("q_know", "חלק ב'"),
    ]
    # Out of every section: to the end of the form.
    client.post(reverse("surveys:question_move", args=[know.pk]), {"section": ""})
    assert _order(instrument)[-1] == ("q_know", None)
    # A section of another form is refused.
    other = services.section_add(
        instrument=services.instrument_create(program=world.program, title_he="אחר"),
        title_he="זר",
    )
    refused = client.post(reverse("surveys:question_move", args=[know.pk]), {"section": other.pk})
    assert refused.status_code == 400
    assert instrument.questions.get(code="q_know").section is None

    edit = reverse("surveys:section_edit", args=[second.pk])
    client.post(edit, {"title_he": "השפעה", "title_en": "Impact"})
    second.refresh_from_db()
    assert (second.title_he, second.title_en) == ("השפעה", "Impact")
    # Not while it holds a question: the message says what to do.
    refused = client.post(edit, {"delete": "1"})
    assert refused.status_code == 400
    assert "יש להעביר אותה לחלק אחר או למחוק אותה" in refused.content.decode()
    assert Section.objects.filter(pk=second.pk).exists()
    client.post(reverse("surveys:question_move", args=[text.pk]), {"section": ""})
    response = client.post(edit, {"delete": "1"})
    assert response.status_code == 302 and not Section.objects.filter(pk=second.pk).exists()


def test_builder_edits_after_responses_go_to_a_new_version(world, client_for) -> None:
    s = study(world)
    spare = services.section_add(instrument=s.instrument, title_he="חלק ב'")
    assert services.invitation_submit(
        invitation=s.invitation, raw={"q_know": "5", "q_ties": "1"}
    ).created
    client = client_for("evaluator")
    old_order = _order(s.instrument)
    ties = s.instrument.questions.get(code="q_ties")
    response = client.post(reverse("surveys:question_move", args=[ties.pk]), {"direction": "up"})
    version2 = Instrument.objects.get(previous=s.instrument)
    assert response["Location"] == reverse("surveys:instrument", args=[version2.pk])
    assert [c for c, _s in _order(version2)][:2] == ["q_ties", "q_know"]
    assert _order(s.instrument) == old_order
    first = s.instrument.sections.get(position=0)
    client.post(
        reverse("surveys:section_edit", args=[first.pk]), {"title_he": "חדש", "title_en": ""}
    )
    first.refresh_from_db()
    assert first.title_he == "חלק א'"
    assert version2.sections.get(position=0).title_he == "חדש"
    # Moves of the old version's questions keep landing on the same new version.
    text = s.instrument.questions.get(code="q_text")
    client.post(reverse("surveys:question_move", args=[text.pk]), {"section": first.pk})
    assert Instrument.objects.count() == 2
    assert version2.questions.get(code="q_text").section == version2.sections.get(position=0)
    # The spare section deleted from the old version's page goes from the new version only;
    # the old page's later edits of it are refused, and a new section does not take its place.
    response = client.post(reverse("surveys:section_edit", args=[spare.pk]), {"delete": "1"})
    assert response["Location"] == reverse("surveys:instrument", args=[version2.pk])
    assert s.instrument.sections.filter(pk=spare.pk).exists()
    assert list(version2.sections.values_list("position", flat=True)) == [0]
    refused = client.post(
        reverse("surveys:section_edit", args=[spare.pk]), {"title_he": "שוב", "title_en": ""}
    )
    assert refused.status_code == 400 and "כבר אינו בגרסה החדשה" in refused.content.decode()
    added = services.section_add(instrument=s.instrument, title_he="חלק ג'")
    assert (added.instrument_id, added.position) == (version2.pk, 2)
    # Old answers keep their questions.
    for answer in Answer.objects.select_related("question"):
        assert answer.question.instrument_id == s.instrument.pk


def test_builder_page_runs_the_same_queries_whatever_the_form_size(world, client_for) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = build_instrument(world.program, title="קטן")
    large = build_instrument(world.program, title="גדול")
    extra = services.section_add(instrument=large, title_he="חלק נוסף")
    for index in range(30):
        services.question_save(
            instrument=large,
            code=f"extra_{index}",
            kind="single",
            text_he=f"שאלה {index}",
            section=extra,
            choices=[services.ChoiceSpec("א"), services.ChoiceSpec("ב")],
        )
    services.section_add(instrument=large, title_he="ריק")
    client = client_for("evaluator")
    counts = []
    for instrument in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("surveys:instrument", args=[instrument.pk])).status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]
