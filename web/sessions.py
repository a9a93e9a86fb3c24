"""Django's database sessions, read with one plain SQL statement.

Every signed-in request reads its session first. Django's store builds that query through the
ORM each time, which costs more than the query itself (about 0.36 ms against 0.13 ms here);
`docs/benchmarks.md` has the figures. Everything else — writing, expiry, cycling the key on
login, `clearsessions` — is Django's `db` store unchanged, on the same table."""

from types import SimpleNamespace

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        if not self.session_key:  # None, or a key the base class found invalid
            self._session_key = None
            return None
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])
