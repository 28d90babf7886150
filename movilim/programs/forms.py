"""Forms for cohorts, sessions, enrollments and attendance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from movilim.core.forms import DateInput, FastSelect, OnceFormMixin, StyledFormMixin

from . import queries
from .models import AttendanceStatus, Cohort, Enrollment, EnrollmentStatus, Session
from .services import Mark


class SessionForm(StyledFormMixin, OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = (
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "hours",
            "location",
            "domain",
            "description",
        )
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
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

    def session_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EnrollmentStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=EnrollmentStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


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

    def offer(self, cohorts: QuerySet[Cohort]) -> None:
        self.choices = [("", self.empty_label), *queries.cohort_choices(cohorts)]


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
