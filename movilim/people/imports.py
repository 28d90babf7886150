"""Importing organizations from a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

from . import services
from .models import Organization, OrganizationKind

ORGANIZATION_COLUMNS = (
    Column(
        "name_he", gettext_lazy("Name (Hebrew)"), aliases=("name", "שם", "שם הארגון"), required=True
    ),
    Column("name_en", gettext_lazy("Name (English)"), aliases=("english name",)),
    Column("kind", gettext_lazy("Kind"), aliases=("type", "סוג", "סוג הארגון"), required=True),
    Column("region", gettext_lazy("Region"), aliases=("אזור", "אשכול")),
)


@row_form
class OrganizationRowForm(forms.Form):
    name_he = forms.CharField(label=gettext_lazy("Name (Hebrew)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    kind = ChoiceByLabelField(label=gettext_lazy("Kind"), choices=OrganizationKind.choices)
    region = forms.CharField(label=gettext_lazy("Region"), max_length=100, required=False)


def import_organizations(upload: UploadedFile, *, by: User | None) -> ImportReport:
    """Create organizations, and update existing ones if ``by`` is a site administrator.

    Organizations are matched on their Hebrew name. They are shared by every program (their
    kind and region decide every cohort's composition figures), so anyone who may import adds
    new ones, but only site administrators change existing ones: another importer's row that
    would change one is refused, and an identical row is accepted. All rows or none.
    """
    table = read_table(upload, ORGANIZATION_COLUMNS)
    seen: dict[str, int] = {}
    is_admin = bool(by is not None and by.is_authenticated and by.is_superuser)

    def cross_check(number: int, row: dict[str, Any]) -> Iterator[tuple[str, str]]:
        key = row["name_he"].strip().casefold()
        if key in seen:
            yield (
                str(gettext_lazy("Name (Hebrew)")),
                _("The same organization already appears in row %(row)s.") % {"row": seen[key]},
            )
        else:
            seen[key] = number

    def save_rows(rows: list[ValidRow], present: set[str], report: ImportReport) -> None:
        import_lock("organizations")
        wanted = [
            (
                row.number,
                services.OrganizationRow(
                    name_he=row.data["name_he"].strip(),
                    kind=row.data["kind"],
                    name_en=row.data["name_en"].strip(),
                    region=row.data["region"].strip(),
                ),
            )
            for row in rows
        ]
        existing = {
            organization.name_he: organization
            for organization in Organization.objects.filter(
                name_he__in=[row.name_he for _number, row in wanted]
            )
        }
        if not is_admin:
            for number, row in wanted:
                organization = existing.get(row.name_he)
                if organization is None:
                    continue
                wanted_values = services.organization_wanted(organization, row)
                if any(getattr(organization, name) != v for name, v in wanted_values.items()):
                    report.refuse(
                        number,
                        gettext_lazy("Name (Hebrew)"),
                        _(
                            "“%(name)s” already exists with other details. Organizations are "
                            "shared by every program, so only a site administrator may change "
                            "them; make the row match, or remove it."
                        )
                        % {"name": row.name_he},
                    )
            if report.errors:
                return
        report.created, report.updated = services.organizations_bulk_upsert(
            rows=[row for _number, row in wanted], existing=existing, by=by
        )

    return run_import(
        table=table, form_class=OrganizationRowForm, cross_check=cross_check, save_rows=save_rows
    )
