"""How long one month's session report takes with ten years of sessions behind it.

Fills its own PostgreSQL database (created if missing, then migrated) with three sites, five
sessions a week at each (Sunday to Thursday, as the bus goes out) for ten years, about 7,800
sessions, written with bulk_create; then builds last month's report several times and prints
the time and the number of queries. Target: under 200 ms.

    .venv/bin/python bench/report.py [--runs 20] [--refill]

BENCH_REPORT_DATABASE_URL chooses the database (default
postgres://postgres@127.0.0.1:5432/infobus_bench_report). Nothing here talks to anything but
that server.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/infobus_bench_report"
TARGET_MS = 200
YEARS = 10
SITE_NAMES = ("Bench: BMX / Stadium", "Bench: Verrotières", "Bench: Old hospital")
# Sunday to Thursday.
BUS_DAYS = {6, 0, 1, 2, 3}


def ensure_database(url):
    """Create the database named in `url` if the server does not have it yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        dbname="postgres",
        connect_timeout=10,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"creating database {name}", file=sys.stderr)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "infobus.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fill(*, refill, last_day):
    """Three sites and ten years of sessions up to `last_day`; kept between runs."""
    from django.db import transaction

    from guides.models import Area, Place
    from sessions_log.models import Session, Site, SitePlace

    sites = list(Site.objects.filter(name__in=SITE_NAMES).order_by("name"))
    existing = Session.objects.filter(site__in=sites).count()
    if sites and existing and not refill:
        return existing
    from sessions_log.reports import shift_month

    first_day = date(*shift_month(last_day.year - YEARS, last_day.month, 1), 1)
    rng = random.Random(2016)  # noqa: S311 (made-up figures, the same at every run)
    with transaction.atomic():
        Session.objects.filter(site__in=sites).delete()
        area, _created = Area.objects.get_or_create(
            slug="bench-calais",
            defaults={
                "name": "Bench Calais",
                "centre_latitude": Decimal("50.951"),
                "centre_longitude": Decimal("1.858"),
            },
        )
        sites = []
        for order, name in enumerate(SITE_NAMES):
            place, _created = Place.objects.get_or_create(
                area=area,
                name=name,
                defaults={"latitude": area.centre_latitude, "longitude": area.centre_longitude},
            )
            site, created = Site.objects.get_or_create(
                name=name, defaults={"place": place, "order": order}
            )
            if created:
                SitePlace.objects.create(site=site, place=place, since=first_day)
            sites.append(site)
        rows = []
        day = first_day
        reasons = list(Session.CancelReason.values)
        while day <= last_day:
            if day.weekday() in BUS_DAYS:
                for index, site in enumerate(sites):
                    start = (10, 14, 17)[index]
                    planned = {
                        "site": site,
                        "date": day,
                        "planned_start": f"{start}:00",
                        "planned_end": f"{start + 2}:30",
                    }
                    if rng.random() < 0.06:
                        rows.append(
                            Session(
                                **planned,
                                status=Session.Status.CANCELLED,
                                cancel_reason=rng.choice(reasons),
                            )
                        )
                        continue
                    people = rng.randint(40, 300)
                    devices = rng.randint(people // 3, people)
                    rows.append(
                        Session(
                            **planned,
                            actual_start=f"{start}:{rng.randint(0, 15):02d}",
                            actual_end=f"{start + 2}:{rng.randint(20, 45):02d}",
                            people_present=people,
                            women_space_users=rng.randint(0, people // 8),
                            team_size=rng.randint(3, 9),
                            phones_charged=rng.randint(people // 2, people),
                            devices_connected=devices,
                            peak_devices=rng.randint(devices // 3, devices),
                            data_down_bytes=rng.randint(2, 20) * 1024**3,
                            data_up_bytes=rng.randint(100, 2000) * 1024**2,
                            generator_hours=Decimal(rng.choice(["2.0", "2.5", "3.0"])),
                            wifi_source=Session.WifiSource.TYPED,
                        )
                    )
            day += timedelta(days=1)
        Session.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed builds of the report")
    parser.add_argument("--refill", action="store_true", help="write the sessions again")
    args = parser.parse_args()

    url = os.environ.get("BENCH_REPORT_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sessions_log import reports

    call_command("migrate", "--noinput", verbosity=0)
    today = timezone.localdate()
    year, month = reports.shift_month(today.year, today.month, -1)
    _first, last_day = reports.month_days(year, month)

    started = time.perf_counter()
    count = fill(refill=args.refill, last_day=last_day)
    print(f"sessions in the database: {count} (ready in {time.perf_counter() - started:.1f} s)")

    def build():
        report = reports.month_report(year=year, month=month)
        # What the page shows besides the figures: the texts and the charts.
        for language in reports.REPORT_LANGUAGES:
            report.paragraph(language)
        report.weeks_chart()
        report.trend_chart()
        list(reports.export_rows(report))
        return report

    build()  # warm the connection and the code
    with CaptureQueriesContext(connection) as queries:
        report = build()
    timings = []
    for _run in range(args.runs):
        started = time.perf_counter()
        build()
        timings.append((time.perf_counter() - started) * 1000)

    median = statistics.median(timings)
    print(
        f"report for {year}-{month:02d}: {report.total.this.held} sessions held, "
        f"{report.total.this.people} people"
    )
    print(f"queries per report: {len(queries)}")
    print(
        f"time to build the report over {args.runs} runs: median {median:.1f} ms, "
        f"best {min(timings):.1f} ms, worst {max(timings):.1f} ms (target < {TARGET_MS} ms)"
    )
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
