"""Every method of every URL: refused (405), or logged once when it shows participant data (issue: point 6).

The URLs come from the URL resolver (test_authorization_matrix's walk), built from the same world of real
objects; each is opened with every HTTP method by a persona allowed to see it. The rule:

* GET, HEAD and POST are the only methods any view of the project serves; PUT, PATCH, DELETE, OPTIONS,
  TRACE, PROPFIND… answer 405 and write nothing.
* A GET or POST answer that shows the participant writes exactly one access-log row; HEAD runs the GET
  code and is logged like GET (same status, same rows).
* A 405 writes nothing. A successful POST redirects: the redirect shows nothing and writes no row (the
  change is in the change history; the page it leads to is logged when opened).

Each view declares the methods it serves with ``recovery.audit.serves``; a view without that declaration
fails ``test_every_view_declares_the_methods_it_serves``.
"""

# ruff: noqa: F811 (``world`` and ``world_once`` are the authorization matrix's fixtures, imported to be shared)

from __future__ import annotations

import time
import types
from io import RawIOBase

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import include, path, reverse
from django.utils.module_loading import import_string

from clients.models import Client
from recovery.audit import METHOD_POLICY, log_access, read_by, serves
from recovery.middleware import RequestSizeLimitMiddleware
from recovery.models import AccessLog
from tests.security.test_authorization_matrix import Entry, project_urls, world, world_once  # noqa: F401
from tests.security.url_rules import RULES

# The personas are built once for the module; each test reads them again (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("personas_once")

NAME = "Mina Matrix"  # ``client`` of the world (url_rules._client)
SERVED = ("GET", "HEAD", "POST")
NOT_SERVED = ("PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "CONNECT", "BREW")
# POST last: it may change the world (sign a note, delete a draft) that the other methods read.
METHODS = ("GET", "HEAD", *NOT_SERVED, "POST")
READERS = ("peer", "supervisor", "admin", "other_peer", "other_supervisor", "outsider")


def _ours(entries: list[Entry]) -> list[Entry]:
    """The project's own views (Django's auth and admin views have their own method handling)."""
    return [e for e in entries if not e.view.startswith("django.")]


def _reader(name: str) -> str:
    """A persona whose GET of the URL is answered (200), else one sent on (302): who may see it. A page no
    persona may open (superusers only; a public invitation link, 403 to anyone signed in as someone else)
    is still opened with every method by a refused persona: the refusal, too, must write nothing."""
    expected = RULES[name].expected
    for wanted in (200, 302, 405, 403):
        for persona in READERS:
            if wanted in expected[persona]:
                return persona
    raise AssertionError(f"{name}: no persona may open it")


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _problems(http, url: str, methods=METHODS) -> list[str]:
    """Open ``url`` with each method; describe every answer that breaks the rule of the module docstring."""
    wrong, by_method = [], {}
    for method in methods:
        before = AccessLog.objects.count()
        response = http.generic(method, url)
        rows = AccessLog.objects.count() - before
        status, shows = response.status_code, NAME.encode() in _body(response)
        by_method[method] = (status, rows)
        said = f"{method} {url}: {status}, {rows} access-log rows"
        if method not in SERVED:
            if status != 405 or rows:
                wrong.append(f"{said} (expected 405 and none)")
        elif status == 405 and rows:
            wrong.append(f"{said} (a refusal writes nothing)")
        elif shows and rows != 1:
            wrong.append(f"{said}; it shows the participant (expected exactly one row)")
        elif 300 <= status < 400 and rows:
            wrong.append(f"{said} (a redirect shows nothing)")
        elif rows > 1:
            wrong.append(f"{said} (expected at most one row)")
    if "HEAD" in by_method and by_method["HEAD"] != by_method["GET"]:
        wrong.append(f"HEAD {url}: {by_method['HEAD']} (status, rows), GET: {by_method['GET']} (logged like GET)")
    return wrong


URL_NAMES = sorted(e.name for e in _ours(project_urls()) if e.name in RULES)


@pytest.mark.parametrize("name", URL_NAMES)
def test_every_method_is_refused_or_logged_once_when_it_shows_the_participant(name, login, world):
    rule = RULES[name]
    http = login(getattr(world, _reader(name)))
    url = reverse(name, kwargs=rule.url_kwargs(world))
    wrong = _problems(http, url)
    assert not wrong, "\n  ".join(wrong)


def _with_query(name: str, **query):
    return lambda w: reverse(name) + "?" + "&".join(f"{key}={spec(w)}" for key, spec in query.items())


# Pages that show a participant only with a query string.
QUERIED = {
    "note_parts": ("peer", _with_query("clients:note_parts", participant=lambda w: w.client.uuid)),
    "note_log": ("peer", _with_query("clients:note_log", participant=lambda w: w.client.uuid)),
    "caseload_search": ("peer", _with_query("clients:caseload", q=lambda w: "Mina")),
    "session_new": ("supervisor", _with_query("supervision:session_new", supervisee=lambda w: w.peer.uuid)),
    "session_list": ("supervisor", _with_query("supervision:session_list", supervisee=lambda w: w.peer.uuid)),
    "review_queue_mine": ("admin", _with_query("supervision:review_queue", mine=lambda w: 1)),
}


@pytest.mark.parametrize("case", sorted(QUERIED))
def test_pages_with_a_query_string_are_refused_or_logged_once_too(case, login, world):
    persona, build = QUERIED[case]
    wrong = _problems(login(getattr(world, persona)), build(world))
    assert not wrong, "\n  ".join(wrong)


def test_the_pages_that_escaped_the_log_now_write_one_row(login, world):
    """The answers found by the outside tester: form pages, methods other than GET, re-rendered forms."""
    http = login(world.peer)
    urls = [reverse(name, kwargs={"client_uuid": world.client.uuid}) for name in (
        "clients:note_new", "clients:followup_new", "clients:plan_new", "clients:consent_new", "clients:discharge")]
    urls += [reverse("clients:goal_new", kwargs={"plan_uuid": world.plan.uuid}),
             reverse("clients:note_log"), reverse("clients:group_new")]
    for url in urls:
        for method in ("GET", "POST"):  # an empty POST re-renders the form, with the participant
            before = AccessLog.objects.count()
            response = http.generic(method, url)
            assert response.status_code == 200
            assert NAME in response.content.decode(), f"{method} {url}"
            assert AccessLog.objects.count() - before == 1, f"{method} {url}"
        for method in ("OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"):
            assert http.generic(method, url).status_code == 405, f"{method} {url}"


def test_a_discharged_participants_reenrol_page_is_logged(login, world):
    from clients import services

    services.episode_discharge(client=world.client, by=world.peer, discharged_on=world.program.today(),
                               reason="completed")
    url = reverse("clients:reenrol", kwargs={"client_uuid": world.client.uuid})
    assert not _problems(login(world.peer), url)
    row = AccessLog.objects.latest("pk")
    assert (row.object_type, row.client_uuid, row.user) == ("clients.client", world.client.uuid, world.peer)


def test_the_intake_duplicate_check_is_logged_as_a_search(login, world):
    http = login(world.peer)
    data = {"full_name": NAME, "birth_date": world.client.birth_date.isoformat(),
            "started_on": world.program.today().isoformat(), "referral_source": "self"}
    before, participants = AccessLog.objects.count(), Client.objects.filter(program=world.program).count()
    response = http.post(reverse("clients:intake"), data)
    assert response.status_code == 200
    assert "already enrolled" in response.content.decode()
    assert AccessLog.objects.count() - before == 1
    row = AccessLog.objects.latest("pk")
    assert (row.action, row.object_type, row.program_id) == (AccessLog.Action.SEARCH, "clients.intake",
                                                              world.program.pk)
    assert Client.objects.filter(program=world.program).count() == participants  # nobody enrolled
    # The blank form shows nobody: nothing to log.
    before = AccessLog.objects.count()
    assert http.get(reverse("clients:intake")).status_code == 200
    assert AccessLog.objects.count() == before


def test_the_walk_covers_the_participant_pages_of_every_app():
    assert {"clients:edit", "clients:assign", "clients:note_new", "supervision:session_detail",
            "supervision:review_detail", "supervision:session_edit", "peers:staff_detail", "home"} <= set(URL_NAMES)
    assert len(URL_NAMES) >= 70


# --- Self-check: a view without a declared method policy fails -------------------------------------------

def undeclared_methods(entries: list[Entry]) -> list[str]:
    return [f"{e.name} ({e.view})" for e in _ours(entries)
            if getattr(import_string(e.view), METHOD_POLICY, None) is None]


def assert_methods_declared(entries: list[Entry]) -> None:
    problems = undeclared_methods(entries)
    assert not problems, (
        "Views without a declared method policy. Decorate each with @serves(\"GET\"), @serves(\"GET\", "
        "\"POST\") or @serves(\"POST\") from recovery.audit (lists=\"…\" for a page listing participants "
        "without fetching one):\n  " + "\n  ".join(problems))


def test_every_view_declares_the_methods_it_serves():
    assert_methods_declared(project_urls())


def undecorated_view(request, **kwargs):
    return HttpResponse(NAME)


@serves("GET")
def decorated_view(request, **kwargs):
    return HttpResponse("ok")


def test_a_new_view_without_a_method_policy_fails_the_check_and_is_named():
    fake = types.ModuleType("fake_urls")
    fake.urlpatterns = [
        path("", include(settings.ROOT_URLCONF)),
        path("clients/<uuid:uuid>/new-page/", undecorated_view, name="new_page"),
        path("declared/", decorated_view, name="declared"),
    ]
    with pytest.raises(AssertionError) as failure:
        assert_methods_declared(project_urls(fake))
    message = str(failure.value)
    assert f"new_page ({__name__}.undecorated_view)" in message
    assert "declared" not in message.replace("declared method", "")
    assert "clients:detail" not in message


# --- The decorator itself ----------------------------------------------------------------------------------

@pytest.fixture
def rf_request(peer):
    def build(method: str = "GET"):
        request = RequestFactory().generic(method, "/somewhere/")
        request.user, request.membership = peer, peer.memberships.first()
        return request
    return build


def test_serves_refuses_other_methods_with_405_and_the_allowed_list(rf_request):
    view = serves("GET", "POST")(lambda request: HttpResponse("ok"))
    for method in ("GET", "HEAD", "POST"):
        assert view(rf_request(method)).status_code == 200
    response = view(rf_request("OPTIONS"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert serves("POST")(lambda request: HttpResponse("ok"))(rf_request("HEAD")).status_code == 405


def test_serves_logs_the_noted_record_once_and_only_on_a_page(rf_request, program, peer):
    from tests.factories import ClientFactory

    client = ClientFactory(program=program, primary_peer=peer)

    def make(answer, logs_itself: bool = False):
        @serves("GET", "POST")
        def view(request):
            read_by(request, client, client_uuid=client.uuid)
            read_by(request, "second note is ignored")
            if logs_itself:
                log_access(request, "own.list", action=AccessLog.Action.LIST)
            return answer()
        return view

    def rows(view, method="GET"):
        before = AccessLog.objects.count()
        view(rf_request(method))
        return AccessLog.objects.count() - before

    assert rows(make(lambda: HttpResponse(NAME))) == 1
    assert AccessLog.objects.latest("pk").client_uuid == client.uuid
    assert rows(make(lambda: HttpResponse(NAME)), "HEAD") == 1
    assert rows(make(lambda: HttpResponse(NAME), logs_itself=True)) == 1
    assert AccessLog.objects.latest("pk").object_type == "own.list"
    assert rows(make(lambda: redirect("/elsewhere/")), "POST") == 0
    assert rows(make(lambda: HttpResponse(status=404))) == 0
    assert rows(make(lambda: HttpResponse(NAME)), "PUT") == 0


def test_a_listing_page_without_a_fetch_logs_its_label(rf_request, program):
    view = serves("GET", lists="clients.somewhere")(lambda request: HttpResponse(NAME))
    view(rf_request())
    row = AccessLog.objects.latest("pk")
    assert (row.action, row.object_type, row.program_id) == (AccessLog.Action.LIST, "clients.somewhere", program.pk)


# --- 13 (a): no caching of signed-in answers ------------------------------------------------------------

def test_signed_in_answers_are_not_stored_by_caches(login, world):
    http = login(world.peer)
    for url in (reverse("clients:detail", kwargs={"client_uuid": world.client.uuid}), reverse("home"),
                reverse("clients:consent_scan", kwargs={"consent_uuid": world.consent.uuid}),
                reverse("clients:edit", kwargs={"client_uuid": world.client.uuid}) + "x"):  # a 404 too
        response = http.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    # The sign-out answer too (the user is signed in when it starts).
    assert "no-store" in http.post(reverse("logout"))["Cache-Control"]


def test_static_files_stay_cacheable_when_signed_in(login, world):
    http = login(world.peer)
    response = http.get(settings.STATIC_URL + "css/lantern.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    b"".join(response.streaming_content)


# --- 13 (b): bodies over the limit are refused before they are read ---------------------------------------

class EndlessBody(RawIOBase):
    """A request body that never ends (or ends after ``size`` bytes), counting what is read of it."""

    def __init__(self, size: int | None = None):
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        room = len(buffer) if self.size is None else min(len(buffer), self.size - self.read_bytes)
        buffer[:room] = b"a" * room
        self.read_bytes += room
        return room


def _environ(http, url: str, body, **extra) -> dict:
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in http.cookies.items())
    return {"REQUEST_METHOD": "POST", "PATH_INFO": url, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
            "wsgi.url_scheme": "http", "wsgi.input": body, "wsgi.errors": None, "HTTP_COOKIE": cookie,
            "CONTENT_TYPE": "multipart/form-data; boundary=xyz", **extra}


def _call(environ) -> tuple[str, bytes, float]:
    """The WSGI application itself, as the server calls it (the test's database connection kept open)."""
    started, answer = time.monotonic(), {}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, lambda status, headers, *_: answer.setdefault("status", status))
        content = b"".join(result)
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], content, time.monotonic() - started


def test_a_300_megabyte_upload_is_refused_with_413_before_it_is_read(login, world):
    from tests.factories import ConsentFactory

    consent = ConsentFactory(client=world.client)  # recorded without its scan: the upload form is open
    http = login(world.peer)
    body = EndlessBody()
    url = reverse("clients:consent_scan_upload", kwargs={"consent_uuid": consent.uuid})
    status, content, took = _call(_environ(http, url, body, CONTENT_LENGTH=str(300 * 1024 * 1024)))
    assert status.startswith("413")
    assert b"larger than 20 MB" in content
    assert body.read_bytes == 0
    assert took < 5
    consent.refresh_from_db()
    assert not consent.scan


def test_a_body_of_unknown_length_is_refused_once_past_the_limit(login, world, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024
    http = login(world.peer)
    body = EndlessBody()
    url = reverse("clients:consent_new", kwargs={"client_uuid": world.client.uuid})
    consents = world.client.consents.count()
    status, _, took = _call(_environ(http, url, body, HTTP_TRANSFER_ENCODING="chunked",
                                     **{"wsgi.input_terminated": True}))
    assert status.startswith("413")
    assert settings.REQUEST_BODY_MAX_BYTES < body.read_bytes <= settings.REQUEST_BODY_MAX_BYTES + 64 * 1024
    assert took < 5
    assert world.client.consents.count() == consents


def test_a_body_within_the_limit_goes_through_declared_or_not():
    def seen(request):
        return HttpResponse(request.POST.get("field", "-"))

    middleware = RequestSizeLimitMiddleware(seen)
    data = b"field=" + b"x" * 1000
    declared = RequestFactory().post("/", data, content_type="application/x-www-form-urlencoded")
    assert middleware(declared).content == b"x" * 1000
    chunked = RequestFactory().post("/", b"-", content_type="application/x-www-form-urlencoded")
    del chunked.META["CONTENT_LENGTH"]  # a chunked body: the server passes a terminated stream, no length
    chunked.META.update({"wsgi.input_terminated": True, "wsgi.input": _Fixed(data)})
    assert middleware(chunked).content == b"x" * 1000
    lying = RequestFactory().generic("POST", "/", content_type="text/plain")
    lying.META["CONTENT_LENGTH"] = "a lot"
    assert middleware(lying).status_code == 400


class _Fixed(RawIOBase):
    def __init__(self, data: bytes):
        self.data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        room = min(len(buffer), len(self.data))
        buffer[:room], self.data = self.data[:room], self.data[room:]
        return room
