"""Formatting and small components shared by every app's templates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import template
from django.utils import translation

from movilim.core import formatting

register = template.Library()


@register.filter
def percent(value: float | Decimal | None, digits: int = 0) -> str:
    """A share in percent ("75%"); see :func:`movilim.core.formatting.percent_text`."""
    return formatting.percent_text(value, digits)


@register.filter
def hours(value: float | Decimal | None) -> str:
    """Hours with at most one decimal; see :func:`movilim.core.formatting.hours_text`."""
    return formatting.hours_text(value)


@register.filter
def number(value: int | None) -> str:
    """A count with the thousands separator; see :func:`movilim.core.formatting.number_text`."""
    return formatting.number_text(value)


@register.filter
def url_with(key: object, name: str) -> str:
    """``{{ person.pk|url_with:"programs:person" }}``: a cheap ``{% url %}`` for table rows."""
    return formatting.url_for(name, key)


@register.filter
def display(obj: Any, field_name: str) -> str:
    """``{{ enrollment|display:"status" }}``: a cheap ``get_FOO_display`` for table rows."""
    value = getattr(obj, field_name)
    labels = formatting.choice_labels(type(obj), field_name)
    return labels.get(value, "" if value in (None, "") else str(value))


@register.filter
def total_minutes(value: timedelta | None) -> int:
    return int(value.total_seconds() // 60) if value else 0


@register.inclusion_tag("core/partials/bar_chart.html")
def bar_chart(chart: Any, *, chart_id: str) -> dict[str, Any]:
    """Server-drawn horizontal bars with an optional target band, as accessible SVG.

    ``chart`` is a :class:`movilim.core.charts.BarChart`; drawing it on the server keeps the figure
    identical on screen and in PDF, needs no script, and passes a strict content-security policy.
    """
    rtl = translation.get_language_bidi()
    return {
        "chart": chart,
        "chart_id": chart_id,
        "rows": chart.rows(rtl=rtl),
        "axis": chart.axis(rtl=rtl),
        "axis_y": chart.height - 14,
    }
