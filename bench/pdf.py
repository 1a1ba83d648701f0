"""How long the printed guide takes to render, and how heavy it is, in Arabic, English and
Tigrinya.

Prepares the benchmark database like the other scripts (bench/harness.py: migrate, catalogues,
static files, demo guide), then renders the demo area's booklet in this process, the way the
`guide.pdf` view does on a cache miss: the HTML from the database (guides.printed.booklet_html)
and WeasyPrint on it, fetching nothing but our static files. Never from the cache.

For each language: the first render (it pays for WeasyPrint's start-up: fonts, stylesheets),
then `--runs` more, of which the median is checked against the target, under 3 s. Prints the
pages, the size in KB and the median CPU time of the render (the wall time grows with whatever
else the machine runs). Exits 1 when a median misses the target.

    .venv/bin/python bench/pdf.py [--languages ar,en,ti] [--runs 5] [--area calais]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import harness

TARGET_SECONDS = 3.0
TIME_LIMIT = 15 * 60


def setup_django():
    os.environ.update(harness.app_env())
    os.environ["DJANGO_SETTINGS_MODULE"] = "infobus.settings"
    sys.path.insert(0, str(harness.ROOT))
    import django

    django.setup()


def pages_of(pdf):
    """The page count, from poppler's pdfinfo when it is there."""
    try:
        info = subprocess.run(
            ["/usr/bin/pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return None
    return next(
        (int(line.split()[1]) for line in info.splitlines() if line.startswith("Pages:")), None
    )


def measure(area_slug, language, runs):
    from django.utils import timezone, translation

    from guides import printed
    from guides.models import Area

    area = Area.objects.get(slug=area_slug)
    site = "https://guide.example.org"
    timings = []
    cpu_timings = []
    html_timings = []
    pdf = b""
    for _run in range(runs + 1):
        now = timezone.now()
        with translation.override(language):
            started, cpu_started = time.perf_counter(), time.process_time()
            html = printed.booklet_html(area, now=now, month=printed.edition_month(now), site=site)
            built = time.perf_counter()
            pdf = printed.render_pdf(html, site=site)
            done = time.perf_counter()
        timings.append(done - started)
        cpu_timings.append(time.process_time() - cpu_started)
        html_timings.append(built - started)
    return {
        "language": language,
        "first": timings[0],
        "median": statistics.median(timings[1:]),
        "html": statistics.median(html_timings[1:]),
        # This process's CPU time: what the render costs, whatever else the machine runs.
        "cpu": statistics.median(cpu_timings[1:]),
        "kb": len(pdf) / 1024,
        "pages": pages_of(pdf),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="ar,en,ti")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--area", default=harness.AREA)
    args = parser.parse_args()
    with harness.time_limit(TIME_LIMIT):
        harness.prepare()
        setup_django()
        load = os.getloadavg()[0]
        rows = [
            measure(args.area, language, max(1, args.runs))
            for language in args.languages.split(",")
        ]

    print(
        f"\nPrinted guide, {args.area}, {args.runs} runs after the first; load average {load:.1f}"
    )
    print("| language | pages | size | first render | median render (HTML part) | CPU | target |")
    print("|---|---|---|---|---|---|---|")
    failed = False
    for row in rows:
        ok = row["median"] < TARGET_SECONDS
        failed |= not ok
        print(
            f"| {row['language']} | {row['pages'] or '?'} | {row['kb']:.0f} KB "
            f"| {row['first']:.2f} s | {row['median']:.2f} s ({row['html']:.2f} s) "
            f"| {row['cpu']:.2f} s "
            f"| < {TARGET_SECONDS:.0f} s {'ok' if ok else 'MISSED'} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
