from __future__ import annotations

from typing import Any

from django import forms

from movilim.core.forms import StyledFormMixin

from . import kinds


class PreferencesForm(StyledFormMixin, forms.Form):
    """One check box per kind of notice: e-mail or not (the in-app list has them all)."""

    def __init__(self, *args: Any, current: dict[str, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            self.fields[kind.name] = forms.BooleanField(
                label=kind.label,
                help_text=kind.description,
                required=False,
                initial=current.get(kind.name, kind.email_by_default),
            )
