"""Strict readers for settings from environment variables.

A malformed value must stop start-up with a message naming the variable: a typo in
production must never fall back silently to a development default.
"""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, environ=os.environ):
    value = environ.get(name)
    if value is None:
        return default
    return value.strip()


def env_bool(name, default=False, *, environ=os.environ):
    value = environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name, default, *, minimum=None, maximum=None, environ=os.environ):
    value = environ.get(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(f"{name}={number} is outside {minimum}..{maximum}.")
    return number


def env_list(name, default=(), *, environ=os.environ):
    value = environ.get(name)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{name}={value!r} has an empty item: separate values with single commas."
        )
    return items


def parse_database_url(name, value):
    """Turn postgres://user:password@host:port/dbname?sslmode=require into DATABASES['default']."""
    try:
        url = urlsplit(value)
        port = url.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {exc}.") from None
    if url.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"{name} must start with postgres:// or postgresql:// "
            f"(got {url.scheme or 'nothing'!r}); leave it unset to use the embedded SQLite file."
        )
    dbname = unquote(url.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise ImproperlyConfigured(f"{name} must name one database after the host, e.g. /infobus.")
    options = {}
    for pair in filter(None, url.query.split("&")):
        key, sep, val = pair.partition("=")
        if not sep or not key:
            raise ImproperlyConfigured(f"{name} has a malformed query parameter {pair!r}.")
        options[unquote(key)] = unquote(val)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": dbname,
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
    }


def env_database(name, *, sqlite_path, environ=os.environ):
    value = environ.get(name)
    if value is None or not value.strip():
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_path)}
    return parse_database_url(name, value.strip())
