"""Reads shared by the community's pages: the directory, profiles, lists, the digest."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from movilim.core.hebrew import Folded, fold
from movilim.core.paging import Keyset, Page, keyset_page, keyset_pages
from movilim.notices.feeds import PAST_DAYS
from movilim.notices.queries import wants_email_condition
from movilim.people.models import Person
from movilim.programs.models import MEMBER_STATUSES, Enrollment

from .models import (
    DIGEST_NOTICE_KIND,
    PROFILE_FIELDS,
    Cluster,
    Digest,
    Discussion,
    Event,
    KnowledgeItem,
    Membership,
    Registration,
    RegistrationStatus,
)
from .policies import CommunityPolicy

if TYPE_CHECKING:
    from movilim.core.models import User

DIRECTORY_KEYSET = Keyset(Membership, ["person__user__last_name", "person__user__first_name", "pk"])
DIRECTORY_COLUMNS = [
    "person__user__last_name",
    "person__user__first_name",
    "pk",
    "person_id",
    "kind",
    "visibility",
    "person__organization__name_he",
    "person__job_title",
    "person__expertise",
]


def visible(policy: CommunityPolicy[Any], queryset: QuerySet[Any]) -> QuerySet[Any]:
    programs = policy.program_ids("view")
    return queryset if programs is None else queryset.filter(program_id__in=programs)


@dataclass(frozen=True)
class DirectoryRow:
    person_id: int
    name: str
    kind: str
    organization: str
    job_title: str
    expertise: str


def directory_page(
    policy: CommunityPolicy[Any],
    query: QueryDict,
    *,
    cohort_id: int | None = None,
    organization_kind: str = "",
    cluster_id: int | None = None,
    expertise: str = "",
    kind: str = "",
) -> tuple[Page, list[DirectoryRow]]:
    """A page of the directory with its filters. Fields a member hides from members are left
    blank, and a filter never matches on a field the reader may not see (staff see the fields
    shown to staff)."""
    members = visible(policy, Membership.objects.filter(is_active=True))
    staff_view = policy.facts.is_admin or bool(policy.facts.program_roles)
    if cohort_id:
        members = members.filter(
            Exists(
                Enrollment.objects.filter(
                    person_id=OuterRef("person_id"), cohort_id=cohort_id, status__in=MEMBER_STATUSES
                )
            )
        )
    if organization_kind:
        members = members.filter(person__organization__kind=organization_kind)
    if cluster_id:
        members = members.filter(person__community_clusters__id=cluster_id)
    if kind:
        members = members.filter(kind=kind)
    if expertise:
        members = members.alias(expertise_folded=Folded("person__expertise")).filter(
            expertise_folded__contains=fold(expertise)
        )
    page = keyset_page(members, query, keyset=DIRECTORY_KEYSET, columns=DIRECTORY_COLUMNS)
    rows = []
    for last, first, _pk, person_id, kind_value, chosen, organization, job, skills in page:

        def shown(name: str, value: str, chosen: dict[str, str] = chosen or {}) -> str:
            audience = chosen.get(name, PROFILE_FIELDS[name])
            if audience == "members" or (audience == "staff" and staff_view):
                return value or ""
            return ""

        rows.append(
            DirectoryRow(
                person_id=person_id,
                name=f"{first} {last}".strip(),
                kind=kind_value,
                organization=shown("organization", organization),
                job_title=shown("job_title", job),
                expertise=shown("expertise", skills),
            )
        )
    if expertise or organization_kind:
        # A filter on a hidden field must not reveal it: rows whose field the reader may not
        # see are dropped from a filtered list.
        rows = [
            r
            for r in rows
            if (not expertise or r.expertise) and (not organization_kind or r.organization)
        ]
    return page, rows


@dataclass(frozen=True)
class ProfileActivity:
    items: list[KnowledgeItem]
    talks: list[Event]
    attended: list[Event]
    clusters: list[Any]
    cohorts: list[Any]


def profile_activity(person: Person, policy: CommunityPolicy[Any]) -> ProfileActivity:
    items = visible(policy, KnowledgeItem.objects.filter(author=person)).order_by("-published_on")[
        :20
    ]
    talks = visible(policy, Event.objects.filter(speakers=person)).order_by("-starts_on")[:20]
    attended = visible(
        policy,
        Event.objects.filter(registrations__person=person, registrations__attended=True),
    ).order_by("-starts_on")[:20]
    cohorts = list(
        Enrollment.objects.filter(person=person, status__in=MEMBER_STATUSES)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )
    return ProfileActivity(
        items=list(items),
        talks=list(talks),
        attended=list(attended),
        clusters=list(Cluster.objects.filter(members=person)),
        cohorts=[e.cohort for e in cohorts],
    )


ITEM_KEYSET = Keyset(KnowledgeItem, ["-published_on", "-pk"])
ITEM_COLUMNS = ["published_on", "pk", "title", "kind", "summary", "tags", "cluster__name_he"]


def item_page(
    policy: CommunityPolicy[Any], query: QueryDict, *, kind: str = "", cluster_id: int | None = None
) -> Page:
    items = visible(policy, KnowledgeItem.objects.all())
    if kind:
        items = items.filter(kind=kind)
    if cluster_id:
        items = items.filter(cluster_id=cluster_id)
    return keyset_page(items, query, keyset=ITEM_KEYSET, columns=ITEM_COLUMNS, per_page=30)


def events_for(policy: CommunityPolicy[Any]) -> QuerySet[Event]:
    return visible(policy, Event.objects.all()).annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        )
    )


@dataclass(frozen=True)
class Places:
    registered: int
    waiting: int
    mine: Registration | None
    position: int | None  # place in the queue, 1 for the first

    def free(self, capacity: int | None) -> int | None:
        return None if capacity is None else max(capacity - self.registered, 0)


def event_places(event: Event, person_id: int | None) -> Places:
    counts = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    mine = None
    position = None
    if person_id is not None:
        mine = Registration.objects.filter(event=event, person_id=person_id).first()
        if mine is not None and mine.status == RegistrationStatus.WAITING:
            position = (
                Registration.objects.filter(event=event, status=RegistrationStatus.WAITING)
                .filter(
                    Q(requested_at__lt=mine.requested_at)
                    | Q(requested_at=mine.requested_at, pk__lt=mine.pk)
                )
                .count()
                + 1
            )
    return Places(
        counts.get(RegistrationStatus.REGISTERED, 0),
        counts.get(RegistrationStatus.WAITING, 0),
        mine,
        position,
    )


@dataclass(frozen=True)
class RegistrantRow:
    """One line of an event's registrant list (``templatetags/community.registrant_rows``)."""

    name: str
    asked_at: datetime
    attended: bool | None


@dataclass(frozen=True)
class EventRoster:
    """An event's registrants for its staff: a page of those with a place and a page of the
    waiting list in the order it is served (the first is the next to get a freed place), each
    paged by its own cursor; how many of each there are; and the number of the first line of
    each page (a place in line on the waiting list)."""

    registered: Page
    waiting: Page
    registered_count: int
    waiting_count: int
    cancelled: int
    registered_from: int = 1
    waiting_from: int = 1


#: Both lists in the order places were asked for: the waiting list is served in this order.
REGISTERED_ORDER = Keyset(Registration, ("requested_at", "pk"))
WAITING_ORDER = Keyset(Registration, ("requested_at", "pk"), prefix="w")
_REGISTRANT_COLUMNS = (
    "requested_at",
    "pk",
    "attended",
    "person__user__first_name",
    "person__user__last_name",
    "person__user__email",
)
REGISTRANT_PAGE_SIZE = 100


def event_roster(
    event: Event, query: QueryDict, *, per_page: int = REGISTRANT_PAGE_SIZE
) -> EventRoster:
    """Two queries on a first page whatever the number of registrants (the pages, in one
    statement where the database allows, and the counts), and one more per list shown from
    a cursor, to number its lines: a network workday runs to hundreds of registrants."""
    registrations = Registration.objects.filter(event=event)
    counts = registrations.aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    lists = [
        (registrations.filter(status=RegistrationStatus.REGISTERED), REGISTERED_ORDER),
        (registrations.filter(status=RegistrationStatus.WAITING), WAITING_ORDER),
    ]
    pages = keyset_pages(
        [(rows.values_list(*_REGISTRANT_COLUMNS), keyset) for rows, keyset in lists],
        query,
        columns=_REGISTRANT_COLUMNS,
        per_page=per_page,
    )
    numbers = []
    for (rows, keyset), page in zip(lists, pages, strict=True):
        number = 1
        if page.has_previous and page.items:
            # Lines before this page's first, in the list's order.
            number += rows.filter(keyset.beyond(page.items[0][:2], forward=False)).count()
        numbers.append(number)
    registered, waiting = (
        replace(
            page,
            items=[
                RegistrantRow(f"{first} {last}".strip() or email, asked_at, attended)
                for asked_at, _pk, attended, first, last, email in page.items
            ],
        )
        for page in pages
    )
    return EventRoster(
        registered=registered,
        waiting=waiting,
        registered_count=counts["registered"],
        waiting_count=counts["waiting"],
        cancelled=counts["cancelled"],
        registered_from=numbers[0],
        waiting_from=numbers[1],
    )


def active_clusters() -> QuerySet[Cluster]:
    """The clusters still offered: in filters and as the cluster of something new."""
    return Cluster.objects.filter(archived_at__isnull=True)


# --- the digest -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestContent:
    items: list[KnowledgeItem]
    events: list[Event]
    discussions: list[Discussion]

    @property
    def empty(self) -> bool:
        return not (self.items or self.events or self.discussions)


DIGEST_LIMIT = 15


def digest_content(digest: Digest, *, today: date) -> DigestContent:
    """What is new in the digest's period: items published, discussions opened, and the events
    announced in it that are still to come. Everything in the community is for its members, so
    a digest shows all programs' news."""
    start, end = digest.period_start, digest.period_end
    return DigestContent(
        items=list(
            KnowledgeItem.objects.filter(published_on__range=(start, end))
            .select_related("author__user")
            .order_by("-published_on", "-pk")[:DIGEST_LIMIT]
        ),
        events=list(
            Event.objects.filter(created_at__date__range=(start, end), cancelled_at__isnull=True)
            .filter(starts_on__gte=today)
            .order_by("starts_on")[:DIGEST_LIMIT]
        ),
        discussions=list(
            Discussion.objects.filter(opens_on__range=(start, end)).order_by("-opens_on")[
                :DIGEST_LIMIT
            ]
        ),
    )


def digest_text(
    digest: Digest,
    content: DigestContent,
    *,
    site: str,
    heading: bool = True,
    whatsapp: bool = True,
) -> str:
    """The digest as a text block: plain lines, headings, full links. For WhatsApp the headings
    are marked *bold*, as WhatsApp shows them; a notice (mail and the in-app list) shows text as
    it is, so there they are plain. Without ``heading`` it starts at the introduction (a notice
    has its own title)."""

    def bold(text: str) -> str:
        return f"*{text}*" if whatsapp else text

    lines = [
        f"{bold(_('Community digest'))} {digest.period_start:%d/%m} – {digest.period_end:%d/%m}"
    ]
    if digest.introduction:
        lines += ["", digest.introduction.strip()]
    if not heading:
        lines = lines[2:]
    sections = (
        (_("New in the knowledge base"), content.items, "community:item"),
        (_("Coming events"), content.events, "community:event"),
        (_("Discussions"), content.discussions, "community:discussion"),
    )
    for title, objects, name in sections:
        if not objects:
            continue
        lines += ["", bold(title)]
        for obj in objects:
            extra = f" ({obj.starts_on:%d/%m})" if isinstance(obj, Event) else ""
            lines.append(f"• {obj.title}{extra}: {site}{reverse(name, args=[obj.pk])}")
    return "\n".join(lines).strip()


def digest_members(program_id: int) -> QuerySet[Membership]:
    """Who a program's digest goes to: the active members it looks after, as notices (whether
    by e-mail too is each one's choice of the digest kind)."""
    return Membership.objects.filter(
        program_id=program_id, is_active=True, person__user__is_active=True
    )


@dataclass(frozen=True)
class DigestAudience:
    members: int
    by_email: int


def digest_audience(digest: Digest) -> DigestAudience:
    """How many members the digest goes to, and how many of them by e-mail: one query."""
    by_email = wants_email_condition(DIGEST_NOTICE_KIND, user_field="person__user_id")
    counts = digest_members(digest.program_id).aggregate(
        members=Count("pk"),
        by_email=Count("pk", filter=by_email & ~Q(person__user__email="")),
    )
    return DigestAudience(members=counts["members"], by_email=counts["by_email"])


def feed_events(user: User, *, today: date) -> QuerySet[Event]:
    """The events an active member holds a place at, from a year back, for their personal
    calendar feed (cancelled events too: the feed tells calendars of the cancellation)."""
    return Event.objects.filter(
        registrations__person__user=user,
        registrations__status=RegistrationStatus.REGISTERED,
        registrations__person__community_membership__is_active=True,
        starts_on__gte=today - timedelta(days=PAST_DAYS),
    ).order_by("starts_on", "pk")
