"""Forms for people's profiles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from movilim.core.forms import StyledFormMixin

from .models import Organization, Person
from .services import PERSON_FIELDS

MINORITY_CHOICES = (
    ("", _("Prefer not to say")),
    ("yes", _("Yes")),
    ("no", _("No")),
)


class PersonForm(StyledFormMixin, forms.ModelForm):
    """A profile as the person or their program staff edit it."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    minority = forms.TypedChoiceField(
        label=_("Belongs to a minority population"),
        choices=MINORITY_CHOICES,
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        help_text=_(
            "Self-declared and optional; seen only by the person and their program's staff."
        ),
    )

    field_order = ("first_name", "last_name", *PERSON_FIELDS)

    class Meta:
        model = Person
        # The minority question is a form field of its own (three answers, one of them none).
        fields = tuple(name for name in PERSON_FIELDS if name != "minority")
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Person = self.instance
        self.fields["organization"].queryset = Organization.objects.order_by("name_he")  # type: ignore[attr-defined]
        if person.pk:
            self.initial.update(
                first_name=person.user.first_name,
                last_name=person.user.last_name,
                minority={True: "yes", False: "no"}.get(person.minority, ""),  # type: ignore[call-overload]
            )
        self.fields["phone"].widget.attrs.update(
            {"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
        )
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def profile_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["minority"] = self.cleaned_data["minority"]
        return data
