"""Under load and faults: readers of the public guide for a minute with zero errors, then
PostgreSQL restarted in the middle of a run of readers and volunteers' writes.

It starts a PostgreSQL cluster of its own (initdb in a temporary directory, a free loopback
port, trust authentication), so that stopping it disturbs no one: the machine's shared server
is never touched. On it: migrate, the demo guide, a volunteer with a logged-in session, and
gunicorn (bench/harness.py: 2 sync workers, DEBUG off, page cache on, CONN_MAX_AGE 60 with
health checks, as in production).

1. Readers: `wrk`, N connections, for `--seconds` over every public page of the demo area in
   five languages plus a search per language (search is never cached; every public page, cached
   or not, reads its area from the database). Target: zero errors (any non-2xx/3xx, timeout
   or socket error). Prints req/s, p50, p95 and p99.
2. Faults, `--fault-seconds`: reader threads on the same pages, two volunteers' phones tapping
   "+1" at the van (each tap with its own id, sent again until a 2xx exactly as the van
   page's queue does: 1 s, then doubling up to 30 s, JSON answers of 5xx or non-JSON answers
   keep the tap), and one end-of-session form a second, as the van page's queue sends it
   (JSON with a submission id, which the server takes once). A third of the way in,
   PostgreSQL is stopped (`pg_ctl stop -m fast`), left down `--down-seconds`, and started.
   Targets: no reader error before the stop, no 500 from anyone at any time, 503s (with
   Retry-After) while the database is down, every reader request started after the database
   is back answered 200, gunicorn's master and workers the same processes throughout, and in
   the database afterwards every acknowledged tap and session exactly once, none recorded
   twice, none that was never sent.

    .venv/bin/python bench/faults.py [--readers 20] [--seconds 60] [--fault-seconds 45]
                                     [--fault-readers 8] [--down-seconds 5]

Exits 1 when a target fails, after printing every figure. Bounded: about 3 minutes, 10 at
most; the cluster, gunicorn and the temporary directory are removed even on failure.
"""

# Every command here is built from fixed arguments, never from input.
# ruff: noqa: S603

import argparse
import http.client
import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, deque
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import harness
import psycopg2
from load import WRK, WRK_REPORT, print_table

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SHARED_PORT = 5432
DATABASE = "infobus_fault"
LANGUAGES = ("ar", "en", "fa", "ti", "fr")
WARM_UP_SECONDS = 2
TIME_LIMIT = 10 * 60
# The van page's queue (phones/static/phones/van.js): first retry after 1 s, then doubling.
RETRY_FIRST, RETRY_MAX = 1.0, 30.0
# How long writers may go on sending what is still queued once the fault phase is over.
DRAIN_SECONDS = 45
# Seconds between two taps on one phone, and between two sessions entered.
TAP_EVERY, SESSION_EVERY = 0.25, 1.0
# The end-of-session form: the van page's queue posts it here as JSON, with a submission id.
SESSION_PATH = "/staff/sessions/record/"
WRK_ROTATE = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


# --- Our own PostgreSQL -------------------------------------------------------------------------


class OwnPostgres:
    """A throwaway cluster in a temporary directory on a free loopback port.

    PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user.
    Every pg_ctl call names this cluster's data directory, never another.
    """

    def __init__(self):
        self.port = harness.free_port()
        if self.port == SHARED_PORT:
            raise SystemExit("refusing to run a throwaway cluster on the shared server's port")
        self.root = Path(tempfile.mkdtemp(prefix="infobus-faults-"))
        self.data = self.root / "data"
        self.log = self.root / "postgresql.log"
        self.as_owner = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["/usr/sbin/runuser", "-u", "postgres", "--"]

    @property
    def url(self):
        return f"postgres://postgres@{harness.HOST}:{self.port}/{DATABASE}"

    def _run(self, *command, timeout=120):
        subprocess.run(
            [*self.as_owner, *command],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            cwd=self.root,
        )

    def create(self):
        self._run(
            str(PG_BIN / "initdb"),
            f"--pgdata={self.data}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\n# bench/faults.py\nlisten_addresses = '{harness.HOST}'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.root}'\n"
            )
        self.start()

    def start(self):
        self._run(
            str(PG_BIN / "pg_ctl"), f"--pgdata={self.data}", f"--log={self.log}", "-w", "start"
        )

    def stop(self, mode="fast"):
        self._run(str(PG_BIN / "pg_ctl"), f"--pgdata={self.data}", "-w", f"--mode={mode}", "stop")

    def remove(self):
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop(mode="immediate")
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                harness.log(f"could not stop the throwaway cluster: {error}")
        shutil.rmtree(self.root, ignore_errors=True)

    def connect(self):
        return psycopg2.connect(
            host=harness.HOST, port=self.port, user="postgres", dbname=DATABASE, connect_timeout=5
        )


@contextmanager
def own_postgres():
    cluster = OwnPostgres()
    try:
        harness.log(f"starting a throwaway PostgreSQL on port {cluster.port} in {cluster.root}")
        cluster.create()
        yield cluster
    finally:
        cluster.remove()


# --- The volunteer ---------------------------------------------------------------------------

# Run by manage.py shell in the app's environment. Prints one JSON line.
SETUP_VOLUNTEER = r"""
import json, secrets
from importlib import import_module
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from guides.models import Place
from infobus.roles import sync_roles
from phones import services as phone_services
from phones.models import StockItem, van_day
from sessions_log import services as session_services
from sessions_log.models import Site

sync_roles()
user, _ = User.objects.get_or_create(username="bench-volunteer", defaults={"is_staff": True})
user.set_password(secrets.token_urlsafe(24))
user.is_staff = True
user.save()
user.groups.set([Group.objects.get(name="volunteer")])
site = Site.objects.filter(name="Bench stop").first() or session_services.create_site(
    name="Bench stop", place=Place.objects.filter(area__slug="calais").first(), user=user
)
items = []
for kind, name in [("sim", "Bench SIM"), ("cable", "Bench cable"), ("plug", "Bench plug")]:
    item, created = StockItem.objects.get_or_create(name=name, defaults={"kind": kind})
    if created:
        phone_services.receive_stock(item=item, quantity=100000, user=user)
    items.append(item.pk)

# A logged-in session, as the login form (and its second factor) would leave it.
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
if apps.is_installed("django_otp"):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="bench phone", confirmed=True)
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
store.create()
print(json.dumps({
    "session_cookie": settings.SESSION_COOKIE_NAME,
    "session": store.session_key,
    "csrf_cookie": settings.CSRF_COOKIE_NAME,
    "site": site.pk,
    "items": items,
    "day": van_day().isoformat(),
}))
"""


def setup_volunteer():
    result = subprocess.run(
        [str(harness.BIN / "python"), "manage.py", "shell", "-c", SETUP_VOLUNTEER],
        cwd=harness.ROOT,
        env=harness.app_env(),
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class Answer:
    started: float
    ended: float
    status: int | None  # None: no HTTP answer (refused, reset, timed out)
    content_type: str = ""
    body: bytes = b""
    retry_after: str | None = None


def request(base, method, path, *, headers=None, body=None, timeout=15):
    parts = urlsplit(base)
    started = time.monotonic()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Answer(
            started,
            time.monotonic(),
            response.status,
            response.getheader("Content-Type", ""),
            data,
            response.getheader("Retry-After"),
        )
    except OSError:
        return Answer(started, time.monotonic(), None)
    finally:
        connection.close()


# --- Phase 1: readers with wrk ------------------------------------------------------------------


def reader_paths(base):
    """Every page of the demo area's offline list in each language, and a search in each."""
    paths = []
    for language in LANGUAGES:
        pages = harness.discover(base, language)  # fetches each page: also the warm-up
        paths += pages.all_pages
        search = f"/{language}/{harness.AREA}/search/?q={quote(pages.search_query)}"
        if harness.fetch(base + search).status != 200:
            raise SystemExit(f"{search} did not answer 200")
        paths.append(search)
    return paths


def wrk_readers(base, paths, *, seconds, connections):
    script = harness.OUT / "faults-wrk.lua"
    rotate = WRK_ROTATE % ", ".join(json.dumps(p) for p in paths)
    script.write_text(rotate + WRK_REPORT)
    command = [
        WRK,
        "--threads=1",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        "--header=Accept-Encoding: gzip, deflate, br",
        f"--script={script}",
        base + "/",
    ]
    subprocess.run(
        [*command[:3], f"--duration={WARM_UP_SECONDS}s", *command[4:]],
        capture_output=True,
        check=True,
        timeout=60,
    )
    result = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}


# --- Phase 2: readers and writers while PostgreSQL restarts ------------------------------------


@dataclass
class Clock:
    """When the database went away and came back (time.monotonic())."""

    stop_sent: float = 0.0
    stopped: float = 0.0
    start_sent: float = 0.0
    ready: float = 0.0


@dataclass
class Writer:
    """One volunteer's phone: things to send, in order, each sent again until answered."""

    name: str
    sent: set = field(default_factory=set)
    acked: set = field(default_factory=set)  # a 2xx, or "already recorded"
    refused: list = field(default_factory=list)  # answered, not recorded (the queue drops it)
    attempts: list = field(default_factory=list)  # Answer of every attempt
    queue: deque = field(default_factory=deque)


def reader(base, paths, offset, stop, answers):
    index = offset
    headers = {"Accept-Encoding": "gzip"}
    while not stop.is_set():
        answers.append(request(base, "GET", paths[index % len(paths)], headers=headers))
        index += 1


def run_queue(writer, make_next, send, *, every, generating, deadline):
    """The van page's queue: new entries join at `every` seconds while `generating`; the
    oldest is sent, then the next; after a failure the same one is sent again 1 s later,
    then 2, 4... up to 30 s, and the delay starts again at 1 s after an answer."""
    delay = RETRY_FIRST
    next_new = next_send = time.monotonic()
    while True:
        now = time.monotonic()
        if generating.is_set() and now >= next_new:
            writer.queue.append(make_next())
            next_new += every
        if not writer.queue and not generating.is_set():
            return
        if now > deadline:
            return
        if writer.queue and now >= next_send:
            entry = writer.queue[0]
            writer.sent.add(entry.key)
            answer = send(entry)
            writer.attempts.append(answer)
            outcome = entry.outcome(answer)
            if outcome == "retry":
                next_send = time.monotonic() + delay
                delay = min(delay * 2, RETRY_MAX)
            else:
                writer.queue.popleft()
                (writer.acked.add if outcome == "acked" else writer.refused.append)(entry.key)
                delay = RETRY_FIRST
                next_send = time.monotonic()
            continue
        wake = min(
            next_new if generating.is_set() else deadline, next_send if writer.queue else deadline
        )
        time.sleep(max(0.0, min(wake - time.monotonic(), 0.2)))


@dataclass
class Queued:
    """One entry of the van page's queue: a tap, or an end-of-session form."""

    key: str  # what identifies it in the database afterwards
    path: str
    body: dict

    def outcome(self, answer):
        # van.js: no answer, a non-JSON answer (the sign-in page) or a 5xx keeps the entry;
        # any other JSON answer takes it out of the queue, recorded (2xx) or refused (4xx).
        if answer.status is None or "application/json" not in answer.content_type:
            return "retry"
        if answer.status >= 500:
            return "retry"
        return "acked" if 200 <= answer.status < 300 else "refused"


def fault_phase(server, cluster, volunteer, paths, *, seconds, readers, down_seconds):
    base = server.base
    csrf = secrets.token_hex(16)  # a CSRF secret of 32 characters, as Django's cookie holds
    cookie = (
        f"{volunteer['session_cookie']}={volunteer['session']}; {volunteer['csrf_cookie']}={csrf}"
    )
    site = volunteer["site"]
    stop_path = f"/phones/van/site/{site}/{volunteer['day']}/"
    headers = {"Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/json"}

    def send(entry):
        body = json.dumps(entry.body)
        return request(base, "POST", entry.path, headers=headers, body=body)

    # Both pages open for this volunteer (a redirect would mean the login did not hold).
    for path in (stop_path, SESSION_PATH):
        answer = request(base, "GET", path, headers={"Cookie": cookie})
        if answer.status != 200:
            raise SystemExit(f"the bench volunteer cannot open {path}: {answer.status}")

    items = volunteer["items"]
    taps_made = iter(range(10**9))
    sessions_made = iter(range(10**9))
    run = uuid.uuid4().hex[:8]
    first_day = date.fromisoformat(volunteer["day"]) - timedelta(days=3650)

    def new_tap():
        tap = str(uuid.uuid4())
        item = items[next(taps_made) % len(items)]
        return Queued(tap, stop_path + "tap/", {"tap": tap, "item": item})

    def new_session():
        # Four sessions a day, ten years back: each its own site, date and planned start.
        n = next(sessions_made)
        day = first_day + timedelta(days=n // 4)
        start, end = f"{8 + 2 * (n % 4):02d}:00", f"{9 + 2 * (n % 4):02d}:00"
        fields = {
            "site": site,
            "date": day.isoformat(),
            "planned_start": start,
            "planned_end": end,
            "status": "held",
            "actual_start": start,
            "actual_end": end,
            "people_present": "40",
            "team_size": "4",
            "notes": f"bench/faults.py {run}",
        }
        body = {"submission": str(uuid.uuid4()), "fields": fields}
        return Queued(f"{day.isoformat()} {start}", SESSION_PATH, body)

    stop_readers, generating = threading.Event(), threading.Event()
    generating.set()
    answers = [[] for _ in range(readers)]
    writers = [Writer("van phone 1"), Writer("van phone 2"), Writer("session entry")]
    deadline = time.monotonic() + seconds + DRAIN_SECONDS
    threads = [
        threading.Thread(target=reader, args=(base, paths, i * 7, stop_readers, answers[i]))
        for i in range(readers)
    ]
    threads += [
        threading.Thread(
            target=run_queue,
            args=(writer, new_tap, send),
            kwargs={"every": TAP_EVERY, "generating": generating, "deadline": deadline},
        )
        for writer in writers[:2]
    ]
    threads.append(
        threading.Thread(
            target=run_queue,
            args=(writers[2], new_session, send),
            kwargs={"every": SESSION_EVERY, "generating": generating, "deadline": deadline},
        )
    )
    gunicorn_before = gunicorn_processes(server.process.pid)
    clock = Clock()
    started = time.monotonic()
    for thread in threads:
        thread.daemon = True
        thread.start()
    try:
        time.sleep(seconds / 3)
        harness.log(f"stopping PostgreSQL (fast) for {down_seconds} s")
        clock.stop_sent = time.monotonic()
        cluster.stop()
        clock.stopped = time.monotonic()
        time.sleep(down_seconds)
        clock.start_sent = time.monotonic()
        cluster.start()
        clock.ready = time.monotonic()
        harness.log("PostgreSQL is back")
        time.sleep(max(0.0, started + seconds - time.monotonic()))
    finally:
        generating.clear()
        stop_readers.set()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic() + 20))
    gunicorn_after = gunicorn_processes(server.process.pid)
    reader_answers = [answer for row in answers for answer in row]
    return clock, started, reader_answers, writers, run, (gunicorn_before, gunicorn_after)


def gunicorn_processes(master):
    """(master pid, its worker pids): new pids would mean gunicorn or a worker was restarted."""
    listed = subprocess.run(
        ["/usr/bin/ps", "--ppid", str(master), "-o", "pid="],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return master, sorted(int(pid) for pid in listed)


# --- What the database kept -------------------------------------------------------------------


def recorded(cluster, volunteer, run):
    with cluster.connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT tap_id::text, count(*), sum(quantity) FROM phones_stockmovement "
            "WHERE kind = 'handed_out' AND session_ref LIKE %s GROUP BY tap_id",
            [f"site:{volunteer['site']}:%"],
        )
        taps = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT to_char(date + planned_start, 'YYYY-MM-DD HH24:MI'), "
            "count(*) FROM sessions_log_session WHERE site_id = %s AND notes = %s "
            "GROUP BY 1",
            [volunteer["site"], f"bench/faults.py {run}"],
        )
        sessions = dict(cursor.fetchall())
    connection.close()
    return taps, sessions


def check_ledger(label, writers, rows):
    """Figures and failures for one kind of write: `rows` maps key -> times recorded."""
    sent = set().union(*(w.sent for w in writers))
    acked = set().union(*(w.acked for w in writers))
    refused = [key for w in writers for key in w.refused]
    pending = [entry.key for w in writers for entry in w.queue]
    lost = acked - set(rows)
    doubled = [key for key, times in rows.items() if times > 1]
    unknown = set(rows) - sent
    unacked_recorded = (sent - acked) & set(rows)
    figures = {
        "sent": len(sent),
        "acked": len(acked),
        "recorded": len(rows),
        "lost": len(lost),
        "doubled": len(doubled),
        "recorded, not acked": len(unacked_recorded),
        "refused": len(refused),
        "still queued": len(pending),
        "attempts": sum(len(w.attempts) for w in writers),
    }
    problems = []
    if lost:
        problems.append(f"{label}: {len(lost)} acknowledged but not recorded")
    if doubled:
        problems.append(f"{label}: {len(doubled)} recorded more than once")
    if unknown:
        problems.append(f"{label}: {len(unknown)} recorded that were never sent")
    if refused:
        problems.append(f"{label}: {len(refused)} refused")
    if pending:
        problems.append(f"{label}: {len(pending)} still unsent {DRAIN_SECONDS} s after the run")
    if not acked:
        problems.append(f"{label}: nothing was acknowledged")
    return figures, problems


# --- Main -------------------------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def statuses(answers):
    return Counter("no answer" if a.status is None else a.status for a in answers)


def describe(counter):
    return ", ".join(f"{key}: {count}" for key, count in sorted(counter.items(), key=str)) or "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=20, help="wrk connections, phase 1")
    parser.add_argument("--seconds", type=int, default=60, choices=range(5, 121), metavar="5..120")
    parser.add_argument("--fault-readers", type=int, default=8, help="reader threads, phase 2")
    parser.add_argument(
        "--fault-seconds", type=int, default=45, choices=range(15, 121), metavar="15..120"
    )
    parser.add_argument(
        "--down-seconds", type=int, default=5, choices=range(1, 31), metavar="1..30"
    )
    options = parser.parse_args()

    harness.ensure_debian_package(WRK, "wrk")
    problems = []
    with ExitStack() as stack:
        cluster = stack.enter_context(own_postgres())
        os.environ["BENCH_DATABASE_URL"] = cluster.url
        harness.prepare()
        volunteer = setup_volunteer()
        # The app logs one line per 503: hundreds during the outage, on this terminal.
        server = stack.enter_context(harness.gunicorn_server("faults", LOG_LEVEL="ERROR"))
        paths = reader_paths(server.base)

        harness.log(
            f"phase 1: {options.readers} readers over {len(paths)} pages for {options.seconds} s"
        )
        busy = os.getloadavg()[0]
        mark = server.access_mark()
        steady = wrk_readers(
            server.base, paths, seconds=options.seconds, connections=options.readers
        )
        steady_log = statuses_from_log(server.access_since(mark))
        steady_errors = sum(steady[k] for k in ("connect", "read", "write", "status", "timeout"))

        harness.log(
            f"phase 2: {options.fault_readers} readers, 2 van phones and a session entry for "
            f"{options.fault_seconds} s, PostgreSQL stopped for {options.down_seconds} s"
        )
        mark = server.access_mark()
        clock, started, reads, writers, run, processes = fault_phase(
            server,
            cluster,
            volunteer,
            paths,
            seconds=options.fault_seconds,
            readers=options.fault_readers,
            down_seconds=options.down_seconds,
        )
        fault_log = statuses_from_log(server.access_since(mark))
        taps, sessions = recorded(cluster, volunteer, run)

    # Phase 1 figures.
    seconds = steady["duration_us"] / 1e6
    print()
    print(
        f"Phase 1, readers: wrk, 1 thread, {options.readers} connections, {options.seconds} s "
        f"after a {WARM_UP_SECONDS} s warm-up, over {len(paths)} public pages in "
        f"{', '.join(LANGUAGES)} (search included); gunicorn 2 sync workers, page cache on. "
        f"Load average before: {busy:.1f} ({os.cpu_count()} cores)."
    )
    print_table(
        [
            "readers",
            "seconds",
            "requests",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "statuses (access log)",
        ],
        [
            [
                options.readers,
                f"{seconds:.0f}",
                steady["requests"],
                f"{steady['requests'] / seconds:.0f}",
                f"{steady['p50_us'] / 1000:.1f}",
                f"{steady['p95_us'] / 1000:.1f}",
                f"{steady['p99_us'] / 1000:.1f}",
                steady_errors,
                describe(steady_log),
            ]
        ],
    )
    if steady_errors:
        problems.append(f"phase 1: {steady_errors} reader errors")
    if set(steady_log) - {200}:
        problems.append(f"phase 1: statuses other than 200 ({describe(steady_log)})")

    # Phase 2 figures.
    down = clock.ready - clock.stop_sent
    before = [a for a in reads if a.ended < clock.stop_sent]
    during = [a for a in reads if a.ended >= clock.stop_sent and a.started < clock.ready]
    after = [a for a in reads if a.started >= clock.ready]
    first_ok = min((a.ended for a in after if a.status == 200), default=None)
    recovery = None if first_ok is None else first_ok - clock.ready
    writes = [a for w in writers for a in w.attempts]
    everyone = reads + writes
    five_hundreds = sum(
        1 for a in everyone if a.status is not None and a.status >= 500 and a.status != 503
    )
    unavailable = [a for a in everyone if a.status == 503]
    no_retry_after = sum(1 for a in unavailable if not a.retry_after)
    ok_before = [a.ended - a.started for a in before if a.status == 200]
    ok_after = [a.ended - a.started for a in after if a.status == 200]
    print()
    print(
        f"Phase 2, faults: {options.fault_readers} reader threads, 2 van phones (a tap every "
        f"{TAP_EVERY} s each), 1 session entry (every {SESSION_EVERY} s), "
        f"{options.fault_seconds} s; PostgreSQL stopped (fast) at "
        f"{clock.stop_sent - started:.1f} s, down {clock.start_sent - clock.stopped:.1f} s, "
        f"accepting connections again at {clock.ready - started:.1f} s."
    )
    print_table(
        ["readers", "when", "requests", "p95 ms", "statuses"],
        [
            [
                "readers",
                "before the stop",
                len(before),
                f"{percentile(ok_before, 0.95) * 1000:.0f}",
                describe(statuses(before)),
            ],
            ["readers", f"outage ({down:.1f} s)", len(during), "", describe(statuses(during))],
            [
                "readers",
                "after the restart",
                len(after),
                f"{percentile(ok_after, 0.95) * 1000:.0f}",
                describe(statuses(after)),
            ],
            *[
                [w.name, "whole phase", len(w.attempts), "", describe(statuses(w.attempts))]
                for w in writers
            ],
        ],
    )
    print()
    print_table(
        ["figure", "value"],
        [
            ["outage: stop sent to accepting connections", f"{down:.1f} s"],
            ["503 answers (readers and writers)", len(unavailable)],
            ["503 answers without Retry-After", no_retry_after],
            ["500 or other 5xx answers", five_hundreds],
            ["requests without an HTTP answer", sum(1 for a in everyone if a.status is None)],
            [
                "first reader 200 after the database was back",
                "never" if recovery is None else f"{recovery * 1000:.0f} ms",
            ],
            ["gunicorn master and workers, before", processes[0]],
            ["gunicorn master and workers, after", processes[1]],
            ["statuses in gunicorn's access log", describe(fault_log)],
        ],
    )

    tap_figures, tap_problems = check_ledger(
        "taps", writers[:2], {key: count for key, (count, _total) in taps.items()}
    )
    wrong_quantity = [key for key, (count, total) in taps.items() if total != -count]
    session_figures, session_problems = check_ledger("sessions", writers[2:], sessions)
    print()
    print_table(
        ["writes", *tap_figures],
        [["van taps", *tap_figures.values()], ["sessions", *session_figures.values()]],
    )
    print(
        "acked: answered with a 2xx; recorded: rows in the database afterwards; lost: acked, "
        "not recorded; doubled: recorded more than once; attempts: requests sent, retries "
        "included."
    )

    problems += tap_problems + session_problems
    if wrong_quantity:
        problems.append(f"taps: {len(wrong_quantity)} handouts of another quantity than 1")
    if [a for a in before if a.status != 200]:
        problems.append(f"phase 2: reader errors before the stop ({describe(statuses(before))})")
    if five_hundreds:
        problems.append(f"phase 2: {five_hundreds} answers 500 or another 5xx than 503")
    if not unavailable:
        problems.append("phase 2: no 503 during the outage (was the database really away?)")
    if no_retry_after:
        problems.append(f"phase 2: {no_retry_after} 503 answers without Retry-After")
    if sum(1 for a in everyone if a.status is None):
        problems.append("phase 2: requests without an HTTP answer (gunicorn down?)")
    if recovery is None:
        problems.append("phase 2: no reader got a 200 after the database was back")
    if [a for a in after if a.status != 200]:
        problems.append(
            f"phase 2: reader requests started after the database was back were not all 200 "
            f"({describe(statuses(after))})"
        )
    if processes[0] != processes[1] or len(processes[0][1]) != 2:
        problems.append("phase 2: gunicorn or its workers were restarted")
    print()
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print("every target met")
    return 1 if problems else 0


def statuses_from_log(rows):
    return Counter(status for status, _size, _path in rows)


if __name__ == "__main__":
    with harness.time_limit(TIME_LIMIT):
        sys.exit(main())
