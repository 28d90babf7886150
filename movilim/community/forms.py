"""Forms of the community's pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.validators import MinValueValidator, URLValidator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movilim.core.formatting import name_chooser
from movilim.core.forms import DateInput, OnceFormMixin, RowModelChoiceField, StyledFormMixin
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
    Membership,
)
from .queries import active_clusters

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProgramChoiceMixin:
    """A ``program`` field limited to the programs the user runs."""

    fields: dict[str, forms.Field]

    def limit_programs(self, programs: QuerySet[Program]) -> None:
        field = self.fields["program"]
        field.queryset = programs  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]


def _cluster_choices(programs: QuerySet[Program], current: Cluster | None) -> QuerySet[Cluster]:
    """The clusters something of these programs may be filed under: those still offered, and
    the one it is filed under already (even if archived since)."""
    offered = Q(archived_at__isnull=True, program__in=programs)
    if current is not None:
        offered |= Q(pk=current.pk)
    return Cluster.objects.filter(offered)


def _people_by_email(raw: str) -> tuple[list[Person], list[str]]:
    """The people with these comma-separated addresses, and the addresses no one has."""
    emails = [e.strip().lower() for e in raw.split(",") if e.strip()]
    people = list(Person.objects.filter(user__email__in=emails).select_related("user"))
    return people, sorted(set(emails) - {p.user.email for p in people})


def _session_options(sessions: QuerySet[Session]) -> list[tuple[int, str]]:
    """Sessions among many, told apart by date and cohort: "date · title · cohort", read as
    plain rows in one query."""
    name = name_chooser()
    rows = sessions.values_list(
        "pk", "starts_on", "title", "title_en", "cohort__name_he", "cohort__name_en"
    )
    return [
        (pk, f"{day:%d/%m/%Y} · {name(title, title_en)} · {name(cohort_he, cohort_en)}")
        for pk, day, title, title_en, cohort_he, cohort_en in rows
    ]


class SessionChoiceField(RowModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, rows=_session_options, **kwargs)


def _emails_of(people: Any) -> str:
    return ", ".join(person.user.email for person in people)


class EventForm(StyledFormMixin, OnceFormMixin, ProgramChoiceMixin, forms.ModelForm):
    """Creating or editing an event (``instance``); the staff's programs are the choices."""

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
            "title_en",
            "description",
            "starts_on",
            "ends_on",
            "starts_at",
            "ends_at",
            "online",
            "location",
            "capacity",
            "cluster",
            "session",
        )
        labels = {"title": _("title (Hebrew)"), "starts_on": _("first day")}
        field_classes = {"session": SessionChoiceField}
        widgets = {
            "title_en": forms.TextInput(attrs={"dir": "ltr"}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "starts_at": TIME,
            "ends_at": TIME,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_programs(programs)
        current = self.instance if self.instance.pk else None
        self.fields["cluster"].queryset = _cluster_choices(  # type: ignore[attr-defined]
            programs, current.cluster if current else None
        )
        # Sessions still to come (or just held) that no other event is held as yet.
        sessions = Q(
            cohort__program__in=programs,
            community_event__isnull=True,
            starts_on__gte=timezone.localdate() - timedelta(days=30),
        )
        if current is not None and current.session_id is not None:
            sessions |= Q(pk=current.session_id)
        # Staff of every program choose among hundreds of sessions: see SessionChoiceField.
        self.fields["session"].queryset = Session.objects.filter(  # type: ignore[attr-defined]
            sessions
        ).order_by("starts_on", "pk")
        capacity = self.fields["capacity"]
        capacity.widget.attrs["min"] = 1
        capacity.validators.append(MinValueValidator(1, _("An event needs at least one place.")))
        self.fields["location"].help_text = _(
            "The address of the place, or for an online event the meeting link (https://…)."
        )
        if current is not None and not self.is_bound:
            self.initial["speaker_emails"] = _emails_of(current.speakers.select_related("user"))

    def clean_speaker_emails(self) -> list[Person]:
        people, unknown = _people_by_email(self.cleaned_data["speaker_emails"])
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
        location = (data.get("location") or "").strip()
        if data.get("online") and location:
            try:
                URLValidator(schemes=["https", "http"])(location)
            except forms.ValidationError:
                self.add_error(
                    "location", _("For an online event, give the meeting link (https://…).")
                )
        return data

    def event_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "program"}


class ClusterForm(StyledFormMixin, OnceFormMixin, ProgramChoiceMixin, forms.ModelForm):
    """Creating or editing a professional cluster; coordinators are members of the community."""

    coordinator_emails = forms.CharField(
        label=_("Coordinators"),
        required=False,
        max_length=1000,
        help_text=_("E-mail addresses of members of the community, separated by commas."),
    )

    class Meta:
        model = Cluster
        fields = ("program", "name_he", "name_en", "description")
        widgets = {
            "name_en": forms.TextInput(attrs={"dir": "ltr"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_programs(programs)
        if self.instance.pk and not self.is_bound:
            self.initial["coordinator_emails"] = _emails_of(
                self.instance.coordinators.select_related("user")
            )

    def clean_coordinator_emails(self) -> list[Person]:
        people, unknown = _people_by_email(self.cleaned_data["coordinator_emails"])
        members = set(
            Membership.objects.filter(person__in=people, is_active=True).values_list(
                "person_id", flat=True
            )
        )
        outside = sorted(unknown + [p.user.email for p in people if p.pk not in members])
        if outside:
            raise forms.ValidationError(
                _("These addresses are not of members of the community: %(emails)s.")
                % {"emails": ", ".join(outside)}
            )
        return people

    def cluster_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "program"}


class EventCancelForm(StyledFormMixin, OnceFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        help_text=_("Sent to everyone registered or waiting, and shown on the event's page."),
        error_messages={
            "required": _("Give the reason for cancelling."),
            "max_length": _("The reason may be at most %(limit_value)d characters."),
        },
    )


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
            self.fields["cluster"].queryset = active_clusters()  # type: ignore[attr-defined]
        else:
            self.limit_programs(programs)
            self.fields["cluster"].queryset = _cluster_choices(  # type: ignore[attr-defined]
                programs, None
            )
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
        self.fields["cluster"].queryset = _cluster_choices(  # type: ignore[attr-defined]
            programs, None
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
        # Archived clusters keep their members and items but are no longer offered as filters.
        self.fields["cluster"].queryset = active_clusters()  # type: ignore[attr-defined]


class ItemFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ItemKind.choices]
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), required=False, queryset=Cluster.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = active_clusters()  # type: ignore[attr-defined]
