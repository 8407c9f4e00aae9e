"""Every form of the project, posted hostile values field by field (security issue, point 12).

The forms are found, not listed: each persona opens every page its authorization rule lets it read
(tests/security/url_rules.py, the URL resolver's patterns), and every ``<form method="post">`` on those
pages is collected with its fields and their types. Each form is then posted once per (field, hostile
value): the page's own values everywhere else (or a plausible filler), the hostile value in that one field.

Must hold for every request: no 500 (no exception), and for values that must be refused (impossible dates,
out-of-range or non-numbers, NUL bytes, 100,000-character texts) no row of any domain table is created,
changed or deleted. Values a form may legitimately keep (a right-to-left override mark, U+FFFD from a lone
surrogate or invalid UTF-8) must then be stored exactly as sent.

Self-check: every URL pattern is either the target of a form found on some page, or declared in ``NO_FORM``
with the reason; a new view with a form nobody reaches, or a new URL, fails ``test_every_url_is_walked``.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote_plus, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from recovery.models import Membership
from tests.conftest import signed_in as client_signed_in
from tests.factories import ProgramFactory, make_staff
from tests.security.test_authorization_matrix import project_urls
from tests.security.url_rules import OBJECTS, RULES

# The order personas are tried in: the first whose pages hold a form posting to a URL posts there.
POSTERS = ("peer", "supervisor", "admin", "other_peer", "anonymous")  # the outsider's pages are the admin's

# URLs no walked form posts to, and why that is fine. Everything else must be reached by a form.
NO_FORM = {
    "healthz": "a JSON probe, GET only",
    "session_status": "the time-out script's JSON, GET only",
    "logout": "no field; posting it ends the walker's session",
    "password_change_done": "a confirmation page",
    "password_reset_done": "a confirmation page",
    "password_reset_complete": "a confirmation page",
    "password_reset_confirm": "reached by a one-time emailed link: tests/security/test_reset.py",
    "twofactor:verify": "the code step needs a live device: tests/security/test_two_factor.py",
    "audit:export": "a CSV download of the report's GET filters (walked through audit:report's filter form)",
    "peers:board_export": "a CSV download",
    "peers:ce_certificate": "a file download",
    "clients:consent_scan": "a file download",
    "clients:note_parts": "an htmx fragment (GET)",
    # Forms with no typed field (a button): nothing hostile to put in them.
    "supervision:session_sign": "a button", "supervision:session_delete": "a button",
    "supervision:action_item_delete": "a button", "twofactor:reset": "a button (a peer with a device)",
    # Forms shown only in a state the walked world is not in.
    "switch_program": "shown to staff of two programs; its one field is an integer of theirs (tests/recovery)",
    "clients:reenrol": "shown for a discharged participant", "clients:consent_scan_upload": "a consent with no scan",
    "peers:reactivate": "a button, shown for former staff (tests/peers/test_team.py)",
    "program_list": "superusers only, and no persona is one (tests/recovery/test_invitations.py)",
    "billing:batch_new": "a button under a month's billable notes; the walked world bills none (tests/billing)",
    "billing:rereview_clear": "a button, shown for a billed note with an addendum (tests/billing)",
    "clients:restore": "a button on an entered-in-error record's banner (tests/clients/test_entered_in_error.py)",
}
# Pages that show records: no form posts to them (that they refuse a POST is the method decorators' job).
NO_FORM |= {name: "a read page" for name in (
    "home", "notifications", "notification_failures", "twofactor:overview", "twofactor:staff", "peers:staff_detail",
    "peers:type_list", "clients:detail", "clients:consent_detail", "clients:followup_detail", "clients:followup_list",
    "clients:group_detail", "clients:note_detail", "clients:note_list", "clients:plan_detail", "supervision:dashboard",
    "supervision:log", "supervision:metric", "supervision:review_detail", "supervision:review_queue",
    "supervision:session_detail", "supervision:session_list", "supervision:supervisee")}

# Not HTML pages, or pages a GET changes (a download, a JSON probe, the log-out): not scanned for forms.
NOT_PAGES = {"healthz", "session_status", "logout", "password_reset_confirm", "twofactor:verify", "audit:export",
             "peers:board_export", "peers:ce_certificate", "clients:consent_scan", "clients:note_parts"}

HOSTILE_DATES = ["0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "-1", "1\x00"]
HOSTILE_NUMBERS = ["9" * 40, "-1", "-99999999999", "NaN", "1e309", "Infinity", "1\x00"]
HOSTILE_TEXTS = ["x" * 100_000, "a\x00b"]
HOSTILE_TIMES = ["25:61", "99:99:99", "1\x00"]
# May be kept, if kept exactly. A lone surrogate cannot be UTF-8 encoded: sent as raw bytes, it arrives
# as U+FFFD (Django decodes form data with errors="replace"), as does an invalid UTF-8 byte.
RTL = "\u202eevil\u202c"
RAW_SURROGATE = b"\xed\xa0\x80"
RAW_INVALID = b"ok\xff\xfe"
TOLERATED_TEXTS = [RTL, RAW_SURROGATE, RAW_INVALID]
ARABIC_INDIC_THREE = "٣"
# A ``next`` is not data: the action may go ahead, but the redirect must not go there (nor be a 500).
HOSTILE_NEXTS = ["1\x00", "/\r\nSet-Cookie: a=b", "x" * 100_000, "https://evil.example/", "//evil.example/",
                 "javascript:alert(1)", "/\u202eevil"]  # int("٣") == 3 in Python: accepted only as the number 3

# Tables that legitimately change when a page is read or a form refused.
VOLATILE = {"recovery.AccessLog", "recovery.SecurityEvent", "recovery.Notification"}
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
KINDS_OF_DATA = {"date", "number", "time", "choice", "check"}  # what point 12 fixed: must hold today
KINDS_OF_TEXT = {"text", "hidden", "next"}  # 100k texts (recovery.fields caps them), NUL in a `next` (recovery.http)


Role = Membership.Role


# --- Reading forms from pages ----------------------------------------------------------------------

@dataclass
class FormField:
    name: str
    kind: str  # date, number, time, text, choice, check, file, hidden
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class PageForm:
    action: str
    method: str = "post"
    fields: dict[str, FormField] = field(default_factory=dict)
    multipart: bool = False


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.current, self.select, self.textarea = page_url, [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            self.current = PageForm(a.get("action") or self.page_url, method,
                                    multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self.current)
        elif self.current is None or ("name" not in a and tag in ("input", "select", "textarea")):
            return
        elif tag == "input":
            self._input(a)
        elif tag == "select":
            self.select = self.current.fields.setdefault(a["name"], FormField(a["name"], "choice"))
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select.options.append(value)
            if "selected" in a or (not self.select.value and value):
                self.select.value = value if "selected" in a or not self.select.value else self.select.value
        elif tag == "textarea":
            self.textarea = self.current.fields.setdefault(a["name"], FormField(a["name"], "text"))

    def _input(self, a):
        kind = a.get("type", "text").lower()
        name = a["name"]
        if kind in ("submit", "button", "reset", "image"):
            return
        known = self.current.fields.get(name)
        if kind in ("checkbox", "radio"):
            target = known or self.current.fields.setdefault(name, FormField(name, "check"))
            target.options.append(a.get("value", "on"))
            if "checked" in a or (kind == "radio" and not target.value):
                target.value = a.get("value", "on")
            return
        kinds = {"date": "date", "number": "number", "time": "time", "file": "file", "hidden": "hidden"}
        kind = "next" if name == "next" else kinds.get(kind, "text")  # where to go afterwards, not data
        self.current.fields[name] = FormField(name, kind, a.get("value", ""))
        if kind in ("email",):
            self.current.fields[name].value = a.get("value") or "walker@example.org"

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(html: str, page_url: str) -> list[PageForm]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def view_name(action: str) -> str | None:
    try:
        return resolve(urlsplit(action).path).view_name
    except Resolver404:
        return None


# --- Posting ---------------------------------------------------------------------------------------

def _filler(f: FormField, today: datetime.date) -> str | None:
    """The value a field gets when it is not the hostile one: the page's, else something plausible."""
    if f.kind == "file":
        return None
    if f.value:
        return f.value
    return {"date": today.isoformat(), "number": "1", "time": "10:00", "check": None,
            "choice": next((o for o in f.options if o), "")}.get(f.kind, "Walked by the hostile-forms test")


def body(pairs: list[tuple[str, str | bytes]]) -> bytes:
    parts = []
    for name, value in pairs:
        raw = value if isinstance(value, bytes) else value.encode()
        parts.append(f"{quote_plus(name)}={quote_plus(raw)}")
    return "&".join(parts).encode("ascii")


def hostile_values(f: FormField) -> tuple[list, list]:
    """(values to refuse, values that may be kept if kept exactly) for a field of this kind."""
    if f.kind == "date":
        return HOSTILE_DATES, []
    if f.kind == "number":
        return HOSTILE_NUMBERS, [ARABIC_INDIC_THREE]
    if f.kind == "time":
        return HOSTILE_TIMES, []
    if f.kind == "file":
        return [], []
    if f.kind == "text":
        return HOSTILE_TEXTS, TOLERATED_TEXTS
    if f.kind == "next":
        return [], HOSTILE_NEXTS
    if f.kind == "check":
        return [], ["1\x00", "x" * 100_000]  # a ticked box is any value: these only must not break the page
    return ["1\x00", "x" * 100_000], []  # choices, hidden keys: not one of theirs


def domain_tables() -> list[type[models.Model]]:
    return [m for m in apps.get_models()
            if m._meta.app_label in {"recovery", "clients", "peers", "supervision"} and not m._meta.proxy
            and m._meta.label not in VOLATILE and not m._meta.label.endswith("Event")]


def snapshot(models_: list | None = None) -> dict[str, tuple]:
    """Each domain table's (or each of ``models_``') row count and a digest of its rows, in one query."""
    tables = [(m._meta.label, connection.ops.quote_name(m._meta.db_table)) for m in models_ or domain_tables()]
    columns = ", ".join(f"(SELECT count(*) FROM {t}), (SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY "
                        f"x::text), '')) FROM {t} x)" for _label, t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return {label: (row[2 * i], row[2 * i + 1]) for i, (label, _t) in enumerate(tables)}


def differences(before: dict, after: dict) -> list[str]:
    return [f"{label}: {before[label][0]} rows before, {after[label][0]} after"
            + ("" if before[label][0] != after[label][0] else " (a row changed)")
            for label in before if before[label] != after[label]]


def stored_texts(models_: list) -> set[str]:
    """The texts of ``models_`` holding a right-to-left override or a replacement character."""
    found = set()
    for m in models_:
        names = [f.name for f in m._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        for name in names:
            for value in m.objects.filter(**{f"{name}__contains": "\u202e"}).values_list(name, flat=True):
                found.add(value)
            for value in m.objects.filter(**{f"{name}__contains": "\ufffd"}).values_list(name, flat=True):
                found.add(value)
    return found


def signed_in(w, persona: str) -> Client:
    http = Client(raise_request_exception=False)
    return http if persona == "anonymous" else client_signed_in(http, getattr(w, persona))


def collect_forms(w) -> dict[str, tuple[str, PageForm]]:
    """URL name (and method) → (persona, form) for every form on every page a persona may read."""
    found: dict[str, tuple[str, PageForm]] = {}
    for persona in POSTERS:
        http = signed_in(w, persona)
        for entry in project_urls():
            rule = RULES.get(entry.name)
            if rule is None or 200 not in rule.expected[persona] or entry.name in NOT_PAGES:
                continue
            url = reverse(entry.name, kwargs=rule.url_kwargs(w))
            response = http.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_on(response.content.decode(), url):
                target = view_name(form.action)
                key = target if form.method == "post" else f"{target} (GET)"
                if target and key not in found and target not in NO_FORM:
                    found[key] = (persona, form)
    return found


def xact_writes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table (PostgreSQL's own counters,
    savepoints included): one cheap query, so the digest runs only for a request that wrote something."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return dict(cursor.fetchall())


_TAG = re.compile(r"<(?:input|select|textarea)\b[^>]*>")
_ATTR = re.compile(r'\b(class|name)="([^"]*)"')


def _invalid_fields(html: str) -> set[str]:
    """The names of the inputs the page marks ``is-invalid``: refused at the field, as the rules ask."""
    found = set()
    for tag in _TAG.findall(html) if "is-invalid" in html else []:
        attrs = dict(_ATTR.findall(tag))
        if "is-invalid" in attrs.get("class", "").split() and attrs.get("name"):
            found.add(unescape(attrs["name"]))
    return found


@dataclass
class Walker:
    """Posts one form's hostile values; every request runs in a savepoint rolled back after it, so the
    world is the same before each one (a tolerated value or a once-token never leaks into the next post)."""

    w: object
    persona: str
    form: PageForm
    today: datetime.date
    problems: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.http = signed_in(self.w, self.persona)
        self.cookies = self.http.cookies.__class__(self.http.cookies)
        self.fields = [f for f in self.form.fields.values()
                       if f.name not in SKIPPED_FIELDS and not f.name.startswith("initial-")]
        self.base = [(f.name, v) for f in self.fields if (v := _filler(f, self.today)) is not None]
        self.tables = {m._meta.db_table: m for m in domain_tables()}
        self.baseline = snapshot()

    def post(self, targets: list[FormField], value, must_refuse: bool) -> tuple[list[str], set[str], bool]:
        """Post ``value`` in every field of ``targets``: (what broke the rules, the fields refused at the
        field, whether the request wrote to a domain table)."""
        names = {f.name for f in targets}
        pairs = [(n, v) for n, v in self.base if n not in names] + [(n, value) for n in sorted(names)]
        shown = repr(value if len(value) < 40 else value[:10] + "…")
        where = f"{self.form.action} as {self.persona}, {'/'.join(sorted(names))}={shown}"
        with transaction.atomic():
            before = xact_writes()
            if self.form.method == "post":
                response = self.http.post(self.form.action, body(pairs),
                                          content_type="application/x-www-form-urlencoded")
            else:
                response = self.http.get(f"{urlsplit(self.form.action).path}?{body(pairs).decode()}")
            problems = [f"{where}: {response.status_code}"] if response.status_code >= 500 else []
            if "next" in names and response.get("Location") == value:
                problems.append(f"{where}: redirected there")
            touched = []
            if not problems:
                after = xact_writes()
                touched = [self.tables[t] for t in after if after[t] != before.get(t, 0) and t in self.tables]
                problems = self._check(where, touched, value, must_refuse)
            transaction.set_rollback(True)
        self.http.cookies = self.cookies.__class__(self.cookies)  # a rotated session key was rolled back too
        html = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
        return problems, _invalid_fields(html) & names, bool(touched)

    def _check(self, where: str, touched: list, value, must_refuse: bool) -> list[str]:
        if not touched:
            return []
        if must_refuse:
            after = snapshot([m for m in touched])
            changed = differences({label: self.baseline[label] for label in after}, after)
            return [f"{where}: accepted ({'; '.join(changed)})"] if changed else []
        return [f"{where}: stored as {text[:40]!r}" for text in stored_texts(touched) - self.texts_before
                if not _faithful(text, value)]

    @functools.cached_property
    def texts_before(self) -> set[str]:
        return stored_texts(domain_tables())

    def walk(self, kinds: set[str]) -> list[str]:
        """Each hostile value in all the fields of its kind at once; a field not visibly refused in that
        request, or any request that broke a rule, is then posted on its own (so each culprit is named and
        no field hides behind another one's error)."""
        by_kind = defaultdict(list)
        for f in self.fields:
            if f.kind in kinds:
                by_kind[f.kind].append(f)
        for targets in by_kind.values():
            refused, tolerated = hostile_values(targets[0])
            for value, must_refuse in [*((v, True) for v in refused), *((v, False) for v in tolerated)]:
                problems, flagged, wrote = self.post(targets, value, must_refuse)
                if len(targets) == 1:
                    self.problems += problems
                    continue
                if problems or (not must_refuse and not wrote and value in TOLERATED_TEXTS):  # name it; or check each
                    again = targets
                else:
                    again = [] if not must_refuse else [f for f in targets if f.name not in flagged]
                for f in again:
                    self.problems += self.post([f], value, must_refuse)[0]
        return self.problems


def _faithful(stored: str, sent: str | bytes) -> bool:
    if isinstance(sent, bytes):
        sent = sent.decode("utf-8", errors="replace")
    return sent.strip() in stored


# --- The tests -------------------------------------------------------------------------------------

def make_world() -> SimpleNamespace:
    """The personas of tests/conftest.py and the objects of url_rules.OBJECTS, as the matrix's ``world``."""
    from peers.defaults import load_default_credential_types
    from peers.models import CredentialType

    load_default_credential_types(CredentialType)
    program, other_program = ProgramFactory(name="Riverside Peer Recovery"), ProgramFactory(name="Elsewhere")
    supervisor = make_staff(program, Role.SUPERVISOR, full_name="Sam Supervisor", email="sam@example.org")
    w = SimpleNamespace(
        program=program, other_program=other_program, supervisor=supervisor,
        peer=make_staff(program, Role.PEER, supervisor=supervisor, full_name="Pat Peer", email="pat@example.org"),
        other_peer=make_staff(program, Role.PEER, supervisor=supervisor, full_name="Olive Otherpeer",
                              email="olive@example.org"),
        other_supervisor=make_staff(program, Role.SUPERVISOR, full_name="Vic Other", email="vic@example.org"),
        admin=make_staff(program, Role.ADMIN, full_name="Ada Admin", email="ada@example.org"),
        outsider=make_staff(other_program, Role.ADMIN, full_name="Otto Outsider", email="otto@example.org"))
    for name, build in OBJECTS.items():
        setattr(w, name, build(w))
    return w


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and the forms found on its pages, built once for the module (the pages of five personas
    are the slow part) in a transaction rolled back at the module's end. Each test runs in a savepoint of
    it (``db``), and each hostile post in a savepoint of that (``Walker.post``)."""
    storages = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                 "OPTIONS": {"location": str(tmp_path_factory.mktemp("uploads"))}}}
    with django_db_blocker.unblock(), override_settings(STORAGES=storages), transaction.atomic():
        w = make_world()
        yield w, collect_forms(w)
        transaction.set_rollback(True)


@pytest.fixture
def world(walked, db):
    return walked[0]


@pytest.fixture
def found_forms(walked, db):
    return walked[1]


def accepts_post(w, name: str) -> bool:
    """Whether the URL takes a POST from a persona allowed to read it (a read-only page answers 405)."""
    rule = RULES[name]
    persona = next((p for p in POSTERS if rule.expected[p] & {200, 302}), "peer")
    response = signed_in(w, persona).post(reverse(name, kwargs=rule.url_kwargs(w)), {})
    return response.status_code != 405


def test_every_url_is_walked(world, found_forms):
    names = {e.name for e in project_urls() if e.name}
    walked = {name.removesuffix(" (GET)") for name in found_forms}
    unwalked = sorted(n for n in names - walked - set(NO_FORM) if accepts_post(world, n))
    assert not unwalked, ("URLs that take a POST but no form on any page posts to. Make a page of the walked "
                          "world show their form, or add them "
                          "to NO_FORM in tests/security/test_hostile_forms.py with the reason:\n  "
                          + "\n  ".join(unwalked))
    assert not set(NO_FORM) - names, "NO_FORM names a URL the project no longer has"


def test_the_walk_finds_the_forms_with_each_kind_of_field(found_forms):
    kinds = defaultdict(set)
    for name, (_persona, form) in found_forms.items():
        for f in form.fields.values():
            kinds[f.kind].add(name)
    assert {"clients:intake", "peers:credential_add", "supervision:session_new", "clients:note_new"} <= kinds["date"]
    assert {"audit:report (GET)", "peers:staff_home (GET)"} <= set(found_forms)  # filter forms, walked too
    assert kinds["number"] and kinds["text"] and kinds["choice"]


def walk_all(w, found_forms, today, kinds) -> list[str]:
    problems = []
    for name in sorted(found_forms):
        persona, form = found_forms[name]
        problems += Walker(w, persona, form, today).walk(kinds)
    return problems


@pytest.mark.long
@pytest.mark.timeout(1800)  # thousands of posts on a shared two-core machine
def test_no_form_answers_a_hostile_date_number_or_choice_with_an_error_page_or_stores_it(
        world, found_forms):
    problems = walk_all(world, found_forms, world.program.today(), KINDS_OF_DATA)
    assert not problems, f"{len(problems)} hostile posts were mishandled:\n  " + "\n  ".join(problems)


@pytest.mark.long
@pytest.mark.timeout(1800)
def test_no_form_answers_a_hostile_text_with_an_error_page_or_stores_it(world, found_forms):
    problems = walk_all(world, found_forms, world.program.today(), KINDS_OF_TEXT)
    assert not problems, f"{len(problems)} hostile posts were mishandled:\n  " + "\n  ".join(problems)
