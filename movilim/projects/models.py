"""Projects: what participants build, who worked on them when, and how far they got.

A project's current stage is kept on the project for lists and filters, and every change is kept
in :class:`StageChange`, so the stage is never typed without its date. Whether a project is
cross-organization or cross-sector is derived from the organizations involved (the services
recompute it whenever they change), never typed by anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from movilim.core.models import BilingualNameModel, TimeStampedModel
from movilim.people.models import Organization, Person
from movilim.programs.models import Cohort


class GoalKind(models.TextChoices):
    OVER_GOAL = "over_goal", _("Over-goal")
    OBJECTIVE = "objective", _("Strategic objective")


class StrategicGoal(BilingualNameModel):
    """The three over-goals and nine strategic objectives of Israel Digital (loaded by the
    migration ``0002_strategic_goals``)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=GoalKind.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ("kind", "position")


class ProjectKind(models.TextChoices):
    PERSONAL = "personal", _("Personal project (accelerator)")
    GROUP = "group", _("Group project (incubator)")
    AUTHORITY = "authority", _("Local authority group project")
    WORK_PLAN = "work_plan", _("Strategic digital work plan")
    NETWORK = "network", _("Network initiative")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    DESIGN = "design", _("Design")
    PILOT = "pilot", _("Pilot")
    IMPLEMENTATION = "implementation", _("Implementation")
    ADVANCED = "advanced", _("Advanced implementation or at scale")
    COMPLETED = "completed", _("Completed")
    STALLED = "stalled", _("Stalled")


#: The path a project moves along; a stalled project left it, with a reason.
STAGE_ORDER: tuple[str, ...] = (
    Stage.IDEA,
    Stage.DESIGN,
    Stage.PILOT,
    Stage.IMPLEMENTATION,
    Stage.ADVANCED,
    Stage.COMPLETED,
)
#: Stages that count as "advanced implementation or beyond" in the portfolio.
ADVANCED_STAGES: tuple[str, ...] = (Stage.ADVANCED, Stage.COMPLETED)


class Project(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="projects", verbose_name=_("cohort")
    )
    description = models.TextField(_("description"), blank=True)
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="projects", verbose_name=_("organizations involved")
    )
    goals = models.ManyToManyField(
        StrategicGoal, blank=True, related_name="projects", verbose_name=_("strategic goals")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    stage_since = models.DateField(_("in this stage since"))
    # Derived from the organizations involved by the services; never typed.
    is_cross_organization = models.BooleanField(_("cross-organization"), default=False)
    is_cross_sector = models.BooleanField(_("cross-sector"), default=False)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["cohort", "stage"]),
            models.Index(fields=["-stage_since", "-id"], name="project_recent"),
            models.Index(fields=["title", "id"], name="project_title"),
        ]

    def __str__(self) -> str:
        return self.title


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Team member")
    PARTNER = "partner", _("Partner from the field")
    MENTOR = "mentor", _("Mentor")


class ProjectMember(models.Model):
    """A person's part in a project over a period. ``is_original``: they were on the team when
    the project was formed, which the portfolio follows (are the founders still involved?)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="members", verbose_name=_("project")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="project_roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    started_on = models.DateField(_("active from"))
    ended_on = models.DateField(_("active until"), null=True, blank=True)
    is_original = models.BooleanField(_("original member"), default=False)

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="project_member_period",
            ),
            # One open period per person and project: a return opens a new row later.
            models.UniqueConstraint(
                fields=["project", "person"],
                condition=Q(ended_on__isnull=True),
                name="project_member_one_open",
            ),
        ]
        indexes = [models.Index(fields=["person", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.project}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class StageChange(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("project")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    changed_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ("changed_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=Stage.STALLED) | ~Q(reason=""),
                name="stage_stalled_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.changed_on}"


class ProjectLink(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="links", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ("added_at", "id")

    def __str__(self) -> str:
        return self.title


class ProjectAttachment(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="projects/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("added_at", "id")

    def __str__(self) -> str:
        return self.title


class Interest(models.Model):
    """A strategic objective a participant would like to work on; team formation respects it."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="interests", verbose_name=_("person")
    )
    goal = models.ForeignKey(
        StrategicGoal, on_delete=models.CASCADE, related_name="+", verbose_name=_("objective")
    )

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [models.UniqueConstraint(fields=["person", "goal"], name="interest_unique")]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.goal_id}"
