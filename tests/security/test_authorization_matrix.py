"""Every URL of the project, for every persona (issue 8, Done when 3).

The URLs come from the URL resolver itself (recursively through every include), so a new view is
walked as soon as it is routed, and fails ``test_every_url_pattern_has_a_rule`` until its rule is
declared in tests/security/url_rules.py (which says how). Each persona then GETs every URL, built
from real objects, and must get the status the rule declares.
"""

from __future__ import annotations

import copy
import types
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, include, path, resolve, reverse
from django.urls.resolvers import RegexPattern

from tests.security.url_rules import (
    EXCLUDED_NAMESPACES,
    EXCLUDED_VIEWS,
    OBJECTS,
    PARTICIPANT_READ,
    PERSONAS,
    RULES,
    Rule,
    expect,
)

# The personas are built once for the module; each test reads them again (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("personas_once")


@dataclass(frozen=True)
class Entry:
    name: str | None  # as reverse() takes it ("clients:detail"); None for an unnamed pattern
    route: str  # "clients/<uuid:uuid>/"
    view: str  # the view's dotted path


def _walk(patterns, namespace: str | None, prefix: str) -> Iterator[Entry]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            if inner and inner.split(":")[0] in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            if pattern.lookup_str in EXCLUDED_VIEWS:
                continue
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Entry(name, prefix + str(pattern.pattern), pattern.lookup_str)


def project_urls(urlconf=None) -> list[Entry]:
    """Every URL pattern of ``urlconf`` (the project's by default), includes followed, exclusions left out."""
    resolver = URLResolver(RegexPattern(r"^/"), urlconf or settings.ROOT_URLCONF)
    return list(_walk(resolver.url_patterns, None, "/"))


def undeclared(entries: list[Entry], rules: dict[str, Rule]) -> list[str]:
    """The patterns that cannot be checked: no name, a name used twice, or no rule."""
    problems = [f"unnamed pattern {e.route} ({e.view}): give it a name" for e in entries if e.name is None]
    counts = Counter(e.name for e in entries if e.name)
    problems += [f"{name}: the name of {count} patterns; give each its own" for name, count in counts.items()
                 if count > 1]
    problems += [f"{e.name} ({e.route}, {e.view})" for e in entries if e.name and e.name not in rules]
    return problems


def assert_all_declared(entries: list[Entry], rules: dict[str, Rule]) -> None:
    problems = undeclared(entries, rules)
    assert not problems, (
        "URL patterns without an authorization rule. Declare each in tests/security/url_rules.py "
        "(its docstring says how):\n  " + "\n  ".join(problems)
    )


def mismatches(http, persona: str, world, entries: list[Entry], rules: dict[str, Rule]) -> list[str]:
    """GET every URL as ``persona``; describe each answer the rules did not expect."""
    login_url = reverse("login")
    wrong = []
    for entry in entries:
        rule = rules.get(entry.name)
        if rule is None:
            continue  # test_every_url_pattern_has_a_rule names it
        url = reverse(entry.name, kwargs=rule.url_kwargs(world))
        assert resolve(url).view_name == entry.name, f"{url} does not lead to {entry.name}"
        response = http.get(url)  # not closed here: closing sends request_finished, which drops the test's connection
        expected = rule.expected[persona]
        if response.status_code not in expected:
            wrong.append(f"{entry.name} {url}: expected {'/'.join(map(str, sorted(expected)))}, "
                         f"got {response.status_code}")
        elif (persona == "anonymous" and response.status_code == 302 and rule.anonymous_to_login
              and not response.url.startswith(login_url)):
            wrong.append(f"{entry.name} {url}: anonymous sent to {response.url}, not to the login page")
    return wrong


@pytest.fixture(scope="module")
def world_once(personas_once, django_db_blocker, tmp_path_factory):
    """The personas and the objects of url_rules.OBJECTS, built once for the module in its transaction
    (``personas_once``); uploads stored in a temporary folder."""
    from peers.defaults import load_default_credential_types
    from peers.models import CredentialType

    storages = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                 "OPTIONS": {"location": str(tmp_path_factory.mktemp("uploads"))}}}
    with override_settings(STORAGES=storages), django_db_blocker.unblock():
        load_default_credential_types(CredentialType)  # a browser test's flush may have removed them
        w = SimpleNamespace(**{name: personas_once[name] for name in (
            "program", "other_program", "peer", "other_peer", "supervisor", "other_supervisor", "admin", "outsider")})
        for name, build in OBJECTS.items():
            setattr(w, name, build(w))
        yield w


@pytest.fixture
def world(world_once, db):
    """The module's world for one test: copies of its objects (what a test sets on one stays in its test; what it
    writes to the database is undone after it)."""
    return SimpleNamespace(**{name: copy.copy(value) for name, value in vars(world_once).items()})


# --- The matrix -------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_its_rule_says(client, login, world, persona):
    http = client if persona == "anonymous" else login(getattr(world, persona))
    entries = project_urls()
    wrong = mismatches(http, persona, world, entries, RULES)
    assert not wrong, f"{persona}:\n  " + "\n  ".join(wrong)
    assert len([e for e in entries if e.name in RULES]) >= 60  # the walk found the project's URLs


# --- Self-checks: the walk is complete, and a view without a rule fails -----------------------------

def test_every_url_pattern_has_a_rule():
    assert_all_declared(project_urls(), RULES)


def test_every_rule_names_a_url_of_the_project():
    names = {e.name for e in project_urls()}
    assert sorted(set(RULES) - names) == []


def test_the_walk_follows_includes_and_leaves_out_only_the_stated_exclusions():
    entries = project_urls()
    names = {e.name for e in entries}
    # top level, an app's include, an include inside an include, a namespace of the project's own
    assert {"home", "clients:detail", "peers:staff_home", "twofactor:reset", "audit:export"} <= names
    assert not any(name.startswith("admin:") for name in names if name)
    routes = {e.name: e.route for e in entries}
    assert routes["twofactor:reset"] == "/accounts/two-factor/staff/<uuid:user_uuid>/reset/"
    # The admin is the one namespace left out (see url_rules' docstring).
    everything = URLResolver(RegexPattern(r"^/"), settings.ROOT_URLCONF).url_patterns
    assert {p.namespace for p in everything if isinstance(p, URLResolver) and p.namespace} - {
        n.split(":")[0] for n in names if n and ":" in n} == EXCLUDED_NAMESPACES


def _fake_view(request, **kwargs):
    return HttpResponse("new")


def test_a_new_view_without_a_rule_fails_the_check_and_is_named():
    fake = types.ModuleType("fake_urls")
    fake.urlpatterns = [
        path("", include(settings.ROOT_URLCONF)),
        path("brand-new/", _fake_view, name="brand_new"),
        path("newapp/", include(([path("<uuid:uuid>/inner/", _fake_view, name="inner")], "newapp"))),
        path("nameless/", _fake_view),
    ]
    entries = project_urls(fake)
    assert len(entries) == len(project_urls()) + 3
    with pytest.raises(AssertionError) as failure:
        assert_all_declared(entries, RULES)
    message = str(failure.value)
    assert "brand_new (/brand-new/" in message
    assert "newapp:inner (/newapp/<uuid:uuid>/inner/" in message
    assert "unnamed pattern /nameless/" in message
    assert "clients:detail" not in message  # only the undeclared ones are named
    # Declaring them is what makes the check pass (an unnamed pattern must be named first). Views other
    # engineers are still building may be undeclared in this checkout: they are not this test's subject.
    already = set(undeclared(project_urls(), RULES))
    declared = {**RULES, "brand_new": Rule(expect(200)), "newapp:inner": Rule(expect(200), uuid="client.uuid")}
    assert [p for p in undeclared(entries, declared) if p not in already] == [
        "unnamed pattern /nameless/ (tests.security.test_authorization_matrix._fake_view): give it a name"]


def test_a_rule_that_does_not_hold_is_reported(login, world):
    """The matrix is not vacuous: a rule granting the outsider a participant page fails."""
    wrong_rules = {**RULES, "clients:detail": Rule(expect(200), client_uuid="client.uuid")}
    entries = [e for e in project_urls() if e.name == "clients:detail"]
    wrong = mismatches(login(world.outsider), "outsider", world, entries, wrong_rules)
    assert wrong == [f"clients:detail /clients/{world.client.uuid}/: expected 200, got 404"]
    assert mismatches(login(world.outsider), "outsider", world, entries,
                      {"clients:detail": Rule(PARTICIPANT_READ, client_uuid="client.uuid")}) == []
