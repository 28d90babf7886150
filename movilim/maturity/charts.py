"""The 7 Lenses radar chart, drawn on the server as SVG (no script, same figure on screen and
on paper). Every page that shows it also shows the same numbers as a table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

from movilim.core.formatting import html_format

SIZE = 440
CENTER = SIZE / 2
RADIUS = 140


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # one per lens, 1–5
    stroke: str
    dash: str = ""
    fill: str = "none"


def _point(index: int, count: int, value: float, *, rtl: bool) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * value / 5
    x = r * math.cos(angle)
    return CENTER + (-x if rtl else x), CENTER + r * math.sin(angle)


def radar(
    labels: Sequence[str], series: Sequence[Series], *, title: str, description: str, chart_id: str
) -> SafeString:
    rtl = get_language_bidi()
    count = len(labels)
    shapes: list[SafeString] = []
    for ring in range(1, 6):
        points = " ".join(
            "{:.1f},{:.1f}".format(*_point(i, count, ring, rtl=rtl)) for i in range(count)
        )
        shapes.append(
            html_format(
                '<polygon points="{}" fill="none" stroke="#ced4da" stroke-width="1"/>', points
            )
        )
        x, y = _point(0, count, ring, rtl=rtl)
        shapes.append(
            html_format(
                '<text x="{}" y="{}" font-size="10" fill="#495057">{}</text>',
                f"{x + 4:.1f}",
                f"{y + 3:.1f}",
                ring,
            )
        )
    for i, label in enumerate(labels):
        x, y = _point(i, count, 5, rtl=rtl)
        lx, ly = _point(i, count, 6.1, rtl=rtl)
        anchor = "middle" if abs(lx - CENTER) < 10 else ("start" if lx > CENTER else "end")
        shapes.append(
            html_format(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ced4da"/>'
                '<text x="{}" y="{}" text-anchor="{}" font-size="13" fill="#212529">{}</text>',
                CENTER,
                CENTER,
                f"{x:.1f}",
                f"{y:.1f}",
                f"{lx:.1f}",
                f"{ly + 4:.1f}",
                anchor,
                label,
            )
        )
    for item in series:
        if not item.values or all(v is None for v in item.values):
            continue
        points = " ".join(
            "{:.1f},{:.1f}".format(*_point(i, count, v or 0, rtl=rtl))
            for i, v in enumerate(item.values)
        )
        shapes.append(
            html_format(
                '<polygon points="{}" fill="{}" fill-opacity="0.15" stroke="{}" '
                'stroke-width="2.5" stroke-dasharray="{}"/>',
                points,
                item.fill,
                item.stroke,
                item.dash or "none",
            )
        )
    legend = mark_safe(  # noqa: S308 - every part built by html_format
        "".join(
            html_format(
                '<span class="me-3"><svg width="28" height="10" aria-hidden="true">'
                '<line x1="0" y1="5" x2="28" y2="5" stroke="{}" stroke-width="3" '
                'stroke-dasharray="{}"/></svg> {}</span>',
                item.stroke,
                item.dash or "none",
                item.label,
            )
            for item in series
        )
    )
    return html_format(
        '<figure class="chart">'
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{}-t {}-d" '
        'viewBox="0 0 {} {}" width="{}" class="chart-svg mw-100 h-auto">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>'
        '<figcaption class="small">{}</figcaption></figure>',
        chart_id,
        chart_id,
        SIZE,
        SIZE,
        SIZE,
        chart_id,
        title,
        chart_id,
        description,
        mark_safe("".join(shapes)),  # noqa: S308 - every shape built by html_format
        legend,
    )
