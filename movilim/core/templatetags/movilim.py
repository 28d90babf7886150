"""Formatting and small components shared by every app's templates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


#: One entry of the main menu: its classes, address, current-page mark, label and badge.
_MENU_ENTRY = (
    '\n              <li class="nav-item">\n                <a class="nav-link{}" href="{}"{}>{}{}'
    "</a>\n              </li>\n            "
)
_MENU_BADGE = (
    ' <span class="badge rounded-pill text-bg-light num">{}'
    '<span class="visually-hidden"> {}</span></span>'
)


@register.simple_tag
def main_menu(items: list[dict[str, Any]]) -> SafeString:
    """The main menu's entries (``navigation`` context processor): a link each, marked when it
    is the current section, with its count of unread items.

    Written in Python because every signed-in page draws it: through the template's loop its
    half-dozen tests per entry cost more than the rest of the layout's header.
    """
    entries = []
    for item in items:
        active = item["active"]
        badge = ""
        if item["badge"]:
            badge = _MENU_BADGE.format(
                formatting.escaped(formats.localize(item["badge"])),
                formatting.escaped(gettext("unread")),
            )
        entries.append(
            _MENU_ENTRY.format(
                " active" if active else "",
                formatting.escaped(item["url"]),
                ' aria-current="page"' if active else "",
                formatting.escaped(item["label"]),
                badge,
            )
        )
    return mark_safe("".join(entries))  # noqa: S308 - every value is escaped above


_KEY = (
    '<span class="chart-key-item"><span class="chart-key chart-key-{}" aria-hidden="true">'
    "</span> {}</span>"
)


@register.simple_tag
def bar_chart(chart: Any, *, chart_id: str) -> SafeString:
    """Server-drawn horizontal bars with an optional target band, as accessible SVG.

    ``chart`` is a :class:`movilim.core.charts.BarChart`; drawing it on the server keeps the figure
    identical on screen and in PDF, needs no script, and passes a strict content-security policy.
    The shapes are written with one ``html_format`` call each: through template loops every
    coordinate cost several lookups and filters, more than the rest of the cohort page.
    """
    rtl = translation.get_language_bidi()
    height = chart.height
    axis_y = height - 14
    shapes: list[SafeString] = []
    for tick in chart.axis(rtl=rtl):
        x = f"{tick['x']:.1f}"
        shapes.append(
            formatting.html_format(
                '<line x1="{}" x2="{}" y1="0" y2="{}" class="chart-grid"/>'
                '<text x="{}" y="{}" text-anchor="middle" class="chart-axis">{}</text>',
                x,
                x,
                axis_y,
                x,
                height - 2,
                formatting.percent_text(tick["percent"]),
            )
        )
    any_target = False
    for row in chart.rows(rtl=rtl):
        any_target = any_target or bool(row["has_target"])
        target = (
            formatting.html_format(
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-target"/>',
                f"{row['target_x']:.1f}",
                row["y"] - 3,
                f"{row['target_width']:.1f}",
                chart.bar_height + 6,
            )
            if row["has_target"]
            else ""
        )
        text_y = f"{row['text_y']:.1f}"
        shapes.append(
            formatting.html_format(
                '<g>{}<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar{}"/>'
                '<text x="{}" y="{}" text-anchor="{}" class="chart-label">{}</text>'
                '<text x="{}" y="{}" text-anchor="{}" class="chart-value">{}</text></g>',
                target,
                f"{row['bar_x']:.1f}",
                row["y"],
                f"{row['bar_width']:.1f}",
                chart.bar_height,
                " chart-bar-off" if row["on_target"] is False else "",
                f"{row['label_x']:.1f}",
                text_y,
                row["label_anchor"],
                row["label"],
                f"{row['value_x']:.1f}",
                text_y,
                row["value_anchor"],
                formatting.percent_text(row["value"]),
            )
        )
    # The key names what the chart draws: target bands and bars outside them only where some
    # bar has a target (attendance rates have none).
    keys = [formatting.html_format(_KEY, "bar", gettext("actual share"))]
    if any_target:
        keys.append(formatting.html_format(_KEY, "target", gettext("target range")))
        keys.append(formatting.html_format(_KEY, "off", gettext("outside the target")))
    return formatting.html_format(
        '<figure class="chart">'
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{}-title {}-desc" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" class="chart-svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>'
        '<figcaption class="small text-body-secondary">{}</figcaption></figure>',
        chart_id,
        chart_id,
        chart.width,
        height,
        chart_id,
        chart.title,
        chart_id,
        chart.description,
        mark_safe("".join(shapes)),  # noqa: S308 - every shape is built by html_format above
        mark_safe(" ".join(keys)),  # noqa: S308 - built by html_format
    )
