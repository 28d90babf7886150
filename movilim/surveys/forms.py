"""Forms of the surveys app: the builder's, the wave's, uploads, and the respondent form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from movilim.core.forms import DateInput, OnceFormMixin, StyledFormMixin
from movilim.programs.models import Cohort, Program

from .models import OutcomeDomain, Question, QuestionKind, Section, TimePoint, WaveMode


class InstrumentForm(OnceFormMixin, StyledFormMixin, forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("Program"))
    title_he = forms.CharField(label=_("Title (Hebrew)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class SectionForm(StyledFormMixin, forms.Form):
    title_he = forms.CharField(label=_("Section title (Hebrew)"), max_length=200)
    title_en = forms.CharField(label=_("Section title (English)"), max_length=200, required=False)


class QuestionForm(StyledFormMixin, forms.Form):
    code = forms.SlugField(label=_("Variable name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_he = forms.CharField(label=_("Question (Hebrew)"), max_length=500)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    domain = forms.ModelChoiceField(
        queryset=OutcomeDomain.objects.all(), label=_("Outcome domain"), required=False
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(), label=_("Section"), required=False
    )
    choices = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For single and multiple choice: one per line, Hebrew | English."),
    )
    relevant = forms.CharField(
        label=_("Shown only when"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_(
            "Leave empty to always show the question. Otherwise ${name} = 'value' (single "
            "choice, agreement or yes/no) or selected(${name}, 'value') (a choice question), "
            "where value is the choice's number or XLSForm name. A required question is "
            "required only when shown."
        ),
    )

    def __init__(self, *args: Any, instrument: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(instrument=instrument)  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        lines = [
            f"{c.label_he} | {c.label_en}" if c.label_en else c.label_he
            for c in question.choices.all()
        ]
        return {
            "code": question.code,
            "kind": question.kind,
            "text_he": question.text_he,
            "text_en": question.text_en,
            "required": question.required,
            "domain": question.domain_id,
            "section": question.section_id,
            "choices": "\n".join(lines) if question.kind in ("single", "multiple") else "",
            "relevant": question.relevant,
        }


class DomainForm(StyledFormMixin, forms.Form):
    key = forms.SlugField(label=_("Short name"), max_length=40)
    name_he = forms.CharField(label=_("Name (Hebrew)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    position = forms.IntegerField(label=_("Order"), min_value=0, initial=0)


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))


class XLSFormUploadForm(UploadForm):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("Program"))

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class WaveForm(OnceFormMixin, StyledFormMixin, forms.Form):
    name_he = forms.CharField(label=_("Name (Hebrew)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        label=_("Cohort"),
        required=False,
        empty_label=_("The program's alumni network"),
    )
    time_point = forms.ChoiceField(label=_("Time point"), choices=TimePoint.choices)
    months_after = forms.IntegerField(
        label=_("Months after the end (follow-up)"), min_value=1, max_value=120, required=False
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput)
    mode = forms.ChoiceField(label=_("Mode"), choices=WaveMode.choices)
    background = forms.CharField(
        label=_("Background for the report"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("time_point") == TimePoint.FOLLOW_UP and not data.get("months_after"):
            self.add_error("months_after", _("A follow-up wave needs the number of months after."))
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The closing date cannot be before the opening date."))
        return data
