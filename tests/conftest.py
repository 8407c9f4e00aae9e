"""Persona fixtures (STYLE.md): every view test speaks in terms of these people.

``program`` has a supervisor who supervises ``peer`` and ``other_peer``, a second supervisor with a
team of their own (``other_supervisor`` / ``other_team_peer``), and an ``admin``. ``outsider`` is a program admin of
another program: they must never see anything of ``program``.

Participants in every caseload of these people: ``mine`` is carried by ``peer``; ``theirs`` by ``other_peer``
(same team); ``other_team`` by ``other_team_peer`` (another supervisor's team); ``unassigned`` needs
assignment; ``foreign`` (carried by ``foreign_peer``) belongs to ``other_program``.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery import dbroles, demo
from recovery.compiled import compiled_clear
from recovery.models import Membership
from recovery.sessions import LAST_SEEN_KEY, SessionLimitsMiddleware
from recovery.twofactor import PENDING_SESSION_KEY, two_factor_required
from tests import testdb
from tests.factories import ClientFactory, ProgramFactory, make_staff


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The owner role (DATABASE_OWNER_URL) creates and migrates the test database (recovery/dbroles.py)..."""
    runtime = dbroles.use_owner(connections["default"])
    yield runtime
    dbroles.use_credentials(connections["default"], runtime)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_modify_db_settings, django_db_blocker):
    """...as a copy of the run's one migrated template (tests/testdb.py: each test process migrating its own
    took minutes); then every test runs as the runtime role, as the application does: a missing grant
    fails a test. The owner drops the test database at the end, unless --reuse-db keeps it for the next
    run (--create-db makes it again). pytest-django's --no-migrations does not apply."""
    connection = connections["default"]
    verbosity = request.config.option.verbose
    keep = request.config.getvalue("reuse_db")
    reuse = keep and not request.config.getvalue("create_db")
    with django_db_blocker.unblock():
        old_name = testdb.database_from_template(connection, run_id_of(request.config), verbosity, reuse=reuse)
        if any(marker.kwargs.get("serialized_rollback") for item in request.session.items
               for marker in item.iter_markers("django_db")):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        dbroles.use_credentials(connection, django_db_modify_db_settings)
        yield
        dbroles.use_owner(connection)
        connection.creation.destroy_test_db(old_name, verbosity, keepdb=keep)


def run_id_of(config) -> str:
    """The run's id: pytest-xdist's, which the controller hands every test process (set here first, so the
    controller knows it too), or one of this process's own without xdist."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return workerinput["testrunuid"]
    if not getattr(config.option, "testrunuid", None):
        config.option.testrunuid = testdb.new_run_id()
    return config.option.testrunuid


def pytest_configure(config):
    run_id_of(config)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The run's order (pytest-xdist hands tests out in it): tests without a database first (they run while
    the run's template database is built), then tests in a transaction, then transactional tests, as
    pytest-django orders them (a transactional test empties the database: the data migrations' rows go);
    among those the longest first (several processes, tests marked ``long``, real workers), so both processes
    end the run on short browser tests instead of one waiting for the other. Tests marked ``long`` also go
    first among the tests in a transaction."""
    items.sort(key=_run_order)
    module_fixtures_built_once(items)
    xdist_groups_kept(config, items)


def module_fixtures_built_once(items) -> None:
    """A module whose tests share a module-scoped fixture of ours (the demo seeded once, the hostile-form
    walk, a worker started once) runs in one test process, so the fixture is built once and not once in
    each process that happens to get one of its tests: grouped (``xdist_group``) by its file, unless it
    names a group itself."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        if any(fixturedefs[-1].scope == "module" and fixturedefs[-1].func.__module__.startswith("tests")
               for fixturedefs in defs.values()):
            item.add_marker(pytest.mark.xdist_group(f"module:{item.path.relative_to(item.config.rootpath)}"))


def xdist_groups_kept(config, items) -> None:
    """pytest-xdist 3.8 puts a test of an ``xdist_group`` in its group by appending ``@group`` to the test's
    old string id, which pytest 9.2's structured ids ignore: --dist loadgroup then spreads a group's tests
    over the processes (pytest-xdist issue 1386). Give the test the id pytest-xdist means."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                  for mark in item.iter_markers("xdist_group")}
        suffix = "@" + "_".join(sorted(groups))
        if groups and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


def _run_order(item) -> tuple[int, int]:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    first = 0 if item.get_closest_marker("multiprocess") or item.get_closest_marker("long") else 1
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        return 2, first if first == 0 or item.get_closest_marker("celery_worker") else 2
    return (1, first) if marker or "db" in names else (0, 0)


TEMPLATE_BUILDER = pytest.StashKey()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """pytest-xdist's controller starts building the run's template before it starts the test processes,
    so the migrations run while those start and collect (unless --reuse-db keeps their databases)."""
    config = session.config
    if config.pluginmanager.has_plugin("dsession") and not config.getvalue("reuse_db"):
        config.stash[TEMPLATE_BUILDER] = testdb.template_build_started(run_id_of(config))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """The controller (or the only process, without xdist) drops the run's template once every test
    process is done with it."""
    config = session.config
    if not hasattr(config, "workerinput"):
        if TEMPLATE_BUILDER in config.stash:
            testdb.template_build_stopped(config.stash[TEMPLATE_BUILDER])
        testdb.template_drop(run_id_of(config))


@contextmanager
def session_activity_write_pinned():
    """The session middleware records activity at most once a minute (recovery/sessions.py), which costs
    three queries on whichever request crosses the minute. Which request that is depends on how long the
    test took so far (a loaded machine, parallel test processes), so a query budget must not count it:
    inside this block the middleware still decides and computes everything, but a session it changed only
    for that write is left unsaved. tests/security/test_audit_report.py checks the write's cost itself."""
    check = SessionLimitsMiddleware._check

    def _check(self, request):
        session = request.session
        seen, modified = session.get(LAST_SEEN_KEY), session.modified
        response = check(self, request)
        if response is None and seen is not None and not modified and session.get(LAST_SEEN_KEY) != seen:
            session[LAST_SEEN_KEY] = seen
            session.modified = False
        return response

    SessionLimitsMiddleware._check = _check
    try:
        yield
    finally:
        SessionLimitsMiddleware._check = check


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    """pytest-django's, without the once-a-minute session write (see session_activity_write_pinned)."""

    @contextmanager
    def _budget(*args, **kwargs):
        with session_activity_write_pinned(), django_assert_num_queries(*args, **kwargs) as context:
            yield context

    return _budget


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    """pytest-django's, without the once-a-minute session write (see session_activity_write_pinned)."""

    @contextmanager
    def _budget(*args, **kwargs):
        with session_activity_write_pinned(), django_assert_max_num_queries(*args, **kwargs) as context:
            yield context

    return _budget


@contextmanager
def module_transaction(django_db_blocker):
    """A transaction that stays open for the rest of a module and is rolled back after it (see below)."""
    with django_db_blocker.unblock():
        assert not connection.in_atomic_block, "a module-wide transaction needs a module without an open one"
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def compiled_queries_forgotten():
    """Each test starts with no compiled query kept (recovery.compiled keeps them per process): a test never
    reads SQL another test's data made."""
    compiled_clear()
    yield


@pytest.fixture(scope="module")
def demo_seeded_once(django_db_setup, django_db_blocker):
    """``demo.seed()`` once for a test module instead of once per test (it takes many seconds).

    The seed runs in a transaction that stays open for the rest of the module and is rolled back after
    it; each test's own transaction nests inside it (a savepoint), so what a test changes is still undone
    after that test. Use it through a function-scoped fixture that also takes ``db``, and only in a
    module without transactional tests (they would commit into, and flush, the shared transaction); the
    module's other tests see the demo data too. Mark the module ``xdist_group`` so that one test process
    runs all of it (and seeds once).
    """
    with module_transaction(django_db_blocker):
        yield demo.seed()


@pytest.fixture
def ctx(db, demo_seeded_once):
    """The module's demo program and accounts (demo_seeded_once), for a test in its own transaction."""
    return demo_seeded_once


def demo_seeded_once_after(*steps):
    """A module's own ``demo_seeded_once`` that runs ``steps`` first (what its tests did before seeding)."""

    @pytest.fixture(scope="module")
    def demo_seeded_once(django_db_setup, django_db_blocker):
        with module_transaction(django_db_blocker):
            for step in steps:
                step()
            yield demo.seed()

    return demo_seeded_once


# The personas most tests are written about, each built from the personas it names (one program's supervisor,
# peers, admin and participants; another program with its admin, peer and participant).
PERSONAS = {
    "program": lambda get: ProgramFactory(name="Riverside Peer Recovery"),
    "other_program": lambda get: ProgramFactory(name="Elsewhere Recovery Center"),
    "supervisor": lambda get: make_staff(get("program"), Membership.Role.SUPERVISOR, full_name="Sam Supervisor",
                                         email="sam@example.org"),
    "peer": lambda get: make_staff(get("program"), Membership.Role.PEER, supervisor=get("supervisor"),
                                   full_name="Pat Peer", email="pat@example.org"),
    "other_peer": lambda get: make_staff(get("program"), Membership.Role.PEER, supervisor=get("supervisor"),
                                         full_name="Olive Otherpeer", email="olive@example.org"),
    "other_supervisor": lambda get: make_staff(get("program"), Membership.Role.SUPERVISOR,
                                               full_name="Vic Othersupervisor", email="vic@example.org"),
    "other_team_peer": lambda get: make_staff(get("program"), Membership.Role.PEER, supervisor=get("other_supervisor"),
                                              full_name="Tess Otherteam", email="tess@example.org"),
    "admin": lambda get: make_staff(get("program"), Membership.Role.ADMIN, full_name="Ada Admin",
                                    email="ada@example.org"),
    "billing_clerk": lambda get: make_staff(get("program"), Membership.Role.BILLING, full_name="Bea Billing",
                                            email="bea@example.org"),
    "outsider": lambda get: make_staff(get("other_program"), Membership.Role.ADMIN, full_name="Otto Outsider",
                                       email="otto@example.org"),
    "mine": lambda get: ClientFactory(program=get("program"), primary_peer=get("peer"), full_name="Mina Mine"),
    "theirs": lambda get: ClientFactory(program=get("program"), primary_peer=get("other_peer"),
                                        full_name="Theo Theirs"),
    "other_team": lambda get: ClientFactory(program=get("program"), primary_peer=get("other_team_peer"),
                                            full_name="Otis Otherteam"),
    "unassigned": lambda get: ClientFactory(program=get("program"), primary_peer=None, created_by=get("supervisor"),
                                            full_name="Una Unassigned"),
    "foreign_peer": lambda get: make_staff(get("other_program"), Membership.Role.PEER, full_name="Fern Foreign",
                                           email="fern@example.org"),
    "foreign": lambda get: ClientFactory(program=get("other_program"), primary_peer=get("foreign_peer"),
                                         full_name="Flo Foreign"),
}


@pytest.fixture(scope="module")
def personas_once(request, django_db_setup, django_db_blocker):
    """The personas a module's tests name, built once for the module, not once per test: a module of many
    tests that only read them (the access matrices) asks for it with
    ``pytestmark = pytest.mark.usefixtures("personas_once")``.

    Built in a transaction open for the rest of the module (as ``demo_seeded_once``); each test gets the
    personas it names read again from the database (its own objects: nothing a test sets on one reaches the
    next), and what a test writes is undone after it. A test sees the personas its module's other tests
    name too (with those they are built from). Not for a module with transactional tests."""
    named = {name for item in request.session.items if item.path == request.path
             for name in getattr(item, "fixturenames", ()) if name in PERSONAS}
    with module_transaction(django_db_blocker):
        built = BuiltPersonas()
        for name in sorted(named, key=list(PERSONAS).index):
            built[name]
        yield built


class BuiltPersonas(dict):
    """The personas built so far; one not built yet is built on first ``built[name]`` (with those it is built
    from): by ``personas_once`` and by a module-scoped fixture of a world built on it, in the module's
    transaction. A test's own fixtures only look in it (``persona``)."""

    def __missing__(self, name: str):
        self[name] = PERSONAS[name](self.__getitem__)
        return self[name]


def persona(request, name: str):
    """The persona ``name`` for this test: read again from the module's ``personas_once`` when the module asks
    for it and built it, else built now from the test's own fixtures (a module may override any of them)."""
    if "personas_once" in request.fixturenames and name in (shared := request.getfixturevalue("personas_once")):
        return type(shared[name])._base_manager.get(pk=shared[name].pk)
    return PERSONAS[name](request.getfixturevalue)  # (one no test of the module names: asked for by name)


@pytest.fixture
def program(request, db):
    return persona(request, "program")


@pytest.fixture
def other_program(request, db):
    return persona(request, "other_program")


@pytest.fixture
def supervisor(request, db):
    return persona(request, "supervisor")


@pytest.fixture
def peer(request, db):
    return persona(request, "peer")


@pytest.fixture
def other_peer(request, db):
    return persona(request, "other_peer")


@pytest.fixture
def other_supervisor(request, db):
    return persona(request, "other_supervisor")


@pytest.fixture
def other_team_peer(request, db):
    return persona(request, "other_team_peer")


@pytest.fixture
def admin(request, db):
    return persona(request, "admin")


@pytest.fixture
def billing_clerk(request, db):
    return persona(request, "billing_clerk")


@pytest.fixture
def outsider(request, db):
    return persona(request, "outsider")


@pytest.fixture
def mine(request, db):
    return persona(request, "mine")


@pytest.fixture
def theirs(request, db):
    return persona(request, "theirs")


@pytest.fixture
def other_team(request, db):
    return persona(request, "other_team")


@pytest.fixture
def unassigned(request, db):
    return persona(request, "unassigned")


@pytest.fixture
def foreign_peer(request, db):
    return persona(request, "foreign_peer")


@pytest.fixture
def foreign(request, db):
    return persona(request, "foreign")


@pytest.fixture
def frozen_time():
    """For query budgets: a slow machine must not cross the session's once-a-minute activity write
    (three queries: SAVEPOINT, UPDATE django_session, RELEASE) between the "few rows" and the "many rows"
    request. Log in after this fixture, so the session's last activity is the frozen moment too.
    test_audit_report.test_a_minute_between_two_requests_adds_the_session_write_and_nothing_else shows it."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as ``user`` and returns the client.

    A user who must use two-factor authentication (supervisors, admins) gets an authenticator device and a
    session already verified by it, as after the code step; tests of the code step itself live in
    tests/security/.
    """

    return lambda user: signed_in(client, user)


def signed_in(client, user):
    """Log the test ``client`` in as ``user`` (Django's login, with its signals), through the code step when
    the user needs two factors; return the client."""
    client.force_login(user)
    needs_code = two_factor_required(user) or client.session.get(PENDING_SESSION_KEY, False)
    user.__dict__.pop("active_memberships", None)  # leave the test's user object as it was
    if needs_code:
        verify_session_with_device(client, user)
    return client


def verify_session_with_device(client, user) -> None:
    """Mark the client's session as verified by ``user``'s device (one is made if they have none)."""
    device = next(devices_for_user(user), None) or TOTPDevice.objects.create(
        user=user, name="Test authenticator", confirmed=True
    )
    session = client.session
    request = HttpRequest()
    request.session, request.user = session, user
    otp_login(request, device)
    session.pop(PENDING_SESSION_KEY, None)
    session.save()
