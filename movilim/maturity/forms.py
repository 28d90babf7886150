"""Forms of the 7 Lenses tool: one level (and an optional note) per lens."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movilim.core.forms import DateInput, OnceFormMixin, StyledFormMixin
from movilim.people.models import OrganizationKind

from .models import Horizon, Lens


class AssessmentForm(StyledFormMixin, OnceFormMixin, forms.Form):
    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DateInput())

    def __init__(self, *args: Any, lenses: Sequence[Lens], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lenses = list(lenses)
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())
        for lens in self.lenses:
            self.fields[f"level_{lens.pk}"] = forms.TypedChoiceField(
                label=lens.name,
                coerce=int,
                choices=[
                    (lv.level, f"{lv.level} · {lv.text}")
                    for lv in lens.level_list  # type: ignore[attr-defined]
                ],
                widget=forms.RadioSelect,
                help_text=lens.purpose,
                error_messages={"required": _("Choose the level that fits best.")},
            )
            self.fields[f"note_{lens.pk}"] = forms.CharField(
                label=_("Note on %(lens)s (optional)") % {"lens": lens.name},
                max_length=500,
                required=False,
            )

    def clean_assessed_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    @property
    def rows(self) -> list[tuple[Lens, forms.BoundField, forms.BoundField]]:
        return [(lens, self[f"level_{lens.pk}"], self[f"note_{lens.pk}"]) for lens in self.lenses]

    def levels(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            lens.pk: (data[f"level_{lens.pk}"], data.get(f"note_{lens.pk}") or "")
            for lens in self.lenses
        }


class TargetForm(StyledFormMixin, forms.Form):
    horizon = forms.TypedChoiceField(
        label=_("By when"), coerce=int, choices=Horizon.choices, initial=Horizon.TWELVE
    )

    def __init__(self, *args: Any, lenses: Sequence[Lens], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lenses = list(lenses)
        for lens in self.lenses:
            self.fields[f"target_{lens.pk}"] = forms.TypedChoiceField(
                label=lens.name,
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", _("No target"))] + [(level, str(level)) for level in range(1, 6)],
            )

    def targets(self) -> dict[int, int | None]:
        return {lens.pk: self.cleaned_data.get(f"target_{lens.pk}") for lens in self.lenses}


class OrganizationFilterForm(StyledFormMixin, forms.Form):
    """The organizations' maturity list: a name to search for and a group of kinds (the keys
    of ``queries.KIND_GROUPS``)."""

    q = forms.CharField(label=_("Search by name"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Ministries and local authorities")),
            ("ministries", _("Government ministries")),
            (OrganizationKind.GOV_HQ, OrganizationKind.GOV_HQ.label),
            (OrganizationKind.GOV_EXECUTION, OrganizationKind.GOV_EXECUTION.label),
            (OrganizationKind.LOCAL_AUTHORITY, _("Local authorities")),
        ],
    )
