"""Lighthouse 12 on the Arabic area home, service page and info page: performance and
accessibility with mobile settings (Lighthouse's default form factor, simulated throttling).

Lighthouse is pinned in bench/lighthouse/package.json and installed there with `npm ci`
when missing; it drives Debian's Chromium. gunicorn (DEBUG off) serves the app on a
loopback port. Prints the scores, the main metrics and every failing accessibility audit
with the elements it names, then exits 1 if a target fails. The JSON reports stay in
bench/out/.

    .venv/bin/python bench/lighthouse.py [--language ar]
"""

# Every command here is built from fixed arguments, never from input.
# ruff: noqa: S603

import argparse
import json
import os
import shutil
import subprocess
import sys

import harness

PACKAGE = harness.ROOT / "bench" / "lighthouse"
CLI = PACKAGE / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
PERFORMANCE_TARGET = 95
ACCESSIBILITY_TARGET = 100
METRICS = [
    ("first-contentful-paint", "FCP s", 1000),
    ("largest-contentful-paint", "LCP s", 1000),
    ("speed-index", "SI s", 1000),
    ("total-blocking-time", "TBT ms", 1),
    ("cumulative-layout-shift", "CLS", 1),
    ("total-byte-weight", "KB", 1024),
]
TIME_LIMIT = 10 * 60


def ensure_lighthouse():
    if CLI.exists():
        return
    npm = shutil.which("npm")
    if not npm:
        harness.ensure_debian_package("npm", "npm")
        npm = shutil.which("npm")
    harness.log("installing Lighthouse into bench/lighthouse (npm ci)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PACKAGE, check=True, timeout=900)


def lighthouse(url, name):
    report = harness.OUT / f"lighthouse-{name}.json"
    subprocess.run(
        [
            shutil.which("node"),
            str(CLI),
            url,
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": harness.CHROMIUM},
        check=True,
        timeout=240,
    )
    return json.loads(report.read_text())


def failing_audits(result, category):
    """(id, title, [(selector, snippet) …]) of each weighted audit that does not fully pass."""
    failing = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])
            nodes = [
                (item["node"].get("selector", ""), item["node"].get("snippet", ""))
                for item in items
                if isinstance(item.get("node"), dict)
            ]
            failing.append((ref["id"], audit["title"], nodes))
    return failing


def print_table(header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in [header, ["-" * width for width in widths], *rows]:
        cells = [
            str(cell).ljust(width) if index < 2 or index == len(row) - 1 else str(cell).rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="ar")
    options = parser.parse_args()

    harness.ensure_debian_package(harness.CHROMIUM, "chromium")
    ensure_lighthouse()
    harness.prepare()
    results = {}
    with harness.gunicorn_server("lighthouse") as server:
        pages = harness.discover(server.base, options.language)
        for name, path in [
            ("area home", f"/{options.language}/{harness.AREA}/"),
            ("service", pages.service),
            ("info page", pages.info),
        ]:
            harness.log(f"Lighthouse: {name} {path}")
            results[name, path] = lighthouse(server.base + path, name.replace(" ", "-"))

    print()
    print(
        f"Lighthouse {next(iter(results.values()))['lighthouseVersion']}, mobile form factor, "
        "simulated throttling, Debian's Chromium headless; "
        f"targets: performance >= {PERFORMANCE_TARGET}, accessibility = {ACCESSIBILITY_TARGET}."
    )
    rows, failures = [], []
    for (name, path), result in results.items():
        performance = round(result["categories"]["performance"]["score"] * 100)
        accessibility = round(result["categories"]["accessibility"]["score"] * 100)
        problems = []
        if performance < PERFORMANCE_TARGET:
            problems.append(f"performance < {PERFORMANCE_TARGET}")
        if accessibility < ACCESSIBILITY_TARGET:
            problems.append(f"accessibility < {ACCESSIBILITY_TARGET}")
        failures += [f"{name}: {problem}" for problem in problems]
        metrics = [
            result["audits"][audit]["numericValue"] / scale for audit, _label, scale in METRICS
        ]
        rows.append(
            [
                name,
                path,
                performance,
                accessibility,
                *(f"{value:.2f}" if value < 10 else f"{value:.0f}" for value in metrics),
                "PASS" if not problems else "FAIL: " + "; ".join(problems),
            ]
        )
    print_table(
        ["page", "address", "perf", "a11y", *(label for _id, label, _scale in METRICS), "result"],
        rows,
    )
    for (name, _path), result in results.items():
        for category in ("accessibility", "performance"):
            for audit_id, title, nodes in failing_audits(result, category):
                if category == "performance" and not nodes:
                    continue  # the metric audits: their figures are in the table above
                print(f"\n{name}: {category} audit {audit_id} fails: {title}")
                for selector, snippet in nodes[:10]:
                    print(f"  {selector}  {snippet}")
    print()
    if failures:
        print(f"{len(failures)} target(s) failed.")
        return 1
    print("Every target passed.")
    return 0


if __name__ == "__main__":
    with harness.time_limit(TIME_LIMIT):
        sys.exit(main())
