"""Folding Hebrew text for search: the same rule in Python and in SQL.

People type names without vowel points while imported lists sometimes carry them (``שָׂרָה``),
and a name cut short for a search ends in a regular letter where the full name has a final form
(``כהנ`` is how ``כהן`` starts a longer word). Search therefore compares folded text: lower case,
points and cantillation marks (U+0591–U+05C7) removed, final letters (ך ם ן ף ץ) made regular.

The rule exists three times and must stay identical: :func:`fold` in Python, the SQL
expression PostgreSQL indexes and searches (:func:`fold_sql`), and the
``movilim_fold`` function registered on every SQLite connection.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Func, TextField

POINTS = "".join(chr(code) for code in range(0x0591, 0x05C8))
FINALS, REGULARS = "ךםןףץ", "כמנפצ"

_TABLE = str.maketrans(FINALS, REGULARS, POINTS)

#: Name of the SQLite function that applies :func:`fold`.
SQLITE_FUNCTION = "movilim_fold"


def fold(text: str) -> str:
    """``text`` as search compares it: lower case, no points, no final letter forms."""
    return text.lower().translate(_TABLE)


def fold_sql(expression: str) -> str:
    """The PostgreSQL expression folding ``expression`` (SQL text), exactly as :func:`fold` does.

    ``translate`` maps the five final letters and ``regexp_replace`` drops the range of points.
    A single ``translate`` could do both, but it compares each character with every character of
    its list, and with the 55 points that cost 35 µs a row (measured on 20,000 names): the index
    finds candidates, and PostgreSQL re-checks each one with this expression, so it must be
    cheap. All three functions are IMMUTABLE, so the expression can be indexed; a query must
    spell it the same way to use the index, which is why the migration and :class:`Folded` both
    build it here.
    """
    folded = f"translate(lower({expression}), '{FINALS}', '{REGULARS}')"
    return f"regexp_replace({folded}, '[{POINTS[0]}-{POINTS[-1]}]', '', 'g')"


class Folded(Func):
    """The folded text of one or more text columns, joined by single spaces.

    ``Folded("first_name", "last_name", "email")`` is what the search index on users holds.
    """

    output_field = TextField()
    arg_joiner = " || ' ' || "

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper, **extra: Any) -> Any:  # type: ignore[override]
        if connection.vendor == "postgresql":
            template = fold_sql("%(expressions)s")
        elif connection.vendor == "sqlite":
            template = f"{SQLITE_FUNCTION}(%(expressions)s)"
        else:  # pragma: no cover - only the two supported databases
            raise NotImplementedError(f"No search folding for {connection.vendor}.")
        return super().as_sql(compiler, connection, template=template, **extra)


def _sqlite_fold(value: str | None) -> str | None:
    return None if value is None else fold(value)


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give each new SQLite connection ``movilim_fold``; deterministic, so SQLite may index it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(  # type: ignore[attr-defined]
            SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True
        )


def connect() -> None:
    """Register the SQLite function for connections opened from now on (called at start-up)."""
    connection_created.connect(register_sqlite_function, dispatch_uid="movilim.core.hebrew.fold")
