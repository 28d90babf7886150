"""The plain-Python HTML builders the long tables use instead of ``format_html``."""

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from movilim.core.formatting import date_formatter, html_format, html_format_join

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


def test_numbers_read_as_djangos_number_format_gives_them_in_each_language():
    from decimal import ROUND_HALF_UP, Decimal

    from django.template.defaultfilters import floatformat
    from django.utils import formats, translation

    from movilim.core.formatting import decimal_text, hours_text, number_text, percent_text

    for language in ("he", "en"):
        with translation.override(language):
            for count in (0, 7, 1234, 20000, 1234567):
                assert number_text(count) == formats.number_format(count, force_grouping=True)
            for share, digits in ((66.67, 1), (12.5, 0), (1234.56, 1), (99.95, 1), (0, 0)):
                rounded = Decimal(str(share)).quantize(
                    Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
                )
                expected = formats.number_format(rounded, decimal_pos=digits, force_grouping=True)
                assert percent_text(share, digits) == f"{expected}%"
            assert (hours_text(1234.25), hours_text(Decimal("12.0"))) == ("1,234.3", "12")
            for value in (44.5, 2.675, 0.005, 1234.5, 3.0, 99.995, -0.4):
                for digits in (0, 1, 2):
                    assert decimal_text(value, digits) == floatformat(value, digits), value
            assert decimal_text(None, 0) == "—"


def test_dates_are_written_as_djangos_date_format_writes_them():
    """The fast numeric path and the fallback (month names) agree with ``date_format``."""
    moment = timezone.localtime(datetime.datetime(2026, 3, 5, 7, 4, tzinfo=datetime.UTC))
    for language in ("he", "en"):
        with translation.override(language):
            for name in ("SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT", "DATE_FORMAT"):
                assert date_formatter(name)(moment) == date_format(moment, name), (language, name)


def test_the_main_menu_reads_as_the_template_loop_wrote_it():
    from django.template import engines

    loop = engines["django"].from_string(
        "{% for item in nav_items %}\n"
        '              <li class="nav-item">\n'
        '                <a class="nav-link{% if item.active %} active{% endif %}" '
        'href="{{ item.url }}"{% if item.active %} aria-current="page"{% endif %}>'
        "{{ item.label }}{% if item.badge %} "
        '<span class="badge rounded-pill text-bg-light num">{{ item.badge }}'
        '<span class="visually-hidden"> {% translate "unread" %}</span></span>{% endif %}</a>\n'
        "              </li>\n"
        "            {% endfor %}"
    )
    tag = engines["django"].from_string("{% main_menu nav_items %}")
    items = [
        {"url": "/people/", "label": gettext_lazy("Name"), "active": True, "badge": None},
        {"url": "/notices/?a=1&b=2", "label": HOSTILE, "active": False, "badge": 12},
        {"url": "/", "label": "Home", "active": False, "badge": 0},
    ]
    assert tag.render({"nav_items": items}) == loop.render({"nav_items": items})
    assert "<script>" not in tag.render({"nav_items": items})
