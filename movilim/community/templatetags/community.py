from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..text import render_markdown, whatsapp_link

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def whatsapp(text: str) -> str:
    return whatsapp_link(text)
