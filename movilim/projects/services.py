"""Every write to projects: keyword-only functions, one transaction each. The models are
registered with the audit log (``apps.py``), which records who changed what."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from movilim.core.errors import InvalidInput
from movilim.people.models import SECTOR_OF_KIND, Organization, Person
from movilim.programs.models import Cohort

from .models import (
    Interest,
    MemberRole,
    Project,
    ProjectAttachment,
    ProjectKind,
    ProjectLink,
    ProjectMember,
    Stage,
    StageChange,
    StrategicGoal,
)

if TYPE_CHECKING:
    from movilim.core.models import User


def _derive_crossing(project: Project) -> None:
    """Cross-organization and cross-sector follow from the organizations involved."""
    kinds = list(project.organizations.values_list("kind", flat=True))
    project.is_cross_organization = len(kinds) > 1
    project.is_cross_sector = len({SECTOR_OF_KIND[kind] for kind in kinds}) > 1
    project.save(update_fields=["is_cross_organization", "is_cross_sector", "updated_at"])


@transaction.atomic
def project_create(
    *,
    cohort: Cohort,
    title: str,
    kind: str,
    description: str = "",
    organizations: Iterable[Organization] = (),
    goals: Iterable[StrategicGoal] = (),
    members: Sequence[tuple[Person, str]] = (),
    started_on: datetime.date,
    by: User | None = None,
) -> Project:
    """A new project at the idea stage; ``members`` (person, role) are its original team, whose
    organizations join the organizations involved."""
    project = Project.objects.create(
        cohort=cohort,
        title=title,
        kind=kind,
        description=description,
        stage=Stage.IDEA,
        stage_since=started_on,
    )
    StageChange.objects.create(
        project=project, stage=Stage.IDEA, changed_on=started_on, recorded_by=by
    )
    project.goals.set(list(goals))
    orgs = {org.pk for org in organizations}
    for person, role in members:
        ProjectMember.objects.create(
            project=project, person=person, role=role, started_on=started_on, is_original=True
        )
        if person.organization_id:
            orgs.add(person.organization_id)
    project.organizations.set(list(orgs))
    _derive_crossing(project)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    title: str,
    kind: str,
    description: str,
    organizations: Iterable[Organization],
    goals: Iterable[StrategicGoal],
) -> Project:
    project.title, project.kind, project.description = title, kind, description
    project.save(update_fields=["title", "kind", "description", "updated_at"])
    project.organizations.set(list(organizations))
    project.goals.set(list(goals))
    _derive_crossing(project)
    return project


@transaction.atomic
def stage_set(
    *, project: Project, stage: str, on: datetime.date, reason: str = "", by: User | None
) -> StageChange:
    """Move the project to ``stage`` as of ``on``; a stalled project needs a reason, and a
    change may not be dated before the last one (the history stays in order)."""
    if stage == Stage.STALLED and not reason.strip():
        raise InvalidInput(_("Say why the project stalled."))
    last = project.stage_changes.order_by("-changed_on", "-id").first()
    if last is not None and on < last.changed_on:
        raise InvalidInput(
            _("The date cannot be before the last recorded change (%(date)s).")
            % {"date": last.changed_on.strftime("%d/%m/%Y")}
        )
    change = StageChange.objects.create(
        project=project, stage=stage, changed_on=on, reason=reason.strip(), recorded_by=by
    )
    project.stage, project.stage_since = stage, on
    project.save(update_fields=["stage", "stage_since", "updated_at"])
    return change


@transaction.atomic
def member_add(
    *, project: Project, person: Person, role: str, started_on: datetime.date
) -> ProjectMember:
    if ProjectMember.objects.filter(project=project, person=person, ended_on=None).exists():
        raise InvalidInput(_("This person is already an active member of the project."))
    member = ProjectMember.objects.create(
        project=project, person=person, role=role, started_on=started_on
    )
    if (
        person.organization_id
        and not project.organizations.filter(pk=person.organization_id).exists()
    ):
        project.organizations.add(person.organization_id)
        _derive_crossing(project)
    return member


@transaction.atomic
def member_end(*, member: ProjectMember, ended_on: datetime.date) -> ProjectMember:
    if member.ended_on is not None:
        raise InvalidInput(_("This membership has already ended."))
    if ended_on < member.started_on:
        raise InvalidInput(_("A membership cannot end before it started."))
    member.ended_on = ended_on
    member.save(update_fields=["ended_on"])
    return member


@transaction.atomic
def link_add(*, project: Project, title: str, url: str) -> ProjectLink:
    return ProjectLink.objects.create(project=project, title=title, url=url)


@transaction.atomic
def attachment_add(
    *, project: Project, title: str, upload: UploadedFile, content_type: str, by: User
) -> ProjectAttachment:
    """``upload`` was checked by the form (size before reading, then its type)."""
    return ProjectAttachment.objects.create(
        project=project,
        title=title,
        file=upload,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )


@transaction.atomic
def link_delete(*, link: ProjectLink) -> None:
    """Remove a link; the audit log keeps what it was and who removed it."""
    locked = ProjectLink.objects.select_for_update().filter(pk=link.pk).first()
    if locked is not None:  # else removed meanwhile by someone else
        locked.delete()


@transaction.atomic
def attachment_delete(*, attachment: ProjectAttachment) -> None:
    """Remove a file's record now and its stored content once the transaction commits.

    The content goes last: were it removed first and the transaction rolled back, the record
    would point at nothing. The audit log keeps the record's fields and who removed it.
    """
    locked = ProjectAttachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if locked is None:
        return  # removed meanwhile by someone else
    storage, name = locked.file.storage, locked.file.name
    locked.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def interests_set(*, person: Person, goals: Iterable[StrategicGoal]) -> None:
    wanted = {goal.pk for goal in goals}
    Interest.objects.filter(person=person).exclude(goal_id__in=wanted).delete()
    have = set(Interest.objects.filter(person=person).values_list("goal_id", flat=True))
    Interest.objects.bulk_create(
        [Interest(person=person, goal_id=goal_id) for goal_id in sorted(wanted - have)]
    )


@transaction.atomic
def teams_to_projects(
    *,
    cohort: Cohort,
    teams: Sequence[Sequence[Person]],
    titles: Sequence[str],
    started_on: datetime.date,
    by: User | None,
) -> list[Project]:
    """Each team becomes a group project of the cohort, its people the original members."""
    projects = []
    for title, team in zip(titles, teams, strict=True):
        projects.append(
            project_create(
                cohort=cohort,
                title=title,
                kind=ProjectKind.GROUP,
                members=[
                    (person, MemberRole.LEAD if index == 0 else MemberRole.MEMBER)
                    for index, person in enumerate(team)
                ],
                started_on=started_on,
                by=by,
            )
        )
    return projects
