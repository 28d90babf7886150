"""Importing participants from a spreadsheet, optionally enrolling them in a cohort."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movilim.core import audit
from movilim.core.bulk import insert_rows
from movilim.core.invitations import invite_users
from movilim.core.models import User
from movilim.core.tabular import (
    ChoiceByLabelField,
    Column,
    ImportReport,
    ValidRow,
    import_lock,
    read_table,
    row_form,
    run_import,
)
from movilim.people import services as people_services
from movilim.people.models import Gender, Organization, ProfileType
from movilim.people.services import WrittenPerson

from .facts import facts_for
from .models import Cohort, Enrollment, EnrollmentStatus, EnrollmentStatusChange, ProgramRole
from .policies import PersonPolicy
from .services import next_waitlist_place

PARTICIPANT_COLUMNS = (
    Column(
        "email",
        gettext_lazy("E-mail"),
        aliases=("email address", "mail", "דואל", 'דוא"ל', "אימייל"),
        required=True,
    ),
    Column("first_name", gettext_lazy("First name"), aliases=("שם פרטי",), required=True),
    Column("last_name", gettext_lazy("Last name"), aliases=("שם משפחה",), required=True),
    Column("organization", gettext_lazy("Organization"), aliases=("ארגון", "משרד", "רשות")),
    Column("job_title", gettext_lazy("Job title"), aliases=("title", "role", "תפקיד")),
    Column("profile_type", gettext_lazy("Profile"), aliases=("profile type", "פרופיל")),
    Column("gender", gettext_lazy("Gender"), aliases=("מגדר",)),
    Column("minority", gettext_lazy("Minority population"), aliases=("minority", "מיעוטים")),
    Column("phone", gettext_lazy("Phone"), aliases=("mobile", "טלפון", "נייד")),
    Column("status", gettext_lazy("Status"), aliases=("enrollment status", "סטטוס")),
)

#: Row fields that map one-to-one onto the person's profile.
_PROFILE_KEYS = ("job_title", "profile_type", "gender", "phone")


@row_form
class ParticipantRowForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    organization = forms.CharField(
        label=gettext_lazy("Organization"), max_length=200, required=False
    )
    job_title = forms.CharField(label=gettext_lazy("Job title"), max_length=200, required=False)
    profile_type = ChoiceByLabelField(
        label=gettext_lazy("Profile"), choices=ProfileType.choices, required=False
    )
    gender = ChoiceByLabelField(
        label=gettext_lazy("Gender"), choices=Gender.choices, required=False
    )
    minority = ChoiceByLabelField(
        label=gettext_lazy("Minority population"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        required=False,
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)
    status = ChoiceByLabelField(
        label=gettext_lazy("Status"), choices=EnrollmentStatus.choices, required=False
    )

    def __init__(self, *args: Any, organizations: dict[str, Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = organizations

    def clean_phone(self) -> str:
        """A phone typed into Excel as a number lost its leading zero: put it back. Israeli
        numbers without it have 8 or 9 digits (05X-XXXXXXX, 0X-XXXXXXX)."""
        phone: str = self.cleaned_data["phone"].strip()
        if phone.isdigit() and len(phone) in (8, 9) and not phone.startswith("0"):
            phone = "0" + phone
        return phone

    def clean_organization(self) -> Organization | None:
        name = self.cleaned_data["organization"].strip()
        if not name:
            return None
        organization = self.organizations.get(name.casefold())
        if organization is None:
            raise forms.ValidationError(
                _(
                    "There is no organization named “%(name)s”. "
                    "Import the organizations first, or correct the name."
                ),
                params={"name": name},
            )
        return organization


def participant_organizations() -> dict[str, Organization]:
    """Every organization by its Hebrew and English names, case-folded: one query."""
    organizations: dict[str, Organization] = {}
    for organization in Organization.objects.all():
        organizations[organization.name_he.casefold()] = organization
        if organization.name_en:
            organizations.setdefault(organization.name_en.casefold(), organization)
    return organizations


def editable_people(user: User | None, person_ids: Iterable[int]) -> set[int]:
    """Which of these people ``user`` may edit (the people policy's rule), in one query."""
    wanted = set(person_ids)
    if not wanted:
        return set()
    editable = PersonPolicy(facts_for(user)).instances_user_has_permission_for("edit")
    return set(editable.filter(pk__in=wanted).values_list("pk", flat=True))


def _staff_user_ids(users: Iterable[User]) -> set[int]:
    """Accounts an import never changes: Django staff, site administrators, program staff."""
    users = list(users)
    staff = {user.pk for user in users if user.is_staff or user.is_superuser}
    staff.update(
        ProgramRole.objects.filter(user_id__in=[user.pk for user in users]).values_list(
            "user_id", flat=True
        )
    )
    return staff


def _row_profile(row: dict[str, Any], present: set[str]) -> dict[str, Any]:
    profile: dict[str, Any] = {key: row[key] for key in _PROFILE_KEYS if key in present}
    if "organization" in present:
        profile["organization"] = row["organization"]
    if "minority" in present:
        profile["minority"] = {"yes": True, "no": False}.get(row["minority"])
    return profile


def import_participants(
    upload: UploadedFile, *, cohort: Cohort | None, by: User | None
) -> ImportReport:
    """Create people, update those ``by`` may edit, and enroll them in ``cohort`` if given.

    People are matched on e-mail. A row naming an account the importer may not change is
    refused: staff accounts (never changed by an import, even an administrator's), and people
    outside the importer's programs (enrolling them would also open their profile to the
    importer, so it is not done as a side effect). All rows are validated before anything is
    saved; one bad row means nothing is saved. Columns missing from the file leave the stored
    values as they are. The caller has checked that ``by`` may manage ``cohort``.

    The work is set-based: a fixed number of queries whatever the number of rows.
    """
    table = read_table(upload, PARTICIPANT_COLUMNS)
    seen: dict[str, int] = {}

    def cross_check(number: int, row: dict[str, Any]) -> Iterator[tuple[str, str]]:
        email = row["email"].lower()
        if email in seen:
            yield (
                str(gettext_lazy("E-mail")),
                _("The same e-mail address already appears in row %(row)s.") % {"row": seen[email]},
            )
        else:
            seen[email] = number

    def save_rows(rows: list[ValidRow], present: set[str], report: ImportReport) -> None:
        import_lock("people")
        emails = [row.data["email"].lower() for row in rows]
        existing = {
            user.email: user
            for user in User.objects.filter(email__in=emails).select_related("person")
        }
        staff = _staff_user_ids(existing.values())
        person_ids = {user.person.pk for user in existing.values() if getattr(user, "person", None)}
        editable = editable_people(by, person_ids)
        is_admin = facts_for(by).is_admin
        email_label = str(gettext_lazy("E-mail"))
        for row, email in zip(rows, emails, strict=True):
            user = existing.get(email)
            if user is None:
                continue
            person = getattr(user, "person", None)
            if user.pk in staff:
                report.refuse(
                    row.number,
                    email_label,
                    _(
                        "%(email)s belongs to a staff account, which an import never changes. "
                        "Remove the row."
                    )
                    % {"email": email},
                )
            elif (person.pk not in editable) if person is not None else not is_admin:
                report.refuse(row.number, email_label, _not_yours(email))
        if report.errors:
            return
        written = people_services.people_bulk_upsert(
            rows=[
                people_services.PersonRow(
                    email=email,
                    first_name=row.data["first_name"],
                    last_name=row.data["last_name"],
                    profile=_row_profile(row.data, present),
                )
                for row, email in zip(rows, emails, strict=True)
            ],
            existing=existing,
            by=by,
        )
        enrolled_users: set[int] = set()
        if cohort is not None:
            enrolled_users = _enroll(
                cohort=cohort,
                wanted=[
                    (written.persons[email], row.data["status"] or None)
                    for row, email in zip(rows, emails, strict=True)
                ],
                by=by,
            )
        report.created, report.updated = written.created, written.updated
        report.created_user_ids = written.created_user_ids
        # A way in for everyone new here: created accounts, and people enrolled now who were
        # never invited (the mails go out once the import commits; people with a password of
        # their own are skipped by ``invite_users``). Accounts created just now are known to
        # be invitable and uninvited, so only the others are looked up.
        invite_users(
            user_ids=sorted(enrolled_users - set(written.created_user_ids)),
            new_user_ids=written.created_user_ids,
            resend=False,
            by=by,
        )

    return run_import(
        table=table,
        form_class=ParticipantRowForm,
        form_kwargs={"organizations": participant_organizations()},
        cross_check=cross_check,
        save_rows=save_rows,
    )


def _not_yours(email: str) -> str:
    return _(
        "%(email)s belongs to someone outside your programs, whom an import of yours may not "
        "change or enroll. Remove the row, or ask a site administrator."
    ) % {"email": email}


def _enroll(
    *, cohort: Cohort, wanted: list[tuple[WrittenPerson, str | None]], by: User | None
) -> set[int]:
    """Enroll people in ``cohort`` in a fixed number of queries, as ``services.enrollment_add``;
    returns the accounts of the people enrolled now (not of those already enrolled).

    New enrollments start as the row's status (active if none); existing ones move to the row's
    status when one is given. Each step is kept in the status history and the audit log. The new
    ones are written as plain rows (``core.bulk``): an import enrolls thousands at once.
    """
    now = timezone.now()
    cohort_label = str(cohort)
    # People created by this import have no enrollments yet: only the others are looked up.
    current = {
        enrollment.person_id: enrollment
        for enrollment in Enrollment.objects.filter(
            cohort=cohort,
            person_id__in=[person.pk for person, _status in wanted if not person.created],
        )
    }
    new: dict[int, tuple[WrittenPerson, str]] = {}  # by person id
    moved: list[tuple[Enrollment, WrittenPerson, str]] = []
    # People placed on the waiting list join its end together, as on the roster.
    waiting = EnrollmentStatus.WAITLISTED
    place = next_waitlist_place(cohort.pk) if any(s == waiting for _p, s in wanted) else None
    for person, status in wanted:
        enrollment = current.get(person.pk)
        if enrollment is None:
            new[person.pk] = (person, status or EnrollmentStatus.ACTIVE)
        elif status and enrollment.status != status:
            moved.append((enrollment, person, enrollment.status))
            enrollment.status, enrollment.updated_at = status, now
            if status == waiting:
                enrollment.waitlist_position = place
    changes: list[audit.Entry] = []
    history: list[dict[str, Any]] = []
    # Another writer may enroll the same person meanwhile: its enrollment stands, and its
    # history and audit entry are that writer's.
    inserted = insert_rows(
        Enrollment,
        [
            {
                "cohort_id": cohort.pk,
                "person_id": person.pk,
                "status": status,
                "waitlist_position": place if status == waiting else None,
            }
            for person, status in new.values()
        ],
        returning="person_id",
        ignore_conflicts=True,
    )
    enrolled: set[int] = set()
    for person_id, pk in inserted.items():
        person, status = new[person_id]
        enrolled.add(person.user_id)
        history.append({"enrollment_id": pk, "to_status": status, "changed_by_id": _pk(by)})
        changes.append(
            audit.Entry(
                Enrollment,
                pk,
                f"{person.label} – {cohort_label}",
                audit.CREATE,
                audit.creation_changes(
                    {"cohort": cohort.pk, "person": person.pk, "status": status}
                ),
            )
        )
    Enrollment.objects.bulk_update(
        [e for e, _person, _previous in moved], ["status", "waitlist_position", "updated_at"]
    )
    for enrollment, person, previous in moved:
        history.append(
            {
                "enrollment_id": enrollment.pk,
                "from_status": previous,
                "to_status": enrollment.status,
                "changed_by_id": _pk(by),
            }
        )
        changes.append(
            audit.Entry(
                Enrollment,
                enrollment.pk,
                f"{person.label} – {cohort_label}",
                audit.UPDATE,
                {"status": (previous, enrollment.status)},
            )
        )
    insert_rows(EnrollmentStatusChange, history)
    audit.log_bulk(changes, actor=by)
    return enrolled


def _pk(user: User | None) -> int | None:
    return user.pk if user is not None else None
