"""Who may use each page of ``movilim.projects``: this app's entries of the every-URL table
(``tests/test_url_access.py``).

The project of a World is one of ``w.cohort``, led by ``w.participant_person``; in the mirrored
World it is the other cohort's, led by the outsider. Staff of one program are refused on the
other's projects. The steering committee sees the portfolio (counts), never project pages.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.files.base import ContentFile
from django.utils import timezone

from movilim.maturity.reference import ensure_matrix
from movilim.programs.models import MEMBER_STATUSES, Enrollment
from movilim.projects.models import (
    MemberRole,
    Project,
    ProjectAttachment,
    ProjectLink,
    ProjectMember,
    StageChange,
    StrategicGoal,
)

from ..access_rules import Rule

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
READERS = frozenset({"participant", "coordinator", "manager", "evaluator", "admin"})
EDITORS = frozenset({"participant", "coordinator", "manager", "admin"})
MEMBERS = frozenset({"participant", "outsider"})
PORTFOLIO = frozenset({"coordinator", "manager", "evaluator", "steering", "admin"})
MANAGERS = frozenset({"coordinator", "manager", "admin"})
START = datetime.date(2026, 1, 15)


def project_of(w) -> Project:  # type: ignore[no-untyped-def]
    ensure_matrix()
    project, created = Project.objects.get_or_create(
        cohort=w.cohort,
        title=f"מיזם {w.cohort.pk}",
        defaults={"kind": "group", "stage_since": START},
    )
    if created:
        StageChange.objects.create(project=project, stage="idea", changed_on=START)
        ProjectMember.objects.create(
            project=project,
            person=w.participant_person,
            role=MemberRole.LEAD,
            started_on=START,
            is_original=True,
        )
    return project


def member_of(w) -> ProjectMember:  # type: ignore[no-untyped-def]
    return ProjectMember.objects.get(project=project_of(w), person=w.participant_person)


def attachment_of(w) -> ProjectAttachment:  # type: ignore[no-untyped-def]
    project = project_of(w)
    item = ProjectAttachment.objects.filter(project=project).first()
    if item is None:
        item = ProjectAttachment(
            project=project,
            title="מצגת",
            original_name="deck.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        item.file.save("deck.pdf", ContentFile(PDF), save=True)
    return item


def link_of(w) -> ProjectLink:  # type: ignore[no-untyped-def]
    project = project_of(w)
    link = ProjectLink.objects.filter(project=project).first()
    return link or ProjectLink.objects.create(
        project=project, title="אתר המיזם", url="https://www.gov.il/"
    )


def _rights() -> int:
    ensure_matrix()
    return StrategicGoal.objects.get(key="rights").pk


def _token() -> str:
    return str(uuid.uuid4())


def _project_form(w) -> dict:  # type: ignore[no-untyped-def]
    return {
        "cohort": w.cohort.pk,
        "title": "שירות דיגיטלי לתושבים",
        "kind": "personal",
        "description": "",
        "submission_token": _token(),
    }


def _edit_form(w) -> dict:  # type: ignore[no-untyped-def]
    ensure_matrix()
    goal = StrategicGoal.objects.get(key="rights")
    return {
        "title": "מיזם מעודכן",
        "kind": "group",
        "description": "תיאור",
        "goals": [goal.pk],
        "submission_token": _token(),
    }


def _teams_form(w) -> dict:  # type: ignore[no-untyped-def]
    people = Enrollment.objects.filter(cohort=w.cohort, status__in=MEMBER_STATUSES).values_list(
        "person_id", flat=True
    )
    return {
        "action": "create",
        "submission_token": _token(),
        **{f"team_{pk}": "1" for pk in people},
    }


def _upload(w):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "title": "סיכום",
        "file": SimpleUploadedFile("summary.pdf", PDF, content_type="application/pdf"),
        "submission_token": _token(),
    }


RULES: dict[str, Rule] = {
    "projects:list": Rule(READERS | MEMBERS),
    "projects:create": Rule(EDITORS | MEMBERS, post=EDITORS | MEMBERS, data=_project_form),
    "projects:detail": Rule(READERS, args=lambda w: [project_of(w).pk]),
    "projects:edit": Rule(
        EDITORS, args=lambda w: [project_of(w).pk], post=EDITORS, data=_edit_form
    ),
    "projects:stage": Rule(
        EDITORS,
        args=lambda w: [project_of(w).pk],
        post=EDITORS,
        data=lambda w: {
            "stage": "stalled",
            "changed_on": timezone.localdate().isoformat(),
            "reason": "אין תקציב",
        },
    ),
    "projects:member_add": Rule(
        EDITORS,
        args=lambda w: [project_of(w).pk],
        post=EDITORS,
        data=lambda w: {
            "person": w.fellow_person.pk,
            "role": "member",
            "started_on": "2026-02-01",
            "submission_token": _token(),
        },
    ),
    "projects:member_end": Rule(
        EDITORS,
        args=lambda w: [project_of(w).pk, member_of(w).pk],
        post=EDITORS,
        post_only=True,
        data=lambda w: {"ended_on": "2026-03-01"},
    ),
    "projects:link_add": Rule(
        EDITORS,
        args=lambda w: [project_of(w).pk],
        post=EDITORS,
        data=lambda w: {
            "title": "אתר",
            "url": "https://www.gov.il/",
            "submission_token": _token(),
        },
    ),
    "projects:attachment_add": Rule(
        EDITORS, args=lambda w: [project_of(w).pk], post=EDITORS, data=_upload
    ),
    "projects:attachment": Rule(READERS, args=lambda w: [attachment_of(w).pk]),
    # Removing asks first (GET), then removes on a POST that confirms.
    "projects:link_delete": Rule(
        EDITORS,
        args=lambda w: [project_of(w).pk, link_of(w).pk],
        post=EDITORS,
        data=lambda w: {"confirm": "1"},
    ),
    "projects:attachment_delete": Rule(
        EDITORS,
        args=lambda w: [project_of(w).pk, attachment_of(w).pk],
        post=EDITORS,
        data=lambda w: {"confirm": "1"},
    ),
    "projects:dashboard": Rule(PORTFOLIO),
    "projects:dashboard_export": Rule(PORTFOLIO),
    "projects:interests": Rule(
        MEMBERS,
        post=MEMBERS,
        data=lambda w: {"goals": [_rights()]},
    ),
    "projects:teams": Rule(MANAGERS, args=lambda w: [w.cohort.pk], post=MANAGERS, data=_teams_form),
}
