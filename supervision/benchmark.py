"""Page timings at scale, from outside: the production server (gunicorn, 2 workers, DEBUG off) on the
seeded database, one login per role (supervision/scale.py), every page measured interleaved with a
floor (an authenticated request through the same middleware that renders nothing), so that drift of a
shared machine hits all of them alike. Query counts come from running each page once in-process
(Django's test client with CaptureQueriesContext): the server itself carries no benchmark switch.

Only 127.0.0.1 is ever contacted; every loop is bounded by a round count or a duration.
"""

from __future__ import annotations

import cProfile
import html
import io
import os
import pstats
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client as TestClient
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clients.models import Client
from recovery.audit_report import TABS
from recovery.models import User
from recovery.twofactor import PENDING_SESSION_KEY
from supervision.scale import BENCH_EMAILS, BENCH_TOTP_KEY

HOST = "127.0.0.1"
FLOOR = "floor"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Page:
    role: str
    name: str
    path: str


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    error: str = ""

    def p(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def pages_to_measure() -> list[Page]:
    """The pages people live in, per role, with ids picked from the seeded data (the biggest cases)."""
    peer = User.objects.get(email=BENCH_EMAILS["peer"])
    client = (Client.objects.filter(primary_peer=peer, status=Client.Status.ACTIVE).order_by("pk").first())
    tabs = [Page("admin", f"audit report ({key})", f"/audit/?tab={key}") for key in TABS]
    return [
        Page("peer", FLOOR, "/accounts/session/"),
        Page("peer", "My day", "/"),
        Page("peer", "caseload", "/clients/"),
        Page("peer", "participant page", f"/clients/{client.uuid}/"),
        Page("peer", "notes list", f"/clients/{client.uuid}/notes/"),
        Page("peer", "note form", f"/clients/{client.uuid}/notes/new/"),
        Page("supervisor", "My day", "/"),
        Page("supervisor", "dashboard", "/supervision/"),
        Page("supervisor", "supervisee page", f"/supervision/staff/{peer.uuid}/"),
        Page("supervisor", "review queue", "/supervision/reviews/"),
        Page("supervisor", "participant list", "/clients/"),
        Page("admin", "My day", "/"),
        Page("admin", "staff board", "/staff/"),
        Page("admin", "participant list", "/clients/"),
        Page("admin", "supervision dashboard", "/supervision/"),
        Page("admin", "review queue", "/supervision/reviews/"),
        *tabs,
        Page("admin", "notifications", "/notifications/"),
        Page("admin", "reports", "/reports/"),
    ]


# --- The server --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env(port: int) -> dict[str, str]:
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "HTTPS": "false",
           "ALLOWED_HOSTS": HOST, "CSRF_TRUSTED_ORIGINS": f"http://{HOST}:{port}", "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "recovery.settings"}
    return env


def server_start(port: int, workers: int, log: Callable[[str], None]) -> subprocess.Popen:
    env = server_env(port)
    base = Path(settings.BASE_DIR)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=base, env=env,
                   check=True)
    log_file = tempfile.NamedTemporaryFile(prefix="lantern-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "recovery.wsgi", "--workers", str(workers), "--bind",
         f"{HOST}:{port}", "--log-level", "warning"], cwd=base, env=env, stdin=subprocess.DEVNULL,
        stdout=log_file, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/accounts/login/", timeout=30).read()
            log(f"gunicorn ({workers} workers, DEBUG off) on http://{HOST}:{port}; its log: {log_file.name}")
            return proc
        except OSError:  # refused while booting, or a timeout
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn did not start: see {log_file.name}") from None
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("gunicorn did not answer within 120 s")


# --- A signed-in browser-like client ------------------------------------------------------------

class Browser:
    def __init__(self, port: int):
        self.base = f"http://{HOST}:{port}"
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        page = self.get(path)[2]
        data = {**data, "csrfmiddlewaretoken": html.unescape(TOKEN_RE.search(page).group(1))}
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(data).encode(),  # noqa: S310
                                         headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.geturl(), response.read().decode()

    def sign_in(self, email: str, password: str) -> None:
        """Password, then the code of the login's TOTP device (this step or the next: a code is used once)."""
        _, url, _ = self.post("/accounts/login/", {"username": email, "password": password})
        step = int(time.time()) // 30
        for offset in (0, 1):
            if "/two-factor/verify/" not in url:
                break
            code = f"{_code(step + offset):06d}"
            _, url, _ = self.post("/accounts/two-factor/verify/", {"code": code})
        if "/accounts/" in urllib.parse.urlsplit(url).path:
            raise RuntimeError(f"could not sign in {email} (ended at {url})")


def _code(step: int) -> int:
    """The TOTP code of the benchmark key at time step ``step`` (RFC 6238, 30 s steps, 6 digits)."""
    return totp(bytes.fromhex(BENCH_TOTP_KEY), step=30, t0=0, digits=6, drift=step - int(time.time()) // 30)


# --- Measuring ----------------------------------------------------------------------------------

def measure(pages: list[Page], browsers: dict[str, Browser], rounds: int) -> dict[int, Timings]:
    """Every page once per round, in the same order, after one warm-up round. A page that fails (an
    error or the server's timeout) is recorded once with its error and not requested again."""
    timings = {i: Timings() for i in range(len(pages))}
    for r in range(rounds + 1):
        for i, page in enumerate(pages):
            if timings[i].error:
                continue
            started = time.perf_counter()
            try:
                status, url, _ = browsers[page.role].get(page.path)
            except urllib.error.HTTPError as error:
                status, url = error.code, page.path
            elapsed = time.perf_counter() - started
            if status != 200 or urllib.parse.urlsplit(url).path != urllib.parse.urlsplit(page.path).path:
                timings[i].error = f"HTTP {status} after {elapsed:.1f} s"
                timings[i].seconds.append(elapsed)
            elif r:
                timings[i].seconds.append(elapsed)
    return timings


def queries_per_page(pages: list[Page], skip: set[int]) -> dict[int, int]:
    """Each page run in-process once (after a warm-up) with its queries counted (but those in ``skip``)."""
    clients: dict[str, TestClient] = {}
    counts = {}
    for i, page in enumerate(pages):
        if i in skip:
            continue
        if page.role not in clients:
            clients[page.role] = _verified_client(User.objects.get(email=BENCH_EMAILS[page.role]))
        client = clients[page.role]
        client.get(page.path)
        reset_queries()  # the log keeps 9,000 queries: a full one would capture none
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        counts[i] = len(queries) if response.status_code == 200 else -response.status_code
    return counts


@dataclass
class Profile:
    """Where one page's time goes, in-process: wall time per request, the SQL's share of it (the queries'
    own time as the database cursor saw it), and cProfile's functions by their own time and by cumulative
    time within Lantern's code."""
    page: Page
    requests: int
    wall_ms: float
    sql_ms: float
    queries: int
    lines: list[str]


def _page_named(pages: list[Page], wanted: str) -> Page:
    role, _, name = wanted.partition(":")
    for page in pages:
        if page.role == role and page.name == name:
            return page
    known = ", ".join(f"{p.role}:{p.name}" for p in pages)
    raise ValueError(f"no page {wanted!r}; the pages are: {known}")


def _short_paths(line: str) -> str:
    """A profile line with the project's files relative to it and packages' from their site-packages."""
    line = line.replace(str(Path(settings.BASE_DIR)) + "/", "")
    return re.sub(r"\S*/(site-packages|lib/python3\.\d+)/", "", line)


class _SqlTimer:
    """A database execute wrapper: how many statements ran, and how long the database took to answer them
    (sending, PostgreSQL's work, receiving the rows; not Django's building of the SQL or of the objects)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def profile_page(pages: list[Page], wanted: str, requests: int, top: int = 15) -> Profile:
    """Request ``wanted`` ("role:page name", as the table prints them) ``requests`` times in-process after a
    warm-up request (a process's first visit builds and compiles its queries), once with the queries timed,
    once under cProfile (which slows Python, not PostgreSQL: its figures are shares, not milliseconds)."""
    page = _page_named(pages, wanted)
    client = _verified_client(User.objects.get(email=BENCH_EMAILS[page.role]))
    if client.get(page.path).status_code != 200:
        raise RuntimeError(f"{wanted} did not answer 200")
    timer = _SqlTimer()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        for _ in range(requests):
            client.get(page.path)
    wall = (time.perf_counter() - started) * 1000 / requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(page.path)
    profiler.disable()
    lines = []
    ours = re.escape(str(Path(settings.BASE_DIR))) + "/(?!.venv/)"
    for order, title, restriction in (("tottime", "own time", ()),
                                      ("cumulative", "cumulative time, Lantern's code", (ours,))):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(*restriction, top)
        body = out.getvalue()
        lines.append(f"-- by {title} ({requests} requests) --")
        lines.extend(_short_paths(line) for line in body[body.find("ncalls"):].splitlines() if line.strip())
    return Profile(page, requests, wall, timer.seconds * 1000 / requests, timer.count // requests, lines)


def _verified_client(user) -> TestClient:
    """A test client signed in as ``user``, its session verified by the user's TOTP device (in-process only)."""
    client = TestClient(HTTP_HOST=HOST)
    client.force_login(user)
    session = client.session
    session.pop(PENDING_SESSION_KEY, None)
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def concurrent(paths: list[str], browser: Browser, clients: int, seconds: float) -> tuple[int, Timings, int]:
    """``clients`` threads requesting ``paths`` in turn (shared signed-in session) for ``seconds``."""
    timings, errors, lock = Timings(), [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def run(n: int) -> None:
        own = Browser.__new__(Browser)
        own.base, own.jar = browser.base, browser.jar
        own.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(browser.jar))
        k = n
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status = own.get(paths[k % len(paths)])[0]
            except (urllib.error.URLError, TimeoutError):
                status = 0
            with lock:
                timings.seconds.append(time.perf_counter() - started)
                errors[0] += status != 200
            k += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(timings.seconds), timings, errors[0]


def table(pages: list[Page], timings: dict[int, Timings], queries: dict[int, int]) -> list[str]:
    floor = next(statistics.median(timings[i].seconds) for i, p in enumerate(pages) if p.name == FLOOR) * 1000
    lines = [f"{'role':<11} {'page':<30} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'p50/floor':>9} {'queries':>7}"]
    for i, page in enumerate(pages):
        t = timings[i]
        if t.error:
            lines.append(f"{page.role:<11} {page.name:<30} {t.error}")
            continue
        lines.append(f"{page.role:<11} {page.name:<30} {t.p(0.5):>7.1f} {t.p(0.95):>7.1f} "
                     f"{max(t.seconds) * 1000:>7.1f} "
                     f"{t.p(0.5) / floor:>9.2f} {queries.get(i, ''):>7}")
    return lines
