"""Template helpers of the respondent form."""

from __future__ import annotations

from collections.abc import Container

from django import template
from django.utils.safestring import SafeString

from movilim.core.formatting import escaped

from ..models import Question, QuestionKind

register = template.Library()


@register.simple_tag
def choice_inputs(question: Question, chosen: Container[str]) -> SafeString:
    """A closed question's options as radio buttons (check boxes for a multiple choice), those
    in ``chosen`` checked. Written in Python: a questionnaire of thirty questions has some 150
    options, and through the template engine they were nearly all of the form's time."""
    kind = "checkbox" if question.kind == QuestionKind.MULTIPLE else "radio"
    code = escaped(question.code)
    lines = []
    for choice in question.choices.all():
        value = str(choice.value)
        ident = f"f-{code}-{escaped(value)}"
        checked = " checked" if value in chosen else ""
        lines.append(
            f'<div class="form-check py-1"><input class="form-check-input" type="{kind}" '
            f'name="{code}" id="{ident}" value="{escaped(value)}"{checked}>'
            f'<label class="form-check-label" for="{ident}">{escaped(choice.label)}</label></div>'
        )
    return SafeString("\n".join(lines))
