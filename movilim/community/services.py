"""Every change in the community. Each function is one transaction; callers check permissions
first (``access.py``), these check the community's own rules and raise ``InvalidInput`` with a
sentence for the user. The models written here are watched by the audit log (``apps.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from movilim.core.errors import InvalidInput
from movilim.core.models import User
from movilim.core.uploads import checked_document
from movilim.notices.services import notices_send_many, notices_to
from movilim.people.models import Person
from movilim.programs.models import MEMBER_STATUSES, Enrollment, Program, ProgramKind

from .models import (
    DIGEST_NOTICE_KIND,
    PROFILE_FIELDS,
    Audience,
    Cluster,
    Digest,
    Discussion,
    Event,
    KnowledgeItem,
    MemberKind,
    Membership,
    Registration,
    RegistrationStatus,
    Reply,
)
from .queries import digest_content, digest_members, digest_text


def _validated(instance: Any, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error


# --- membership -------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *, person: Person, program: Program, kind: str, today: date, cohort_id: int | None = None
) -> tuple[Membership, bool]:
    """Add ``person`` to the community (or make an inactive membership active again)."""
    if kind not in MemberKind.values:
        raise InvalidInput(_("Unknown kind of member."))
    membership = Membership.objects.select_for_update().filter(person=person).first()
    if membership is not None:
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active", "updated_at"])
        return membership, False
    membership = Membership.objects.create(
        person=person, program=program, kind=kind, joined_on=today, cohort_id=cohort_id
    )
    return membership, True


def network_program() -> Program | None:
    return Program.objects.filter(kind=ProgramKind.NETWORK, is_active=True).order_by("pk").first()


@transaction.atomic
def fellows_admit_graduates(*, today: date) -> int:
    """Gradual entry: members of every cohort that has ended, not yet in the community, become
    network fellows, looked after by the network program (or their own, when there is none).
    Safe to run every day; how many joined."""
    network = network_program()
    has_membership = Membership.objects.filter(person_id=OuterRef("person_id"))
    enrollments = (
        Enrollment.objects.filter(status__in=MEMBER_STATUSES, cohort__end_date__lt=today)
        .exclude(Exists(has_membership))
        .order_by("person_id", "-cohort__end_date")
        .values_list("person_id", "cohort_id", "cohort__program_id")
    )
    new: dict[int, Membership] = {}
    for person_id, cohort_id, program_id in enrollments:
        if person_id in new:
            continue  # their latest cohort came first
        new[person_id] = Membership(
            person_id=person_id,
            program_id=network.pk if network else program_id,
            kind=MemberKind.FELLOW,
            cohort_id=cohort_id,
            joined_on=today,
        )
    Membership.objects.bulk_create(new.values(), ignore_conflicts=True)
    return len(new)


@transaction.atomic
def profile_settings_update(*, membership: Membership, visibility: dict[str, str]) -> Membership:
    wrong = {k: v for k, v in visibility.items() if k not in PROFILE_FIELDS or v not in Audience}
    if wrong:
        raise InvalidInput(_("Unknown profile field or audience."))
    membership.visibility = dict(visibility)
    membership.save(update_fields=["visibility", "updated_at"])
    return membership


# --- clusters ---------------------------------------------------------------------------------


@transaction.atomic
def cluster_set_member(*, cluster: Cluster, person: Person, member: bool) -> None:
    """Join or leave a cluster. Nobody joins an archived cluster; leaving one always works."""
    if member:
        if Cluster.objects.filter(pk=cluster.pk, archived_at__isnull=False).exists():
            raise InvalidInput(_("This cluster is archived: it takes no new members."))
        cluster.members.add(person)
    else:
        cluster.members.remove(person)


@transaction.atomic
def cluster_create(
    *, program: Program, coordinators: Iterable[Person] = (), **fields: Any
) -> Cluster:
    cluster = Cluster(program=program, **fields)
    _validated(cluster)
    cluster.save()
    cluster.coordinators.set(list(coordinators))
    return cluster


@transaction.atomic
def cluster_update(
    *, cluster: Cluster, coordinators: Iterable[Person] | None = None, **fields: Any
) -> Cluster:
    """Change a cluster's names, description, program or coordinators (members stay)."""
    for name, value in fields.items():
        setattr(cluster, name, value)
    _validated(cluster)
    cluster.save()
    if coordinators is not None:
        cluster.coordinators.set(list(coordinators))
    return cluster


@transaction.atomic
def cluster_archive(*, cluster: Cluster, archived: bool, now: datetime | None = None) -> bool:
    """Archive a cluster (or bring it back); whether anything changed. Its members, items,
    events and discussions are kept as they are."""
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if locked.is_archived == archived:
        return False
    locked.archived_at = (now or timezone.now()) if archived else None
    locked.save(update_fields=["archived_at", "updated_at"])  # saved, so the audit log sees it
    cluster.archived_at, cluster.updated_at = locked.archived_at, locked.updated_at
    return True


# --- events -----------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, program: Program, speakers: Iterable[Person] = (), **fields: Any) -> Event:
    event = Event(program=program, **fields)
    _validated(event)
    event.save()
    event.speakers.set(list(speakers))
    return event


@transaction.atomic
def event_update(
    *, event: Event, speakers: Iterable[Person] | None = None, **fields: Any
) -> list[Registration]:
    """Change an event; returns the registrations that moved from the waiting list to a place.

    The event's row is locked first, as registering does, so the places counted are the places
    taken. Places cannot go below the number already taken: people who were told they have a
    place keep it, and the staff decide whom to ask to give it up (the sentence says how many
    there are). More places, or no limit any more, go to the waiting list in the order people
    asked. A cancelled event is not changed any more.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        raise InvalidInput(_("This event was cancelled; it can no longer be changed."))
    capacity = fields.get("capacity", locked.capacity)
    taken = _registered_count(locked)
    if capacity is not None and capacity < taken:
        raise InvalidInput(
            _(
                "%(taken)s places are already taken, more than the %(capacity)s asked for. "
                "Keep at least %(taken)s places, or ask registrants to cancel first."
            )
            % {"taken": taken, "capacity": capacity}
        )
    for name, value in fields.items():
        setattr(event, name, value)
    _validated(event)
    # Only the fields given: the rest of the row is left as stored.
    event.save(update_fields=[*fields, "updated_at"])
    if speakers is not None:
        event.speakers.set(list(speakers))
    return _promote_all(event, taken)


def _promote_all(event: Event, taken: int) -> list[Registration]:
    """Give the free places to the waiting list, first come first served (event row locked)."""
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, status=RegistrationStatus.WAITING)
        .order_by("requested_at", "pk")
    )
    if event.capacity is not None:
        free = event.capacity - taken
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:  # one by one, as a cancellation promotes: the audit log sees it
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
    return promoted


@transaction.atomic
def event_cancel(*, event: Event, reason: str, now: datetime | None = None) -> int:
    """Cancel the event: it is kept, marked cancelled with its reason, and takes no more
    registrations. Everyone holding a place or waiting for one gets a notice with the event's
    calendar file marked cancelled, so their calendar drops it. Returns how many were told;
    cancelling an event already cancelled changes nothing and tells nobody again."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Give the reason for cancelling."))
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        raise InvalidInput(_("This event was already cancelled."))
    locked.cancelled_at = now or timezone.now()
    locked.cancel_reason = reason[:300]
    locked.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    event.cancelled_at, event.cancel_reason = locked.cancelled_at, locked.cancel_reason
    event.updated_at = locked.updated_at
    from .notifications import event_cancelled

    return event_cancelled(locked)


@dataclass(frozen=True)
class Place:
    registration: Registration
    promoted: Registration | None = None


def _registered_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def event_register(*, event_id: int, person: Person, now: datetime | None = None) -> Registration:
    """A place at the event, or a place on its waiting list when it is full.

    The event's row is locked first (on SQLite the transaction holds the write lock from its
    start), so two people asking for the last place are served one after the other.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.is_cancelled:
        raise InvalidInput(_("This event was cancelled."))
    if event.starts_on < timezone.localdate(now):
        raise InvalidInput(_("This event has already taken place."))
    registration = (
        Registration.objects.select_for_update().filter(event=event, person=person).first()
    )
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return registration
    full = event.capacity is not None and _registered_count(event) >= event.capacity
    status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
    if registration is None:
        registration = Registration.objects.create(
            event=event, person=person, status=status, requested_at=now
        )
    else:
        registration.status, registration.requested_at = status, now
        registration.save(update_fields=["status", "requested_at", "updated_at"])
    return registration


@transaction.atomic
def event_cancel_registration(*, event_id: int, person: Person) -> Registration | None:
    """Give up a place (or a place in the queue); the first in the queue takes a freed place.
    Returns the registration promoted, if any."""
    event = Event.objects.select_for_update().get(pk=event_id)
    registration = (
        Registration.objects.select_for_update().filter(event=event, person=person).first()
    )
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return None
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if not was_registered:
        return None
    return _promote(event)


def _promote(event: Event) -> Registration | None:
    if event.capacity is not None and _registered_count(event) >= event.capacity:
        return None
    first = (
        Registration.objects.select_for_update()
        .filter(event=event, status=RegistrationStatus.WAITING)
        .order_by("requested_at", "pk")
        .first()
    )
    if first is not None:
        first.status = RegistrationStatus.REGISTERED
        first.save(update_fields=["status", "updated_at"])
    return first


@transaction.atomic
def event_record_attendance(
    *, event: Event, present: set[int], by: User | None, today: date
) -> int:
    """Who came, among those registered. The community keeps it on the registration; when the
    event is held as a session of a cohort, those who are members of that cohort are marked on
    the session too, so the hours enter the one ledger (``programs.Attendance``) once."""
    if event.starts_on > today:
        raise InvalidInput(_("Attendance can be taken once the event has started."))
    registrations = list(
        Registration.objects.select_for_update().filter(
            event=event, status=RegistrationStatus.REGISTERED
        )
    )
    for registration in registrations:
        registration.attended = registration.person_id in present
    Registration.objects.bulk_update(registrations, ["attended"])
    if event.session_id is not None:
        from movilim.programs.models import AttendanceStatus
        from movilim.programs.services import Mark, attendance_record

        session = event.session
        assert session is not None
        members = set(
            Enrollment.objects.filter(
                cohort_id=session.cohort_id, status__in=MEMBER_STATUSES
            ).values_list("person_id", flat=True)
        )
        marks = {
            r.person_id: Mark(AttendanceStatus.PRESENT if r.attended else AttendanceStatus.ABSENT)
            for r in registrations
            if r.person_id in members
        }
        if marks:
            attendance_record(session=session, marks=marks, by=by, today=today)
    return sum(1 for r in registrations if r.attended)


# --- knowledge --------------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    program: Program,
    author: Person | None,
    upload: UploadedFile | None = None,
    today: date,
    **fields: Any,
) -> KnowledgeItem:
    item = KnowledgeItem(program=program, author=author, published_on=today, **fields)
    if upload is not None:
        checked_document(upload)
        item.file_name = (upload.name or "")[-200:]
    if not (item.body.strip() or item.link or upload is not None):
        raise InvalidInput(_("Write a text, give a link or attach a file."))
    _validated(item, exclude=["file"])
    if upload is not None:
        item.file.save(upload.name or "file", upload, save=False)
    item.save()
    return item


# --- discussions ------------------------------------------------------------------------------


@transaction.atomic
def discussion_create(*, program: Program, by: User, **fields: Any) -> Discussion:
    discussion = Discussion(program=program, created_by=by, **fields)
    _validated(discussion)
    discussion.save()
    return discussion


@transaction.atomic
def reply_add(*, discussion_id: int, author: Person, body: str, today: date) -> Reply:
    discussion = Discussion.objects.select_for_update().get(pk=discussion_id)
    if not discussion.is_open(today):
        raise InvalidInput(_("This discussion is not open for replies."))
    if not body.strip():
        raise InvalidInput(_("Write a reply."))
    return Reply.objects.create(discussion=discussion, author=author, body=body.strip())


@transaction.atomic
def discussion_close(*, discussion: Discussion, summary: str) -> Discussion:
    """Close the discussion with its summary; it is read-only from now on."""
    if not summary.strip():
        raise InvalidInput(_("Write the summary of the discussion."))
    discussion.summary = summary.strip()
    discussion.closed_at = timezone.now()
    discussion.save(update_fields=["summary", "closed_at", "updated_at"])
    return discussion


# --- digests ----------------------------------------------------------------------------------


@transaction.atomic
def digest_create(
    *, program: Program, period_start: date, period_end: date, introduction: str, by: User
) -> Digest:
    digest = Digest(
        program=program,
        period_start=period_start,
        period_end=period_end,
        introduction=introduction,
        created_by=by,
    )
    _validated(digest)
    digest.save()
    return digest


@transaction.atomic
def digest_send(*, digest: Digest, today: date) -> int:
    """Send the digest (staff, by hand): see :func:`_digest_notices`. A digest goes out once.
    Returns how many members it was sent to."""
    locked = Digest.objects.select_for_update().get(pk=digest.pk)
    if locked.sent_at is not None:
        raise InvalidInput(_("This digest was already sent."))
    return _digest_notices(locked, today=today)


def _digest_notices(digest: Digest, *, today: date) -> int:
    """Send ``digest`` as a notice to each active member its program looks after: in their list
    of notices, by e-mail to those who want the digest kind (``notices`` queues the e-mails after
    the transaction commits, each with its one-click unsubscribe). Marks the digest sent.

    Call inside a transaction holding the digest (or its program) locked. The notices' keys
    name the digest and the member, so nobody gets one digest twice."""
    with translation.override(settings.LANGUAGE_CODE):
        content = digest_content(digest, today=today)
        title = render_to_string("community/mail/digest_subject.txt", {"digest": digest}).strip()
        body = digest_text(digest, content, site=settings.SITE_URL, heading=False, whatsapp=False)
    link = reverse("community:home")
    user_ids = digest_members(digest.program_id).values_list("person__user_id", flat=True)
    sent = notices_send_many(
        notices_to(
            user_ids.order_by("person__user_id"),
            kind=DIGEST_NOTICE_KIND,
            about=digest.pk,
            title=title,
            body=body,
            link=link,
        )
    )
    digest.sent_at = timezone.now()
    digest.sent_count = sent
    digest.save(update_fields=["sent_at", "sent_count", "updated_at"])
    return sent


def digests_send_due(*, today: date) -> int:
    """The digest on schedule, for the daily pass: for each program that looks after active
    members, once ``COMMUNITY_DIGEST_DAYS`` whole days have passed since the period of its last
    digest sent (by hand or on schedule), a digest of those days (up to yesterday) is stored
    and sent. A period with nothing new stores and sends nothing, and is folded into the next.

    Running it again the same day sends nothing: the new digest's period ends yesterday, so
    the next one is not due before as many days have passed again. Returns how many notices
    were sent (0 when ``COMMUNITY_DIGEST_DAYS`` is 0: no digest on schedule).
    """
    every = settings.COMMUNITY_DIGEST_DAYS
    if every <= 0:
        return 0
    program_ids = (
        Membership.objects.filter(is_active=True)
        .order_by("program_id")
        .values_list("program_id", flat=True)
        .distinct()
    )
    return sum(
        _digest_send_if_due(program_id=pk, today=today, every=every) for pk in list(program_ids)
    )


@transaction.atomic
def _digest_send_if_due(*, program_id: int, today: date, every: int) -> int:
    # The program's row is the lock: two passes at once cannot both find the digest due.
    program = Program.objects.select_for_update().get(pk=program_id)
    last_end = Digest.objects.filter(program=program, sent_at__isnull=False).aggregate(
        end=Max("period_end")
    )["end"]
    start = last_end + timedelta(days=1) if last_end else today - timedelta(days=every)
    end = today - timedelta(days=1)
    if (end - start).days + 1 < every:
        return 0
    digest = Digest(program=program, period_start=start, period_end=end)
    if digest_content(digest, today=today).empty:
        return 0
    digest.save()
    return _digest_notices(digest, today=today)
