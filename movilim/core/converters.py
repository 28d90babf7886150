"""Path converters shared by every app's addresses.

Register them by importing this module before the patterns that use them (``urls.py`` does).
"""

from __future__ import annotations

from django.urls import register_converter

#: The largest value of a 64-bit signed primary key (PostgreSQL ``bigint``, SQLite ``INTEGER``).
MAX_DATABASE_ID = 2**63 - 1


class DatabaseIdConverter:
    """``<id:pk>``: a database id, 1 to 2⁶³−1, written without leading zeros.

    Anything else does not match the pattern at all, so the answer is a plain 404 and the view
    (and the database) never sees a number it cannot store. Django's ``<int:…>`` accepts any
    run of digits, ``0`` and ``00042`` included.
    """

    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_ID:
            raise ValueError("not a database id")  # the URL resolver treats it as no match
        return number

    def to_url(self, value: int | str) -> str:
        number = int(value)
        if not 1 <= number <= MAX_DATABASE_ID:
            raise ValueError(f"{value!r} is not a database id")
        return str(number)


register_converter(DatabaseIdConverter, "id")
