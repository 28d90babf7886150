"""Markdown bodies as sanitized HTML, and share-to-WhatsApp links.

Members write in Markdown; the HTML it gives is cleaned by ``nh3`` to a short list of tags, so a
body can never carry a script, a style or an event handler. Sharing is a link only
(``https://wa.me/?text=...``): the member's own WhatsApp opens with the text filled in, and the
server sends nothing anywhere.
"""

from __future__ import annotations

from urllib.parse import quote

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above


def whatsapp_link(text: str) -> str:
    """A link that opens WhatsApp with ``text`` ready to send to a chat of the member's choice."""
    return "https://wa.me/?text=" + quote(text, safe="")
