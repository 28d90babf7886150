"""A form sent twice is acted on once, and its second submission lands where the first went."""

from __future__ import annotations

import uuid

import pytest
from django import forms

from movilim.core.forms import OnceFormMixin, submit_once
from movilim.core.models import SubmissionToken

from .. import factories


class NameForm(OnceFormMixin, forms.Form):
    """A name that must be free, as a unique name is once the first submission took it."""

    name = forms.CharField()

    def clean_name(self) -> str:
        if self.cleaned_data["name"] == "taken":
            raise forms.ValidationError("already exists")
        return self.cleaned_data["name"]


@pytest.mark.django_db
def test_errors_stand_for_a_form_not_yet_acted_on() -> None:
    token = uuid.uuid4()
    form = NameForm({"name": "taken", "submission_token": str(token)})
    assert not form.is_valid() and form.errors["name"] == ["already exists"]
    assert not form.submitted_before
    assert not NameForm({"name": "taken"}).is_valid()  # no token: expired


@pytest.mark.django_db
def test_a_form_acted_on_counts_as_valid_and_goes_where_the_first_went() -> None:
    user = factories.UserFactory()
    token = uuid.uuid4()
    assert submit_once(user=user, token=token, action=lambda: "/created/1/") == "/created/1/"
    form = NameForm({"name": "taken", "submission_token": str(token)})
    assert form.is_valid() and form.submitted_before
    acted = []
    url = submit_once(user=user, token=token, action=lambda: acted.append(1) or "/again/")
    assert url == "/created/1/" and not acted
    # Someone else sending the same token learns nothing of the first user's result.
    other = factories.UserFactory()
    assert submit_once(user=other, token=token, action=lambda: "/other/") == "/"
    assert SubmissionToken.objects.filter(key=token).count() == 1
