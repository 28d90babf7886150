"""Programs (tracks), their cohorts, who is enrolled, the sessions held and who attended."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from movilim.core.formatting import localized_name
from movilim.core.models import BilingualNameModel, TimeStampedModel
from movilim.core.roles import StaffRole
from movilim.people.models import Person


class ProgramKind(models.TextChoices):
    GOVERNMENT = "government", _("Government track")
    LOCAL = "local", _("Local-government track")
    NETWORK = "network", _("Leaders network")
    COMMUNITY = "community", _("Digital-transformation community")


class Program(BilingualNameModel, TimeStampedModel):
    slug = models.SlugField(_("short name in addresses"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices)
    description_he = models.TextField(_("description (Hebrew)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    hours_target = models.PositiveSmallIntegerField(
        _("hours target per participant"),
        default=200,
        validators=[MinValueValidator(1)],
        help_text=_("Learning hours each participant is expected to complete."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ("kind", "name_he")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_target__gt=0),
                name="program_hours_target_positive",
                violation_error_message=_("The hours target must be more than 0."),
            ),
        ]


class LearningDomain(BilingualNameModel):
    """A program's learning domain, e.g. "digitization as a reducer of social gaps"."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="domains", verbose_name=_("program")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("learning domain")
        verbose_name_plural = _("learning domains")
        ordering = ("program", "position")


class ProgramRole(models.Model):
    """Grants a user a staff role (manager, coordinator, evaluator, steering) in one program."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="program_roles",
        verbose_name=_("user"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="roles", verbose_name=_("program")
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)

    class Meta:
        verbose_name = _("program role")
        verbose_name_plural = _("program roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "role"], name="program_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.program}"


class Cohort(BilingualNameModel, TimeStampedModel):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("program")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    target_size = models.PositiveSmallIntegerField(
        _("target number of participants"), default=40, validators=[MinValueValidator(1)]
    )
    budget = models.DecimalField(
        _("budget (NIS)"), max_digits=12, decimal_places=0, null=True, blank=True
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ("-start_date",)
        constraints = [
            models.UniqueConstraint(fields=["program", "name_he"], name="cohort_unique_name"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="cohort_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(target_size__gt=0),
                name="cohort_target_size_positive",
                violation_error_message=_("The target number of participants must be more than 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} – {self.name}"


class Dimension(models.TextChoices):
    SECTOR = "sector", _("Sector")
    MINISTRY_TYPE = "ministry_type", _("HQ vs. execution ministries")
    PROFILE = "profile", _("Policy vs. technology")
    GENDER = "gender", _("Gender")
    MINORITY = "minority", _("Minority populations")


class CompositionTarget(models.Model):
    """A wished-for share of one category in a cohort, as a range of percentages.

    Categories are the values of the dimension: sectors, organization kinds (the two ministry
    kinds, as shares of the government participants), profile types, genders, or "yes" for
    minorities. Either bound may be left open ("at least 10%").
    """

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="targets", verbose_name=_("cohort")
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    category = models.CharField(_("category"), max_length=20)
    min_percent = models.DecimalField(
        _("at least (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    max_percent = models.DecimalField(
        _("at most (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("composition target")
        verbose_name_plural = _("composition targets")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "dimension", "category"], name="composition_target_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_percent__isnull=False) | Q(max_percent__isnull=False),
                name="composition_target_has_bound",
                violation_error_message=_("Give at least one bound: a minimum, a maximum or both."),
            ),
            models.CheckConstraint(
                condition=Q(min_percent__isnull=True)
                | Q(max_percent__isnull=True)
                | Q(min_percent__lte=models.F("max_percent")),
                name="composition_target_bounds_ordered",
                violation_error_message=_("The minimum cannot be more than the maximum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.dimension}={self.category}"

    def clean(self) -> None:
        """Refuse a target the cohort page could not show: an unknown category, or a range
        whose minimum is above its maximum."""
        errors: dict[str, Any] = {}
        if self.dimension in Dimension.values:
            allowed = dimension_categories(self.dimension)
            if self.category not in allowed:
                errors["category"] = _(
                    "“%(category)s” is not a category of this dimension. Choose one of: "
                    "%(choices)s."
                ) % {"category": self.category, "choices": ", ".join(allowed)}
        low, high = self.min_percent, self.max_percent
        if low is not None and high is not None and low > high:
            errors["max_percent"] = _("The maximum cannot be less than the minimum.")
        if errors:
            raise ValidationError(errors)


def dimension_categories(dimension: str) -> list[str]:
    """The categories a composition target of ``dimension`` may name: exactly those the cohort
    page counts (``queries._categories`` is the one definition of them)."""
    from .queries import _categories  # queries imports this module

    for name, _base, _column, categories in _categories():
        if name == dimension:
            return [str(category) for category, _label, _values in categories]
    return []


class EnrollmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    DECLINED = "declined", _("Declined")
    ACTIVE = "active", _("Active")
    GRADUATED = "graduated", _("Graduated")
    WITHDREW = "withdrew", _("Withdrew")


#: Statuses of people who are (or were) members of the cohort: they count in its composition,
#: its attendance and its hours.
MEMBER_STATUSES = (EnrollmentStatus.SELECTED, EnrollmentStatus.ACTIVE, EnrollmentStatus.GRADUATED)


class Enrollment(TimeStampedModel):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("cohort")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    # The order of the waiting list, which staff may change by hand. Set whenever someone is
    # placed on the list (at its end) and kept when they leave it, so that undoing a change
    # gives them their place back; it means nothing while the status is another.
    waitlist_position = models.PositiveIntegerField(
        _("place on the waiting list"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="enrollment_unique")
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.cohort}"

    @property
    def is_member(self) -> bool:
        return self.status in MEMBER_STATUSES


class EnrollmentStatusChange(models.Model):
    """One step in an enrollment's history; written only by the status services
    (``services.enrollment_set_status`` and the set-based changes it shares its writer with)."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="history", verbose_name=_("enrollment")
    )
    from_status = models.CharField(
        _("previous status"), max_length=20, choices=EnrollmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=20, choices=EnrollmentStatus.choices)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Steps made by one action (a bulk change, the places it freed on the waiting list, a move's
    # two enrollments) share a batch, by which they are undone together.
    batch = models.UUIDField(_("changed together with"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("enrollment status change")
        verbose_name_plural = _("enrollment status changes")
        ordering = ("changed_at", "pk")

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.from_status or '–'} → {self.to_status}"


class SessionKind(models.TextChoices):
    IN_PERSON = "in_person", _("In-person day")
    ONLINE = "online", _("Online meeting")
    STUDY_TOUR = "study_tour", _("Study tour or seminar abroad")
    NETWORK_WORKDAY = "network_workday", _("Network workday")
    COMMUNITY_MEETING = "community_meeting", _("Community meeting")


class Session(TimeStampedModel):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("cohort")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    starts_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    ends_on = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For sessions of more than one day.")
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(200))],
        help_text=_("Learning hours a participant who attends all of it earns."),
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    domain = models.ForeignKey(
        LearningDomain,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("learning domain"),
    )
    description = models.TextField(_("description"), blank=True)
    # A cancelled session is kept (calendars must learn of the cancellation) but earns no hours
    # and takes no attendance.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ("starts_on", "pk")
        indexes = [
            models.Index(fields=["cohort", "starts_on"]),
            # The schedule across cohorts pages through sessions by date (either direction).
            models.Index(fields=["starts_on", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="session_dates_ordered",
                violation_error_message=_("The last day cannot come before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="session_hours_positive",
                violation_error_message=_("A session must be longer than 0 hours."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def last_day(self) -> date:
        return self.ends_on or self.starts_on

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def display_title(self) -> str:
        """The title in the reader's language (Hebrew when there is no English one)."""
        return localized_name(self.title, self.title_en)

    def has_started(self, today: date) -> bool:
        """Held, or being held: its hours count and its attendance may be taken."""
        return self.starts_on <= today

    def clean(self) -> None:
        """A session takes place within its cohort's dates, and ends on or after it begins."""
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot come before the first day.")
        cohort = self.cohort if self.cohort_id else None
        if cohort is not None and self.starts_on:
            dates = {
                "start": date_format(cohort.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(cohort.end_date, "SHORT_DATE_FORMAT"),
            }
            outside = _(
                "The session must take place within the cohort's dates, %(start)s to %(end)s."
            )
            if not cohort.start_date <= self.starts_on <= cohort.end_date:
                errors["starts_on"] = outside % dates
            elif self.ends_on and self.ends_on > cohort.end_date and "ends_on" not in errors:
                errors["ends_on"] = outside % dates
        if errors:
            raise ValidationError(errors)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    PARTIAL = "partial", _("Partly present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused absence")


class Attendance(models.Model):
    """Whether one person attended one session; the hours it earns follow from the status."""

    # A session with attendance cannot be deleted: the hours it earned would vanish with it.
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("session")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    partial_hours = models.DecimalField(
        _("hours attended"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Only for partial attendance."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status="partial", partial_hours__isnull=False)
                | (~Q(status="partial") & Q(partial_hours__isnull=True)),
                name="attendance_partial_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}: {self.status}"


class Certificate(models.Model):
    """A completion certificate, issued once to a graduate who reached the hours target. The
    code is printed on it and checked by the public verification page: random, never derived
    from anything guessable."""

    enrollment = models.OneToOneField(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("enrollment"),
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued on"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code
