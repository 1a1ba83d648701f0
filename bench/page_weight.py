"""What each public page costs a reader on prepaid data: requests and bytes, in real Chromium.

Serves the app with gunicorn (DEBUG off) on a loopback port and opens every kind of public
page in Arabic, English and Tigrinya, with JavaScript off and then on:
- first visit: a fresh browser profile (empty cache) opens the page;
- later page: the same profile opened the area home first, then this page.
Bytes are what crossed the network as Chromium's DevTools counts them (Network.loadingFinished
encodedDataLength: headers plus compressed body), for the page's requests and its service
worker's; responses served from the browser's cache cost nothing and are not counted as
requests. gunicorn's access log is the second witness: what only the server saw (the
browser's checks for a new service worker script) is added. Then every page of the area is
opened in turn in one profile (the "all pages" sweep), each as a later page.

Prints the figures with the targets next to them, then exits 1 if a target fails.

    .venv/bin/python bench/page_weight.py [--languages ar,en,ti] [--quick]
"""

import argparse
import contextlib
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import harness
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A safety net, not the measure: a request to any other host is still seen (and counted)
    # by the browser, but it cannot leave this machine.
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {harness.HOST}",
]
# A small Android phone.
VIEWPORT = {"width": 360, "height": 740}

FIRST_AREA_HOME_KB = 20
FIRST_AREA_HOME_REQUESTS = 3
LATER_PAGE_KB = 8
# The map page (in the offline list: offline it is the list of places) loads Leaflet by
# design and on that page only: its stylesheet (about 3.5 KB, with JavaScript off too) and,
# with JavaScript on, its script (about 42 KB). It has targets of its own.
MAP_PAGE_KB = {False: 12, True: 60}


def later_limit(path, javascript):
    return MAP_PAGE_KB[javascript] if path.endswith("/map/") else LATER_PAGE_KB


# Headers of a response that only the server's log shows (our responses carry ~450 bytes).
UNSEEN_HEADERS = 512
TIME_LIMIT = 20 * 60


def kb(size):
    return size / 1024


def page_kinds(pages, area=harness.AREA):
    """(label, address) of every kind of public page, in the language of `pages`."""
    lang = pages.language
    service_text = pages.service.rstrip("/") + ".txt"
    return [
        ("language chooser", "/"),
        ("area list", f"/{lang}/"),
        ("area home", f"/{lang}/{area}/"),
        ("today", f"/{lang}/{area}/today/"),
        ("category", pages.category),
        ("service", pages.service),
        ("service share", pages.service + "share/"),
        ("info page", pages.info),
        ("search results", f"/{lang}/{area}/search/?q={quote(pages.search_query)}"),
        ("offline page", f"/{lang}/offline/"),
        ("plain-text share", service_text),
        ("today as text", f"/{lang}/{area}/today.txt"),
    ]


@dataclass
class Exchange:
    url: str
    cached: bool = False
    failed: bool = False
    size: int = 0
    status: int = 0


@dataclass
class Network:
    """Every request one page makes, from the DevTools protocol."""

    exchanges: dict = field(default_factory=dict)
    hops: int = 0

    def attach(self, cdp):
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def reset(self):
        self.exchanges = {}

    def _sent(self, event):
        key = event["requestId"]
        redirect = event.get("redirectResponse")
        if redirect and key in self.exchanges:
            # A redirect reuses the request id: keep the hop as an exchange of its own.
            hop = self.exchanges.pop(key)
            hop.size, hop.status = redirect.get("encodedDataLength", 0), redirect["status"]
            self.hops += 1
            self.exchanges[f"{key}#{self.hops}"] = hop
        self.exchanges[key] = Exchange(event["request"]["url"])

    def _from_cache(self, event):
        if event["requestId"] in self.exchanges:
            self.exchanges[event["requestId"]].cached = True

    def _received(self, event):
        exchange = self.exchanges.get(event["requestId"])
        if exchange:
            response = event["response"]
            exchange.status = response["status"]
            if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                exchange.cached = True
            # The service worker answered: what it fetched, if anything, is counted on its side.
            if response.get("fromServiceWorker"):
                exchange.cached = True

    def _finished(self, event):
        if event["requestId"] in self.exchanges:
            self.exchanges[event["requestId"]].size = int(event["encodedDataLength"])

    def _failed(self, event):
        if event["requestId"] in self.exchanges:
            self.exchanges[event["requestId"]].failed = True

    def on_network(self):
        """The exchanges that crossed the network (not data: URLs, not the browser's cache)."""
        return [ex for ex in self.exchanges.values() if on_network(ex.url) and not ex.cached]


def on_network(url):
    return urlsplit(url).scheme in {"http", "https", "ws", "wss"}


@dataclass
class Visit:
    requests: int
    size: int
    other_hosts: list
    main_text: int
    errors: list  # addresses answered with 4xx or 5xx, /favicon.ico aside
    favicon: int  # bytes spent on /favicon.ico, which a browser asks for by itself
    worker_requests: int  # of `requests`, those the service worker made
    server_requests: int


class Profile:
    """A fresh browser profile (its own empty cache) with one page, its network recorded.

    The page's own requests come from the DevTools protocol; those a service worker makes
    come from Playwright (which follows service workers in Chromium). Sizes are
    Network.loadingFinished's encodedDataLength either way (headers and compressed body).
    """

    def __init__(self, browser, *, javascript):
        self.context = browser.new_context(java_script_enabled=javascript, viewport=VIEWPORT)
        self.requests = []
        self.worker_done = []
        self.context.on("request", lambda request: self.requests.append(request))
        self.context.on("requestfinished", self._worker_done)
        self.context.on("requestfailed", self._worker_done)
        self.page = self.context.new_page()
        self.network = Network()
        self.network.attach(self.context.new_cdp_session(self.page))

    def _worker_done(self, request):
        if request.service_worker is not None:
            self.worker_done.append(request)

    def reset(self):
        self.network.reset()
        self.requests.clear()
        self.worker_done.clear()

    def worker_exchanges(self):
        exchanges = []
        for request in self.worker_done:
            response = request.response() if not request.failure else None
            if response is None:
                exchanges.append(Exchange(request.url, failed=True))
                continue
            sizes = request.sizes()
            # Playwright's body size is encodedDataLength less the headers: 0 and less for an
            # answer from the HTTP cache. For the worker's own script it has no body size:
            # then the Content-Length, which is the compressed size, stands in.
            headers, body = sizes["responseHeadersSize"], sizes["responseBodySize"]
            cached = headers + body <= 0
            if not cached and body <= 0:
                body = int(response.headers.get("content-length") or 0)
            exchanges.append(
                Exchange(request.url, cached=cached, size=headers + body, status=response.status)
            )
        return [ex for ex in exchanges if on_network(ex.url) and not ex.cached]

    def close(self):
        self.context.close()


class Browser:
    def __init__(self, playwright, server):
        self.server = server
        self.origin = urlsplit(server.base).netloc
        self.browser = playwright.chromium.launch(
            executable_path=harness.CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )

    def close(self):
        self.browser.close()

    def elsewhere(self, url):
        return on_network(url) and urlsplit(url).netloc != self.origin

    def open(self, profile, path):
        """Open `path` in the profile's page and measure what that cost."""
        profile.reset()
        mark = self.server.access_mark()
        profile.page.goto(self.server.base + path, wait_until="load")
        # Still busy after 3 s: what it fetched so far is counted.
        with contextlib.suppress(PlaywrightError):
            profile.page.wait_for_load_state("networkidle", timeout=3000)
        worker = profile.worker_exchanges()
        exchanges = profile.network.on_network() + worker
        served = self.server.access_since(mark)
        exchanges += self.unseen(served, exchanges)
        main = profile.page.locator("main")
        body = main if main.count() else profile.page.locator("body")
        seen = [request.url for request in profile.requests] + [ex.url for ex in exchanges]
        return Visit(
            requests=len(exchanges),
            size=sum(ex.size for ex in exchanges),
            other_hosts=sorted({url for url in seen if self.elsewhere(url)}),
            main_text=len(body.inner_text().strip()),
            errors=[
                ex.url
                for ex in exchanges
                if ex.status >= 400 and urlsplit(ex.url).path != "/favicon.ico"
            ],
            favicon=sum(ex.size for ex in exchanges if urlsplit(ex.url).path == "/favicon.ico"),
            worker_requests=len(worker),
            server_requests=len(served),
        )

    def unseen(self, served, exchanges):
        """What the server answered that neither the page nor Playwright saw: the browser's
        own checks for a new service worker script (a 304 each). The access log gives the
        body size; the headers are counted at UNSEEN_HEADERS, more than ours weigh."""
        seen = Counter(
            urlsplit(ex.url).path for ex in exchanges if urlsplit(ex.url).netloc == self.origin
        )
        extra = []
        for status, size, path in served:
            if seen[path]:
                seen[path] -= 1
            else:
                url = self.server.base + path
                extra.append(Exchange(url, size=size + UNSEEN_HEADERS, status=status))
        return extra

    def first_visit(self, path, *, javascript):
        profile = Profile(self.browser, javascript=javascript)
        try:
            return self.open(profile, path)
        finally:
            profile.close()

    def later_visit(self, path, *, javascript, after):
        profile = Profile(self.browser, javascript=javascript)
        try:
            self.open(profile, after)
            return self.open(profile, path)
        finally:
            profile.close()

    def sweep(self, paths, *, javascript, after):
        """Open `after`, then every path in turn in the same profile: each a later page."""
        profile = Profile(self.browser, javascript=javascript)
        try:
            self.open(profile, after)
            return {path: self.open(profile, path) for path in paths}
        finally:
            profile.close()


def verdict(failures):
    return "PASS" if not failures else "FAIL: " + "; ".join(failures)


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
    parser.add_argument("--languages", default="ar,en,ti")
    parser.add_argument("--quick", action="store_true", help="skip the all-pages sweep")
    options = parser.parse_args()
    languages = options.languages.split(",")

    harness.ensure_debian_package(harness.CHROMIUM, "chromium")
    harness.prepare()
    with harness.gunicorn_server("page-weight") as server, sync_playwright() as playwright:
        browser = Browser(playwright, server)
        try:
            discovered = {lang: harness.discover(server.base, lang) for lang in languages}
            results = measure_kinds(browser, discovered)
            sweeps = {} if options.quick else measure_sweeps(browser, discovered)
        finally:
            browser.close()
    print()
    report_kinds(results, discovered)
    if sweeps:
        report_sweeps(sweeps)
    failures = report_targets(results, sweeps)
    print()
    if failures:
        print(f"{len(failures)} target(s) failed.")
        return 1
    print("Every target passed.")
    return 0


def measure_kinds(browser, discovered):
    results = {}
    for javascript in (False, True):
        for lang, pages in discovered.items():
            home = f"/{lang}/{harness.AREA}/"
            for label, path in page_kinds(pages):
                harness.log(f"JS {'on' if javascript else 'off'} {lang} {label}")
                first = browser.first_visit(path, javascript=javascript)
                later = browser.later_visit(path, javascript=javascript, after=home)
                results[javascript, lang, label] = (path, first, later)
    return results


def measure_sweeps(browser, discovered):
    sweeps = {}
    for javascript in (False, True):
        for lang, pages in discovered.items():
            harness.log(f"JS {'on' if javascript else 'off'} {lang}: all {len(pages.all_pages)}")
            home = f"/{lang}/{harness.AREA}/"
            sweeps[javascript, lang] = browser.sweep(
                pages.all_pages, javascript=javascript, after=home
            )
    return sweeps


def row_failures(label, javascript, first, later):
    failures = []
    if label == "area home":
        if kb(first.size) > FIRST_AREA_HOME_KB:
            failures.append(f"first > {FIRST_AREA_HOME_KB} KB")
        if first.requests > FIRST_AREA_HOME_REQUESTS:
            failures.append(f"first > {FIRST_AREA_HOME_REQUESTS} requests")
    if kb(later.size) > LATER_PAGE_KB:
        failures.append(f"later > {LATER_PAGE_KB} KB")
    if first.other_hosts or later.other_hosts:
        failures.append("other hosts")
    if not javascript and not first.main_text:
        failures.append("empty without JS")
    if first.errors or later.errors:
        failures.append("HTTP error")
    return failures


def report_kinds(results, discovered):
    print(
        f"Targets: area home first visit <= {FIRST_AREA_HOME_KB} KB and <= "
        f"{FIRST_AREA_HOME_REQUESTS} requests; any later page <= {LATER_PAGE_KB} KB; "
        "0 requests to other hosts; <main> text non-empty with JS off."
    )
    print("KB = bytes on the wire (headers + compressed bodies) / 1024, as DevTools counts them;")
    print("what the browser's cache answered is not counted. srv = requests the server logged;")
    print("those only the server saw (the browser's checks for a new service worker script) are")
    print(f"counted at their logged body size + {UNSEEN_HEADERS} bytes of headers.")
    for lang, pages in discovered.items():
        print(f"Pages measured ({lang}): heaviest category {pages.category}, heaviest service")
        print(f"  {pages.service}, heaviest info page {pages.info}, search {pages.search_query!r}")
    for javascript in (False, True):
        print()
        print(f"JavaScript {'ON' if javascript else 'OFF'}")
        header = [
            "page",
            "lang",
            "1st req",
            "1st KB",
            "1st srv",
            "later req",
            "later KB",
            "later srv",
            "other hosts",
            "main chars",
            "result",
        ]
        rows = []
        for (js, lang, label), (_path, first, later) in results.items():
            if js != javascript:
                continue
            problems = row_failures(label, javascript, first, later)
            rows.append(
                [
                    label,
                    lang,
                    first.requests,
                    f"{kb(first.size):.1f}",
                    first.server_requests,
                    later.requests,
                    f"{kb(later.size):.1f}",
                    later.server_requests,
                    len(first.other_hosts) + len(later.other_hosts),
                    first.main_text,
                    verdict(problems),
                ]
            )
        print_table(header, rows)


def report_sweeps(sweeps):
    print()
    print(
        f"All pages of the area, each opened as a later page (target <= {LATER_PAGE_KB} KB; "
        f"the map page, which loads Leaflet, <= {MAP_PAGE_KB[False]} KB with JavaScript off "
        f"and <= {MAP_PAGE_KB[True]} KB with it on)"
    )
    header = ["JS", "lang", "pages", "median KB", "max KB", "heaviest", "other hosts", "result"]
    rows = []
    for (javascript, lang), visits in sweeps.items():
        sizes = {path: kb(visit.size) for path, visit in visits.items()}
        heaviest = max(sizes, key=sizes.get)
        over = [path for path, size in sizes.items() if size > later_limit(path, javascript)]
        others = sum(len(visit.other_hosts) for visit in visits.values())
        errors = [path for path, visit in visits.items() if visit.errors]
        problems = [f"{len(over)} pages over their target"] if over else []
        problems += ["other hosts"] if others else []
        problems += [f"HTTP errors on {len(errors)} pages"] if errors else []
        rows.append(
            [
                "on" if javascript else "off",
                lang,
                len(visits),
                f"{statistics.median(sizes.values()):.1f}",
                f"{sizes[heaviest]:.1f}",
                heaviest,
                others,
                verdict(problems),
            ]
        )
    print_table(header, rows)


def passed(ok):
    return "PASS" if ok else "FAIL"


def report_targets(results, sweeps):
    """The targets over every visit, each with its worst case; returns the failing ones."""
    visits = [
        (f"{label}, {lang}, JS {'on' if js else 'off'}, {when}", visit)
        for (js, lang, label), (_path, first, later) in results.items()
        for when, visit in (("first", first), ("later", later))
    ]
    visits += [
        (f"{path}, JS {'on' if js else 'off'}, later", visit)
        for (js, _lang), swept in sweeps.items()
        for path, visit in swept.items()
        # The map page is checked against its own targets below.
        if not path.endswith("/map/")
    ]
    homes = [(name, visit) for name, visit in visits if name.startswith("area home,")]
    homes = [(name, visit) for name, visit in homes if name.endswith("first")]
    later = [(name, visit) for name, visit in visits if name.endswith("later")]
    home_kb = max(homes, key=lambda item: item[1].size)
    home_requests = max(homes, key=lambda item: item[1].requests)
    later_kb = max(later, key=lambda item: item[1].size)
    elsewhere = [name for name, visit in visits if visit.other_hosts]
    js_off = [(name, v) for name, v in visits if "JS off" in name and name.endswith("first")]
    unreadable = [name for name, visit in js_off if not visit.main_text]
    errors = [name for name, visit in visits if visit.errors]
    favicons = [(name, visit.favicon) for name, visit in visits if visit.favicon]
    rows = [
        [
            f"area home, first visit, KB (worst: {home_kb[0]})",
            f"{kb(home_kb[1].size):.1f}",
            f"<= {FIRST_AREA_HOME_KB}",
            passed(kb(home_kb[1].size) <= FIRST_AREA_HOME_KB),
        ],
        [
            f"area home, first visit, requests (worst: {home_requests[0]})",
            home_requests[1].requests,
            f"<= {FIRST_AREA_HOME_REQUESTS}",
            passed(home_requests[1].requests <= FIRST_AREA_HOME_REQUESTS),
        ],
        [
            f"any later page, KB (worst: {later_kb[0]})",
            f"{kb(later_kb[1].size):.1f}",
            f"<= {LATER_PAGE_KB}",
            passed(kb(later_kb[1].size) <= LATER_PAGE_KB),
        ],
        [
            f"visits with requests to other hosts (of {len(visits)})",
            len(elsewhere),
            "0",
            passed(not elsewhere),
        ],
        [
            "pages with <main> text, JS off",
            f"{len(js_off) - len(unreadable)}/{len(js_off)}",
            "all",
            passed(not unreadable),
        ],
        [f"visits with an HTTP error (of {len(visits)})", len(errors), "0", passed(not errors)],
    ]
    for javascript, limit in MAP_PAGE_KB.items():
        maps = [
            (f"{path}, JS {'on' if js else 'off'}, later", visit)
            for (js, _lang), swept in sweeps.items()
            for path, visit in swept.items()
            if js == javascript and path.endswith("/map/")
        ]
        if maps:
            heaviest_map = max(maps, key=lambda item: item[1].size)
            rows.append(
                [
                    f"map page with Leaflet, later, KB (worst: {heaviest_map[0]})",
                    f"{kb(heaviest_map[1].size):.1f}",
                    f"<= {limit}",
                    passed(kb(heaviest_map[1].size) <= limit),
                ]
            )
    print()
    print("Targets")
    print_table(["target", "measured", "limit", "result"], rows)
    for name in elsewhere + unreadable + errors:
        print(f"  failing visit: {name}")
    for name, size in favicons:
        print(f"  note: {name}: the browser asked for /favicon.ico by itself ({size} bytes)")
    return [row[0] for row in rows if row[-1] != "PASS"]


if __name__ == "__main__":
    with harness.time_limit(TIME_LIMIT):
        sys.exit(main())
