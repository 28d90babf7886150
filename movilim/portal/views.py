"""The home page: what the program is for visitors, and each app's sections for everyone else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from movilim.core import sections
from movilim.core.roles import Role
from movilim.programs.facts import request_facts
from movilim.programs.models import Program


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        programs = Program.objects.filter(is_active=True).order_by("kind")
        return render(request, "portal/landing.html", {"programs": programs})
    access = request_facts(request)
    return render(
        request,
        "portal/home.html",
        {
            "role_labels": [Role(role).label for role in access.roles],
            "sections": sections.render_sections(sections.home, request),
        },
    )
