"""Template helpers of the evaluation pages."""

from __future__ import annotations

from django import template

from movilim.core.charts import BarChart

from ..queries import QuestionFigures, WaveFigures

register = template.Library()


@register.filter
def question_chart(figures: WaveFigures, question: QuestionFigures) -> BarChart:
    """A multiple-choice question drawn per option: the share of respondents who chose it."""
    return figures.question_chart(question)
