import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from infobus.lib.env import env_bool, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_database_url_unset_means_sqlite_file_in_project_folder():
    config = env_database("DATABASE_URL", sqlite_path=ROOT / "db.sqlite3", environ={})
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": str(ROOT / "db.sqlite3")}


def test_database_url_postgres_is_parsed_with_quoted_password_and_options():
    environ = {"DATABASE_URL": "postgresql://bus:p%40ss@db.local:6543/infobus?sslmode=require"}
    config = env_database("DATABASE_URL", sqlite_path="x", environ=environ)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("infobus", "bus", "p@ss")
    assert (config["HOST"], config["PORT"]) == ("db.local", "6543")
    assert config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    "value",
    [
        "mysql://u@h/db",
        "postgres://u@h/",
        "postgres://u@h:notaport/db",
        "not a url",
        "postgres://h/a/b",
    ],
)
def test_malformed_database_url_names_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", sqlite_path="x", environ={"DATABASE_URL": value})


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("off", False), ("Yes", True)])
def test_booleans_accept_the_usual_words(value, expected):
    assert env_bool("DEBUG", environ={"DEBUG": value}) is expected


def test_malformed_boolean_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe'"):
        env_bool("DEBUG", environ={"DEBUG": "maybe"})


def test_list_with_an_empty_item_is_refused():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", environ={"ALLOWED_HOSTS": "a.org,,b.org"})
    assert env_list("ALLOWED_HOSTS", environ={"ALLOWED_HOSTS": "a.org, b.org"}) == [
        "a.org",
        "b.org",
    ]


def test_integer_out_of_range_is_refused():
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE"):
        env_int("CONN_MAX_AGE", 60, minimum=0, environ={"CONN_MAX_AGE": "-1"})


def _start_up(**env):
    """Import the settings in a fresh interpreter, as `manage.py` does at start-up."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "infobus.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_start_up_without_secret_key_fails_when_debug_is_off():
    result = _start_up(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "sometimes"),
        ("DATABASE_URL", "sqlite:///x"),
        ("ALLOWED_HOSTS", ","),
        ("ADMIN_URL", "/admin"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_start_up_with_malformed_value_stops_naming_the_variable(variable, value):
    result = _start_up(SECRET_KEY="k", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]


def test_start_up_in_debug_needs_no_secret_key():
    assert _start_up(DEBUG="1").returncode == 0


def test_time_zone_is_paris(settings):
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Jq9vX2mZ8pL4wR7tY1uH6nB5cF0dG3sA9eQ2xV8zK4jM7hN1bT5yW6rP0oI3",
    "ALLOWED_HOSTS": "guide.example.org",
    "DATABASE_URL": "postgres://infobus:secret@db.internal:5432/infobus",
    "SECURE_SSL_REDIRECT": "1",
    "BEHIND_HTTPS_PROXY": "1",
}


def test_deploy_check_reports_nothing_with_production_settings():
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PRODUCTION_ENV},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
