"""The digest: prepared and sent by staff, or on schedule by the daily pass; sent as a notice of
its own kind, so that its e-mail carries the notices' one-click unsubscribe and each member
chooses it with their other e-mails."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from movilim.community import services
from movilim.community.models import DIGEST_NOTICE_KIND, Digest, KnowledgeItem
from movilim.community.queries import digest_content, digest_text
from movilim.notices.models import Notice
from movilim.notices.services import preference_set, wants_email
from movilim.programs.reminders import SESSION_UPCOMING

from . import helpers

DAY = datetime.timedelta(days=1)


pytestmark = pytest.mark.usefixtures("module_world")


def _digest_mails() -> list[mail.EmailMessage]:
    titles = set(Notice.objects.filter(kind=DIGEST_NOTICE_KIND).values_list("title", flat=True))
    return [m for m in mail.outbox if m.subject in titles]


def _published(item: KnowledgeItem, day: datetime.date) -> KnowledgeItem:
    KnowledgeItem.objects.filter(pk=item.pk).update(published_on=day)
    return item


def test_staff_preview_and_send_a_digest_whose_mail_unsubscribes_from_the_digest_only(
    world, client_for, django_capture_on_commit_callbacks
):
    helpers.members(world)
    today = timezone.localdate()
    item = _published(helpers.item(world), today)
    event = helpers.event(world)
    old = _published(helpers.item(world.mirrored()), today - 90 * DAY)
    digest = services.digest_create(
        program=world.program,
        period_start=today - 7 * DAY,
        period_end=today,
        introduction="שלום",
        by=world.coordinator,
    )
    content = digest_content(digest, today=today)
    assert content.items == [item] and content.events == [event]
    text = digest_text(digest, content, site="https://movilim.example")
    assert f"https://movilim.example/community/knowledge/{item.pk}/" in text
    assert old.title not in text
    assert "*" in text  # WhatsApp's bold headings

    # The fellow chose no digest by e-mail: a notice, but no mail.
    preference_set(user=world.fellow_person.user, kind=DIGEST_NOTICE_KIND, email=False)
    client = client_for("coordinator")
    page = client.get(reverse("community:digest", args=[digest.pk])).content.decode()
    assert "wa.me" in page and "שליחה ל־2 חברים" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:digest_send", args=[digest.pk]))
    notices = Notice.objects.filter(kind=DIGEST_NOTICE_KIND)
    assert {n.user for n in notices} == {world.participant, world.fellow_person.user}
    # The list and the mail show text as it is: no WhatsApp marks in them.
    assert all("*" not in n.body and item.title in n.body for n in notices)
    (message,) = _digest_mails()
    assert message.to == [world.participant.email]
    assert item.title in message.body and "שלום" in message.body
    digest.refresh_from_db()
    assert digest.sent_at is not None and digest.sent_count == 2
    client.post(reverse("community:digest_send", args=[digest.pk]))  # once only
    assert notices.count() == 2 and len(_digest_mails()) == 1

    # The mail's own link, without logging in: a look changes nothing; one click (RFC 8058)
    # turns off the digest by e-mail, and no other kind.
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.removeprefix("http://testserver")
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(path).status_code == 200
    assert wants_email(user=world.participant, kind=DIGEST_NOTICE_KIND)
    assert anonymous.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not wants_email(user=world.participant, kind=DIGEST_NOTICE_KIND)
    assert wants_email(user=world.participant, kind=SESSION_UPCOMING)


def test_the_digest_is_chosen_on_the_notice_preferences_page(world, client_for):
    client = client_for("participant")
    page = client.get(reverse("notices:preferences")).content.decode()
    assert f'name="{DIGEST_NOTICE_KIND}"' in page and "עלון הקהילה" in page
    client.post(reverse("notices:preferences"), {SESSION_UPCOMING: "on"})
    assert not wants_email(user=world.participant, kind=DIGEST_NOTICE_KIND)
    assert wants_email(user=world.participant, kind=SESSION_UPCOMING)


def _pass(day: datetime.date) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_the_daily_pass_sends_the_digest_once_its_period_has_passed(
    world, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_DIGEST_DAYS = 14
    helpers.members(world)
    helpers.members(world.mirrored())  # the other program looks after the outsider and theirs
    today = timezone.localdate()
    first = _published(helpers.item(world), today - 3 * DAY)
    preference_set(user=world.fellow_person.user, kind=DIGEST_NOTICE_KIND, email=False)

    with django_capture_on_commit_callbacks(execute=True):
        output = _pass(today)
    assert "community_digest: 4 notice(s) sent" in output
    digest = Digest.objects.get(program=world.program)
    assert (digest.period_start, digest.period_end) == (today - 14 * DAY, today - DAY)
    assert digest.sent_at is not None and digest.created_by is None
    assert Digest.objects.filter(program=world.other_program).count() == 1
    notices = Notice.objects.filter(kind=DIGEST_NOTICE_KIND)
    others = [world.outsider.email, world.other_fellow_person.user.email]
    assert sorted(n.user.email for n in notices) == sorted(
        [world.participant.email, world.fellow_person.user.email, *others]
    )
    assert notices.filter(dedup_key__contains=f":{digest.pk}:").count() == 2  # theirs, not others'
    # By e-mail to those who want it.
    assert sorted(m.to[0] for m in _digest_mails()) == sorted([world.participant.email, *others])
    assert all(first.title in m.body for m in _digest_mails())

    # Again the same day, or before the next period has passed: nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert "community_digest: 0 notice(s) sent" in _pass(today)
        second = _published(helpers.item(world.mirrored()), today + 5 * DAY)
        assert "community_digest: 0 notice(s) sent" in _pass(today + 13 * DAY)
    assert Digest.objects.count() == 2 and notices.count() == 4 and len(_digest_mails()) == 3

    # Fourteen days on: what is new since the last one, and only that.
    with django_capture_on_commit_callbacks(execute=True):
        assert "community_digest: 4 notice(s) sent" in _pass(today + 14 * DAY)
    latest = Digest.objects.filter(program=world.program).latest("period_end")
    assert (latest.period_start, latest.period_end) == (today, today + 13 * DAY)
    newest = [m for m in _digest_mails() if second.title in m.body]
    assert len(newest) == 3 and not any(first.title in m.body for m in newest)


def test_no_scheduled_digest_without_news_or_when_turned_off(
    world, settings, django_capture_on_commit_callbacks
):
    helpers.members(world)
    today = timezone.localdate()
    settings.COMMUNITY_DIGEST_DAYS = 14
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send_due(today=today) == 0  # nothing new: nothing stored
    assert not Digest.objects.exists()

    # A digest staff sent by hand counts as the last one.
    _published(helpers.item(world), today - 2 * DAY)
    sent = services.digest_create(
        program=world.program,
        period_start=today - 30 * DAY,
        period_end=today - 10 * DAY,
        introduction="",
        by=world.coordinator,
    )
    services.digest_send(digest=sent, today=today)
    assert services.digests_send_due(today=today) == 0
    assert services.digests_send_due(today=today + 5 * DAY) == 2

    settings.COMMUNITY_DIGEST_DAYS = 0
    _published(helpers.item(world.mirrored()), today + 10 * DAY)
    assert services.digests_send_due(today=today + 60 * DAY) == 0
    assert Digest.objects.count() == 2
