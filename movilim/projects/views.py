"""Pages of projects: the catalogue, a project, its edits, the portfolio and team formation."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from movilim.core.charts import Bar, BarChart
from movilim.core.errors import InvalidInput
from movilim.core.exports import table_download
from movilim.core.forms import status_for, submit_once
from movilim.core.sections import render_sections
from movilim.people.models import Person
from movilim.programs.facts import request_facts
from movilim.programs.models import MEMBER_STATUSES, Cohort
from movilim.programs.policies import PersonPolicy

from . import queries, services, teams
from .access import (
    attachment_for_edit,
    attachment_for_view,
    cohort_for,
    cohorts_for,
    link_for_edit,
    project_for_edit,
    project_for_view,
    project_policy,
)
from .forms import (
    AttachmentForm,
    CatalogueFilterForm,
    InterestsForm,
    LinkForm,
    MemberEndForm,
    MemberForm,
    ProjectForm,
    StageForm,
    TeamRulesForm,
    TeamsForm,
    TeamSwapForm,
)
from .models import Interest, MemberRole, ProjectAttachment, ProjectLink, ProjectMember
from .sections import project_page


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    policy = project_policy(request.user)  # type: ignore[arg-type]
    if not policy.user_has_permission("view"):
        raise PermissionDenied
    projects = policy.instances_user_has_permission_for("view")
    cohorts = (
        cohorts_for(request.user, "portfolio")  # type: ignore[arg-type]
        | cohorts_for(request.user, "create")  # type: ignore[arg-type]
    ).order_by("-start_date")
    form = CatalogueFilterForm(request.GET or None, cohorts=cohorts)
    filters = form.cleaned_data if form.is_valid() else {}
    page = queries.catalogue_page(projects, request.GET, filters)
    return render(
        request,
        "projects/catalogue.html",
        {
            "form": form,
            "page": page,
            "can_create": policy.user_has_permission("create"),
            "can_see_portfolio": policy.user_has_permission("portfolio"),
        },
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    view = project_for_view(request.user, pk)  # type: ignore[arg-type]
    project = view.project
    members = queries.project_members(project)
    # Names link to profiles only where the reader may open them (no dead links).
    profiles = set(
        PersonPolicy(request_facts(request))
        .instances_user_has_permission_for("view")
        .filter(pk__in=[m.person_id for m in members])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "can_edit": view.can_edit,
            "members": members,
            "profiles": profiles,
            "active_members": [m for m in members if m.ended_on is None],
            "past_members": [m for m in members if m.ended_on is not None],
            "stage_changes": list(project.stage_changes.select_related("recorded_by")),
            "organizations": list(project.organizations.all()),
            "goals": list(project.goals.all()),
            "links": list(project.links.all()),
            "attachments": list(project.attachments.all()),
            "today": timezone.localdate(),
            "sections": render_sections(project_page, request, view),
        },
    )


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    cohorts = cohorts_for(request.user, "create").order_by("-start_date")  # type: ignore[arg-type]
    if not cohorts.exists():
        raise PermissionDenied
    form = ProjectForm(request.POST or None, cohort_choices=cohorts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cohort = cohort_for(request.user, data["cohort"].pk, "create")  # type: ignore[arg-type]
        facts = request_facts(request)
        lead: list[tuple[Person, str]] = []
        if facts.person_id and cohort.pk in facts.member_cohorts:
            lead = [(Person.objects.get(pk=facts.person_id), MemberRole.LEAD)]

        def action() -> str:
            project = services.project_create(
                cohort=cohort,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                organizations=data["organizations"],
                goals=data["goals"],
                members=lead,
                started_on=timezone.localdate(),
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("The project was created."))
            return reverse("projects:detail", args=[project.pk])

        return redirect(
            submit_once(
                user=request.user,  # type: ignore[arg-type]
                token=data["submission_token"],
                action=action,
            )
        )
    return render(
        request, "projects/form.html", {"form": form, "project": None}, status=status_for(form)
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_edit(request.user, pk).project  # type: ignore[arg-type]
    initial = {
        "title": project.title,
        "kind": project.kind,
        "description": project.description,
        "goals": list(project.goals.all()),
        "organizations": list(project.organizations.all()),
    }
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.project_update(
            project=project,
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            organizations=data["organizations"],
            goals=data["goals"],
        )
        messages.success(request, _("The project was saved."))
        return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/form.html",
        {"form": form, "project": project},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def stage(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_edit(request.user, pk).project  # type: ignore[arg-type]
    form = StageForm(request.POST or None, initial={"stage": project.stage})
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_set(
                project=project,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["changed_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,  # type: ignore[arg-type]
            )
        except InvalidInput as error:
            form.add_error("changed_on", str(error))
        else:
            messages.success(request, _("The stage was recorded."))
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/simple_form.html",
        {"form": form, "project": project, "heading": _("Record a stage change")},
        status=status_for(form),
    )


def _candidates_for(project: Any) -> Any:
    """People who may join: members of the project's cohort and of its program's cohorts."""
    return (
        Person.objects.filter(
            enrollments__cohort__program_id=project.cohort.program_id,
            enrollments__status__in=MEMBER_STATUSES,
        )
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_edit(request.user, pk).project  # type: ignore[arg-type]
    form = MemberForm(
        request.POST or None,
        people=_candidates_for(project),
        initial={"started_on": timezone.localdate(), "role": MemberRole.MEMBER},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def action() -> str:
            services.member_add(
                project=project,
                person=data["person"],
                role=data["role"],
                started_on=data["started_on"],
            )
            messages.success(request, _("The member was added."))
            return reverse("projects:detail", args=[project.pk])

        try:
            return redirect(
                submit_once(
                    user=request.user,  # type: ignore[arg-type]
                    token=data["submission_token"],
                    action=action,
                )
            )
        except InvalidInput as error:
            form.add_error("person", str(error))
    return render(
        request,
        "projects/simple_form.html",
        {"form": form, "project": project, "heading": _("Add a member")},
        status=status_for(form),
    )


@require_POST
def member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    project = project_for_edit(request.user, pk).project  # type: ignore[arg-type]
    member = get_object_or_404(ProjectMember, pk=member_pk, project=project)
    form = MemberEndForm(request.POST)
    if form.is_valid():
        try:
            services.member_end(member=member, ended_on=form.cleaned_data["ended_on"])
        except InvalidInput as error:
            messages.error(request, str(error))
            return redirect("projects:detail", pk=project.pk)
        messages.success(request, _("The membership was ended."))
    else:
        messages.error(request, _("Give the last date of activity."))
    return redirect("projects:detail", pk=project.pk)


@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_edit(request.user, pk).project  # type: ignore[arg-type]
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def action() -> str:
            services.link_add(project=project, title=data["title"], url=data["url"])
            return reverse("projects:detail", args=[project.pk])

        return redirect(
            submit_once(
                user=request.user,  # type: ignore[arg-type]
                token=data["submission_token"],
                action=action,
            )
        )
    return render(
        request,
        "projects/simple_form.html",
        {"form": form, "project": project, "heading": _("Add a link")},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_edit(request.user, pk).project  # type: ignore[arg-type]
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def action() -> str:
            services.attachment_add(
                project=project,
                title=data["title"],
                upload=data["file"],
                content_type=form.content_type,
                by=request.user,  # type: ignore[arg-type]
            )
            return reverse("projects:detail", args=[project.pk])

        return redirect(
            submit_once(
                user=request.user,  # type: ignore[arg-type]
                token=data["submission_token"],
                action=action,
            )
        )
    return render(
        request,
        "projects/simple_form.html",
        {"form": form, "project": project, "heading": _("Add a file"), "multipart": True},
        status=status_for(form),
    )


def _confirm_delete(
    request: HttpRequest,
    item: ProjectLink | ProjectAttachment,
    remove: Callable[[], None],
    done: str,
) -> HttpResponse:
    """GET: a page asking to confirm. POST with its ``confirm`` field: remove, then back to the
    project. Nothing is removed by a GET or by a POST without the confirmation."""
    error = None
    if request.method == "POST" and not request.POST.get("confirm"):
        error = _("Confirm the deletion with the button below.")
    elif request.method == "POST":
        remove()
        messages.success(request, done)
        return redirect("projects:detail", pk=item.project_id)
    if isinstance(item, ProjectLink):
        heading = _("Remove the link")
        text = _("The link is removed from the project for good; the audit log keeps a record.")
    else:
        heading = _("Remove the file")
        text = _(
            "The file is removed from the project and from storage for good; the audit log "
            "keeps a record of it."
        )
    return render(
        request,
        "projects/delete_confirm.html",
        {"project": item.project, "item": item, "heading": heading, "text": text, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def link_delete(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = link_for_edit(request.user, pk, link_pk)  # type: ignore[arg-type]
    return _confirm_delete(
        request,
        link,
        lambda: services.link_delete(link=link),
        _("The link was removed."),
    )


@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    item = attachment_for_edit(request.user, pk, file_pk)  # type: ignore[arg-type]
    return _confirm_delete(
        request,
        item,
        lambda: services.attachment_delete(attachment=item),
        _("The file was removed."),
    )


@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Always a download, with the type recorded at upload, so a browser never renders it."""
    item = attachment_for_view(request.user, pk)  # type: ignore[arg-type]
    extension = item.original_name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"attachment-{item.pk}.{extension}",
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- portfolio --------------------------------------------------------------------------------


def _portfolio(request: HttpRequest) -> queries.Portfolio:
    policy = project_policy(request.user)  # type: ignore[arg-type]
    if not policy.user_has_permission("portfolio"):
        raise PermissionDenied
    cohorts = cohorts_for(request.user, "portfolio").order_by("start_date")  # type: ignore[arg-type]
    projects = policy.instances_user_has_permission_for("portfolio")
    return queries.portfolio(projects, cohorts)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    data = _portfolio(request)
    advanced_chart = BarChart(
        _("Projects in advanced implementation or beyond, by cohort"),
        _("Share of each cohort's projects in advanced implementation, at scale or completed."),
        [Bar(str(row.cohort), row.advanced_share) for row in data.cohorts],
    )
    goals_chart = BarChart(
        _("Projects per strategic goal"),
        _("Share of all projects that advance each over-goal and objective."),
        [Bar(goal.name, data.share(count)) for goal, count in data.goals],
    )
    totals_chart = BarChart(
        _("The portfolio at a glance"),
        _("Shares of all projects."),
        [
            Bar(_("Original members still active"), data.original_active_share),
            Bar(_("Cross-organization"), data.cross_organization_share),
            Bar(_("Cross-sector"), data.share(data.cross_sector)),
        ],
    )
    return render(
        request,
        "projects/dashboard.html",
        {
            "data": data,
            "advanced_chart": advanced_chart,
            "goals_chart": goals_chart,
            "totals_chart": totals_chart,
            "team_cohorts": list(
                cohorts_for(request.user, "form_teams").order_by("-start_date")[:30]  # type: ignore[arg-type]
            ),
        },
    )


@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponseBase:
    data = _portfolio(request)
    return table_download(
        filename="portfolio",
        fmt="xlsx",
        headers=[_("Cohort or section"), _("Item"), _("Projects"), _("Share (%)")],
        rows=queries.portfolio_rows(data),
    )


# --- interests and teams ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def interests(request: HttpRequest) -> HttpResponse:
    facts = request_facts(request)
    if facts.person_id is None or not facts.member_cohorts:
        raise PermissionDenied
    person = Person.objects.get(pk=facts.person_id)
    current = list(Interest.objects.filter(person=person).values_list("goal_id", flat=True))
    form = InterestsForm(
        request.POST if request.method == "POST" else None, initial={"goals": current}
    )
    if request.method == "POST" and form.is_valid():
        services.interests_set(person=person, goals=form.cleaned_data["goals"])
        messages.success(request, _("Your interests were saved."))
        return redirect("projects:interests")
    return render(request, "projects/interests.html", {"form": form}, status=status_for(form))


@require_http_methods(["GET", "POST"])
def team_formation(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    """Propose teams (``propose``); check an edited set (``check``: people moved by their team
    number, or two swapped) against the hard rules and score it again; create the group
    projects (``create``), refused while any hard rule is broken."""
    cohort = cohort_for(request.user, cohort_pk, "form_teams")  # type: ignore[arg-type]
    candidates, people = queries.team_candidates(cohort)
    emails = {p.user.email.lower(): p.pk for p in people.values()}
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("check", "create"):
        return _team_edit(request, cohort, candidates, people, emails, create=action == "create")
    form = TeamsForm(request.POST or None, emails=emails)
    context: dict[str, Any] = {"cohort": cohort, "form": form, "people": people}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = teams.propose(
                candidates,
                n_teams=data["n_teams"],
                together=data["together"],
                apart=data["apart"],
                time_limit=10.0,
            )
        except teams.Infeasible:
            form.add_error(
                None, _("These rules cannot all hold together. Loosen a pair or the sizes.")
            )
        else:
            numbered = dict(enumerate(proposal.teams, 1))
            context["proposal"] = _described(
                numbered,
                proposal.scores,
                people,
                together=data["together"],
                apart=data["apart"],
                method=proposal.method,
                seconds=proposal.seconds,
            )
    return render(request, "projects/teams.html", context, status=status_for(form))


def _team_edit(
    request: HttpRequest,
    cohort: Cohort,
    candidates: list[teams.Candidate],
    people: dict[int, Person],
    emails: dict[str, int],
    *,
    create: bool,
) -> HttpResponse:
    """An edited team set: checked against every hard rule and scored again; created as group
    projects only when ``create`` and no rule is broken."""
    post = request.POST
    rules = TeamRulesForm(
        {
            "together": "\n".join(post.getlist("together")),
            "apart": "\n".join(post.getlist("apart")),
        },
        emails=emails,
    )
    if not rules.is_valid():
        messages.error(request, _("This form has expired. Please reload the page and try again."))
        return _teams_page(request, cohort, people, rules=None, status=400)
    together, apart = rules.cleaned_data["together"], rules.cleaned_data["apart"]
    assignment = _assignment_from(post, people)
    swap = TeamSwapForm(post, people=people).pair()
    if swap is not None:
        _swap(assignment, *swap)
    broken = teams.violations(list(people), assignment, together=together, apart=apart)
    if create and assignment and not broken:
        numbered = [assignment[number] for number in sorted(assignment)]

        def action() -> str:
            created = services.teams_to_projects(
                cohort=cohort,
                teams=[[people[k] for k in team] for team in numbered],
                titles=[
                    _("Group project %(number)s") % {"number": n}
                    for n in range(1, len(numbered) + 1)
                ],
                started_on=timezone.localdate(),
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(
                request, _("%(count)s group projects were created.") % {"count": len(created)}
            )
            return reverse("projects:list") + f"?cohort={cohort.pk}&kind=group"

        try:
            token = uuid.UUID(post.get("submission_token", ""))
        except ValueError:
            messages.error(
                request, _("This form has expired. Please reload the page and try again.")
            )
        else:
            return redirect(submit_once(user=request.user, token=token, action=action))  # type: ignore[arg-type]
    scores = teams.evaluate(candidates, [assignment[n] for n in sorted(assignment)])
    proposal = _described(
        assignment,
        scores,
        people,
        together=together,
        apart=apart,
        violations=[_violation_text(v, people) for v in broken],
        unplaced=[people[v.people[0]] for v in broken if v.rule == "no_team"],
        proposed_total=_number(post.get("proposed_total", "")),
    )
    if create and broken:
        messages.error(
            request,
            _("The group projects were not created: the teams break the rules listed below."),
        )
    status = 400 if create else 200
    return _teams_page(request, cohort, people, rules=rules, proposal=proposal, status=status)


def _teams_page(
    request: HttpRequest,
    cohort: Cohort,
    people: dict[int, Person],
    *,
    rules: TeamRulesForm | None,
    proposal: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page after an edit: the proposal form shows the rules the edit was checked against."""
    initial = {}
    if rules is not None:
        initial = {"together": rules.data["together"], "apart": rules.data["apart"]}
    if proposal is not None:
        initial["team_count"] = proposal["count"]
    form = TeamsForm(initial=initial, emails={})
    context = {"cohort": cohort, "form": form, "people": people, "proposal": proposal}
    return render(request, "projects/teams.html", context, status=status)


def _assignment_from(post: Any, people: dict[int, Person]) -> dict[int, list[int]]:
    """Team number -> people, as sent: a person with two numbers is in two teams, one without
    a readable number (1 to the number of people) in none; :func:`teams.violations` says so."""
    teams_of: dict[int, list[int]] = {}
    for key in people:
        for value in dict.fromkeys(v.strip() for v in post.getlist(f"team_{key}")):
            if value.isdigit() and 1 <= int(value) <= len(people):
                teams_of.setdefault(int(value), []).append(key)
    return dict(sorted(teams_of.items()))


def _swap(assignment: dict[int, list[int]], a: int, b: int) -> None:
    """Exchange the teams of ``a`` and ``b`` when each is in exactly one team."""
    where = {key: [number for number, team in assignment.items() if key in team] for key in (a, b)}
    if len(where[a]) != 1 or len(where[b]) != 1:
        return
    team_a, team_b = assignment[where[a][0]], assignment[where[b][0]]
    team_a[team_a.index(a)] = b
    team_b[team_b.index(b)] = a


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e9 else None  # not NaN, not huge


def _violation_text(violation: teams.Violation, people: dict[int, Person]) -> str:
    """The broken rule as a sentence in the reader's language, naming the people."""
    names = [people[key].full_name for key in violation.people]
    numbers = ", ".join(str(n) for n in violation.teams)
    if violation.rule == "two_teams":
        return _("%(name)s is in more than one team (teams %(teams)s).") % {
            "name": names[0],
            "teams": numbers,
        }
    if violation.rule == "no_team":
        return _("%(name)s is in no team: give a team number.") % {"name": names[0]}
    if violation.rule == "sizes":
        return _(
            "Team sizes must be within one of each other: team %(small)s has %(low)s people "
            "and team %(large)s has %(high)s."
        ) % {
            "small": violation.teams[0],
            "low": violation.sizes[0],
            "large": violation.teams[1],
            "high": violation.sizes[1],
        }
    if violation.rule == "together":
        return _(
            "%(first)s and %(second)s must be together, but are in teams %(one)s and %(other)s."
        ) % {
            "first": names[0],
            "second": names[1],
            "one": violation.teams[0],
            "other": violation.teams[1],
        }
    return _("%(first)s and %(second)s must be apart, but are both in team %(team)s.") % {
        "first": names[0],
        "second": names[1],
        "team": violation.teams[0],
    }


def _described(
    numbered: dict[int, list[int]],
    scores: list[teams.TeamScore],
    people: dict[int, Person],
    *,
    together: list[tuple[int, int]],
    apart: list[tuple[int, int]],
    method: str = "",
    seconds: float = 0.0,
    violations: list[str] | None = None,
    unplaced: list[Person] | None = None,
    proposed_total: float | None = None,
) -> dict[str, Any]:
    """The proposal (or an edit of it) as the page shows it: each team with its score part by
    part, the rules it was checked against (carried by the edit form), and what it breaks."""
    from .models import StrategicGoal

    goal_names = {g.pk: g.name for g in StrategicGoal.objects.all()}
    methods = {
        "exact": _("the exact model (proven best)"),
        "exact (time limit)": _("the exact model, stopped at its time limit"),
        "greedy + local search": _("a greedy start improved by swaps"),
    }

    def email(key: int) -> str:
        return people[key].user.email

    def names(pairs: list[tuple[int, int]]) -> list[str]:
        return [f"{people[a].full_name} – {people[b].full_name}" for a, b in pairs]

    objective = sum(score.total for score in scores)
    return {
        "edited": not method,
        "method": methods.get(method, method),
        "seconds": seconds,
        "objective": objective,
        "proposed_total": proposed_total,
        # What the proposal scored, carried through the edits to compare with.
        "carried_total": repr(objective if proposed_total is None else proposed_total),
        "count": len(numbered),
        "max_team": max(len(people), 1),
        "teams": [
            {
                "number": number,
                "members": [people[k] for k in team],
                "score": score,
                "focus": goal_names.get(score.focus) if score.focus else "",
            }
            for (number, team), score in zip(numbered.items(), scores, strict=True)
        ],
        "violations": violations or [],
        "unplaced": unplaced or [],
        "together": [f"{email(a)}, {email(b)}" for a, b in together],
        "apart": [f"{email(a)}, {email(b)}" for a, b in apart],
        "together_names": names(together),
        "apart_names": names(apart),
        "swap": TeamSwapForm(people=people),
        "submission_token": uuid.uuid4(),
        "weights": {
            "sector": teams.W_SECTOR,
            "profile": teams.W_PROFILE,
            "org": teams.W_SAME_ORG,
            "gender": teams.W_GENDER,
            "interest": teams.W_INTEREST,
        },
    }
