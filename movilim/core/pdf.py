"""Printable documents (sign-in sheets, statements, certificates, reports) as PDF with WeasyPrint.

Pango shapes Hebrew and lays out right-to-left text, so a PDF is an HTML template like any
page. Templates extend ``core/pdf/base.html``, which sets the page, the direction of the
reader's language and the Heebo font. Fonts and images are read from the static files
installed with the app (the npm packages of ``STATICFILES_DIRS``), never from the network:
``StaticFetcher`` refuses any address that is not a static file.
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "/" + settings.STATIC_URL.lstrip("/")
BASE_URL = "file:///movilim/"


def _static_file(url: str) -> str:
    """The installed file behind ``/static/…`` (as the templates' ``{% static %}`` writes
    it); anything else is refused, so rendering a document never leaves the machine."""
    path = unquote(urlparse(url).path)
    if path.startswith("/movilim/"):
        path = path[len("/movilim") :]
    if not path.startswith(STATIC_PREFIX):
        raise ValueError(f"documents may only use static files, not {url!r}")
    found = finders.find(path[len(STATIC_PREFIX) :])
    if not found:
        raise ValueError(f"no static file {path!r}")
    return str(found)


class StaticFetcher(URLFetcher):
    """WeasyPrint's fetcher, limited to the app's static files."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        found = _static_file(url)
        with open(found, "rb") as handle:  # noqa: PTH123
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """The PDF of ``template`` rendered with ``context`` in the request's language."""
    return html_to_pdf(render_to_string(template, context, request=request))


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document whose assets are static files."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFetcher()).write_pdf()


def pdf_response(
    template: str,
    context: dict[str, Any],
    request: HttpRequest,
    *,
    filename: str,
    inline: bool = False,
) -> HttpResponse:
    """A PDF download of ``template``."""
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
