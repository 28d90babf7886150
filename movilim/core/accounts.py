"""Signing in, passwords and invitations: the views around Django's own, and their audit trail.

Django's authentication views do the work; the subclasses here add what the program needs on
top: one spelling of the sign-in address (for login and for the lockout alike), a rate limit on
reset mails, a lasting ``AccountEvent`` for failed logins and every password change, and the
invitation link through which imported people choose their first password.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from .invitations import invitation_accepted, invitation_token_generator, superseded
from .models import AccountEvent, User, normalize_username

logger = logging.getLogger(__name__)


# --- one spelling of the sign-in address -------------------------------------------------------


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The name django-axes counts failures under (``AXES_USERNAME_CALLABLE``)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalize_username(credentials.get(field))
    data = getattr(request, "data", None) or request.POST
    return normalize_username(data.get(field))


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form, matching the address however it was typed."""

    def clean_username(self) -> str:
        return normalize_username(self.cleaned_data.get("username"))


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


# --- audit -------------------------------------------------------------------------------------


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the lockout sees it (honours ``AXES_PROXY_COUNT``)."""
    if request is None:
        return None
    return get_client_ip_address(request) or None


def record_account_event(
    *, kind: str, request: HttpRequest | None, user: User | None = None, email: str = ""
) -> AccountEvent:
    """Keep a lasting record of something that happened to an account's credentials."""
    email = normalize_username(email or (user.email if user else ""))
    return AccountEvent.objects.create(
        kind=kind, user=user, email=email[:254], ip=client_ip(request)
    )


@receiver(user_login_failed, dispatch_uid="movilim.core.accounts.login_failed")
def _login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = normalize_username(credentials.get("username") or credentials.get("email"))
    user = User.objects.filter(email=email).first() if email else None
    record_account_event(
        kind=AccountEvent.Kind.LOGIN_FAILED, request=request, user=user, email=email
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: auth_forms.PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        record_account_event(
            kind=AccountEvent.Kind.PASSWORD_CHANGED, request=self.request, user=form.user
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: auth_forms.SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        record_account_event(
            kind=AccountEvent.Kind.PASSWORD_RESET, request=self.request, user=form.user
        )
        return response


# --- rate limit on reset mails -----------------------------------------------------------------


def _count(key: str, window: int) -> int:
    """Add one to a counter that lives ``window`` seconds from its first use; the new count.

    Counters live in Django's cache: per process with the default local-memory cache, shared
    by every process and host when REDIS_URL points the cache at Redis (see settings).
    """
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Whether another reset mail may go to this address from this client now.

    Both counters move on every request, known address or not, so that the limit itself
    reveals nothing about which addresses have accounts.
    """
    window = settings.PASSWORD_RESET_LIMIT_WINDOW
    digest = hashlib.sha256(normalize_username(email).encode()).hexdigest()
    per_address = _count(f"password-reset:address:{digest}", window)
    per_ip = _count(f"password-reset:ip:{client_ip(request) or 'unknown'}", window)
    return (
        per_address <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        and per_ip <= settings.PASSWORD_RESET_LIMIT_PER_IP
    )


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
        if password_reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        logger.warning("Password reset over the limit from %s", client_ip(self.request))
        # The same answer as when a mail went, so the page reveals nothing.
        return HttpResponseRedirect(self.get_success_url())


# --- invitations -------------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The page an invitation links to: choose a password, and be signed in.

    Django's reset confirmation with the invitation's token: the link moves into the session
    at once (so it never leaks in a Referer header) and stops working once the password is set.
    """

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not context.get("validlink"):
            # Say so when the link is refused because a newer invitation replaced it.
            token = self.kwargs.get("token", "")
            if token == self.reset_url_token:
                token = self.request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN, "")
            context["superseded"] = superseded(self.user, token)
        return context

    def form_valid(self, form: auth_forms.SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        invitation_accepted(form.user)
        record_account_event(
            kind=AccountEvent.Kind.INVITATION_ACCEPTED, request=self.request, user=form.user
        )
        messages.success(self.request, _("Welcome! Your password is set and you are signed in."))
        return response
