"""Forms of the projects pages: each checks its input completely before a service runs."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movilim.core.errors import InvalidInput
from movilim.core.forms import DateInput, OnceFormMixin, StyledFormMixin
from movilim.core.uploads import checked_document
from movilim.people.models import Organization, OrganizationKind, Person
from movilim.programs.forms import CohortModelChoiceField
from movilim.programs.models import Cohort

from .models import GoalKind, MemberRole, ProjectKind, Stage, StrategicGoal


def _goal_choices() -> QuerySet[StrategicGoal]:
    return StrategicGoal.objects.all()


class ProjectForm(StyledFormMixin, OnceFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Strategic goals"),
        queryset=StrategicGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The over-goals and objectives of Israel Digital that the project advances."),
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations involved"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The members' organizations are added by themselves."),
    )

    def __init__(self, *args: Any, cohort_choices: QuerySet[Cohort] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = _goal_choices()
        self.fields["organizations"].queryset = Organization.objects.order_by("name_he")
        self.fields["organizations"].widget.attrs["size"] = 8
        if cohort_choices is not None:
            self.fields["cohort"] = forms.ModelChoiceField(
                label=_("Cohort"), queryset=cohort_choices
            )
            self.order_fields(["cohort", "title", "kind"])


class StageForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    changed_on = forms.DateField(label=_("As of"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Required when the project stalled."),
    )

    def clean_changed_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["changed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("stage") == Stage.STALLED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the project stalled."))
        return data


class MemberForm(StyledFormMixin, OnceFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    started_on = forms.DateField(label=_("Active from"), widget=DateInput())

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class MemberEndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("Active until"), widget=DateInput())


class LinkForm(StyledFormMixin, OnceFormMixin, forms.Form):
    title = forms.CharField(label=_("Link title"), max_length=200)
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")


class AttachmentForm(StyledFormMixin, OnceFormMixin, forms.Form):
    title = forms.CharField(label=_("File title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG, up to 10 MB."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            content_type = checked_document(upload)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from error
        self.content_type = content_type
        return upload


class InterestsForm(StyledFormMixin, forms.Form):
    goals = forms.ModelMultipleChoiceField(
        label=_("Objectives I would like to work on"),
        queryset=StrategicGoal.objects.filter(kind=GoalKind.OBJECTIVE),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


SORTS = {
    "recent": ("-stage_since", "-id"),
    "title": ("title", "id"),
    "oldest": ("stage_since", "id"),
}


class CatalogueFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=StrategicGoal.objects.none(), required=False
    )
    cohort = CohortModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )
    organization_kind = forms.ChoiceField(label=_("Organization kind"), required=False)
    crossing = forms.ChoiceField(
        label=_("Cross-organization"),
        required=False,
        choices=[("", _("All")), ("yes", _("Cross-organization")), ("no", _("One organization"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("recent", _("Latest stage change")),
            ("oldest", _("Earliest stage change")),
            ("title", _("Title")),
        ],
    )

    def __init__(self, *args: Any, cohorts: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + list(ProjectKind.choices)
        self.fields["stage"].choices = everything + list(Stage.choices)
        self.fields["organization_kind"].choices = everything + list(OrganizationKind.choices)
        self.fields["goal"].queryset = _goal_choices()
        self.fields["goal"].empty_label = str(_("All"))
        self.fields["cohort"].queryset = cohorts
        self.fields["cohort"].empty_label = str(_("All"))


class TeamRulesForm(StyledFormMixin, forms.Form):
    """Pairs that must be together or apart, by the participants' e-mail addresses. Sent with the
    proposal and again with every edit of it, so an edit is checked against the same rules."""

    together = forms.CharField(
        label=_("Must be together"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("One pair per line: two e-mail addresses separated by a comma."),
    )
    apart = forms.CharField(
        label=_("Must be apart"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("One pair per line: two e-mail addresses separated by a comma."),
    )

    def __init__(self, *args: Any, emails: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.emails = emails

    def _pairs(self, name: str) -> list[tuple[int, int]]:
        pairs = []
        for number, line in enumerate(self.cleaned_data.get(name, "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip().lower() for part in line.split(",")]
            if len(parts) != 2 or parts[0] == parts[1]:
                raise forms.ValidationError(
                    _("Line %(number)s: write two different addresses separated by a comma.")
                    % {"number": number}
                )
            unknown = [part for part in parts if part not in self.emails]
            if unknown:
                raise forms.ValidationError(
                    _("Line %(number)s: %(address)s is not a participant of this cohort.")
                    % {"number": number, "address": unknown[0]}
                )
            pairs.append((self.emails[parts[0]], self.emails[parts[1]]))
        return pairs

    def clean_together(self) -> list[tuple[int, int]]:
        return self._pairs("together")

    def clean_apart(self) -> list[tuple[int, int]]:
        return self._pairs("apart")


class TeamsForm(TeamRulesForm):
    """What to propose: a team size or a number of teams, and the pairs."""

    field_order = ("team_size", "team_count", "together", "apart")

    team_size = forms.IntegerField(label=_("Team size"), min_value=2, max_value=12, required=False)
    team_count = forms.IntegerField(
        label=_("Or number of teams"), min_value=1, max_value=60, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        size, count = data.get("team_size"), data.get("team_count")
        people = len(self.emails)
        if not size and not count:
            raise forms.ValidationError(_("Give a team size or a number of teams."))
        if count is None and size:
            count = max(1, round(people / size))
        if count and count > people:
            raise forms.ValidationError(_("There are more teams than participants."))
        data["n_teams"] = count
        return data


class TeamSwapForm(StyledFormMixin, forms.Form):
    """Two participants of the proposal who exchange their teams, with the check of an edit."""

    swap_a = forms.TypedChoiceField(label=_("Swap"), coerce=int, required=False)
    swap_b = forms.TypedChoiceField(label=_("with"), coerce=int, required=False)

    def __init__(self, *args: Any, people: dict[int, Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(key, person.full_name) for key, person in people.items()]
        self.fields["swap_a"].choices = choices
        self.fields["swap_b"].choices = choices

    def pair(self) -> tuple[int, int] | None:
        """The two people to swap, when two different ones were chosen."""
        if not self.is_valid():
            return None
        a, b = self.cleaned_data.get("swap_a"), self.cleaned_data.get("swap_b")
        return (a, b) if a and b and a != b else None
