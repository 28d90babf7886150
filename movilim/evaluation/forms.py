from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from movilim.core.formatting import name_chooser
from movilim.core.forms import DateInput, RowModelChoiceField, StyledFormMixin
from movilim.surveys.models import Wave

from .models import Code, Phase, RecordKind


class RecommendationForm(StyledFormMixin, forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    text = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CodeForm(StyledFormMixin, forms.Form):
    name_he = forms.CharField(label=_("Code (Hebrew)"), max_length=200)
    name_en = forms.CharField(label=_("Code (English)"), max_length=200, required=False)


class RecordForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecordKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    participants = forms.IntegerField(
        label=_("Number of participants"), min_value=1, max_value=500, initial=1
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    excerpt = forms.CharField(
        label=_("Excerpt"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    codes = forms.ModelMultipleChoiceField(
        label=_("Codes of the excerpt"),
        queryset=Code.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, codes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].queryset = codes  # type: ignore[attr-defined]


def _wave_options(waves: QuerySet[Wave]) -> list[tuple[int, str]]:
    """``(id, name)`` of each wave, as ``str(wave)`` names it, from plain rows."""
    name = name_chooser()
    return [(pk, name(he, en)) for pk, he, en in waves.values_list("pk", "name_he", "name_en")]


class CompareForm(StyledFormMixin, forms.Form):
    other = RowModelChoiceField(label=_("Compare with"), queryset=None, rows=_wave_options)

    def __init__(self, *args: Any, waves: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = waves  # type: ignore[attr-defined]
