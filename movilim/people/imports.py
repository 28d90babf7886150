"""Importing organizations from a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movilim.core.tabular import ChoiceByLabelField, Column, ImportReport, read_table, run_import

from . import services
from .models import OrganizationKind

ORGANIZATION_COLUMNS = (
    Column(
        "name_he", gettext_lazy("Name (Hebrew)"), aliases=("name", "שם", "שם הארגון"), required=True
    ),
    Column("name_en", gettext_lazy("Name (English)"), aliases=("english name",)),
    Column("kind", gettext_lazy("Kind"), aliases=("type", "סוג", "סוג הארגון"), required=True),
    Column("region", gettext_lazy("Region"), aliases=("אזור", "אשכול")),
)


class OrganizationRowForm(forms.Form):
    name_he = forms.CharField(label=gettext_lazy("Name (Hebrew)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    kind = ChoiceByLabelField(label=gettext_lazy("Kind"), choices=OrganizationKind.choices)
    region = forms.CharField(label=gettext_lazy("Region"), max_length=100, required=False)


def import_organizations(upload: UploadedFile) -> ImportReport:
    """Create or update organizations, matched on their Hebrew name; all rows or none."""
    table = read_table(upload, ORGANIZATION_COLUMNS)
    seen: dict[str, int] = {}

    def cross_check(number: int, row: dict[str, Any]) -> Iterable[tuple[str, str]]:
        key = row["name_he"].strip().casefold()
        if key in seen:
            yield (
                str(gettext_lazy("Name (Hebrew)")),
                _("The same organization already appears in row %(row)s.") % {"row": seen[key]},
            )
        else:
            seen[key] = number

    def save(row: dict[str, Any], present: set[str]) -> bool:
        _organization, created = services.organization_upsert(
            name_he=row["name_he"], kind=row["kind"], name_en=row["name_en"], region=row["region"]
        )
        return created

    return run_import(
        table=table, form_class=OrganizationRowForm, cross_check=cross_check, save_row=save
    )
