"""Imported people get a single-use, expiring link to choose their first password."""

from __future__ import annotations

import datetime
import re
import smtplib

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from movilim.core.invitations import (
    HAS_PASSWORD,
    NOT_INVITED,
    InvitationState,
    InvitationTokenGenerator,
    invitation_path,
    invitation_states,
    invite_users,
)
from movilim.core.models import AccountEvent, Invitation, User
from movilim.people.services import person_upsert

from .. import factories
from ..conftest import World

NEW_PASSWORD = "my-own-long-passphrase-7"


pytestmark = pytest.mark.usefixtures("module_world")


@pytest.fixture
def imported(world: World):
    """A participant created by an import: enrolled, with no usable password."""
    person, _ = person_upsert(email="Noa@Example.org", first_name="נועה", last_name="לוי")
    factories.EnrollmentFactory(cohort=world.cohort, person=person)
    assert not person.user.has_usable_password()
    return person


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_reset_by_mail_leaves_an_imported_person_without_a_way_in(imported) -> None:
    Client().post(reverse("password_reset"), {"email": imported.user.email})
    assert mail.outbox == []  # Django skips unusable passwords: hence invitations


def test_an_invitation_lets_an_imported_person_choose_a_password_once(
    imported, world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_users(user_ids=[imported.user_id], by=world.coordinator) == 1
    assert [m.to for m in mail.outbox] == [["noa@example.org"]]
    body = mail.outbox[0].body
    # Hebrew first, then the same in English.
    assert body.startswith("שלום נועה,") and "\nHello נועה,\n" in body
    assert "You will sign in with the address noa@example.org." in body
    assert mail.outbox[0].subject == "הזמנה למובילים / Your invitation to Movilim"
    invitation = Invitation.objects.get(user=imported.user)
    assert (invitation.state, invitation.send_count, invitation.invited_by) == (
        Invitation.State.SENT,
        1,
        world.coordinator,
    )
    assert invitation.sent_at is not None

    client = Client()
    page = client.get(_link(mail.outbox[0]), follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    assert "set-password" in page.redirect_chain[-1][0]  # the token left the address bar
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(imported.user_id)
    imported.user.refresh_from_db()
    assert imported.user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED and invitation.accepted_at
    assert AccountEvent.objects.filter(
        kind=AccountEvent.Kind.INVITATION_ACCEPTED, user=imported.user
    ).exists()

    # Single use: the same link no longer offers the form, even to someone else.
    again = Client().get(_link(mail.outbox[0]), follow=True)
    assert again.status_code == 200 and not again.context["validlink"]
    assert "new_password1" not in again.content.decode()


def test_the_link_expires(imported, monkeypatch, settings) -> None:
    settings.INVITATION_TIMEOUT = 7 * 24 * 60 * 60
    path = invitation_path(imported.user)
    now = datetime.datetime.now()
    monkeypatch.setattr(
        InvitationTokenGenerator, "_now", lambda self: now + datetime.timedelta(days=6)
    )
    assert Client().get(path, follow=True).context["validlink"]
    monkeypatch.setattr(
        InvitationTokenGenerator, "_now", lambda self: now + datetime.timedelta(days=8)
    )
    assert not Client().get(path, follow=True).context["validlink"]


def test_reset_and_invitation_links_are_not_interchangeable(imported) -> None:
    user = imported.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset_token = default_token_generator.make_token(user)
    page = Client().get(reverse("invitation_accept", args=[uid, reset_token]), follow=True)
    assert not page.context["validlink"]
    invitation_token = invitation_path(user).rstrip("/").rsplit("/", 1)[-1]
    page = Client().get(
        reverse("password_reset_confirm", args=[uid, invitation_token]), follow=True
    )
    assert not page.context["validlink"]


def test_only_people_without_a_password_are_invited(
    imported, world: World, django_capture_on_commit_callbacks
) -> None:
    staff = factories.UserFactory(is_staff=True)
    staff.set_unusable_password()
    staff.save()
    inactive = factories.UserFactory(is_active=False)
    inactive.set_unusable_password()
    inactive.save()
    ids = [imported.user_id, world.participant.pk, staff.pk, inactive.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_users(user_ids=ids, by=None) == 1
    assert list(Invitation.objects.values_list("user_id", flat=True)) == [imported.user_id]
    assert [m.to for m in mail.outbox] == [[imported.user.email]]


def test_nothing_is_mailed_when_the_inviting_transaction_rolls_back(
    imported, django_capture_on_commit_callbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invite_users(user_ids=[imported.user_id], by=None)
        raise RuntimeError("the import failed")
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_a_failed_mail_is_recorded_and_can_be_sent_again(
    imported, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({"noa@example.org": (550, b"no such user")})

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            invite_users(user_ids=[imported.user_id], by=None)
    invitation = Invitation.objects.get()
    assert invitation.state == Invitation.State.FAILED and invitation.send_count == 0
    assert "SMTPRecipientsRefused" in invitation.last_error
    assert invitation_states([imported.user_id])[imported.user_id].can_invite

    with django_capture_on_commit_callbacks(execute=True):
        assert invite_users(user_ids=[imported.user_id], by=None) == 1
    invitation.refresh_from_db()
    assert (invitation.state, invitation.send_count, invitation.last_error) == ("sent", 1, "")
    assert len(mail.outbox) == 1


# --- staff send again; the roster shows where each invitation stands ------------------------


def _invite(client: Client, person_id: int, **data: str):
    return client.post(reverse("programs:person_invite", args=[person_id]), data)


def test_a_coordinator_sends_an_invitation_from_the_cohort_page(
    imported, world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    coordinator = client_for("coordinator")
    cohort_url = reverse("programs:cohort", args=[world.cohort.pk])
    page = coordinator.get(cohort_url).content.decode()
    invite_url = reverse("programs:person_invite", args=[imported.pk])
    assert invite_url in page and "לא נשלחה הזמנה" in page
    # People with a password of their own get no button.
    assert reverse("programs:person_invite", args=[world.participant_person.pk]) not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(coordinator, imported.pk, next=cohort_url)
    assert response.status_code == 302 and response["Location"] == cohort_url
    assert [m.to for m in mail.outbox] == [[imported.user.email]]
    page = coordinator.get(cohort_url).content.decode()
    sent_on = timezone.localdate().strftime("%d/%m/%Y")
    assert f"ההזמנה נשלחה ב-{sent_on}" in page, sent_on


def test_participants_do_not_see_invitations(imported, world: World, client_for) -> None:
    page = client_for("participant").get(reverse("programs:cohort", args=[world.cohort.pk]))
    assert reverse("programs:person_invite", args=[imported.pk]) not in page.content.decode()


def test_who_may_send_an_invitation(
    imported, world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client_for("evaluator"), imported.pk).status_code == 404
        assert _invite(client_for("outsider"), imported.pk).status_code == 404
        assert _invite(client_for("participant"), imported.pk).status_code == 404
        other = factories.UserFactory(email="coord2@example.org")
        factories.ProgramRoleFactory(user=other, program=world.other_program, role="coordinator")
        stranger = Client()
        stranger.force_login(other)
        assert _invite(stranger, imported.pk).status_code == 404
    assert mail.outbox == [] and not Invitation.objects.exists()
    assert (
        client_for("coordinator")
        .get(reverse("programs:person_invite", args=[imported.pk]))
        .status_code
        == 405
    )


def test_no_invitation_for_oneself_or_for_a_staff_account(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    staff_person = factories.PersonFactory(user__is_staff=True)
    factories.EnrollmentFactory(cohort=world.cohort, person=staff_person)
    User.objects.filter(pk=staff_person.user_id).update(password="!")
    User.objects.filter(pk=world.participant.pk).update(password="!")
    participant = Client()
    participant.force_login(User.objects.get(pk=world.participant.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client_for("admin"), staff_person.pk).status_code == 404
        assert _invite(participant, world.participant_person.pk).status_code == 404
    assert mail.outbox == []


def test_invitation_states_are_read_in_one_query(
    imported, world: World, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    waiting = factories.PersonFactory().user
    User.objects.filter(pk=waiting.pk).update(password="!")
    with django_capture_on_commit_callbacks(execute=True):
        invite_users(user_ids=[imported.user_id], by=None)
    Invitation.objects.create(user=waiting)  # queued, worker not run yet
    ids = [imported.user_id, waiting.pk, world.participant.pk, world.fellow_person.user_id]
    with django_assert_num_queries(1):
        states = invitation_states(ids)
    assert {pk: s.state for pk, s in states.items()} == {
        imported.user_id: "sent",
        waiting.pk: "queued",
        world.participant.pk: HAS_PASSWORD,
        world.fellow_person.user_id: HAS_PASSWORD,
    }
    assert states[imported.user_id].at is not None
    never = factories.UserFactory()
    User.objects.filter(pk=never.pk).update(password="!")
    assert invitation_states([never.pk])[never.pk] == InvitationState(NOT_INVITED, can_invite=True)


def test_a_long_list_is_one_queued_task_that_works_through_it_in_runs(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:
    """Inviting many people queues one task (a fixed cost for an import of any size); each run
    mails one batch and queues the rest, until everyone has had their mail."""
    from django_tasks_db.models import DBTaskResult

    from movilim.core.invitations import TASK_BATCH
    from movilim.core.tasks import send_invitations

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    people = [
        person_upsert(email=f"many{i}@example.org", first_name="רב", last_name=str(i))[0]
        for i in range(TASK_BATCH + 20)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        invite_users(user_ids=[p.user_id for p in people], by=world.coordinator)
    assert DBTaskResult.objects.count() == 1 and mail.outbox == []
    first = DBTaskResult.objects.get()
    assert send_invitations.call(**first.args_kwargs["kwargs"]) == TASK_BATCH
    follow_up = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert send_invitations.call(**follow_up.args_kwargs["kwargs"]) == 20
    assert len(mail.outbox) == TASK_BATCH + 20
    assert DBTaskResult.objects.count() == 2


def test_sending_again_refuses_the_earlier_link_and_the_new_one_works(
    imported, world: World, client_for, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """The roster's "Send again": only the latest mail's link lets the person in; the earlier
    one is refused with a sentence saying why."""
    coordinator = client_for("coordinator")
    a_while_ago = datetime.datetime.now() - datetime.timedelta(minutes=5)
    with monkeypatch.context() as patch:
        # The first mail went out a few minutes before the second.
        patch.setattr(InvitationTokenGenerator, "_now", lambda self: a_while_ago)
        with django_capture_on_commit_callbacks(execute=True):
            _invite(coordinator, imported.pk)
    earlier = _link(mail.outbox[0])
    assert Client().get(earlier, follow=True).context["validlink"]

    with django_capture_on_commit_callbacks(execute=True):
        _invite(coordinator, imported.pk)
    assert len(mail.outbox) == 2
    latest = _link(mail.outbox[1])
    assert latest != earlier

    refused = Client().get(earlier, follow=True)
    assert refused.status_code == 200 and not refused.context["validlink"]
    assert refused.context["superseded"]
    with translation.override("he"):
        sentence = gettext(
            "This link is from an earlier invitation: a newer one was sent to you since, and "
            "only the link in the latest invitation mail works. Open that mail and use its link."
        )
    assert sentence in refused.content.decode()
    assert "new_password1" not in refused.content.decode()

    client = Client()
    page = client.get(latest, follow=True)
    assert page.context["validlink"]
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(imported.user_id)
    # Once the password is chosen, the earlier link is refused as any used one.
    after = Client().get(earlier, follow=True)
    assert not after.context["validlink"] and not after.context["superseded"]
