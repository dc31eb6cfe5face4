"""Django's database sessions, which also know when they end: the page can warn shortly before (sectie.js).

The end is the `expire_date` of the session's row, read with the session itself (no extra query), or the
moment a save in this request sets. Sessions end 8 hours after they were last written (log-in, second
factor), not after inactivity: see DJANGO_SESSION_COOKIE_AGE in the README.
"""

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore


class SessionStore(DbSessionStore):
    verloopt_op = None

    def _get_session_from_db(self):
        sessie = super()._get_session_from_db()
        self.verloopt_op = sessie.expire_date if sessie else None
        return sessie

    def _validate_session_key(self, key):
        # Django makes keys of lowercase letters and digits. Any other cookie value is no session: looked up, a
        # NUL in it (a quoted cookie value may spell one as \000) would reach PostgreSQL, which refuses it (a 500).
        return super()._validate_session_key(key) and key.isascii() and key.isalnum()

    def save(self, must_create=False):
        super().save(must_create=must_create)
        self.verloopt_op = self.get_expiry_date()
