"""Formatting and small components shared by every app's templates."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils import formats, translation

register = template.Library()


@register.filter
def percent(value: float | Decimal | None, digits: int = 0) -> str:
    """A share in percent, with the locale's separators ("75%"); an em dash when unknown."""
    if value is None:
        return "—"
    # number_format truncates; round half up first so 66.67 shows as 66.7, not 66.6.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{formats.number_format(rounded, decimal_pos=digits, use_l10n=True)}%"


@register.filter
def hours(value: float | Decimal | None) -> str:
    """Hours with at most one decimal, dropping a trailing ".0"."""
    if value is None:
        return "—"
    value = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    digits = 0 if value == value.to_integral() else 1
    return formats.number_format(value, decimal_pos=digits, use_l10n=True)


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
