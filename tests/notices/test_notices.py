"""Notices: sent once whatever retries, e-mail choices respected, one-click unsubscribe, the
in-app list with its unread count, and the daily reminder pass."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from movilim.notices import services
from movilim.notices.models import Notice, NoticePreference
from movilim.notices.tasks import send_notice_email
from movilim.notices.unsubscribe import unsubscribe_token
from movilim.programs import reminders

from .. import factories

KIND = reminders.SESSION_UPCOMING


pytestmark = pytest.mark.usefixtures("module_world")


def _send(user, key: str = "k1", **kwargs):
    return services.notice_send(
        user=user, kind=KIND, title="מפגש מחר", body="בירושלים", dedup_key=key, **kwargs
    )


def test_a_notice_is_stored_and_mailed_once_however_often_it_is_sent(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(world.participant, link="/my/")
        again = _send(world.participant, link="/my/")
    assert first is not None and again is None
    assert Notice.objects.filter(user=world.participant).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "מפגש מחר"
    assert message.to == [world.participant.email]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert (
        reverse(
            "notices:unsubscribe", args=[unsubscribe_token(user_id=world.participant.pk, kind=KIND)]
        )
        in link
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body

    # The task run again (a retry, a second worker) mails nothing more.
    assert send_notice_email.call(notice_id=first.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_mail_is_released_for_a_later_try(world, monkeypatch) -> None:
    notice = Notice.objects.create(user=world.participant, kind=KIND, title="t", dedup_key="fail-1")

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert send_notice_email.call(notice_id=notice.pk) is False
    notice.refresh_from_db()
    assert notice.emailed_at is None and "mail server down" in notice.email_error
    monkeypatch.undo()
    assert send_notice_email.call(notice_id=notice.pk) is True
    assert len(mail.outbox) == 1


def test_the_choice_of_no_email_is_respected_and_the_notice_still_listed(
    world, client_for, django_capture_on_commit_callbacks
) -> None:
    client = client_for("participant")
    response = client.post(reverse("notices:preferences"), {})  # every box unticked
    assert response.status_code == 302
    assert NoticePreference.objects.get(user=world.participant, kind=KIND).email is False
    with django_capture_on_commit_callbacks(execute=True):
        _send(world.participant)
    assert mail.outbox == []
    assert "מפגש מחר" in client.get(reverse("notices:list")).content.decode()

    client.post(reverse("notices:preferences"), {KIND: "on"})
    with django_capture_on_commit_callbacks(execute=True):
        _send(world.participant, key="k2")
    assert len(mail.outbox) == 1


def test_one_click_unsubscribe_by_a_mail_program_and_by_the_page(world) -> None:
    token = unsubscribe_token(user_id=world.participant.pk, kind=KIND)
    url = reverse("notices:unsubscribe", args=[token])
    strict = Client(enforce_csrf_checks=True)

    page = strict.get(url)
    assert page.status_code == 200 and "מפגש קרוב" in page.content.decode()
    assert not NoticePreference.objects.exists()  # looking is not unsubscribing

    # The page's button without its CSRF token is refused; the mail program's request is not.
    assert strict.post(url, {}).status_code == 403
    assert not NoticePreference.objects.exists()
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NoticePreference.objects.get(user=world.participant, kind=KIND).email is False
    assert not services.wants_email(user=world.participant, kind=KIND)
    # Other kinds are untouched.
    assert services.wants_email(user=world.participant, kind=reminders.BEHIND_PACE)


def test_a_forged_unsubscribe_link_changes_nothing(world) -> None:
    token = unsubscribe_token(user_id=world.participant.pk, kind=KIND)
    for bad in (
        token[:-2] + "xx",
        "nonsense",
        unsubscribe_token(user_id=world.participant.pk, kind="nope"),
    ):
        response = Client().post(
            reverse("notices:unsubscribe", args=[bad]), {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 404
    assert not NoticePreference.objects.exists()


def test_the_list_counts_unread_in_the_menu_and_marks_read(world, client_for) -> None:
    first = _send(world.participant, key="a")
    _send(world.participant, key="b")
    others = _send(world.fellow_person.user, key="c")
    client = client_for("participant")
    html = client.get(reverse("home")).content.decode()
    assert 'rounded-pill text-bg-light num">2<' in html

    client.post(reverse("notices:mark_read"), {"notice": first.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    html = client.get(reverse("notices:list")).content.decode()
    assert 'rounded-pill text-bg-light num">1<' in html

    # Another user's notice is never touched, by id or by "all".
    client.post(reverse("notices:mark_read"), {"notice": others.pk})
    client.post(reverse("notices:mark_read"), {})
    others.refresh_from_db()
    assert others.read_at is None
    assert not Notice.objects.filter(user=world.participant, read_at__isnull=True).exists()
    assert "rounded-pill" not in client.get(reverse("notices:list")).content.decode()

    response = client.post(reverse("notices:mark_read"), {"notice": "x"}, follow=True)
    assert "ההודעה לא נמצאה" in response.content.decode()


def test_the_unread_count_costs_one_query_whatever_the_number(world, client_for) -> None:
    client = client_for("participant")
    url = reverse("notices:list")
    _send(world.participant, key="first")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(40):
        _send(world.participant, key=f"n{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_an_unknown_kind_is_a_programming_error(world) -> None:
    with pytest.raises(ValueError, match="Unknown notice kind"):
        services.notice_send(user=world.participant, kind="nope", title="x", dedup_key="x")


# --- the daily pass -----------------------------------------------------------------------------


def test_the_daily_pass_reminds_each_once(world, django_capture_on_commit_callbacks) -> None:
    today = dt.date(2026, 2, 3)  # the world's session (1 February) has no attendance
    coming = factories.SessionFactory(
        cohort=world.cohort,
        title="סדנת נתונים",
        starts_on=dt.date(2026, 2, 4),
        starts_at=dt.time(9),
        location="תל אביב",
    )
    factories.SessionFactory(
        cohort=world.cohort, starts_on=dt.date(2026, 2, 4), cancelled_at=dt.datetime.now(dt.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", today.isoformat(), stdout=io.StringIO())
    coordinator = Notice.objects.get(user=world.coordinator)
    assert coordinator.kind == reminders.ATTENDANCE_OVERDUE
    assert coordinator.link == reverse("programs:attendance", args=[world.session.pk])
    assert not Notice.objects.filter(user=world.manager).exists()  # coordinators only

    upcoming = Notice.objects.filter(kind=reminders.SESSION_UPCOMING)
    assert {n.user for n in upcoming} == {world.participant, world.fellow_person.user}
    assert all("סדנת נתונים" in n.title for n in upcoming)  # not the cancelled one
    mails = {m.to[0]: m for m in mail.outbox if "סדנת נתונים" in m.subject}
    attached = mails[world.participant.email].attachments[0]
    event = Calendar.from_ical(attached[1]).walk("VEVENT")[0]
    assert str(event["uid"]) == f"session-{coming.pk}@movilim"
    assert str(event["location"]) == "תל אביב"

    # Nobody is behind for a session whose attendance is not recorded yet.
    assert not Notice.objects.filter(kind=reminders.BEHIND_PACE, user=world.participant).exists()

    sent = len(mail.outbox)
    count = Notice.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        output = io.StringIO()
        call_command("send_reminders", "--date", today.isoformat(), stdout=output)
    assert Notice.objects.count() == count and len(mail.outbox) == sent
    assert "0 notice(s)" in output.getvalue()


def test_members_on_pace_get_no_warning(world) -> None:
    for person in (world.participant_person, world.fellow_person):
        factories.AttendanceFactory(session=world.session, person=person)
    for person in (world.outsider_person, world.other_fellow_person):
        factories.AttendanceFactory(session=world.other_session, person=person)
    assert reminders.behind_pace(dt.date(2026, 2, 3)) == 0
    factories.AttendanceFactory(
        session=factories.SessionFactory(
            cohort=world.cohort, starts_on=dt.date(2026, 2, 2), hours=Decimal(8)
        ),
        person=world.participant_person,
    )
    # Sixteen hours held; the fellow has eight of them.
    assert reminders.behind_pace(dt.date(2026, 2, 3)) == 1
    assert Notice.objects.get(kind=reminders.BEHIND_PACE).user == world.fellow_person.user


def test_the_command_refuses_a_bad_date(world) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "tomorrow", stdout=io.StringIO())


def test_sending_in_bulk_skips_known_keys_respects_choices_and_counts_no_queries_per_user(
    world, django_capture_on_commit_callbacks
) -> None:
    people = [factories.PersonFactory() for _ in range(6)]
    services.preference_set(user=people[0].user, kind=KIND, email=False)

    def batch(users):
        return [
            services.NewNotice(user_id=u.pk, kind=KIND, title="מפגש מחר", dedup_key=f"bulk:{u.pk}")
            for u in users
        ]

    with CaptureQueriesContext(connection) as two:
        services.notices_send_many(batch([people[4].user, people[5].user]))
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as four,
    ):
        assert services.notices_send_many(batch([p.user for p in people[:4]])) == 4
    assert len(four) == len(two)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in people[1:4])

    with django_capture_on_commit_callbacks(execute=True):
        assert services.notices_send_many(batch([p.user for p in people])) == 0
    assert Notice.objects.filter(dedup_key__startswith="bulk:").count() == 6
    assert len(mail.outbox) == 3
    with pytest.raises(ValueError, match="Unknown notice kind"):
        services.notices_send_many([services.NewNotice(world.participant.pk, "nope", "x", "y")])
