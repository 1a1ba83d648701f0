"""The interface catalogues in locale/ stay complete: `make messages` would add nothing, and
every string a reader of the public guide sees is translated in every language."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Where the strings a reader of the public guide sees come from.
PUBLIC_SOURCES = (
    "templates/guides/",
    "templates/503.html",
    "guides/views.py",
    "guides/map.py",
    "guides/printed.py",
    "guides/editions.py",
    "infobus/views.py",
    "infobus/middleware.py",
    "infobus/templatetags/",
    "infobus/lib/calendar_words.py",
)
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "staticfiles", "node_modules", "out", "__pycache__", "*.mo", ".*cache"
)


def catalogue(code):
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


def _key(entry):
    return (entry.msgctxt or "", entry.msgid)


def _is_public(entry):
    return any(
        path.startswith(PUBLIC_SOURCES) and not path.startswith("templates/guides/staff/")
        for path, _line in entry.occurrences
    )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue makemessages would write now, from a copy of the project."""
    copy = tmp_path_factory.mktemp("project") / "infobus"
    shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "infobus.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    return polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_a_catalogue(code):
    assert (ROOT / "locale" / code / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_string_in_the_code_is_missing_from_the_catalogues(extracted, code):
    wanted = {_key(entry) for entry in extracted if not entry.obsolete}
    present = {_key(entry) for entry in catalogue(code) if not entry.obsolete}
    missing = sorted(msgid for _ctx, msgid in wanted - present)
    assert not missing, f"run `make messages` and translate: {missing[:20]}"


@pytest.mark.parametrize("code", [code for code in LANGUAGES if code != "en"])
def test_every_public_string_is_translated(code):
    untranslated = [
        entry.msgid
        for entry in catalogue(code)
        if not entry.obsolete
        and _is_public(entry)
        and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert not untranslated, untranslated[:20]


@pytest.mark.parametrize("code", [code for code in LANGUAGES if code not in {"en"}])
def test_unreviewed_translations_are_marked_for_translators(code):
    po = catalogue(code)
    assert po.metadata.get("X-Review-Status") in {"unreviewed", "partly reviewed", "reviewed"}
    for entry in po:
        if entry.translated() and not entry.obsolete and "reviewed:" not in entry.tcomment:
            pytest.fail(f"{code}: {entry.msgid!r} says neither 'unreviewed:' nor 'reviewed:'")
