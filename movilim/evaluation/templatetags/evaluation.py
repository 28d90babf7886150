"""Template helpers of the evaluation pages.

The report's tables (items by domain, every question's distribution, the breakdowns) are
written in Python, a row per call: looped in the template, their few thousand cells were most
of the report's time. The cells are those the template wrote, checked by the report's tests.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from movilim.core.charts import BarChart
from movilim.core.formatting import DASH, decimal_text, html_format_join, percent_text

from ..queries import Breakdown, DomainFigure, QuestionFigures, WaveFigures

register = template.Library()


@register.filter
def question_chart(figures: WaveFigures, question: QuestionFigures) -> BarChart:
    """A multiple-choice question drawn per option: the share of respondents who chose it."""
    return figures.question_chart(question)


@register.simple_tag
def domain_item_rows(domain: DomainFigure) -> SafeString:
    """One row per item of an outcome domain: n, share agreeing, its interval and the mean."""

    def cells(f: QuestionFigures) -> tuple[object, ...]:
        interval = (
            f"{decimal_text(f.low, 0)}–{decimal_text(f.high, 0)}%" if f.low is not None else DASH
        )
        return (
            f.question.text,
            DASH if f.hidden else f.n,
            f.question.code,
            percent_text(f.share),
            interval,
            decimal_text(f.mean, 2),
        )

    return html_format_join(
        "",
        '<tr><td>{}</td><td class="num">{}</td><td class="num item-share" data-code="{}">{}</td>'
        '<td class="num">{}</td><td class="num">{}</td></tr>',
        map(cells, domain.items),
    )


@register.simple_tag
def distribution_rows(figures: QuestionFigures) -> SafeString:
    """One row per value of a closed question: its label, count and share."""
    return html_format_join(
        "",
        '<tr><th scope="row" class="fw-normal">{}</th><td class="num">{}</td>'
        '<td class="num">{}</td></tr>',
        (
            (label, DASH if count is None else count, percent_text(share))
            for label, count, share in figures.distribution
        ),
    )


@register.simple_tag
def breakdown_rows(breakdown: Breakdown) -> SafeString:
    """One row per outcome domain: the share agreeing in each group of the breakdown."""
    cell = '<td class="num">{}</td>'
    return html_format_join(
        "",
        '<tr><th scope="row" class="fw-normal">{}</th>{}</tr>',
        (
            (domain, html_format_join("", cell, ((percent_text(s),) for s in shares)))
            for domain, shares in breakdown.rows
        ),
    )
