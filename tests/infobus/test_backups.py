import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_service

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL dumps")


def _run(script, *args):
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, "DATABASE_URL": _url()},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_dump_restores_into_a_scratch_database_with_every_row(postgres_only, tmp_path):
    make_service(title="Midday meal", hours=[{"weekday": 0, "opens": "12:00", "closes": "14:00"}])
    dump = tmp_path / "guide.dump"

    backup = _run("backup.sh", str(dump))
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_mode & 0o077 == 0  # readable by its owner only

    check = _run("restore-check.sh", str(dump), "infobus_test_restore")
    assert check.returncode == 0, check.stderr
    assert "row counts match" in check.stdout
    tables = int(check.stdout.split("restore ok: ")[1].split()[0])
    assert tables >= 10


def test_a_damaged_dump_is_reported_and_leaves_no_scratch_database(postgres_only, tmp_path):
    dump = tmp_path / "guide.dump"
    assert _run("backup.sh", str(dump)).returncode == 0
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])

    check = _run("restore-check.sh", str(dump), "infobus_test_restore")
    assert check.returncode != 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'infobus_test_restore'")
        assert cursor.fetchone() is None
