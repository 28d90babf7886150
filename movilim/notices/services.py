"""Writes of the notices app: sending a notice, reading it, choices, calendar feed tokens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format

from . import kinds
from .models import CalendarFeed, Notice, NoticePreference

if TYPE_CHECKING:
    from movilim.core.models import User


def wants_email(*, user: User, kind: str) -> bool:
    """The user's choice for ``kind``, or the kind's default when they made none."""
    choice = NoticePreference.objects.filter(user=user, kind=kind).values_list("email", flat=True)
    for email in choice:
        return bool(email)
    known = kinds.get(kind)
    return known.email_by_default if known else False


def notice_send(
    *,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedup_key: str,
    attachment_name: str = "",
    attachment: str = "",
) -> Notice | None:
    """Store a notice for ``user`` and queue its e-mail, unless one with ``dedup_key`` exists.

    Returns the new notice, or None when it had been sent before: a retried task or a daily
    pass run twice writes and mails nothing more. The e-mail goes after the transaction
    commits, through the task worker; whether it goes follows the user's choice for the kind.
    """
    if kinds.get(kind) is None:
        raise ValueError(f"Unknown notice kind {kind!r}")
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                user=user,
                kind=kind,
                title=title[:200],
                body=body,
                link=link,
                dedup_key=dedup_key,
                attachment_name=attachment_name,
                attachment=attachment,
            )
    except IntegrityError:
        return None  # sent before
    if user.email and wants_email(user=user, kind=kind):
        transaction.on_commit(lambda: _enqueue(notice.pk))
    return notice


def _enqueue(notice_id: int) -> None:
    from .tasks import send_notice_email

    send_notice_email.enqueue(notice_id=notice_id)


@dataclass(frozen=True)
class NewNotice:
    """One notice of a batch for :func:`notices_send_many`."""

    user_id: int
    kind: str
    title: str
    dedup_key: str
    body: str = ""
    link: str = ""
    attachment_name: str = ""
    attachment: str = ""


def notices_to(
    user_ids: Iterable[int],
    *,
    kind: str,
    about: object,
    title: str,
    body: str = "",
    link: str = "",
    attachment_name: str = "",
    attachment: str = "",
) -> list[NewNotice]:
    """The same notice to each of ``user_ids``, keyed so that each user gets it once for the
    thing it is ``about`` (a session's or event's key): a retried pass sends nothing twice."""
    return [
        NewNotice(
            user_id=user_id,
            kind=kind,
            title=title,
            body=body,
            link=link,
            dedup_key=f"{kind}:{about}:{user_id}",
            attachment_name=attachment_name,
            attachment=attachment,
        )
        for user_id in user_ids
    ]


def when_text(day: date, at: time | None) -> str:
    """A notice's "when": the day in the long format of the active language, and the time."""
    when = date_format(day, "DATE_FORMAT")
    return f"{when} {at:%H:%M}" if at else when


#: Rows read or written per statement when sending in bulk.
BATCH = 1000


def notices_send_many(notices: Sequence[NewNotice]) -> int:
    """Store the notices whose keys are new, and queue the e-mails their users want: a few
    statements per thousand notices, for the daily pass over a cohort of the whole network.

    The same guarantees as :func:`notice_send`: a key already stored is skipped (a run that
    races another inserts nothing twice, and the e-mail task's claim mails a notice once).
    Returns how many notices were new.
    """
    for notice in notices:
        if kinds.get(notice.kind) is None:
            raise ValueError(f"Unknown notice kind {notice.kind!r}")
    new = 0
    to_mail: list[int] = []
    for start in range(0, len(notices), BATCH):
        batch = {n.dedup_key: n for n in notices[start : start + BATCH]}
        known = set(
            Notice.objects.filter(dedup_key__in=list(batch)).values_list("dedup_key", flat=True)
        )
        fresh = [n for key, n in batch.items() if key not in known]
        if not fresh:
            continue
        Notice.objects.bulk_create(
            [
                Notice(
                    user_id=n.user_id,
                    kind=n.kind,
                    title=n.title[:200],
                    body=n.body,
                    link=n.link,
                    dedup_key=n.dedup_key,
                    attachment_name=n.attachment_name,
                    attachment=n.attachment,
                )
                for n in fresh
            ],
            ignore_conflicts=True,
        )
        new += len(fresh)
        choices = {
            (user_id, kind): email
            for user_id, kind, email in NoticePreference.objects.filter(
                user_id__in={n.user_id for n in fresh}, kind__in={n.kind for n in fresh}
            ).values_list("user_id", "kind", "email")
        }
        for pk, user_id, kind, address in Notice.objects.filter(
            dedup_key__in=[n.dedup_key for n in fresh], emailed_at__isnull=True
        ).values_list("pk", "user_id", "kind", "user__email"):
            known_kind = kinds.get(kind)
            default = known_kind.email_by_default if known_kind else False
            if address and choices.get((user_id, kind), default):
                to_mail.append(pk)
    if to_mail:
        transaction.on_commit(lambda: _enqueue_many(to_mail))
    return new


def _enqueue_many(notice_ids: list[int]) -> None:
    from .tasks import send_notice_emails

    for start in range(0, len(notice_ids), BATCH):
        send_notice_emails.enqueue(notice_ids=notice_ids[start : start + BATCH])


def notices_mark_read(*, user: User, notice_ids: list[int] | None = None) -> int:
    """Mark the user's notices read (these, or all of them); how many changed."""
    notices = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())


def preference_set(*, user: User, kind: str, email: bool) -> NoticePreference:
    if kinds.get(kind) is None:
        raise ValueError(f"Unknown notice kind {kind!r}")
    preference, _created = NoticePreference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": email}
    )
    return preference


_FEED_SALT = "movilim.notices.calendar-feed"


def _feed_digest(user_id: int, generation: int) -> str:
    return salted_hmac(_FEED_SALT, f"{user_id}:{generation}", algorithm="sha256").hexdigest()[:40]


def calendar_feed_token(*, user: User) -> str | None:
    """The secret part of the user's feed address, or None when they turned the feed off."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None and feed.revoked:
        return None
    generation = feed.generation if feed else 0
    return f"{user.pk}-{_feed_digest(user.pk, generation)}"


def calendar_feed_renew(*, user: User) -> str:
    """A new secret address (the old one stops working at once); turns the feed on."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        feed.generation += 1
        feed.revoked = False
        feed.save()
    token = calendar_feed_token(user=user)
    assert token is not None
    return token


def calendar_feed_revoke(*, user: User) -> None:
    """No feed any more: the address stops working until a new one is asked for."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        feed.generation += 1  # a later renewal must not bring the old address back
        feed.revoked = True
        feed.save()


def calendar_feed_user(token: str) -> User | None:
    """The active user whose feed address ``token`` is; None for anything else."""
    from movilim.core.models import User

    head = token.partition("-")[0]
    if not head.isdigit() or len(token) > 80:
        return None
    user = User.objects.filter(pk=int(head), is_active=True).first()
    if user is None:
        return None
    expected = calendar_feed_token(user=user)
    if expected is None or not constant_time_compare(expected, token):
        return None
    return user
