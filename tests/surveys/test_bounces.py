"""Invitation mails that fail when sent or bounce later, after the invitation was opened,
started, reminded or even submitted."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from movilim.surveys import bounces, services
from movilim.surveys.models import InvitationStatus, WaveInvitation
from movilim.surveys.tasks import send_wave_invitations

from .helpers import study

pytestmark = pytest.mark.usefixtures("module_world")


def _dsn(message_id: str, *, action: str = "failed") -> bytes:
    """A delivery-status notification (RFC 3464) as Postfix writes one."""
    return (
        "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\r\n"
        "To: movilim@localhost\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.example.org\r\n\r\n"
        "Final-Recipient: rfc822; someone@example.org\r\n"
        f"Action: {action}\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 Recipient address rejected\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\nSubject: questionnaire\r\n\r\n"
        "--B--\r\n"
    ).encode()


def _sent(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    s = study(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_invite(wave=s.wave)  # the fellow; the participant's invitation exists
    send_wave_invitations.enqueue(invitation_ids=[s.invitation.pk])
    fellow = WaveInvitation.objects.get(wave=s.wave, person=world.fellow_person)
    sent_to = {m.to[0]: m.extra_headers["Message-ID"] for m in mail.outbox}
    return s, fellow, sent_to


def test_invitation_mails_name_their_invitation_in_the_message_id(
    world, django_capture_on_commit_callbacks
) -> None:
    s, fellow, sent_to = _sent(world, django_capture_on_commit_callbacks)
    bounce = bounces.read_bounce(_dsn(sent_to["fellow@example.org"]))
    assert bounce is not None and bounce.invitation_id == fellow.pk
    assert "5.1.1" in bounce.reason and "Recipient address rejected" in bounce.reason
    # Every mail has its own id; a forged signature, a delay notice or an answer quoting the
    # mail are not bounces.
    assert sent_to["fellow@example.org"] != sent_to["participant@example.org"]
    forged = sent_to["fellow@example.org"].replace(f".{fellow.pk}.", f".{s.invitation.pk}.")
    assert bounces.read_bounce(_dsn(forged)) is None
    assert bounces.read_bounce(_dsn(sent_to["fellow@example.org"], action="delayed")) is None
    reply = (
        f"From: fellow@example.org\r\nIn-Reply-To: {sent_to['fellow@example.org']}\r\n"
        "Subject: Out of office\r\n\r\nI am away.\r\n"
    ).encode()
    assert bounces.read_bounce(reply) is None


def test_late_bounces_update_the_status_without_undoing_progress(
    world, client_for, tmp_path, django_capture_on_commit_callbacks
) -> None:
    s, fellow, sent_to = _sent(world, django_capture_on_commit_callbacks)
    participant = s.invitation
    # The fellow was reminded, then the first mail bounces: failed, with the server's reason.
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_remind(wave=s.wave)
    out = io.StringIO()
    path = tmp_path / "bounce.eml"
    path.write_bytes(_dsn(sent_to["fellow@example.org"]))
    call_command("survey_bounces", str(path), stdout=out)
    fellow.refresh_from_db()
    assert fellow.status == InvitationStatus.FAILED and "5.1.1" in fellow.last_error
    assert fellow.reminded_at is not None and "is now failed" in out.getvalue()
    # The participant opened and started the form: a bounce keeps that, with the reason shown.
    client = client_for("participant")
    client.get(reverse("surveys:answer", args=[participant.pk]))
    client.post(reverse("surveys:answer", args=[participant.pk]), {"q_know": "4", "save": "1"})
    _bounce, status = bounces.record_bounce(_dsn(sent_to["participant@example.org"]))
    participant.refresh_from_db()
    assert (status, participant.status) == ("started", InvitationStatus.STARTED)
    assert "5.1.1" in participant.last_error
    page = client_for("evaluator").get(reverse("surveys:wave", args=[s.wave.pk])).content
    assert "Recipient address rejected" in page.decode()
    # Submitted, then a bounce: nothing changes.
    services.invitation_submit(invitation=participant, raw={"q_know": "4", "q_ties": "1"})
    participant.refresh_from_db()
    before = (participant.status, participant.last_error, participant.submitted_at)
    assert bounces.record_bounce(_dsn(sent_to["participant@example.org"]))[1] is None
    participant.refresh_from_db()
    assert (participant.status, participant.last_error, participant.submitted_at) == before
    assert before[0] == InvitationStatus.SUBMITTED


def test_a_reminder_refused_when_sent_keeps_an_opened_invitation_opened(
    world, client_for, settings, django_capture_on_commit_callbacks
) -> None:
    s = study(world)
    client_for("participant").get(reverse("surveys:answer", args=[s.invitation.pk]))
    settings.EMAIL_BACKEND = "tests.surveys.test_waves.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_remind(wave=s.wave)
    s.invitation.refresh_from_db()
    assert s.invitation.status == InvitationStatus.OPENED
    assert "refused" in s.invitation.last_error


def test_a_failure_never_touches_a_submitted_invitation(world) -> None:
    s = study(world)
    services.invitation_submit(invitation=s.invitation, raw={"q_know": "4", "q_ties": "1"})
    # The mail task read the invitation before the submission and its mail failed after it.
    assert services.invitation_mail_failed(invitation_id=s.invitation.pk, error="boom") is None
    s.invitation.refresh_from_db()
    assert (s.invitation.status, s.invitation.last_error) == ("submitted", "")
