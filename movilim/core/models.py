"""Accounts and the small shared pieces every app builds on."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .formatting import localized_name


class UserManager(DjangoUserManager["User"]):
    """Users sign in with their e-mail address; there is no separate user name."""

    use_in_migrations = True

    def _create_user(  # type: ignore[override]
        self, email: str, password: str | None, **extra_fields: Any
    ) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # "Dana@Gov.il" signs in as "dana@gov.il". Compared through lower(), which the
        # case-insensitive unique index below serves, so the lookup stays an index read.
        return self.alias(email_lower=Lower("email")).get(email_lower=normalize_username(username))


def normalize_username(value: object) -> str:
    """The one spelling of a sign-in name: trimmed and lower-case.

    Login, the lockout counter (django-axes) and the audit of failed logins all key on it, so
    ``EVALUATOR@…`` is the same account, and the same lockout, as ``evaluator@…``.
    """
    return str(value or "").strip().lower()


def user_label(first_name: str, last_name: str, email: str) -> str:
    """What ``str(user)`` is (the full name, else the address), from the values alone: for the
    audit entries of accounts written in bulk, without an instance."""
    return f"{first_name} {last_name}".strip() or email


class User(AbstractUser):
    """A login. What a person is in the program (participant, staff…) comes from other records."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("last_name", "first_name")
        # Lists of people sort by name and show one page: with this index the database reads
        # just that page instead of sorting everyone.
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            # Addresses are saved lower-case, but writes that bypass save() (bulk inserts, SQL)
            # must not create a second account that differs only by case either.
            models.UniqueConstraint(
                Lower("email"),
                name="core_user_email_lower_unique",
                violation_error_message=_("A user with this e-mail address already exists."),
            )
        ]

    def __str__(self) -> str:
        return user_label(self.first_name, self.last_name, self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameModel(models.Model):
    """A name kept in Hebrew and English; pages show the one for the reader's language."""

    name_he = models.CharField(_("name (Hebrew)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized_name(self.name_he, self.name_en)


class SubmissionToken(models.Model):
    """Remembers a submitted form so that sending it twice acts once (see ``core.forms``)."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    next_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.key)


class AccountEvent(models.Model):
    """A lasting record of what happened to an account's credentials.

    Written for failed logins and for every password change, reset or first choice, so that a
    guessing attack or a taken-over account can be traced after django-axes has forgotten the
    failures (its counters expire with the cool-off).
    """

    class Kind(models.TextChoices):
        LOGIN_FAILED = "login_failed", _("failed login")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        PASSWORD_RESET = "password_reset", _("password reset by e-mail")
        INVITATION_ACCEPTED = "invitation_accepted", _("password chosen from an invitation")

    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.CharField(_("e-mail address as typed"), max_length=254, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ("-at",)
        indexes = [models.Index(fields=["email", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.email}"


class Invitation(models.Model):
    """The e-mail that lets a person without a password choose one; one per user, re-sendable.

    People created by an import or an enrollment have no usable password, and Django's "forgot
    your password" skips such accounts on purpose, so this is their way in.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        ACCEPTED = "accepted", _("accepted")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="invitation",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    send_count = models.PositiveIntegerField(_("times sent"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_state_display()}"
