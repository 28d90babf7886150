"""Form conventions shared by every app: Bootstrap look, accessible errors, single submission."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from html import escape
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorDict, flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput
from .models import SubmissionToken, User


class FormRenderer(DjangoTemplates):
    """Renders every form and field in our markup (labels, help, errors wired by id).

    A field's group (``core/forms/field.html``) and Django's plain input and text-area widgets
    are written in Python: each went through three or four nested templates per field, which
    on a form of a dozen fields cost more than the rest of the page. The output is the markup
    those templates give, checked against them in ``tests/core/test_form_rendering.py``; every
    other template (forms, option lists, widgets of our own) still renders as a template.
    """

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == self.field_template_name:
            return field_group_html(context["field"])
        if template_name in _INPUT_TEMPLATES:
            return input_html(context["widget"])
        if template_name == _TEXTAREA_TEMPLATE:
            widget = context["widget"]
            name, attrs = conditional_escape(widget["name"]), attrs_html(widget["attrs"])
            text = conditional_escape(widget["value"]) if widget["value"] else ""
            return f'<textarea name="{name}"{attrs}>\n{text}</textarea>'
        return super().render(template_name, context, request)


#: Django's widget templates that are nothing but ``django/forms/widgets/input.html``.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
        "time", "search", "tel", "color", "checkbox", "file",
    )
)  # fmt: skip
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def attrs_html(attrs: dict[str, Any]) -> str:
    """A widget's attributes as ``django/forms/widgets/attrs.html`` writes them: ``False``
    leaves one out, ``True`` writes its name alone, anything else ``name="value"``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def input_html(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/input.html`` for the widget context ``widget``."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{attrs_html(widget["attrs"])}>'


REQUIRED_MARK = ' <span class="text-danger" aria-hidden="true">*</span>'


def field_group_html(field: forms.BoundField) -> str:
    """``core/forms/field.html`` for ``field``: label (or legend), widget, help and errors,
    the help and errors given ids that the widget's ``aria-describedby`` names."""
    auto_id = conditional_escape(field.auto_id)
    label = conditional_escape(field.label)
    help_text = field.help_text
    help_html = (
        f'<div class="form-text" id="{auto_id}_helptext">{conditional_escape(help_text)}</div>'
        if help_text
        else ""
    )
    errors = field.errors
    error_html = (
        f'<div class="invalid-feedback d-block" id="{auto_id}_error">'
        f"{' '.join(str(conditional_escape(error)) for error in errors)}</div>"
        if errors
        else ""
    )
    widget = str(field)
    if field.widget_type == "checkbox":
        return (
            f'<div class="mb-3 form-check">{widget}'
            f'<label class="form-check-label" for="{auto_id}">{label}</label>'
            f"{help_html}{error_html}</div>"
        )
    required = REQUIRED_MARK if field.field.required else ""
    if field.use_fieldset:
        described = ""
        if help_text or errors:
            ids = (f"{auto_id}_helptext" if help_text else "") + (
                f" {auto_id}_error" if errors else ""
            )
            described = f' aria-describedby="{ids}"'
        head = (
            f'<fieldset{described}><legend class="form-label fs-6">{label}{required}</legend>'
            f"{widget}</fieldset>"
        )
    else:
        head = f'<label class="form-label" for="{auto_id}">{label}{required}</label>{widget}'
    return f'<div class="mb-3">{head}{help_html}{error_html}</div>'


_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "form-check-input"),
    (forms.RadioSelect, "form-check-input"),
    (forms.CheckboxSelectMultiple, "form-check-input"),
    (forms.Select, "form-select"),
    (forms.SelectMultiple, "form-select"),
    (forms.ClearableFileInput, "form-control"),
    (forms.widgets.Input, "form-control"),
    (forms.Textarea, "form-control"),
]


class StyledFormMixin:
    """Gives each widget its Bootstrap class, so templates never hand-style a field."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if type(widget) is forms.Select:
                # Same markup, written without a template per option (see FastSelect).
                widget.__class__ = FastSelect
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                # Django puts the widget's class on the list as well as on each box: the list
                # would be drawn as one small box, its options spilling under the next field.
                widget.template_name = "core/forms/choices.html"
            for widget_type, css_class in _WIDGET_CLASSES:
                if isinstance(widget, widget_type):
                    existing = widget.attrs.get("class", "")
                    widget.attrs["class"] = f"{existing} {css_class}".strip()
                    break


class FastSelect(forms.Select):
    """A drop-down whose options are written in Python, not through one template each.

    Django renders every option through the form renderer's templates; for a filter listing a
    few hundred cohorts that costs more than the rest of the page. Option groups are not
    supported (such choices fall back to Django's rendering).
    """

    def use_required_attribute(self, initial: Any) -> bool:
        # Django looks at the first option to see whether it is the empty one; for model choices
        # without an empty label that ran the options' query once more, only to learn that the
        # first option is a model. Whether there is an empty label tells the same, query-free.
        if isinstance(self.choices, ModelChoiceIterator):
            return bool(
                forms.Widget.use_required_attribute(self, initial)
                and self.choices.field.empty_label is not None
            )
        return super().use_required_attribute(initial)

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        # Through iter(): list() would first ask a model field's choices for their length,
        # which costs a COUNT query before the query that reads them.
        choices = list(iter(self.choices))
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        options = []
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            mark = " selected" if text in selected else ""
            options.append(f'<option value="{escape(text)}"{mark}>{escape(str(label))}</option>')
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html(
            "<select{}>{}</select>",
            flatatt(final_attrs),
            mark_safe("".join(options)),  # noqa: S308 - every value and label is escaped above
        )


class _RowOptions(BaseChoiceIterator):
    """A field's options, read when the drop-down is drawn (not when the form is built)."""

    def __init__(self, field: RowModelChoiceField) -> None:
        self.field = field

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.rows(self.field.queryset)


class RowModelChoiceField(forms.ModelChoiceField):
    """A model choice, cleaned to the instance like any, whose options come from ``rows``: one
    query returning ``(id, label)`` pairs from plain column values, with no model instances.

    Django's model choices build an instance per option and name it through ``str()``: for the
    hundreds of cohorts or sessions a staff member may choose among, that cost more than the
    page around it.
    """

    widget = FastSelect

    def __init__(
        self, *args: Any, rows: Callable[[Any], Iterable[tuple[Any, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows

    def _get_choices(self) -> Any:
        if hasattr(self, "_choices"):
            return self._choices
        return _RowOptions(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    """The browser's own date picker; its value is always ISO whatever the page language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OnceFormMixin:
    """Adds a hidden token so that a form sent twice (double click, resend) is acted on once.

    Views pass the valid form's ``cleaned_data["submission_token"]`` to :func:`submit_once`.
    """

    fields: dict[str, forms.Field]
    is_bound: bool
    initial: dict[str, Any]
    #: True when the form's token was already used: its errors were dropped (see full_clean).
    submitted_before = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_token"] = forms.UUIDField(
            widget=forms.HiddenInput,
            error_messages={
                "required": _("This form has expired. Please reload the page and try again."),
                "invalid": _("This form has expired. Please reload the page and try again."),
            },
        )
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())

    def full_clean(self) -> None:
        """Validate as usual, except for a form that was already acted on.

        The second submission of a form meets the world its first one changed: the name it
        gives is taken now (by the record the first one created), the person it moves has
        moved. Those errors say nothing about the form, which :func:`submit_once` will not act
        on again anyway, so they are dropped and the form counts as valid: the view then calls
        ``submit_once``, which sends the user where the first submission went. Only a token
        already stored is trusted this way (one query, and only for a form with errors); the
        fields that failed on the second pass are left out of ``cleaned_data``.
        """
        super().full_clean()  # type: ignore[misc]
        errors = self._errors  # type: ignore[attr-defined]
        if not errors or "submission_token" in errors:
            return
        token = self.cleaned_data.get("submission_token")  # type: ignore[attr-defined]
        if token is not None and SubmissionToken.objects.filter(key=token).exists():
            self.submitted_before = True
            self._errors = ErrorDict()


def submit_once(*, user: User, token: uuid.UUID, action: Callable[[], str]) -> str:
    """Run ``action`` unless this token was already used; return the URL to go to next.

    ``action`` performs the change and returns where to send the user. It runs in the same
    transaction as the token's record, so a failed action leaves the token free for a retry, and
    a concurrent second submission waits on the token's row and then finds it taken.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = SubmissionToken.objects.create(key=token, user=user)
        except IntegrityError:
            earlier = SubmissionToken.objects.filter(key=token, user=user).first()
            return earlier.next_url if earlier and earlier.next_url else "/"
        next_url = action()
        record.next_url = next_url
        record.save(update_fields=["next_url"])
        return next_url


def redirect_once(
    request: HttpRequest, form: forms.BaseForm, action: Callable[[], str]
) -> HttpResponse | None:
    """``submit_once`` for a view: the redirect to where ``action`` sends the user, or None when
    the action refused the input (``InvalidInput``), whose sentence the form then shows."""
    try:
        return redirect(
            submit_once(
                user=request.user,  # type: ignore[arg-type]
                token=form.cleaned_data["submission_token"],
                action=action,
            )
        )
    except InvalidInput as error:
        form.add_error(None, str(error.message))
        return None


def status_for(*forms_on_page: forms.BaseForm) -> int:
    """HTTP status for a page that shows forms: 400 when a submitted one was invalid.

    The page still renders every message; the status lets clients and tests tell a rejected
    submission from a plain view.
    """
    return 400 if any(f.is_bound and f.errors for f in forms_on_page) else 200
