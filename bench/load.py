"""How many readers one small server holds: the area home with and without the page cache,
against a static file of the same size served by WhiteNoise from the same gunicorn.

gunicorn (2 sync workers, DEBUG off) on a loopback port, and `wrk` in a second process
(1 thread, 8 connections, gzip accepted, as phones do) for a bounded time per case. The page
cache is switched off for the uncached case by starting gunicorn with PAGE_CACHE=0 (see
README.md's settings); the run checks that it really is off (each response is rendered anew,
so its Last-Modified moves on) and fails if not.

    .venv/bin/python bench/load.py [--seconds 15] [--connections 8] [--language ar]
"""

# Every command here is built from fixed arguments, never from input.
# ruff: noqa: S603

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass

import harness

WRK = "/usr/bin/wrk"
# wrk's --latency prints no 95th percentile: this prints every figure on one line.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d " ..
    "timeout=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""
WARM_UP_SECONDS = 2
TIME_LIMIT = 10 * 60


@dataclass
class Run:
    label: str
    path: str
    wire_bytes: int
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    busy: float  # the machine's 1-minute load average before the case: others' work skews it

    @property
    def per_second(self):
        return self.requests / self.seconds


def wrk(url, *, seconds, connections):
    script = harness.OUT / "wrk-report.lua"
    script.write_text(WRK_REPORT)
    result = subprocess.run(
        [
            WRK,
            "--threads=1",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=5s",
            "--header=Accept-Encoding: gzip, deflate, br",
            f"--script={script}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}


def measure(label, server, path, *, seconds, connections):
    url = server.base + path
    page = harness.fetch(url)
    if page.status != 200:
        raise SystemExit(f"{path} answered {page.status}")
    harness.log(f"{label}: warm-up {WARM_UP_SECONDS} s, then {seconds} s")
    busy = os.getloadavg()[0]
    wrk(url, seconds=WARM_UP_SECONDS, connections=connections)
    figures = wrk(url, seconds=seconds, connections=connections)
    errors = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    return Run(
        label=label,
        path=path,
        wire_bytes=len(page.body),
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        errors=errors,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        busy=busy,
    )


def page_cache_is_off(server, path):
    """Without the cache every response is rendered anew: its Last-Modified moves on."""
    first = harness.fetch(server.base + path).headers["last-modified"]
    time.sleep(1.1)
    return harness.fetch(server.base + path).headers["last-modified"] != first


def static_file_like(server, size):
    """The collected static file whose gzip response is nearest `size` bytes on the wire."""
    manifest = json.loads((harness.ROOT / "staticfiles" / "staticfiles.json").read_text())
    candidates = {}
    for hashed in manifest["paths"].values():
        compressed = harness.ROOT / "staticfiles" / (hashed + ".gz")
        plain = harness.ROOT / "staticfiles" / hashed
        if compressed.exists():
            candidates[hashed] = compressed.stat().st_size
        elif plain.exists():
            candidates[hashed] = plain.stat().st_size
    hashed = min(candidates, key=lambda name: abs(candidates[name] - size))
    path = "/static/" + hashed
    served = harness.fetch(server.base + path)
    if served.status != 200:
        raise SystemExit(f"{path} answered {served.status}")
    return path


def print_table(header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in [header, ["-" * width for width in widths], *rows]:
        cells = [
            str(cell).ljust(width) if index < 2 else str(cell).rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, choices=range(1, 61), metavar="1..60")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--language", default="ar")
    options = parser.parse_args()
    home = f"/{options.language}/{harness.AREA}/"
    load = {"seconds": options.seconds, "connections": options.connections}

    harness.ensure_debian_package(WRK, "wrk")
    harness.prepare()
    problems = []
    with harness.gunicorn_server("load-uncached", PAGE_CACHE="0") as server:
        if page_cache_is_off(server, home):
            uncached = measure("area home, page cache off", server, home, **load)
        else:
            uncached = None
            problems.append("PAGE_CACHE=0 did not switch the page cache off")
    with harness.gunicorn_server("load-cached") as server:
        cached = measure("area home, page cache on", server, home, **load)
        static_path = static_file_like(server, cached.wire_bytes)
        static = measure("static file, WhiteNoise", server, static_path, **load)

    runs = [run for run in (uncached, cached, static) if run]
    print()
    print(
        f"gunicorn: 2 sync workers, DEBUG off; wrk: 1 thread, {options.connections} "
        f"connections, {options.seconds} s per case after a {WARM_UP_SECONDS} s warm-up, "
        "Accept-Encoding gzip; both on this machine's cores, loopback only."
    )
    print_table(
        ["case", "address", "bytes", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "load"],
        [
            [
                run.label,
                run.path,
                run.wire_bytes,
                f"{run.per_second:.0f}",
                f"{run.p50_ms:.1f}",
                f"{run.p95_ms:.1f}",
                f"{run.p99_ms:.1f}",
                run.errors,
                f"{run.busy:.1f}",
            ]
            for run in runs
        ],
    )
    print(
        f"bytes: the response body as sent (gzip). load: this machine's 1-minute load average "
        f"before the case ({os.cpu_count()} cores); above ~0.5 other work shares the cores."
    )
    print()
    print_table(
        ["ratio", "req/s", "p95"],
        [
            [
                f"{run.label} / static file",
                f"{run.per_second / static.per_second:.2f}",
                f"{run.p95_ms / static.p95_ms:.2f}",
            ]
            for run in runs
            if run is not static
        ],
    )
    problems += [f"{run.label}: {run.errors} errors" for run in runs if run.errors]
    for problem in problems:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    with harness.time_limit(TIME_LIMIT):
        sys.exit(main())
