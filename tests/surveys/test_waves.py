"""Waves, invitations by e-mail, the respondent form and one response per invitation."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from movilim.surveys import services
from movilim.surveys.models import Answer, InvitationStatus, Response, Wave, WaveInvitation

from .. import factories
from .helpers import study

pytestmark = pytest.mark.usefixtures("module_world")


def test_wave_form_rejects_bad_dates_and_a_follow_up_without_months(world, client_for) -> None:
    s = study(world)
    response = client_for("evaluator").post(
        reverse("surveys:wave_create", args=[s.instrument.pk]),
        {
            "name_he": "מעקב",
            "time_point": "follow_up",
            "months_after": "",
            "opens_on": "2026-05-10",
            "closes_on": "2026-05-01",
            "mode": "anonymous",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "גל מעקב צריך את מספר החודשים" in page
    assert "תאריך הסגירה אינו יכול להיות לפני" in page
    assert Wave.objects.count() == 1


def test_invitations_are_mailed_by_a_task_and_the_link_works_once(
    world, client_for, django_capture_on_commit_callbacks
) -> None:
    s = study(world, mode="anonymous")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("evaluator").post(
            reverse("surveys:wave_invite", args=[s.wave.pk]), {"action": "invite"}
        )
    assert response.status_code == 302
    fellow = WaveInvitation.objects.get(wave=s.wave, person=world.fellow_person)
    assert fellow.status == InvitationStatus.SENT and fellow.sent_at is not None
    # The participant was invited before: only the newly invited fellow gets a mail.
    assert [m.to for m in mail.outbox] == [["fellow@example.org"]]
    message = mail.outbox[0]
    link = services.invitation_token(fellow)
    assert link in message.body and "אנונימי" in message.body
    assert fellow.nonce not in message.body

    anonymous = client_for("anonymous")
    url = reverse("surveys:answer_token", args=[link])
    page = anonymous.get(url)
    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode()
    fellow.refresh_from_db()
    assert fellow.status == InvitationStatus.OPENED
    assert anonymous.get(reverse("surveys:answer_token", args=[link[:-1] + "x"])).status_code == 404

    # Progress is kept, then a missing required answer is named, then the response is stored.
    anonymous.post(url, {"q_know": "4", "save": "1"})
    fellow.refresh_from_db()
    assert fellow.status == InvitationStatus.STARTED and fellow.draft == {"q_know": 4}
    assert 'value="4" checked' in anonymous.get(url).content.decode()
    missing = anonymous.post(url, {"q_know": "4", "submit": "1"})
    assert missing.status_code == 400
    assert "יצרתי קשרים חדשים" in missing.content.decode()
    assert "חסרה תשובת חובה" in missing.content.decode()
    assert not Response.objects.exists()
    done = anonymous.post(url, {"q_know": "4", "q_ties": "1", "q_parts": ["1", "2"], "submit": "1"})
    assert "התשובות שלך התקבלו" in done.content.decode()
    again = anonymous.post(url, {"q_know": "1", "q_ties": "0", "submit": "1"})
    assert "כבר ענו" in again.content.decode()
    response = Response.objects.get()
    # Anonymous: nothing stored links the person to the answers.
    assert response.invitation_id is None and response.person_id is None
    fellow.refresh_from_db()
    assert fellow.status == InvitationStatus.SUBMITTED and fellow.draft == {}
    assert fellow.submitted_at == response.submitted_at  # the day only, on both
    assert fellow.submitted_at.hour == fellow.submitted_at.minute == 0
    assert sorted(
        Answer.objects.filter(question__code="q_parts").values_list("number", flat=True)
    ) == [1, 2]
    assert response.org_kind == world.fellow_person.organization.kind


def test_double_submission_stores_one_confidential_response(world) -> None:
    s = study(world)
    stale = WaveInvitation.objects.get(pk=s.invitation.pk)  # a second tab's copy
    first = services.invitation_submit(invitation=s.invitation, raw={"q_know": "5", "q_ties": "1"})
    second = services.invitation_submit(invitation=stale, raw={"q_know": "2", "q_ties": "0"})
    assert first.created and not second.created
    response = Response.objects.get()
    assert response.person == world.participant_person and response.invitation == s.invitation
    assert Answer.objects.get(question__code="q_know").number == 5


def test_one_response_per_invitation_is_a_database_rule(world) -> None:
    import pytest
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    s = study(world)
    Response.objects.create(
        wave=s.wave, invitation=s.invitation, submitted_at=timezone.now(), source="form"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            wave=s.wave, invitation=s.invitation, submitted_at=timezone.now(), source="form"
        )


def test_participant_answers_only_their_own_invitation_and_sees_it_waiting(
    world, client_for
) -> None:
    s = study(world)
    client = client_for("participant")
    home = client.get(reverse("home")).content.decode()
    assert "שאלונים שממתינים לך" in home
    assert reverse("surveys:answer", args=[s.invitation.pk]) in home
    fellow = WaveInvitation.objects.create(wave=s.wave, person=world.fellow_person, nonce="x")
    assert client.get(reverse("surveys:answer", args=[fellow.pk])).status_code == 404
    assert (
        client.post(reverse("surveys:answer", args=[s.invitation.pk]), {"q_know": "7"}).status_code
        == 400
    )
    assert not Response.objects.exists()


def test_a_failed_mail_marks_the_invitation_failed(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "tests.surveys.test_waves.FailingBackend"
    s = study(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_invite(wave=s.wave)
    fellow = WaveInvitation.objects.get(wave=s.wave, person=world.fellow_person)
    assert fellow.status == InvitationStatus.FAILED and "refused" in fellow.last_error


class FailingBackend:
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        pass

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("refused")


def test_response_rate_live_and_by_subgroup(world, client_for) -> None:
    s = study(world)
    services.wave_invite(wave=s.wave)
    services.invitation_submit(invitation=s.invitation, raw={"q_know": "5", "q_ties": "1"})
    page = client_for("evaluator").get(reverse("surveys:wave", args=[s.wave.pk])).content.decode()
    assert "1 מתוך 2 שהוזמנו" in page and "(50%)" in page
    # Staff see the rate; the per-person list is for evaluators only.
    staff_page = (
        client_for("manager").get(reverse("surveys:wave", args=[s.wave.pk])).content.decode()
    )
    assert "1 מתוך 2 שהוזמנו" in staff_page
    assert world.fellow_person.user.get_full_name() not in staff_page
    # Groups of fewer than 5 are hidden from staff.
    assert "—" in staff_page


def test_alumni_wave_invites_every_member_of_the_program(world) -> None:
    other_cohort = factories.CohortFactory(program=world.program)
    graduate = factories.PersonFactory()
    factories.EnrollmentFactory(cohort=other_cohort, person=graduate, status="graduated")
    s = study(world)
    wave = services.wave_create(
        instrument=s.instrument,
        cohort=None,
        name_he="בוגרים",
        time_point="follow_up",
        months_after=12,
        opens_on=s.wave.opens_on,
        closes_on=s.wave.closes_on,
        mode="anonymous",
    )
    services.wave_invite(wave=wave)
    invited = set(wave.invitations.values_list("person_id", flat=True))
    assert invited == {world.participant_person.pk, world.fellow_person.pk, graduate.pk}


def test_reminders_go_to_those_who_have_not_submitted(
    world, client_for, django_capture_on_commit_callbacks
) -> None:
    s = study(world)
    services.wave_invite(wave=s.wave)
    services.invitation_submit(invitation=s.invitation, raw={"q_know": "5", "q_ties": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        client_for("evaluator").post(
            reverse("surveys:wave_invite", args=[s.wave.pk]), {"action": "remind"}
        )
    assert [m.to for m in mail.outbox] == [["fellow@example.org"]]
    assert mail.outbox[0].subject.startswith("תזכורת")
    fellow = WaveInvitation.objects.get(wave=s.wave, person=world.fellow_person)
    assert fellow.reminded_at is not None and fellow.send_count == 1
    s.invitation.refresh_from_db()
    assert s.invitation.reminded_at is None


def test_a_closed_wave_takes_no_answers(world, client_for) -> None:
    import datetime

    s = study(world)
    Wave.objects.filter(pk=s.wave.pk).update(
        closes_on=s.wave.opens_on, opens_on=s.wave.opens_on - datetime.timedelta(days=9)
    )
    client = client_for("anonymous")
    url = reverse("surveys:answer_token", args=[s.token])
    response = client.post(url, {"q_know": "5", "q_ties": "1", "submit": "1"})
    assert response.status_code == 410
    assert "השאלון פתוח מ-" in response.content.decode()
    assert not Response.objects.exists()


def test_a_signed_in_answer_to_an_anonymous_wave_leaves_no_trace_of_who(world, client_for) -> None:
    from auditlog.models import LogEntry

    s = study(world, mode="anonymous")
    before = LogEntry.objects.count()
    client = client_for("participant")
    url = reverse("surveys:answer", args=[s.invitation.pk])
    client.post(url, {"q_know": "2", "save": "1"})
    client.post(url, {"q_know": "2", "q_ties": "0", "submit": "1"})
    response = Response.objects.get()
    assert response.person_id is None and response.invitation_id is None
    assert LogEntry.objects.count() == before
    assert not LogEntry.objects.filter(actor=world.participant).exists()
