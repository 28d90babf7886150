"""Display conditions of questions: the two simple forms of XLSForm's ``relevant`` that
Movilim understands, and what they decide on the respondent form.

A question with a condition is shown only while the condition holds, and is required only
when shown; an answer to a question that is not shown is dropped. Two forms are understood::

    ${name} = 'value'              the single-choice, agreement or yes/no question ``name``
                                   has the answer ``value``
    selected(${name}, 'value')     ``value`` is among the answers of the choice question
                                   ``name`` (single or multiple choice)

``value`` is a choice's XLSForm name or its stored value (for yes/no also ``yes``/``no``).
Anything else (other operators, ``and``/``or``, numbers, text) is not understood: the
XLSForm import names such questions instead of guessing. A condition is stored in the same
syntax with the choice's stored value, so that the XLSForm export writes it back as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from movilim.core.errors import InvalidInput

from .models import CLOSED_KINDS, Question, QuestionKind

_NAME = r"\$\{\s*(?P<code>[A-Za-z_][A-Za-z0-9_.\-]*)\s*\}"
_VALUE = r"(?:'(?P<single>[^']*)'|\"(?P<double>[^\"]*)\")"
_EQUALS = re.compile(rf"^{_NAME}\s*=\s*{_VALUE}$")
_SELECTED = re.compile(rf"^selected\s*\(\s*{_NAME}\s*,\s*{_VALUE}\s*\)$")
_YES_NO = {"yes": 1, "true": 1, "no": 0, "false": 0}


@dataclass(frozen=True)
class Condition:
    code: str
    value: str  # as written: a choice's name or value
    selected: bool  # selected(...) rather than "="

    def expression(self) -> str:
        if self.selected:
            return f"selected(${{{self.code}}}, '{self.value}')"
        return f"${{{self.code}}} = '{self.value}'"


def parse(text: str) -> Condition | None:
    """The condition ``text`` states, or None when it is not one of the understood forms."""
    text = " ".join(str(text).split())
    for pattern, selected in ((_EQUALS, False), (_SELECTED, True)):
        match = pattern.match(text)
        if match:
            value = match.group("single")
            if value is None:
                value = match.group("double")
            return Condition(code=match.group("code"), value=value, selected=selected)
    return None


def choice_value(question: Question, written: str) -> int | None:
    """The stored value of ``question``'s choice named or valued ``written``."""
    choices = list(question.choices.all())
    for choice in choices:
        if choice.name and choice.name == written:
            return choice.value
    values = {c.value for c in choices}
    text = written.strip()
    if text.lstrip("-").isdigit() and int(text) in values:
        return int(text)
    if question.kind == QuestionKind.YESNO and text.casefold() in _YES_NO:
        return _YES_NO[text.casefold()]
    return None


def resolve(text: str, questions: Mapping[str, Question], *, own_code: str) -> str:
    """``text`` checked against the instrument's ``questions`` (by code) and rewritten with the
    choice's stored value; "" for no condition. Raises ``InvalidInput`` saying what is wrong."""
    if not str(text).strip():
        return ""
    condition = parse(text)
    if condition is None:
        raise InvalidInput(
            _(
                "The condition “%(condition)s” is not of a form Movilim understands: "
                "${name} = 'value' or selected(${name}, 'value')."
            )
            % {"condition": text}
        )
    source = questions.get(condition.code)
    if source is None or condition.code == own_code:
        raise InvalidInput(
            _("The condition refers to “%(code)s”, which is not another question of this form.")
            % {"code": condition.code}
        )
    if source.kind not in CLOSED_KINDS or (
        source.kind == QuestionKind.MULTIPLE and not condition.selected
    ):
        raise InvalidInput(
            _(
                "The condition refers to “%(code)s”: use ${name} = 'value' with a single-choice, "
                "agreement or yes/no question, and selected(${name}, 'value') with a choice "
                "question."
            )
            % {"code": condition.code}
        )
    value = choice_value(source, condition.value)
    if value is None:
        raise InvalidInput(
            _("“%(value)s” is not one of the choices of “%(code)s”.")
            % {"value": condition.value, "code": condition.code}
        )
    return Condition(
        code=condition.code, value=str(value), selected=condition.selected
    ).expression()


def _holds(condition: Condition, answer: Any) -> bool:
    if answer is None:
        return False
    try:
        wanted = int(condition.value)
    except ValueError:
        return False
    if isinstance(answer, list | tuple | set):
        return wanted in {int(v) for v in answer}
    try:
        return int(answer) == wanted
    except (TypeError, ValueError):
        return False


def shown(questions: Iterable[Question], answers: Mapping[str, Any]) -> set[str]:
    """The codes of the questions shown, given ``answers`` (normalized, by code).

    A condition on a question that is itself not shown does not hold (its answer is dropped),
    so chains behave as on the form; a condition that refers to a missing question, or a loop
    of conditions, hides the question rather than failing.
    """
    by_code = {q.code: q for q in questions}
    decided: dict[str, bool] = {}

    def visible(code: str, path: frozenset[str]) -> bool:
        if code in decided:
            return decided[code]
        question = by_code.get(code)
        if question is None or code in path:
            return False
        condition = parse(question.relevant) if question.relevant else None
        if condition is None:
            result = True
        else:
            result = visible(condition.code, path | {code}) and _holds(
                condition, answers.get(condition.code)
            )
        decided[code] = result
        return result

    return {code for code in by_code if visible(code, frozenset())}


def dependents(questions: Iterable[Question], code: str) -> list[Question]:
    """The questions whose condition refers to ``code``."""
    out = []
    for question in questions:
        condition = parse(question.relevant) if question.relevant else None
        if condition is not None and condition.code == code:
            out.append(question)
    return out
