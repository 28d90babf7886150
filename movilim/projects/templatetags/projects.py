"""Template helpers of the project pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from movilim.core.formatting import date_formatter, html_format_join

from ..queries import CatalogueRow

register = template.Library()


@register.simple_tag
def catalogue_rows(rows: Iterable[CatalogueRow]) -> SafeString:
    """The catalogue's lines, written in Python as the programs' long tables are: fifty lines of
    six cells through the template engine cost more than the query that reads them."""
    since = date_formatter("SHORT_DATE_FORMAT")
    yes, no = _("Yes"), _("No")
    return html_format_join(
        "\n",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td><span class="badge text-bg-light border '
        'stage-{}">{}</span></td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                row.url,
                row.title,
                row.kind,
                row.stage_code,
                row.stage,
                since(row.stage_since) if row.stage_since else "",
                row.cohort,
                yes if row.cross else no,
            )
            for row in rows
        ),
    )
