"""Fields written in Python give the very markup of the templates they stand in for."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from movilim.core.forms import DateInput, FastSelect, FormRenderer, StyledFormMixin


class TemplatesOnly(FormRenderer):
    """Our renderer with every template rendered as a template: what Python must match."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        return DjangoTemplates.render(self, template_name, context, request)


class EveryKind(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=20, help_text="Your <full> name & title")
    email = forms.EmailField(required=False, label='E-mail "work"')
    hours = forms.IntegerField(min_value=1, max_value=9, required=False)
    day = forms.DateField(widget=DateInput, required=False)
    agree = forms.BooleanField(required=False, help_text="Tick if you agree")
    note = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(choices=[("a", "A & a"), ("b", "B")], widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    paper = forms.FileField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    level = forms.ChoiceField(choices=[("", "—"), ("1", "One")], required=False)
    safe_help = forms.CharField(required=False, help_text=mark_safe("<b>bold</b> help"))


def _normalized(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _both(form: forms.Form) -> tuple[str, str]:
    """The form written by our renderer and by the templates alone; the first must not have
    gone through the templates it stands in for."""
    templates: list[str] = []
    through = DjangoTemplates.render

    def recorded(self: Any, template_name: str, *args: Any, **kwargs: Any) -> str:
        templates.append(template_name)
        return through(self, template_name, *args, **kwargs)

    with mock.patch.object(DjangoTemplates, "render", recorded):
        python = str(form)
    assert FormRenderer.field_template_name not in templates
    # Inputs and text areas are written in Python; a file field's "clear" box stays a template.
    assert [name for name in templates if name.startswith("django/forms/widgets/")] == [
        "django/forms/widgets/clearable_file_input.html"
    ]
    form.renderer = TemplatesOnly()
    return _normalized(python), _normalized(str(form))


def test_an_empty_form_is_written_as_its_templates_write_it() -> None:
    python, templates = _both(EveryKind(initial={"name": 'A "quoted" <name>', "agree": True}))
    assert python == templates
    assert 'value="A &quot;quoted&quot; &lt;name&gt;"' in python  # and escaped once
    assert 'type="date"' in python and "<textarea" in python and 'type="checkbox"' in python


def test_a_form_with_errors_and_values_is_written_as_its_templates_write_it() -> None:
    data = {"name": "x" * 30, "email": "not-an-address", "hours": "12", "note": "a <b> & c"}
    form = EveryKind(data=data)
    assert not form.is_valid()
    python, templates = _both(form)
    assert python == templates
    # The errors are there, tied to their fields, and the text keeps its characters escaped.
    assert 'id="id_name_error"' in python and 'aria-describedby=" id_kind_error"' in python
    assert "a &lt;b&gt; &amp; c</textarea>" in python


@pytest.mark.django_db
def test_a_model_choice_is_read_once_and_marked_required_as_django_marks_it() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from movilim.programs.models import Program
    from tests import factories

    first, _second = factories.ProgramFactory(), factories.ProgramFactory()

    class Picks(StyledFormMixin, forms.Form):
        fixed = forms.ModelChoiceField(Program.objects.order_by("pk"), initial=first.pk)
        chosen = forms.ModelChoiceField(Program.objects.order_by("pk"))
        maybe = forms.ModelChoiceField(Program.objects.order_by("pk"), required=False)

    form = Picks()
    for name in ("fixed", "chosen", "maybe"):
        field = form[name]
        widget = field.field.widget
        assert isinstance(widget, FastSelect)
        # What Django's own Select would answer, by looking at the first option.
        expected = forms.Select.use_required_attribute(widget, field.initial)
        assert widget.use_required_attribute(field.initial) == expected, name
        with CaptureQueriesContext(connection) as queries:
            html = str(field)
        assert len(queries) == 1, name  # the options, read once to be written
        assert (" required" in html) == (field.field.required and expected), name
