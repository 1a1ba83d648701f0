"""What every benchmark needs: its own PostgreSQL database with the demo guide, and gunicorn.

Each benchmark runs `prepare()` (create the database if missing, migrate, compile the
catalogues, collect static files, load the demo guide), then serves the app with
`gunicorn_server()` on a free loopback port with production settings (DEBUG off). Nothing
here talks to anything but 127.0.0.1.
"""

# Every command here is built from fixed arguments, never from input.
# ruff: noqa: S603

import gzip
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "bench" / "out"
# The password is the one scripts/ensure-postgres.sh gives user postgres on a fresh install.
DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/infobus_bench"
CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"
AREA = "calais"


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_debian_package(program, package):
    """Install Debian's `package` if `program` is missing (through sudo when not root)."""
    if shutil.which(program):
        return
    log(f"installing Debian's {package}")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], env=env, check=True, timeout=600)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", package],
        env=env,
        check=True,
        timeout=900,
    )


def database_url():
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def app_env(**extra):
    """The environment of every manage.py and gunicorn run: production settings, loopback."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url(),
        LOG_LEVEL="WARNING",
        # No tile server: the map page's markers on a plain background. Tiles are another
        # host's bytes, and no request may leave the machine.
        MAP_TILES_URL="",
    )
    env.update(extra)
    return env


@contextmanager
def time_limit(seconds):
    """Stop the benchmark, cleaning up on the way out (gunicorn, browsers), if it runs past
    `seconds` or is sent SIGTERM."""

    def expire(_signum, _frame):
        raise TimeoutError(f"the benchmark ran past its limit of {seconds} s")

    def terminate(_signum, _frame):
        raise SystemExit(143)

    previous = signal.signal(signal.SIGALRM, expire), signal.signal(signal.SIGTERM, terminate)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def _server_answers(url):
    parts = urlsplit(url)
    try:
        psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg2.OperationalError as exc:
        return str(exc).strip()
    return None


def ensure_database():
    """Create the benchmark database if it is missing (starting the local server if need be)."""
    url = database_url()
    error = _server_answers(url)
    if error and "BENCH_DATABASE_URL" not in os.environ:
        log("PostgreSQL does not answer: starting it with scripts/ensure-postgres.sh")
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        subprocess.run(
            [str(ROOT / "scripts" / "ensure-postgres.sh")],
            env=env,
            check=True,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )
        error = _server_answers(url)
    if error:
        raise SystemExit(f"PostgreSQL refused {url}: {error}\nSet BENCH_DATABASE_URL.")
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def manage(*args, timeout=600):
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=app_env(),
        check=True,
        timeout=timeout,
    )


def prepare():
    """Database, schema, catalogues, static files and demo guide: everything a run needs."""
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    ensure_database()
    manage("migrate", "--noinput", "-v", "0")
    manage("compilemessages", "--ignore=.venv", "--ignore=node_modules", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("load_demo", "-v", "0")
    log(f"set up in {time.monotonic() - started:.0f} s (database {urlsplit(database_url()).path})")


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    access_log: Path

    def access_mark(self):
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def access_since(self, mark):
        """(status, body bytes, path) for every request logged after `mark`."""
        time.sleep(0.05)  # let the worker write its line
        with self.access_log.open("rb") as file:
            file.seek(mark)
            lines = file.read().decode("utf-8", "replace").splitlines()
        rows = []
        for line in lines:
            status, size, path = line.split(" ", 2)
            rows.append((int(status), 0 if size == "-" else int(size), path))
        return rows


@contextmanager
def gunicorn_server(name, *, workers=2, **env):
    """gunicorn (sync workers) on a free loopback port; stopped, with its workers, on exit."""
    port = free_port()
    access_log = OUT / f"{name}-access.log"
    error_log = OUT / f"{name}-error.log"
    access_log.unlink(missing_ok=True)
    command = [
        str(BIN / "gunicorn"),
        "infobus.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--access-logfile={access_log}",
        # No query string, as in production (docs/data-map.md).
        "--access-logformat=%(s)s %(B)s %(U)s",
        f"--error-logfile={error_log}",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=app_env(**env), start_new_session=True)
    server = Server(f"http://{HOST}:{port}", process, access_log)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_healthy(server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up; see {OUT}")
        try:
            if fetch(server.base + "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz within {timeout} s")


@dataclass
class Fetched:
    status: int
    headers: dict
    body: bytes  # as sent: compressed when the server compressed it

    def text(self):
        raw = gzip.decompress(self.body) if self.headers.get("content-encoding") else self.body
        return raw.decode("utf-8")


def fetch(url, *, gzip_ok=True, timeout=10):
    """One GET on the loopback server, the body left as it travelled."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"{url} is not on the loopback server")
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    # The address was checked above: plain http on the loopback server, no other scheme.
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return Fetched(status, {key.lower(): value for key, value in headers.items()}, body)


@dataclass
class AreaPages:
    """Addresses of one area in one language; for each kind, the heaviest page of that kind."""

    language: str
    all_pages: list
    category: str
    service: str
    info: str
    search_query: str


def discover(base, language, area=AREA):
    """Read the area's offline manifest (every public page) and pick the heaviest of each kind.

    The heaviest by compressed HTML, so that the weight targets are checked on the worst case.
    """
    manifest = json.loads(fetch(f"{base}/{language}/{area}/offline.json").text())
    sizes = {}
    for path in manifest["urls"]:
        page = fetch(base + path)
        if page.status != 200:
            raise SystemExit(f"{path} answered {page.status}")
        sizes[path] = len(page.body)

    def heaviest(marker):
        paths = [path for path in sizes if marker in path]
        if not paths:
            raise SystemExit(f"the demo guide has no {marker} page in {area}")
        return max(paths, key=sizes.get)

    category = heaviest("/c/")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", fetch(base + category).text(), re.S)
    query = html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).strip()
    return AreaPages(
        language=language,
        all_pages=list(manifest["urls"]),
        category=category,
        service=heaviest("/s/"),
        info=heaviest("/i/"),
        search_query=query,
    )
