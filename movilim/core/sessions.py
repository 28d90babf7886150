"""Database sessions whose read costs one plain statement.

Every signed-in request reads its session before anything else happens. Django's database
engine builds an ORM query for that each time, which on a page served from the cache cost about
as much as serving the page itself (``docs/decisions/0006-lean-request-reads.md``). Writing,
rotating, expiring and clearing sessions stay Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """The session row with its data only (all that ``load`` reads), or None."""
        key = self.session_key
        if key is None:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {q('session_data')} FROM {q(model._meta.db_table)} "  # noqa: S608 - names from the model
                f"WHERE {q('session_key')} = %s AND {q('expire_date')} > %s",
                [key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's engine does: an unknown or expired key is never reused.
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
