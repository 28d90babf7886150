"""Column headers that sort a list, keeping its search and filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

#: Cursor parameters dropped when the order changes: a page edge of one order means nothing in
#: another.
_CURSORS = ("after", "before", "others_after", "others_before", "page")


@register.simple_tag(takes_context=True)
def sort_header(
    context: dict[str, Any], key: str, label: str, default: str = "name", anchor: str = ""
) -> SafeString:
    """A ``<th>`` whose link sorts by ``key`` (again: the other way), with ``aria-sort``."""
    query = context["request"].GET.copy()
    current = query.get("sort") or default
    for name in _CURSORS:
        query.pop(name, None)
    ascending = current == key
    descending = current == f"-{key}"
    query["sort"] = f"-{key}" if ascending else key
    state = "ascending" if ascending else "descending" if descending else "none"
    hint = _("sorted ascending") if ascending else _("sorted descending") if descending else ""
    arrow = " ▲" if ascending else " ▼" if descending else ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}{}">{}<span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></a></th>',
        state,
        query.urlencode(),
        f"#{anchor}" if anchor else "",
        label,
        arrow,
        f" ({hint})" if hint else "",
    )
