"""The database session store, refusing a session cookie that Django cannot have written.

Django's keys are lower-case letters and digits; its database store checks only their
length. A forged cookie such as sessionid="\\000\\000\\000\\000\\000\\000\\000\\000" (an
octal escape the cookie parser honours) reached PostgreSQL with NUL characters and turned
every page, public ones included, into a server error. Such a key is now no key at all:
the request goes on without a session.
"""

import string

from django.contrib.sessions.backends import db

KEY_CHARACTERS = frozenset(string.ascii_lowercase + string.digits)


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and set(key) <= KEY_CHARACTERS
