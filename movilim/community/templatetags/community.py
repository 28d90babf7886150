from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from movilim.core.formatting import date_formatter, html_format_join

from ..queries import RegistrantRow
from ..text import render_markdown, whatsapp_link

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def whatsapp(text: str) -> str:
    return whatsapp_link(text)


@register.simple_tag
def registrant_rows(
    rows: Sequence[RegistrantRow],
    first: int,
    with_attendance: bool,
    yes: str,
    no: str,
    unknown: str,
) -> SafeString:
    """The lines of a page of an event's registrant list or waiting list, numbered from
    ``first``, written in Python (as the programs' long tables are): a hundred lines through
    the template engine cost more than the rest of the page. The sentences come translated
    from the template."""
    written = date_formatter("SHORT_DATETIME_FORMAT")
    zone = timezone.get_current_timezone()

    def when(row: RegistrantRow) -> str:
        return written(timezone.localtime(row.asked_at, zone))

    if with_attendance:
        marks = {True: yes, False: no, None: unknown}
        return html_format_join(
            "\n",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((n, r.name, when(r), marks[r.attended]) for n, r in enumerate(rows, first)),
        )
    return html_format_join(
        "\n",
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((n, r.name, when(r)) for n, r in enumerate(rows, first)),
    )
