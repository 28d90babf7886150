"""Importing participants from a spreadsheet, optionally enrolling them in a cohort."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movilim.core.models import User
from movilim.core.tabular import ChoiceByLabelField, Column, ImportReport, read_table, run_import
from movilim.people import services as people_services
from movilim.people.models import Gender, Organization, ProfileType

from . import services
from .models import Cohort, EnrollmentStatus

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


def import_participants(
    upload: UploadedFile, *, cohort: Cohort | None, by: User | None
) -> ImportReport:
    """Create or update people, matched on e-mail, and enroll them in ``cohort`` if given.

    All rows are validated before anything is saved; one bad row means nothing is saved.
    Columns missing from the file leave the stored values as they are.
    """
    table = read_table(upload, PARTICIPANT_COLUMNS)
    organizations: dict[str, Organization] = {}
    for organization in Organization.objects.all():
        organizations[organization.name_he.casefold()] = organization
        if organization.name_en:
            organizations.setdefault(organization.name_en.casefold(), organization)
    seen: dict[str, int] = {}

    def cross_check(number: int, row: dict[str, Any]) -> Iterable[tuple[str, str]]:
        email = row["email"].lower()
        if email in seen:
            yield (
                str(gettext_lazy("E-mail")),
                _("The same e-mail address already appears in row %(row)s.") % {"row": seen[email]},
            )
        else:
            seen[email] = number

    def save(row: dict[str, Any], present: set[str]) -> bool:
        profile: dict[str, Any] = {key: row[key] for key in _PROFILE_KEYS if key in present}
        if "organization" in present:
            profile["organization"] = row["organization"]
        if "minority" in present:
            profile["minority"] = {"yes": True, "no": False}.get(row["minority"])
        person, created = people_services.person_upsert(
            email=row["email"], first_name=row["first_name"], last_name=row["last_name"], **profile
        )
        if cohort is not None:
            services.enrollment_add(
                cohort=cohort, person=person, status=row["status"] or None, by=by
            )
        return created

    return run_import(
        table=table,
        form_class=ParticipantRowForm,
        form_kwargs={"organizations": organizations},
        cross_check=cross_check,
        save_row=save,
    )
