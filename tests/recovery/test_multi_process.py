"""Lantern scaled out on one machine: two web processes (gunicorn), two Celery workers and beat, all on one
PostgreSQL and Redis. Logged-in load goes through both web processes (sessions are in the database, so
either serves any user) while reminders fall due; one worker is SIGKILLed in the middle of sending email
and one web process is killed and restarted. Afterwards every reminder exists once, every email arrived
once, every follow-up submitted exists once, and no request failed but those sent to the web process
while it was down."""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar

import pytest
from django.urls import reverse

from clients.models import FollowUp
from peers.models import Credential
from recovery.models import Membership, Notification, NotificationPreference, User
from recovery.notify_email import KINDS
from tests.factories import PASSWORD, ClientFactory, CredentialFactory, UserFactory, make_staff
from tests.smtp import free_port, smtp_server
from tests.workers import (
    beat_args,
    gunicorn_args,
    log_count,
    process_group,
    process_stop,
    queue_purge,
    spawn,
    wait_for,
    worker_args,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.multiprocess, pytest.mark.timeout(600)]

STAFF = 1200  # two sweep batches of credentials expiring in 30 days
EMAILED = 20  # of them want that email (every 60th: in both batches)
SETTINGS = "tests.settings_multi"  # beat runs every sweep and the email delivery every 2 seconds
# A claim covers one recipient's one email (recovery/notify_email.py), so the lease only has to outlast one
# SMTP conversation: 0.3 s here, up to 4 s more while the test holds conversations to pick its moment, the
# SMTP client's 10 s time-out at worst. Twice that: a live worker never loses its claim, and the dead
# worker's claim is taken again 20 s after it died (the production lease, NOTIFICATION_EMAIL_LEASE_SECONDS,
# is 600 s).
LEASE_SECONDS = 20
MAX_ITERATIONS = 300  # per load thread: the load is bounded even if the chaos below stalls
LOAD_THREADS = 2
CONNECTION_ERRORS = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead, TimeoutError)


def staff_with_expiring_credentials(program) -> list[User]:
    """STAFF people whose credential expires in 30 days; EMAILED of them get that reminder by email, and
    no other email at all (every other kind of theirs is in-app only), so each expects exactly one."""
    users = User.objects.bulk_create(UserFactory.build(email=f"staff{i}@example.org") for i in range(STAFF))
    emailed = [u for i, u in enumerate(users) if i % 60 == 0][:EMAILED]
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=u, kind=kind, email=False)
        for u in users for kind in KINDS if not (kind == "credential_expiry" and u in emailed)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=u, program=program, role=Membership.Role.PEER) for u in users
    )
    Credential.objects.bulk_create(
        CredentialFactory.build(membership=m, today=program.today(), expires_in=30) for m in memberships
    )
    return emailed


@dataclass
class Outcome:
    port: int
    started: float
    ended: float
    error: str = ""  # "" when the request succeeded


class Browser:
    """A logged-in person: a cookie jar, talking to whichever web process it is given."""

    def __init__(self, log: list[Outcome], lock: threading.Lock):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.log, self.lock = log, lock

    def request(self, port: int, path: str, data: dict | None = None) -> str | None:
        """The page's text, or None after a connection error (recorded). Any HTTP error fails the test."""
        url = f"http://127.0.0.1:{port}{path}"
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=60) as response:
                text = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as exc:
            with self.lock:
                self.log.append(Outcome(port, started, time.monotonic(), f"HTTP {exc.code} {path}"))
            return None
        except (urllib.error.URLError, *CONNECTION_ERRORS) as exc:
            reason = getattr(exc, "reason", exc)
            with self.lock:
                self.log.append(Outcome(port, started, time.monotonic(), f"connection: {type(reason).__name__}"))
            return None
        with self.lock:
            self.log.append(Outcome(port, started, time.monotonic(), "" if status == 200 else f"HTTP {status}"))
        return text

    def login(self, port: int, email: str) -> None:
        page = self.request(port, reverse("login"))
        self.request(port, reverse("login"), {"csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
                                              "username": email, "password": PASSWORD})


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


def test_two_web_two_workers_and_beat_lose_and_double_nothing_when_one_of_each_dies(
    transactional_db, program, tmp_path
):
    peer = make_staff(program, Membership.Role.PEER, email="load@example.org")
    NotificationPreference.objects.bulk_create(NotificationPreference(user=peer, kind=k, email=False) for k in KINDS)
    participants = [ClientFactory(program=program, primary_peer=peer) for _ in range(3)]
    emailed = staff_with_expiring_credentials(program)
    today = program.today()
    ports = [free_port(), free_port()]
    logs = {name: tmp_path / f"{name}.log" for name in ("web0", "web1", "worker0", "worker1", "beat")}
    outcomes: list[Outcome] = []
    submitted: list[str] = []  # the purpose text of every follow-up form submitted (each with its own token)
    lock = threading.Lock()
    stop = threading.Event()
    queue_purge_tests()

    def load(number: int) -> None:
        browser = Browser(outcomes, lock)
        browser.login(ports[number % 2], peer.email)
        for i in range(MAX_ITERATIONS):
            if stop.is_set():
                return
            port, other = ports[(i + number) % 2], ports[(i + number + 1) % 2]
            browser.request(port, reverse("home"))
            if i % 3 == 0:
                participant = participants[i % len(participants)]
                path = reverse("clients:followup_new", args=[participant.uuid])
                form = browser.request(port, path) or browser.request(other, path)
                purpose = f"Call back, thread {number} round {i}"
                data = {"csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"),
                        "form_token": hidden(form, "form_token"), "due_on": today.isoformat(),
                        "purpose": purpose, "assignee": peer.pk}
                with lock:
                    submitted.append(purpose)
                # The web process may die with the request in flight: the same form (same token) again, on
                # the other one, as a person would press Submit again.
                if browser.request(port, path, data) is None:
                    browser.request(other, path, data)

    env = {"ALLOWED_HOSTS": "127.0.0.1", "NOTIFICATION_EMAIL_LEASE_SECONDS": str(LEASE_SECONDS)}
    with smtp_server(rcpt_delay=0.3) as (server, smtp_port), process_group() as started:
        env["TEST_SMTP_PORT"] = str(smtp_port)
        webs = [spawn(gunicorn_args(port), log=logs[f"web{n}"], settings_module=SETTINGS, **env)
                for n, port in enumerate(ports)]
        workers = [spawn(worker_args(f"w{n}"), log=logs[f"worker{n}"], settings_module=SETTINGS, **env)
                   for n in range(2)]
        started += [*webs, *workers]
        for port in ports:
            wait_for(lambda port=port: serves(port), timeout=180, interval=0.5)
        for n in range(2):
            wait_for(lambda n=n: log_count(logs[f"worker{n}"], "ready."), timeout=180, interval=0.5)
        started.append(spawn(beat_args(tmp_path / "beat-schedule"), log=logs["beat"], settings_module=SETTINGS,
                             **env))

        threads = [threading.Thread(target=load, args=(n,), daemon=True) for n in range(LOAD_THREADS)]
        for thread in threads:
            thread.start()

        # A worker is killed in the middle of an SMTP conversation while it sends the reminders' emails
        # (some gone out, others claimed by it).
        wait_for(lambda: len(server.messages) >= 2 and busy_workers(logs), timeout=240, interval=0.05)
        kill_mid_conversation(server, logs, workers)
        sent_when_killed = len(server.messages)

        # A web process is killed (requests in flight on it fail) and started again on the same port.
        wait_for(lambda: len(outcomes) >= 20, timeout=120)
        killed_at = time.monotonic()
        process_stop(webs[1], kill=True)
        webs[1] = spawn(gunicorn_args(ports[1]), log=logs["web1"], settings_module=SETTINGS, **env)
        started.append(webs[1])
        wait_for(lambda: serves(ports[1]), timeout=180, interval=0.2)
        back_at = time.monotonic()
        # The load goes on through both until the restarted one has served logged-in requests again.
        wait_for(lambda: sum(o.port == ports[1] and o.started > back_at and not o.error for o in outcomes) >= 4,
                 timeout=180)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)

        followups = FollowUp.objects.filter(client__program=program)
        wait_for(lambda: Notification.objects.filter(kind="credential_expiry").count() == STAFF
                 and Notification.objects.filter(kind="followup_due").count() == followups.count()
                 and not Notification.objects.filter(email_status__in=["pending", "sending", "failed"]).exists(),
                 timeout=300, interval=0.5)
        wait_for(lambda: len(server.messages) >= EMAILED, timeout=60)
        time.sleep(2 * 2.0)  # two more beat rounds: a double would show now
        recipients = [message["To"] for message in server.messages]
    queue_purge_tests()

    assert sent_when_killed < EMAILED, "the worker was killed before every email had gone out"
    # Every email once: each emailed person expects exactly one.
    assert sorted(recipients) == sorted(u.email for u in emailed)
    # Every reminder once (the dedupe key is per person, credential and threshold).
    keys = list(Notification.objects.filter(kind="credential_expiry").values_list("recipient_id", "dedupe_key"))
    assert len(keys) == len(set(keys)) == STAFF
    # Every follow-up submitted exists once, even those resubmitted after their web process died, and each
    # (due today) got its one reminder.
    purposes = list(FollowUp.objects.filter(client__program=program).values_list("purpose", flat=True))
    assert sorted(purposes) == sorted(submitted) and len(submitted) >= 4
    due = set(Notification.objects.filter(kind="followup_due").values_list("dedupe_key", flat=True))
    assert due == {f"followup_due:{f.uuid}:{today}" for f in FollowUp.objects.filter(client__program=program)}
    # No request failed but those to the restarted web process while it was down, and those were
    # connection errors, not error pages.
    failed = [o for o in outcomes if o.error]
    assert all(o.port == ports[1] and o.error.startswith("connection") for o in failed), failed
    assert all(o.ended >= killed_at and o.started <= back_at for o in failed), failed
    assert sum(not o.error for o in outcomes) >= 40
    print(f"{len(outcomes)} requests, {len(failed)} failed while web 2 restarted "
          f"({back_at - killed_at:.1f} s), {len(submitted)} follow-ups, {len(recipients)} emails")


def serves(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{reverse('login')}", timeout=10) as response:
            return response.status == 200
    except (urllib.error.URLError, *CONNECTION_ERRORS):
        return False


def busy_workers(logs) -> list[int]:
    """0, 1 or both of 0 and 1: the workers in the middle of an email delivery run (received more of them than
    they finished)."""
    return [n for n in range(2) if running_delivery(logs[f"worker{n}"])]


def kill_mid_conversation(server, logs, workers) -> None:
    """SIGKILL a worker while it is stopped at RCPT, holding a claim: every conversation is held there until
    each busy worker waits in one and none is past RCPT. The kill never falls between the server accepting a
    message and the worker recording it (tests/smtp.py ``Recorder``); a conversation is held for a few
    seconds at most, well inside the SMTP client's time-out."""
    for _attempt in range(60):
        with server.holding():
            try:
                wait_for(lambda: not server.past_rcpt and server.waiting >= len(busy_workers(logs)) >= 1,
                         timeout=4, interval=0.02)
            except AssertionError:
                continue  # released so nothing times out; the next delivery run is held instead
            process_stop(workers[busy_workers(logs)[0]], kill=True)
            return
    raise AssertionError("no worker was ever caught in the middle of a conversation")


def running_delivery(log) -> bool:
    lines = [line for line in log.read_text(errors="replace").splitlines() if "deliver_due_emails[" in line]
    received = {re.search(r"\[([0-9a-f-]{36})\]", line).group(1) for line in lines if "received" in line}
    finished = {re.search(r"\[([0-9a-f-]{36})\]", line).group(1) for line in lines if "received" not in line}
    return bool(received - finished)


def queue_purge_tests() -> None:
    from django.conf import settings

    queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)

