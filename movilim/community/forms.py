"""Forms of the community's pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movilim.core.forms import DateInput, OnceFormMixin, StyledFormMixin
from movilim.people.models import OrganizationKind, Person
from movilim.programs.forms import CohortModelChoiceField
from movilim.programs.models import Cohort, Program, Session

from .models import (
    PROFILE_FIELD_LABELS,
    PROFILE_FIELDS,
    Audience,
    Cluster,
    Digest,
    Discussion,
    Event,
    ItemKind,
    KnowledgeItem,
    MemberKind,
)

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProgramChoiceMixin:
    """A ``program`` field limited to the programs the user runs."""

    fields: dict[str, forms.Field]

    def limit_programs(self, programs: QuerySet[Program]) -> None:
        field = self.fields["program"]
        field.queryset = programs  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]


class EventForm(StyledFormMixin, OnceFormMixin, ProgramChoiceMixin, forms.ModelForm):
    speaker_emails = forms.CharField(
        label=_("Speakers"),
        required=False,
        max_length=1000,
        help_text=_("E-mail addresses of the speakers, separated by commas."),
    )

    class Meta:
        model = Event
        fields = (
            "program",
            "kind",
            "title",
            "description",
            "starts_on",
            "starts_at",
            "ends_at",
            "online",
            "location",
            "capacity",
            "cluster",
            "session",
        )
        widgets = {
            "starts_on": DateInput(),
            "starts_at": TIME,
            "ends_at": TIME,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_programs(programs)
        self.fields["cluster"].queryset = Cluster.objects.filter(  # type: ignore[attr-defined]
            program__in=programs
        )
        # Sessions still to come (or just held) that no event is held as yet.
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            Session.objects.filter(
                cohort__program__in=programs,
                community_event__isnull=True,
                starts_on__gte=timezone.localdate() - timedelta(days=30),
            )
            .select_related("cohort")
            .order_by("starts_on")
        )

    def clean_speaker_emails(self) -> list[Person]:
        raw = self.cleaned_data["speaker_emails"]
        emails = [e.strip().lower() for e in raw.split(",") if e.strip()]
        people = list(Person.objects.filter(user__email__in=emails).select_related("user"))
        unknown = sorted(set(emails) - {p.user.email for p in people})
        if unknown:
            raise forms.ValidationError(
                _("No one has these addresses: %(emails)s.") % {"emails": ", ".join(unknown)}
            )
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        session = data.get("session")
        program = data.get("program")
        if session is not None and program is not None and session.cohort.program_id != program.pk:
            self.add_error("session", _("Choose a session of the event's program."))
        return data

    def event_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "program"}


class ItemForm(StyledFormMixin, OnceFormMixin, ProgramChoiceMixin, forms.ModelForm):
    link = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("For a podcast, a video or a tool."),
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, PowerPoint, Excel, PNG or JPEG; up to 10 MB."),
    )

    class Meta:
        model = KnowledgeItem
        fields = ("program", "kind", "title", "summary", "body", "link", "tags", "cluster")
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, programs: QuerySet[Program] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if programs is None:
            del self.fields["program"]  # a member publishes in their own program
        else:
            self.limit_programs(programs)
        self.fields["kind"].choices = ItemKind.choices

    def item_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "program" and name in self.cleaned_data
        }


class DiscussionForm(StyledFormMixin, OnceFormMixin, ProgramChoiceMixin, forms.ModelForm):
    class Meta:
        model = Discussion
        fields = ("program", "title", "framing", "opens_on", "closes_on", "cluster")
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "framing": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_programs(programs)
        self.fields["cluster"].queryset = Cluster.objects.filter(  # type: ignore[attr-defined]
            program__in=programs
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A discussion cannot close before it opens."))
        return data


class ReplyForm(StyledFormMixin, OnceFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(StyledFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary of the discussion"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. The discussion becomes read-only."),
    )


class DigestForm(StyledFormMixin, OnceFormMixin, ProgramChoiceMixin, forms.ModelForm):
    class Meta:
        model = Digest
        fields = ("program", "period_start", "period_end", "introduction")
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_programs(programs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class MemberAddForm(StyledFormMixin, OnceFormMixin, ProgramChoiceMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(
        label=_("First name"), max_length=150, required=False,
        help_text=_("Needed only for someone who has no account yet."),
    )  # fmt: skip
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MemberKind.choices, initial="member")
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_programs(programs)


class ProfileSettingsForm(StyledFormMixin, forms.Form):
    """Who sees each field of the member's profile. (Whether the digest comes by e-mail is one
    of the member's e-mail choices, in ``notices``.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            self.fields[f"show_{name}"] = forms.ChoiceField(
                label=PROFILE_FIELD_LABELS[name], choices=Audience.choices
            )

    def visibility(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"show_{name}"] for name in PROFILE_FIELDS}


class DirectoryFilterForm(StyledFormMixin, forms.Form):
    expertise = forms.CharField(label=_("Expertise"), required=False, max_length=100)
    cohort = CohortModelChoiceField(
        label=_("Cohort"), required=False, queryset=Cohort.objects.none()
    )
    organization_kind = forms.ChoiceField(
        label=_("Organization kind"),
        required=False,
        choices=[("", _("All")), *OrganizationKind.choices],
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), required=False, queryset=Cluster.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *MemberKind.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.order_by("-start_date")  # type: ignore[attr-defined]
        self.fields["cluster"].queryset = Cluster.objects.all()  # type: ignore[attr-defined]


class ItemFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ItemKind.choices]
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), required=False, queryset=Cluster.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.all()  # type: ignore[attr-defined]
