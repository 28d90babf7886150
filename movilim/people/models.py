"""People and the organizations they come from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from movilim.core.models import BilingualNameModel, TimeStampedModel


class OrganizationKind(models.TextChoices):
    GOV_HQ = "gov_hq", _("Government ministry – HQ or regulation")
    GOV_EXECUTION = "gov_execution", _("Government ministry – execution")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """The sector mix of a cohort groups organization kinds (both ministry kinds are government)."""

    GOVERNMENT = "government", _("Government ministries")
    LOCAL = "local", _("Local government")
    CIVIL = "civil", _("Civil society")
    OTHER = "other", _("Other")


SECTOR_OF_KIND: dict[str, str] = {
    OrganizationKind.GOV_HQ: Sector.GOVERNMENT,
    OrganizationKind.GOV_EXECUTION: Sector.GOVERNMENT,
    OrganizationKind.LOCAL_AUTHORITY: Sector.LOCAL,
    OrganizationKind.CIVIL_SOCIETY: Sector.CIVIL,
    OrganizationKind.OTHER: Sector.OTHER,
}


class Organization(BilingualNameModel, TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    region = models.CharField(
        _("region or cluster"),
        max_length=100,
        blank=True,
        help_text=_("For local authorities: their region or regional cluster."),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ("name_he",)
        constraints = [
            models.UniqueConstraint(fields=["name_he"], name="organization_unique_name_he"),
        ]

    @property
    def sector(self) -> str:
        return SECTOR_OF_KIND[self.kind]


class Gender(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Other")


class ProfileType(models.TextChoices):
    POLICY = "policy", _("Policy or content")
    TECHNOLOGY = "technology", _("Technology")
    BOTH = "both", _("Policy and technology")


class Person(TimeStampedModel):
    """A person's profile. Names and e-mail live on their user account, which they sign in with.

    Gender, minority status and contact details are sensitive: only program staff and the person
    themself see them (``programs.access``), in pages and in exports alike.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="person",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organization"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    profile_type = models.CharField(
        _("profile"), max_length=20, choices=ProfileType.choices, blank=True
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    minority = models.BooleanField(
        _("belongs to a minority population"),
        null=True,
        blank=True,
        help_text=_("Self-declared. Leave empty when not stated."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    expertise = models.CharField(
        _("areas of expertise"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, for example: service design, data, procurement."),
    )
    bio = models.TextField(_("about"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ("user__last_name", "user__first_name")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def expertise_list(self) -> list[str]:
        return [item.strip() for item in self.expertise.split(",") if item.strip()]
