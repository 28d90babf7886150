"""Projects through their pages: creating, editing, stages, members, links and files."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from movilim.people.models import OrganizationKind
from movilim.projects import services
from movilim.projects.models import (
    Project,
    ProjectAttachment,
    ProjectLink,
    ProjectMember,
    Stage,
    StrategicGoal,
)

from .. import factories
from ..conftest import World

PDF = b"%PDF-1.4\n%%EOF\n"


pytestmark = pytest.mark.usefixtures("module_world")


def test_the_goals_are_the_three_over_goals_and_nine_objectives(db: None) -> None:
    kinds = list(StrategicGoal.objects.values_list("kind", flat=True))
    assert kinds.count("over_goal") == 3
    assert kinds.count("objective") == 9
    assert StrategicGoal.objects.get(key="rights").name_he == "מיצוי זכויות"


def test_a_participant_creates_a_project_and_leads_it_once_on_double_submit(
    world: World, client_for
) -> None:
    client = client_for("participant")
    goal = StrategicGoal.objects.get(key="rights")
    form = {
        "cohort": world.cohort.pk,
        "title": "זכויות בלחיצה",
        "kind": "personal",
        "description": "",
        "goals": [goal.pk],
        "submission_token": str(uuid.uuid4()),
    }
    first = client.post(reverse("projects:create"), form)
    second = client.post(reverse("projects:create"), form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    project = Project.objects.get(title="זכויות בלחיצה")
    assert Project.objects.filter(title="זכויות בלחיצה").count() == 1
    member = project.members.get()
    assert (member.person, member.role, member.is_original) == (
        world.participant_person,
        "lead",
        True,
    )
    assert list(project.stage_changes.values_list("stage", flat=True)) == ["idea"]
    assert list(project.goals.all()) == [goal]
    # The lead's organization is involved; one organization is not cross-organization.
    assert list(project.organizations.all()) == [world.participant_person.organization]
    assert not project.is_cross_organization


def test_creating_without_a_title_or_in_a_foreign_cohort_is_refused(
    world: World, client_for
) -> None:
    client = client_for("participant")
    response = client.post(
        reverse("projects:create"),
        {"cohort": world.other_cohort.pk, "kind": "nonsense", "submission_token": "x"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"cohort", "title", "kind"}
    assert "יש להזין תוכן בשדה זה" in response.content.decode()
    assert not Project.objects.exists()


def test_cross_organization_and_cross_sector_are_derived(world: World, project: Project) -> None:
    assert not project.is_cross_organization
    local = factories.PersonFactory(
        organization=factories.OrganizationFactory(kind=OrganizationKind.LOCAL_AUTHORITY)
    )
    factories.EnrollmentFactory(cohort=world.cohort, person=local)
    services.member_add(
        project=project, person=local, role="member", started_on=datetime.date(2026, 2, 1)
    )
    project.refresh_from_db()
    assert project.is_cross_organization and project.is_cross_sector
    services.project_update(
        project=project,
        title=project.title,
        kind=project.kind,
        description="",
        organizations=[world.participant_person.organization],
        goals=[],
    )
    project.refresh_from_db()
    assert not project.is_cross_organization and not project.is_cross_sector


def test_stage_changes_keep_a_dated_history_and_stalling_needs_a_reason(
    world: World, client_for, project: Project
) -> None:
    client = client_for("participant")
    url = reverse("projects:stage", args=[project.pk])
    today = timezone.localdate().isoformat()

    response = client.post(url, {"stage": "stalled", "changed_on": today, "reason": " "})
    assert response.status_code == 400
    assert "נתקע" in response.content.decode()  # "say why the project stalled", in Hebrew
    response = client.post(url, {"stage": "pilot", "changed_on": "2025-01-01"})
    assert response.status_code == 400  # before the idea was recorded (2026-01-10)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert client.post(url, {"stage": "pilot", "changed_on": tomorrow}).status_code == 400

    assert client.post(url, {"stage": "pilot", "changed_on": "2026-03-01"}).status_code == 302
    assert (
        client.post(url, {"stage": "stalled", "changed_on": today, "reason": "אין תקציב"})
    ).status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.STALLED
    history = list(project.stage_changes.values_list("stage", "reason"))
    assert history == [("idea", ""), ("pilot", ""), ("stalled", "אין תקציב")]
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "אין תקציב" in page


def test_members_join_and_leave_with_their_periods(
    world: World, client_for, project: Project
) -> None:
    client = client_for("coordinator")
    add = reverse("projects:member_add", args=[project.pk])
    token = str(uuid.uuid4())
    form = {
        "person": world.fellow_person.pk,
        "role": "member",
        "started_on": "2026-02-01",
        "submission_token": token,
    }
    assert client.post(add, form).status_code == 302
    assert client.post(add, form).status_code == 302  # the same form again: one record
    assert ProjectMember.objects.filter(project=project, person=world.fellow_person).count() == 1
    again = client.post(add, {**form, "submission_token": str(uuid.uuid4())})
    assert again.status_code == 400
    assert "כבר" in again.content.decode()  # already an active member
    outsider = client.post(
        add,
        {**form, "person": world.outsider_person.pk, "submission_token": str(uuid.uuid4())},
    )
    assert outsider.status_code == 400  # not a member of the project's program

    member = ProjectMember.objects.get(project=project, person=world.fellow_person)
    end = reverse("projects:member_end", args=[project.pk, member.pk])
    client.post(end, {"ended_on": "2026-01-01"})  # before it started
    member.refresh_from_db()
    assert member.ended_on is None
    client.post(end, {"ended_on": "2026-05-01"})
    member.refresh_from_db()
    assert member.ended_on == datetime.date(2026, 5, 1)
    assert not member.is_original


def test_a_former_member_may_no_longer_edit(world: World, client_for, project: Project) -> None:
    member = project.members.get()
    services.member_end(member=member, ended_on=datetime.date(2026, 3, 1))
    client = client_for("participant")
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 403
    # Still a member of the program: the project stays visible.
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200


def test_edit_saves_and_rejects_bad_input(world: World, client_for, project: Project) -> None:
    client = client_for("participant")
    url = reverse("projects:edit", args=[project.pk])
    bad = client.post(url, {"title": "", "kind": "group", "submission_token": str(uuid.uuid4())})
    assert bad.status_code == 400
    project.refresh_from_db()
    assert project.title == "תור דיגיטלי"
    response = client.post(
        url,
        {
            "title": "תור דיגיטלי ארצי",
            "kind": "group",
            "description": "הרחבה",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.description) == ("תור דיגיטלי ארצי", "הרחבה")


def test_links_are_checked_and_stored_once(world: World, client_for, project: Project) -> None:
    client = client_for("participant")
    url = reverse("projects:link_add", args=[project.pk])
    bad = client.post(
        url, {"title": "x", "url": "javascript:alert(1)", "submission_token": str(uuid.uuid4())}
    )
    assert bad.status_code == 400
    form = {"title": "אתר", "url": "https://www.gov.il/he", "submission_token": str(uuid.uuid4())}
    client.post(url, form)
    client.post(url, form)
    assert ProjectLink.objects.filter(project=project).count() == 1


class _Huge(SimpleUploadedFile):
    """Declares 11 MB; reading it fails the test, since the size must be checked first."""

    def read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the body was read")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", None, "10"),
        ("run.exe", b"MZ\x90\x00", "יש להעלות"),
        ("fake.pdf", b"\x89PNG\r\n\x1a\n....", "אינו"),
        ("empty.pdf", b"", ""),
    ],
)
def test_uploads_are_checked_for_size_then_type(
    world: World, client_for, project: Project, name: str, content: bytes | None, message: str
) -> None:
    from movilim.projects.forms import AttachmentForm

    if content is None:
        upload = _Huge(name, PDF, content_type="application/pdf")
        upload.size = 11 * 1024 * 1024
    else:
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    form = AttachmentForm({"title": "t", "submission_token": str(uuid.uuid4())}, {"file": upload})
    assert not form.is_valid()
    assert "file" in form.errors
    assert message in str(form.errors["file"])
    if content is not None and content:
        response = client_for("participant").post(
            reverse("projects:attachment_add", args=[project.pk]),
            {
                "title": "t",
                "file": SimpleUploadedFile(name, content),
                "submission_token": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 400
    assert not ProjectAttachment.objects.exists()


def test_a_file_is_stored_once_and_served_as_a_download(
    world: World, client_for, project: Project
) -> None:
    client = client_for("participant")
    url = reverse("projects:attachment_add", args=[project.pk])
    token = str(uuid.uuid4())
    for _ in range(2):
        client.post(
            url,
            {
                "title": "סיכום",
                "file": SimpleUploadedFile("report.pdf", PDF),
                "submission_token": token,
            },
        )
    item = ProjectAttachment.objects.get()
    assert (item.content_type, item.size, item.original_name) == (
        "application/pdf",
        len(PDF),
        "report.pdf",
    )
    response = client_for("evaluator").get(reverse("projects:attachment", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert (
        client_for("outsider").get(reverse("projects:attachment", args=[item.pk])).status_code
        == 404
    )


def _stored(project: Project, title: str = "מצגת") -> ProjectAttachment:
    item = ProjectAttachment(
        project=project,
        title=title,
        original_name="deck.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    item.file.save("deck.pdf", ContentFile(PDF), save=True)
    return item


def _deletions(model: str, pk: int) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type__model=model, object_pk=str(pk), action=LogEntry.Action.DELETE
        )
    )


def test_a_member_removes_a_link_after_confirming_and_the_audit_log_keeps_it(
    world: World, client_for, project: Project
) -> None:
    link = services.link_add(project=project, title="אתר המיזם", url="https://www.gov.il/he")
    client = client_for("participant")
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    url = reverse("projects:link_delete", args=[project.pk, link.pk])
    assert url in detail
    # Asking is not removing: the page asks, a POST without the confirmation is refused.
    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "יש לאשר את המחיקה" in refused.content.decode()
    assert ProjectLink.objects.filter(pk=link.pk).exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert not ProjectLink.objects.filter(pk=link.pk).exists()
    (entry,) = _deletions("projectlink", link.pk)
    assert entry.actor == world.participant
    # Sent again, there is nothing left to remove.
    assert client.post(url, {"confirm": "1"}).status_code == 404
    # Readers who may not edit see no way to remove, and are refused.
    other = services.link_add(project=project, title="מסמך", url="https://www.gov.il/")
    evaluator = client_for("evaluator")
    page = evaluator.get(reverse("projects:detail", args=[project.pk])).content.decode()
    other_url = reverse("projects:link_delete", args=[project.pk, other.pk])
    assert other_url not in page
    assert evaluator.post(other_url, {"confirm": "1"}).status_code == 403
    assert ProjectLink.objects.filter(pk=other.pk).exists()


def test_staff_remove_a_file_and_its_content_goes_once_the_change_is_committed(
    world: World, client_for, project: Project, django_capture_on_commit_callbacks
) -> None:
    item = _stored(project)
    path = Path(item.file.path)
    url = reverse("projects:attachment_delete", args=[project.pk, item.pk])
    with django_capture_on_commit_callbacks(execute=False) as pending:
        response = client_for("coordinator").post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert not ProjectAttachment.objects.filter(pk=item.pk).exists()
    # Until the transaction commits the content stays, then it goes.
    assert path.exists()
    assert len(pending) == 1
    pending[0]()
    assert not path.exists()
    (entry,) = _deletions("projectattachment", item.pk)
    assert entry.actor == world.coordinator
    assert entry.changes_dict["original_name"][0] == "deck.pdf"


def test_a_removal_that_is_rolled_back_keeps_the_file_and_its_content(
    world: World, project: Project, django_capture_on_commit_callbacks
) -> None:
    item = _stored(project)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.attachment_delete(attachment=item)
        raise RuntimeError("the surrounding change failed")
    assert ProjectAttachment.objects.filter(pk=item.pk).exists()
    assert Path(item.file.path).exists()


def test_another_projects_link_or_file_is_not_found_through_this_project(
    world: World, client_for, project: Project
) -> None:
    elsewhere = services.project_create(
        cohort=world.cohort,
        title="מיזם אחר",
        kind="personal",
        members=[(world.fellow_person, "lead")],
        started_on=datetime.date(2026, 1, 10),
        by=None,
    )
    theirs = _stored(elsewhere, "שלהם")
    link = services.link_add(project=elsewhere, title="שלהם", url="https://www.gov.il/")
    # Even the administrator, who may edit both projects, is sent nowhere: the address names
    # this project, and the file is another's.
    for role in ("participant", "admin"):
        client = client_for(role)
        for url in (
            reverse("projects:attachment_delete", args=[project.pk, theirs.pk]),
            reverse("projects:link_delete", args=[project.pk, link.pk]),
        ):
            assert client.get(url).status_code == 404
            assert client.post(url, {"confirm": "1"}).status_code == 404
    assert ProjectAttachment.objects.filter(pk=theirs.pk).exists()
    assert ProjectLink.objects.filter(pk=link.pk).exists()
    # Through its own project, the participant (not a member there) may not remove it either.
    own = reverse("projects:attachment_delete", args=[elsewhere.pk, theirs.pk])
    assert client_for("participant").post(own, {"confirm": "1"}).status_code == 403
    assert ProjectAttachment.objects.filter(pk=theirs.pk).exists()


def test_interests_are_saved_and_bad_choices_refused(world: World, client_for) -> None:
    client = client_for("participant")
    url = reverse("projects:interests")
    rights = StrategicGoal.objects.get(key="rights")
    over_goal = StrategicGoal.objects.get(key="social-gaps")
    assert client.post(url, {"goals": [over_goal.pk]}).status_code == 400  # objectives only
    assert client.post(url, {"goals": [rights.pk]}).status_code == 302
    assert list(world.participant_person.interests.values_list("goal__key", flat=True)) == [
        "rights"
    ]
    assert client.post(url, {}).status_code == 302
    assert not world.participant_person.interests.exists()


def test_home_and_profile_show_my_projects(world: World, client_for, project: Project) -> None:
    home = client_for("participant").get(reverse("home")).content.decode()
    assert project.title in home
    profile = client_for("coordinator").get(
        reverse("programs:person", args=[world.participant_person.pk])
    )
    assert project.title in profile.content.decode()
    # The outsider may not open the profile at all; nobody sees a project they may not see.
    other = services.project_create(
        cohort=world.other_cohort,
        title="מיזם אחר",
        kind="personal",
        members=[(world.outsider_person, "lead")],
        started_on=datetime.date(2026, 1, 10),
        by=None,
    )
    assert other.title not in client_for("participant").get(reverse("home")).content.decode()


def test_member_names_link_only_to_profiles_the_reader_may_open(
    world: World, client_for, project: Project
) -> None:
    """A participant of another cohort of the program sees the project, and the lead's name,
    but no link to a profile that would answer 404."""
    other_cohort = factories.CohortFactory(program=world.program)
    reader = factories.PersonFactory()
    factories.EnrollmentFactory(cohort=other_cohort, person=reader)
    profile = reverse("programs:person", args=[world.participant_person.pk])
    client = Client()
    client.force_login(reader.user)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert world.participant_person.full_name in page
    assert profile not in page
    assert client.get(profile).status_code == 404
    assert (
        profile
        in client_for("coordinator")
        .get(reverse("projects:detail", args=[project.pk]))
        .content.decode()
    )
