"""The plain-Python HTML builders the long tables use instead of ``format_html``."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from movilim.core.formatting import html_format, html_format_join

HOSTILE = "<script>alert('x')</script> & \"quoted\""


def test_html_format_escapes_like_format_html_and_keeps_safe_values():
    values = (HOSTILE, 3, None, mark_safe("<b>kept</b>"), gettext_lazy("Name"))
    template = '<td title="{}">{}</td><td>{}</td><td>{}</td><td>{}</td>'
    built = html_format(template, *values)
    assert isinstance(built, SafeString)
    assert built == format_html(template, *values)
    assert "<script>" not in built and "<b>kept</b>" in built


def test_html_format_join_matches_format_html_join():
    rows = [(HOSTILE, 1), ("plain", mark_safe("<i>safe</i>"))]
    assert html_format_join("\n", "<tr><td>{}</td><td>{}</td></tr>", rows) == format_html_join(
        "\n", "<tr><td>{}</td><td>{}</td></tr>", rows
    )
