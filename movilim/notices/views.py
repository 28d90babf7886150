"""The in-app list of notices, marking them read, e-mail choices, one-click unsubscribe, and the
personal calendar feed (its page and its secret address)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from movilim.core.calendars import ics_response
from movilim.core.models import User

from . import feeds, kinds, services
from .forms import PreferencesForm
from .models import Notice, NoticePreference
from .unsubscribe import read_token

PAGE_SIZE = 30


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """The reader's own notices, newest first, thirty a page."""
    notices = Notice.objects.filter(user=request.user).only(
        "pk", "kind", "title", "body", "link", "created_at", "read_at"
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page})


@require_POST
def notice_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice read (``notice`` in the form), or all of them."""
    raw = request.POST.get("notice", "")
    ids = [int(raw)] if raw.isdigit() else None
    if raw and ids is None:
        messages.error(request, _("That notice could not be found."))
        return redirect("notices:list")
    changed = services.notices_mark_read(user=request.user, notice_ids=ids)  # type: ignore[arg-type]
    if ids is None:
        messages.success(request, _("All notices are marked read."))
    elif changed:
        messages.success(request, _("The notice is marked read."))
    return redirect("notices:list")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    current = dict(NoticePreference.objects.filter(user=user).values_list("kind", "email"))
    form = PreferencesForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind in kinds.all_kinds():
            services.preference_set(user=user, kind=kind.name, email=form.cleaned_data[kind.name])
        messages.success(request, _("Your choices were saved."))
        return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail programs POST without a CSRF token
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page asking to confirm. POST (its button, or a mail program's one-click request
    per RFC 8058): no more e-mail of that kind for that user."""
    found = read_token(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    kind = kinds.get(found[1]) if found else None
    if user is None or kind is None:
        return render(request, "notices/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST" and request.POST.get("List-Unsubscribe") != "One-Click":
        # The page's own button carries a CSRF token like any form; only the one-click request
        # of RFC 8058, which mail programs send without one, is let through on the token alone.
        refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
        if refused is not None:
            return refused
    if request.method == "POST":
        services.preference_set(user=user, kind=kind.name, email=False)
        done = True
    return render(request, "notices/unsubscribe.html", {"kind": kind, "done": done, "token": token})


# --- the personal calendar feed -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    """The user's calendar feed: its secret address to copy, a new address, or none at all."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            services.calendar_feed_renew(user=user)
            messages.success(
                request, _("Your calendar has a new address; the old one no longer works.")
            )
        elif action == "revoke":
            services.calendar_feed_revoke(user=user)
            messages.success(request, _("Your calendar address was removed and no longer works."))
        else:
            messages.error(request, _("Choose to create a new address or to remove it."))
            return render(request, "notices/calendar.html", _calendar_context(user), status=400)
        return redirect("notices:calendar")
    return render(request, "notices/calendar.html", _calendar_context(user))


def _calendar_context(user: User) -> dict[str, Any]:
    token = services.calendar_feed_token(user=user)
    url = settings.SITE_URL + reverse("notices:calendar_feed", args=[token]) if token else ""
    return {
        "feed": bool(token),
        "feed_url": url,
        "holds": [source.label for source in feeds.sources()],
    }


@login_not_required  # the secret token is the credential (calendar applications cannot log in)
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's one calendar: whatever the apps registered (``feeds``) for them."""
    user = services.calendar_feed_user(token)
    if user is None:
        raise Http404
    entries = feeds.entries_for(user, today=timezone.localdate())
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Movilim")
    return ics_response(entries, name=name, filename="movilim.ics")
