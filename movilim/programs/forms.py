"""Forms for cohorts, sessions, enrollments and attendance."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from movilim.core.forms import (
    DateInput,
    FastSelect,
    OnceFormMixin,
    RowModelChoiceField,
    StyledFormMixin,
)
from movilim.people.models import Organization

from . import queries
from .models import (
    AttendanceStatus,
    Cohort,
    Dimension,
    Enrollment,
    EnrollmentStatus,
    Program,
    Session,
)
from .services import Mark, TargetSpec, targets_problems


class SessionForm(StyledFormMixin, OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = (
            "title",
            "title_en",
            "kind",
            "starts_on",
            "ends_on",
            "starts_at",
            "ends_at",
            "hours",
            "location",
            "domain",
            "description",
        )
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "title_en": forms.TextInput(attrs={"dir": "ltr"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's clean() checks the dates against the cohort's: it must know the cohort.
        self.instance.cohort = cohort
        self.fields["domain"].queryset = cohort.program.domains.all()  # type: ignore[attr-defined]
        self.fields["hours"].widget.attrs.update(
            {"step": "0.5", "min": "0.5", "inputmode": "decimal"}
        )
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget.attrs.update(
                {"min": cohort.start_date.isoformat(), "max": cohort.end_date.isoformat()}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end time must come after the start time."))
        return data

    def session_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EnrollmentStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=EnrollmentStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        error_messages={"max_length": _("The note may be at most %(limit_value)d characters.")},
    )


class AttendanceSheetForm(StyledFormMixin, forms.Form):
    """One status (and, for partial attendance, hours) per member of the session's cohort."""

    def __init__(
        self,
        *args: Any,
        session: Session,
        enrollments: list[Enrollment],
        current: dict[int, tuple[str, Decimal | None]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.rows: list[dict[str, Any]] = []
        for enrollment in enrollments:
            pid = enrollment.person_id
            status_name, hours_name = f"status_{pid}", f"hours_{pid}"
            self.fields[status_name] = forms.ChoiceField(
                label=enrollment.person.full_name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a status for this participant.")},
            )
            self.fields[hours_name] = forms.DecimalField(
                label=_("Hours attended"),
                required=False,
                min_value=Decimal("0.5"),
                max_digits=5,
                decimal_places=1,
            )
            if pid in current:
                status, hours = current[pid]
                self.initial[status_name] = status
                self.initial[hours_name] = hours
            self.rows.append(
                {"enrollment": enrollment, "status": self[status_name], "hours": self[hours_name]}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for row in self.rows:
            pid = row["enrollment"].person_id
            status, hours = data.get(f"status_{pid}"), data.get(f"hours_{pid}")
            if status == AttendanceStatus.PARTIAL:
                if hours is None:
                    self.add_error(f"hours_{pid}", _("Give the hours attended."))
                elif hours >= self.session.hours:
                    self.add_error(
                        f"hours_{pid}",
                        _("Partial attendance must be less than the session's %(hours)s hours.")
                        % {"hours": self.session.hours.normalize()},
                    )
        return data

    def marks(self) -> dict[int, Mark]:
        out = {}
        for row in self.rows:
            pid = row["enrollment"].person_id
            status = self.cleaned_data[f"status_{pid}"]
            hours = self.cleaned_data.get(f"hours_{pid}")
            out[pid] = Mark(status=status, partial_hours=hours if status == "partial" else None)
        return out


class CohortChoiceField(forms.TypedChoiceField):
    """Pick one of the given cohorts by id; anything else is refused as an invalid choice."""

    widget = FastSelect

    def __init__(self, *, empty_label: Any, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)
        self.empty_label = empty_label

    def offer(self, cohorts: QuerySet[Cohort] | Sequence[tuple[int, str]]) -> None:
        """Offer ``cohorts``: a queryset, or its :func:`queries.cohort_choices` already read
        (for a page that uses the labels elsewhere too)."""
        if isinstance(cohorts, QuerySet):
            cohorts = queries.cohort_choices(cohorts)
        self.choices = _OfferedCohorts([("", self.empty_label), *cohorts])


class _OfferedCohorts(BaseChoiceIterator):
    """Cohort choices already in their final shape (pairs of id and label).

    As a choice iterator they are taken as they are: Django would otherwise check and copy
    each of the two hundred pairs of a filter again, which cost more than reading them.
    """

    def __init__(self, choices: list[tuple[Any, Any]]) -> None:
        self.choices = choices

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.choices)


class CohortModelChoiceField(RowModelChoiceField):
    """A cohort of ``queryset``, its options named "program – cohort" from plain rows
    (:func:`queries.cohort_choices`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, rows=queries.cohort_choices, **kwargs)


class ScheduleFilterForm(StyledFormMixin, forms.Form):
    PERIODS = (
        ("upcoming", _("Upcoming")),
        ("past", _("Past")),
        ("all", _("All")),
    )
    period = forms.ChoiceField(label=_("When"), choices=PERIODS, required=False)
    cohort = CohortChoiceField(label=_("Cohort"), empty_label=_("All my cohorts"))

    def __init__(self, *args: Any, cohorts: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].offer(cohorts)  # type: ignore[attr-defined]


# --- setting programs and cohorts up ---------------------------------------------------------


class ProgramForm(StyledFormMixin, OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Program
        fields = (
            "name_he",
            "name_en",
            "slug",
            "kind",
            "hours_target",
            "description_he",
            "description_en",
            "is_active",
        )
        widgets = {
            "description_he": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr"}),
            "slug": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def program_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CohortForm(StyledFormMixin, OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ("name_he", "name_en", "start_date", "end_date", "target_size", "budget")
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "name_en": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The unique (program, Hebrew name) check needs the program.
        self.instance.program = program

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot come before the start date."))
        return data

    def cohort_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def category_choices() -> list[tuple[Any, Any]]:
    """Each dimension's categories as a group of the picker, labelled as the cohort page shows
    them; the value names both, so nobody types a code."""
    groups: list[tuple[Any, Any]] = [("", _("(none)"))]
    for dimension, _base, _column, categories in queries._categories():
        groups.append(
            (
                Dimension(dimension).label,
                [(f"{dimension}:{value}", label) for value, label, _values in categories],
            )
        )
    return groups


class TargetForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    min_percent = forms.DecimalField(
        label=_("at least (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
    )
    max_percent = forms.DecimalField(
        label=_("at most (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("min_percent"), data.get("max_percent")
        if data.get("category"):
            if low is None and high is None and not self.errors:
                self.add_error(
                    "min_percent", _("Give at least one bound: a minimum, a maximum or both.")
                )
            if low is not None and high is not None and low > high:
                self.add_error("max_percent", _("The maximum cannot be less than the minimum."))
        elif low is not None or high is not None:
            self.add_error("category", _("Choose the category these bounds are for."))
        return data

    def spec(self) -> TargetSpec | None:
        value = self.cleaned_data.get("category")
        if not value:
            return None
        dimension, category = value.split(":", 1)
        return TargetSpec(
            dimension, category, self.cleaned_data["min_percent"], self.cleaned_data["max_percent"]
        )


class BaseTargetFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        problems = targets_problems(self.specs())
        if problems:
            raise forms.ValidationError(problems)

    def specs(self) -> list[TargetSpec]:
        return [spec for form in self.forms if (spec := form.spec()) is not None]


TargetFormSet = forms.formset_factory(
    TargetForm, formset=BaseTargetFormSet, extra=3, max_num=40, validate_max=True
)


def target_initial(cohort: Cohort) -> list[dict[str, Any]]:
    return [
        {
            "category": f"{t.dimension}:{t.category}",
            "min_percent": t.min_percent,
            "max_percent": t.max_percent,
        }
        for t in cohort.targets.all()  # type: ignore[attr-defined]
    ]


class CohortCopyForm(StyledFormMixin, OnceFormMixin, forms.Form):
    source = forms.TypedChoiceField(label=_("Copy from the cohort"), coerce=int)

    def __init__(self, *args: Any, cohorts: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(c.pk, c.name) for c in cohorts]  # type: ignore[attr-defined]


# --- participants ------------------------------------------------------------------------------

#: Statuses a person may be added with.
ADD_STATUSES = (
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.SELECTED,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.APPLIED,
)


class ParticipantSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail"),
        max_length=200,
        error_messages={"required": _("Type a name or an e-mail address to look for.")},
    )


class EnrollExistingForm(StyledFormMixin, OnceFormMixin, forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in ADD_STATUSES]
    )


class NewParticipantForm(StyledFormMixin, OnceFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in ADD_STATUSES]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name_he")  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs["dir"] = "ltr"


class EnrollmentMoveForm(StyledFormMixin, OnceFormMixin, forms.Form):
    cohort = forms.TypedChoiceField(label=_("Move to the cohort"), coerce=int)

    def __init__(self, *args: Any, cohorts: list[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [(c.pk, c.name) for c in cohorts]  # type: ignore[attr-defined]


#: The roster's actions, as its action bar offers them.
ROSTER_ACTION_CHOICES = [
    ("withdraw", _("Withdraw")),
    ("graduate", _("Mark as graduated")),
    ("waitlist", _("Put on the waiting list")),
    ("move", _("Move to another cohort")),
]

#: Keys one action may name one by one (the roster shows 100 a page); more goes by the filter.
MAX_PICKED = 1_000


class KeysField(forms.Field):
    """A list of record keys sent as repeated fields (``name=1&name=2``), as numbers."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("The choice of participants was not understood: reload the page."),
        "too_many": _("Select at most %(limit)s participants, or choose everyone who matches."),
    }

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if not all(str(v).isdigit() for v in values):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(values) > MAX_PICKED:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_PICKED}
            )
        return sorted({int(v) for v in values})


class RosterActionForm(StyledFormMixin, OnceFormMixin, forms.Form):
    """The roster's action bar, then its confirmation: what to do, to whom (the rows ticked, or
    everyone the search and filter let through), and once confirmed, how many that was."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=ROSTER_ACTION_CHOICES,
        error_messages={
            "required": _("Choose what to do with the participants."),
            "invalid_choice": _("Choose one of the listed actions."),
        },
    )
    scope = forms.ChoiceField(
        choices=[("picked", _("The participants selected")), ("filter", _("Everyone who matches"))],
        initial="picked",
        error_messages={
            "required": _("Choose whom the action is for."),
            "invalid_choice": _("Choose whom the action is for."),
        },
    )
    enrollment = KeysField(required=False)
    q = forms.CharField(required=False, max_length=200)
    status = forms.CharField(required=False, max_length=20)
    note = forms.CharField(
        label=_("Note for the history (optional)"),
        max_length=300,
        required=False,
        error_messages={"max_length": _("The note may be at most %(limit_value)d characters.")},
    )
    target = forms.TypedChoiceField(
        label=_("Move to the cohort"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the listed cohorts.")},
    )
    count = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, targets: list[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Choose a cohort"))] + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in targets
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("scope") == "picked"
            and not data.get("enrollment")
            and "enrollment" not in self.errors
        ):
            self.add_error(
                "enrollment",
                _("Select at least one participant on the roster, or choose everyone who matches."),
            )
        if data.get("confirm") and data.get("action") == "move" and not data.get("target"):
            self.add_error("target", _("Choose the cohort to move them to."))
        return data

    def picked(self) -> list[int] | None:
        """The keys ticked, or None when the action is for everyone who matches."""
        return self.cleaned_data["enrollment"] if self.cleaned_data["scope"] == "picked" else None

    def query(self) -> dict[str, str]:
        """The roster's search and filter the action was chosen under."""
        return {"q": self.cleaned_data["q"], "status": self.cleaned_data["status"]}


class WaitlistMoveForm(OnceFormMixin, forms.Form):
    """One person's place on the waiting list: a step up or down, or a place by number."""

    enrollment = forms.IntegerField(min_value=1)
    step = forms.TypedChoiceField(
        choices=[("-1", "-1"), ("1", "1")], coerce=int, required=False, empty_value=None
    )
    place = forms.IntegerField(
        label=_("Place"),
        min_value=1,
        required=False,
        error_messages={
            "min_value": _("Give a place of 1 or more."),
            "invalid": _("Give the place as a whole number."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("step") is None and data.get("place") is None and not self.errors:
            raise forms.ValidationError(_("Give the place to move to."))
        return data


# --- sessions ----------------------------------------------------------------------------------


class SessionCancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        help_text=_("Shown with the session to its participants."),
        error_messages={
            "required": _("Give the reason for cancelling."),
            "max_length": _("The reason may be at most %(limit_value)d characters."),
        },
    )


# --- organizations -----------------------------------------------------------------------------


class OrganizationForm(StyledFormMixin, OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ("name_he", "name_en", "kind", "region")
        widgets = {"name_en": forms.TextInput(attrs={"dir": "ltr"})}

    def organization_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OrganizationMergeForm(StyledFormMixin, OnceFormMixin, forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Organization.objects.none(),
        help_text=_("The organization that stays; this one is deleted once its people move."),
    )

    def __init__(self, *args: Any, duplicate: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Organization.objects.exclude(pk=duplicate.pk).order_by(  # type: ignore[attr-defined]
            "name_he"
        )


class OrganizationFilterForm(StyledFormMixin, forms.Form):
    SORTS = (
        ("name", _("Name")),
        ("kind", _("Kind")),
        ("-created", _("Newest first")),
    )
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from movilim.people.models import OrganizationKind

        self.fields["kind"].choices = [("", _("All kinds")), *OrganizationKind.choices]  # type: ignore[attr-defined]
