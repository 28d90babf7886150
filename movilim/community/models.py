"""The leaders network and the transformation community: who belongs, professional clusters,
events and registrations, knowledge items, discussions framed in time, and digests.

Everything here belongs to a program (the network or the community program, usually): its
staff look after it, while every member of the community reads it (``policies.py``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from movilim.core.formatting import localized_name
from movilim.core.models import BilingualNameModel, TimeStampedModel
from movilim.people.models import Person
from movilim.programs.models import Cohort, Program, Session


class MemberKind(models.TextChoices):
    FELLOW = "fellow", _("Network fellow")
    MEMBER = "member", _("Community member")
    CONSULTANT = "consultant", _("Consultant")
    LECTURER = "lecturer", _("Lecturer")


#: Kinds that make up the pool of consultants and lecturers.
POOL_KINDS = (MemberKind.CONSULTANT, MemberKind.LECTURER)


class Audience(models.TextChoices):
    """Who sees one field of a member's profile (the member always sees it)."""

    MEMBERS = "members", _("Community members and staff")
    STAFF = "staff", _("Program staff only")
    HIDDEN = "hidden", _("Only me")


#: The profile fields a member decides about, and who sees each until they decide.
PROFILE_FIELDS: dict[str, str] = {
    "organization": Audience.MEMBERS,
    "job_title": Audience.MEMBERS,
    "expertise": Audience.MEMBERS,
    "bio": Audience.MEMBERS,
    "cohorts": Audience.MEMBERS,
    "email": Audience.STAFF,
    "phone": Audience.STAFF,
}
PROFILE_FIELD_LABELS = {
    "organization": _("Organization"),
    "job_title": _("Job title"),
    "expertise": _("Areas of expertise"),
    "bio": _("About"),
    "cohorts": _("Cohorts"),
    "email": _("E-mail"),
    "phone": _("Phone"),
}


class Membership(TimeStampedModel):
    """A person's place in the community. Alumni become fellows when their cohort ends
    (``services.fellows_admit_graduates``); staff add members who are not alumni."""

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        related_name="community_membership",
        verbose_name=_("person"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="community_members",
        verbose_name=_("program"),
        help_text=_("The program whose staff look after this member."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MemberKind.choices)
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graduated from"),
    )
    joined_on = models.DateField(_("joined on"))
    is_active = models.BooleanField(_("active"), default=True)
    visibility = models.JSONField(_("profile visibility"), default=dict, blank=True)

    class Meta:
        verbose_name = _("community membership")
        verbose_name_plural = _("community memberships")
        indexes = [models.Index(fields=["is_active", "kind"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"

    def audience_of(self, field: str) -> str:
        chosen = (self.visibility or {}).get(field)
        return chosen if chosen in Audience.values else PROFILE_FIELDS[field]


class Cluster(BilingualNameModel, TimeStampedModel):
    """A professional cluster (community of practice) that members join.

    An archived cluster is kept with its items, events and discussions (its page still opens),
    but it is no longer offered: not in the directory's and the knowledge base's filters, not
    among the clusters new items, events and discussions can be filed under, and nobody joins it.
    """

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("program")
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Person, blank=True, related_name="community_clusters", verbose_name=_("members")
    )
    coordinators = models.ManyToManyField(
        Person,
        blank=True,
        related_name="community_coordinated_clusters",
        verbose_name=_("coordinators"),
        help_text=_("Members of the community who lead the cluster; shown on its page."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ("name_he",)
        constraints = [
            models.UniqueConstraint(fields=["name_he"], name="community_cluster_unique_name")
        ]

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class EventKind(models.TextChoices):
    WORKDAY = "workday", _("Network workday")
    MEETING = "meeting", _("Community meeting")
    MODULAR = "modular", _("Modular event")
    SHOWCASE = "showcase", _("Short showcase")


class Event(TimeStampedModel):
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="community_events",
        verbose_name=_("program"),
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("cluster"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, lists, links.")
    )
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For events of more than one day.")
    )
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    online = models.BooleanField(_("online"), default=False)
    location = models.CharField(_("place or meeting link"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    session = models.OneToOneField(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_event",
        verbose_name=_("session in the hours ledger"),
        help_text=_(
            "The session of the network cohort this event is held as: its attendance earns "
            "the session's hours, counted once."
        ),
    )
    speakers = models.ManyToManyField(
        Person, blank=True, related_name="community_talks", verbose_name=_("speakers")
    )
    # A cancelled event is kept, marked cancelled: registration closes and calendars learn of it.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("starts_on", "pk")
        indexes = [models.Index(fields=["starts_on", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="community_event_capacity_positive",
                violation_error_message=_("An event needs at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="community_event_dates_ordered",
                violation_error_message=_("The last day cannot come before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def display_title(self) -> str:
        """The title in the reader's language (Hebrew when there is no English one)."""
        return localized_name(self.title, self.title_en)

    @property
    def last_day(self) -> date:
        return self.ends_on or self.starts_on

    def clean(self) -> None:
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day cannot come before the first day.")})
        one_day = self.ends_on is None or self.ends_on == self.starts_on
        if one_day and self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(TimeStampedModel):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="community_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    # When the person (last) asked for a place: the waiting list is served in this order.
    requested_at = models.DateTimeField(_("asked at"))
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="community_registration_once")
        ]
        indexes = [models.Index(fields=["event", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.event}: {self.status}"


class ItemKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    CASE = "case", _("Case analysis")
    POST = "post", _("Post")
    PODCAST = "podcast", _("Podcast")
    VIDEO = "video", _("Video")
    TOOL = "tool", _("Tool")
    PRACTICE = "practice", _("Best practice")


def _item_upload_to(instance: KnowledgeItem, filename: str) -> str:
    # The stored name is ours; the uploaded name is kept in ``file_name`` for the download.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"community/items/{date.today():%Y}/{uuid.uuid4().hex}.{suffix}"


class KnowledgeItem(TimeStampedModel):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="knowledge_items", verbose_name=_("program")
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("cluster"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown: **bold**, lists, links."))
    link = models.URLField(_("link"), blank=True, help_text=_("For a podcast, a video or a tool."))
    file = models.FileField(_("file"), upload_to=_item_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    author = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_items",
        verbose_name=_("author"),
    )
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Comma-separated."))
    published_on = models.DateField(_("published on"))

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        ordering = ("-published_on", "-pk")
        indexes = [
            models.Index(fields=["published_on", "id"]),
            models.Index(fields=["author", "published_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class Discussion(TimeStampedModel):
    """A discussion framed in time and topic: open between two dates, then read-only, with a
    summary written at the close."""

    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="community_discussions",
        verbose_name=_("program"),
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discussions",
        verbose_name=_("cluster"),
    )
    title = models.CharField(_("topic"), max_length=200)
    framing = models.TextField(_("question and frame"), help_text=_("Markdown."))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ("-opens_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="community_discussion_dates_ordered",
                violation_error_message=_("A discussion cannot close before it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: date) -> bool:
        return self.closed_at is None and self.opens_on <= today <= self.closes_on


class Reply(models.Model):
    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="replies", verbose_name=_("discussion")
    )
    author = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("reply"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.author} @ {self.discussion}"


#: The kind of notice a digest is sent as (``movilim.notices``): each member chooses on their
#: e-mail choices page whether it comes by e-mail, and every digest e-mail unsubscribes from it.
DIGEST_NOTICE_KIND = "community_digest"


class Digest(TimeStampedModel):
    """A newsletter of what is new between two dates; its content is read when shown or sent.
    A program sends it, as a notice, to the members it looks after: by hand (staff) or on
    schedule (the daily pass, ``services.digests_send_due``); ``created_by`` is empty for the
    scheduled ones."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="digests", verbose_name=_("program")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    introduction = models.TextField(_("opening words"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_count = models.PositiveIntegerField(_("members sent to"), default=0)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ("-period_end", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="community_digest_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end}"
