"""The 7 Lenses matrix as data, and assessments of projects and organizations against it.

An :class:`Assessment` is one person's reading of one subject (a project, or an organization's
digital maturity as kept by a program) at one date: a level per lens with an optional note.
Several team members assess the same project at the same date; the pages show the median and
spread of their levels, since the lenses where they disagree are the conversation to have.
The matrix's content is loaded by the migration ``0002_matrix``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from movilim.core.formatting import localized_name
from movilim.people.models import Organization
from movilim.programs.models import Program
from movilim.projects.models import Project

LEVELS = (1, 2, 3, 4, 5)


class Lens(models.Model):
    key = models.SlugField(_("key"), max_length=20, unique=True)
    position = models.PositiveSmallIntegerField(_("order"))
    name_he = models.CharField(_("name (Hebrew)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    purpose_he = models.CharField(_("purpose (Hebrew)"), max_length=300)
    purpose_en = models.CharField(_("purpose (English)"), max_length=300)

    class Meta:
        verbose_name = _("lens")
        verbose_name_plural = _("lenses")
        ordering = ("position",)

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized_name(self.name_he, self.name_en)

    @property
    def purpose(self) -> str:
        return localized_name(self.purpose_he, self.purpose_en)


class LensLevel(models.Model):
    lens = models.ForeignKey(
        Lens, on_delete=models.CASCADE, related_name="levels", verbose_name=_("lens")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    text_he = models.CharField(_("descriptor (Hebrew)"), max_length=400)
    text_en = models.CharField(_("descriptor (English)"), max_length=400)

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        ordering = ("lens__position", "level")
        constraints = [
            models.UniqueConstraint(fields=["lens", "level"], name="lens_level_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="lens_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lens_id}:{self.level}"

    @property
    def text(self) -> str:
        return localized_name(self.text_he, self.text_en)


class Assessment(models.Model):
    """Either a project's (by a team member) or an organization's (by staff of ``program``)."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("project"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="maturity_assessments",
        verbose_name=_("organization"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    assessed_on = models.DateField(_("date of the assessment"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, organization__isnull=True, program__isnull=True)
                    | Q(project__isnull=True, organization__isnull=False, program__isnull=False)
                ),
                name="assessment_one_subject",
            ),
            # One reading per person, subject and date: assessing again that day replaces it.
            models.UniqueConstraint(
                fields=["project", "assessor", "assessed_on"],
                condition=Q(project__isnull=False),
                name="assessment_project_once",
            ),
            models.UniqueConstraint(
                fields=["organization", "program", "assessor", "assessed_on"],
                condition=Q(organization__isnull=False),
                name="assessment_organization_once",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "assessed_on"]),
            models.Index(fields=["program", "organization", "assessed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.project_id or self.organization_id} {self.assessed_on}"


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    lens = models.ForeignKey(Lens, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "lens"], name="score_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.lens_id}={self.level}"


class Horizon(models.IntegerChoices):
    SIX = 6, _("in 6 months")
    TWELVE = 12, _("in 12 months")


class Target(models.Model):
    """The level a project's team aims at on a lens, and by when; setting it again replaces it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="lens_targets", verbose_name=_("project")
    )
    lens = models.ForeignKey(Lens, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("target level"))
    horizon = models.PositiveSmallIntegerField(_("horizon"), choices=Horizon.choices)
    set_on = models.DateField(_("set on"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["project", "lens"], name="target_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="target_range"),
        ]

    def __str__(self) -> str:
        return f"{self.lens_id}→{self.level}"
