"""Turning values into the text pages show, cheaply enough for tables of hundreds of rows.

Templates reach these through the filters in ``templatetags/movilim.py``; read paths that build
table rows in Python (``queries.py``) call them directly, once per row.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Model
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, formats, translation
from django.utils.safestring import SafeData, SafeString

DASH = "—"


@functools.cache
def _separators(language: str | None) -> tuple[str, str, int]:
    return (
        str(formats.get_format("DECIMAL_SEPARATOR", language)),
        str(formats.get_format("THOUSAND_SEPARATOR", language)),
        int(formats.get_format("NUMBER_GROUPING", language)),
    )


def _grouped(value: int | Decimal, digits: int = 0) -> str:
    """``value`` with the page language's separators, grouped by thousands.

    The same text as Django's ``number_format(..., force_grouping=True)`` for the values these
    helpers pass (already rounded to ``digits``), written by Python's own formatting: a figure
    table of a few hundred numbers spent more in ``number_format`` than in its queries.
    """
    decimal_sep, thousand_sep, grouping = _separators(translation.get_language())
    if grouping != 3:
        return formats.number_format(value, decimal_pos=digits, force_grouping=True)
    text = f"{value:,.{digits}f}" if digits or isinstance(value, Decimal) else f"{value:,}"
    if (decimal_sep, thousand_sep) != (".", ","):
        text = text.replace(",", "\0").replace(".", decimal_sep).replace("\0", thousand_sep)
    return text


def percent_text(value: float | Decimal | None, digits: int = 0) -> str:
    """A share in percent with the locale's separators ("75%"); a dash when unknown."""
    if value is None:
        return DASH
    # Rounded half up first, so 66.67 shows as 66.7 (formatting alone would round half even).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{_grouped(rounded, digits)}%"


def decimal_text(value: float | Decimal | None, digits: int) -> str:
    """``value`` with ``digits`` decimals, rounded half up, no thousands grouping: what the
    ``floatformat:<digits>`` filter writes, for rows built in Python; a dash when unknown."""
    if value is None:
        return DASH
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded) if rounded.is_zero() else rounded:.{digits}f}"  # no "-0"
    decimal_sep = _separators(translation.get_language())[0]
    return text if decimal_sep == "." else text.replace(".", decimal_sep)


def hours_text(value: float | Decimal | None) -> str:
    """Hours with at most one decimal, dropping a trailing ".0"; a dash when unknown."""
    if value is None:
        return DASH
    value = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    digits = 0 if value == value.to_integral() else 1
    return _grouped(value, digits)


def number_text(value: int | None) -> str:
    """A count with the locale's thousands separator ("20,000")."""
    if value is None:
        return DASH
    return _grouped(value)


def url_for(name: str, key: object) -> str:
    """``reverse(name, args=[key])`` for one-argument URLs, without reversing on every call.

    The pattern is reversed once per process (and script prefix) with a placeholder, and each
    call only substitutes the key: tables of links stay cheap.
    """
    head, tail = _url_parts(name, get_script_prefix())
    return f"{head}{key}{tail}"


def url_maker(name: str) -> Callable[[object], str]:
    """:func:`url_for` bound to one pattern, for a table's rows: the script prefix is read once."""
    head, tail = _url_parts(name, get_script_prefix())
    return lambda key: f"{head}{key}{tail}"


def url_of(name: str) -> str:
    """``reverse(name)`` for URLs without arguments, reversed once per process."""
    return _reversed(name, get_script_prefix())


@functools.cache
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


_PLACEHOLDER = "2147483647"


@functools.cache
def _url_parts(name: str, prefix: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
    return head, tail


def choice_labels(model: type[Model], field_name: str) -> dict[Any, str]:
    """A choice field's labels in the active language, translated once per language.

    Django's ``get_FOO_display`` rebuilds and hashes the whole choice list, translating every
    label, on each call; long tables use this instead.
    """
    return _choice_labels(model, field_name, translation.get_language())


@functools.cache
def _choice_labels(model: type[Model], field_name: str, language: str | None) -> dict[Any, str]:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


#: Django's date format characters that ``strftime`` writes alike (numbers, zero-padded).
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


def date_formatter(format_name: str) -> Callable[[date], str]:
    """For a table's rows: dates (or local datetimes) written in the page language's
    ``format_name``, as ``date_format`` writes them.

    The pattern is looked up once, and when it holds only numeric fields (``d/m/Y H:i``) it is
    written by ``strftime``, many times cheaper than Django's formatter: an event's list of
    seven hundred registrants spent more formatting their dates than reading them. Other
    patterns (month names) go through Django's formatter.
    """
    pattern = str(formats.get_format(format_name))
    if all(c in _STRFTIME or not c.isalpha() for c in pattern) and not {"\\", "%"} & set(pattern):
        translated = "".join(_STRFTIME.get(c, c) for c in pattern)
        return lambda value: value.strftime(translated)
    return lambda value: dateformat.format(value, pattern)


def name_chooser() -> Callable[[str, str], str]:
    """:func:`localized_name` for a table's rows: the page language is read once, not per name."""
    if translation.get_language() == "en":
        return lambda name_he, name_en: name_en or name_he
    return lambda name_he, name_en: name_he


def localized_name(name_he: str, name_en: str) -> str:
    """The English name on English pages when there is one, else the Hebrew name."""
    if name_en and translation.get_language() == "en":
        return name_en
    return name_he


def escaped(value: Any) -> str:
    """``value`` as HTML: as it is when already safe, otherwise escaped exactly like Django's
    ``conditional_escape``, without the lazy-argument checks that make that cost several calls.

    For table rows that repeat a value in several cells (a name in each cell's hidden label):
    escaped once, written as often as needed."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def html_format(template: str, *values: Any) -> SafeString:
    """``format_html`` for table cells: each value escaped unless safe, in one plain call.

    Django's ``format_html`` spends most of its time checking every value for lazy text; a table
    of a hundred rows of ten cells paid for it a thousand times a page.
    """
    return SafeString(template.format(*map(escaped, values)))


def html_format_join(separator: str, template: str, rows: Iterable[Iterable[Any]]) -> SafeString:
    """``format_html_join`` built on :func:`html_format`: one row of values per line."""
    return SafeString(separator.join(template.format(*map(escaped, row)) for row in rows))
