"""Query budgets: every page runs the same number of queries with few rows and with many (Done when 5)."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recovery.models import Membership
from supervision import reviews
from tests.conftest import BuiltPersonas, signed_in
from tests.factories import (
    PR,
    CredentialFactory,
    FollowUpFactory,
    SessionNoteFactory,
    SupervisionSessionFactory,
    action_item,
    bulk_clients,
    days,
    default_type,
    make_staff,
    membership_of,
    sign,
)

DASHBOARD_BUDGET = 16
PAGE_BUDGET = 20


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def team(program, supervisor, size: int, start: int = 0) -> list:
    """``size`` more supervisees, each with 100 participants, two credentials and two signed sessions."""
    people = []
    for n in range(start, start + size):
        person = make_staff(program, Membership.Role.PEER, supervisor=supervisor, full_name=f"Peer {n:03d}",
                            email=f"peer{n:03d}@example.org")
        bulk_clients(program, person, 100, prefix=f"P{n:03d}")
        CredentialFactory(membership=membership_of(person), today=program.today(), expires_in=30 + n)
        CredentialFactory(membership=membership_of(person), type=default_type(PR), in_training=True)
        for _ in range(2):
            session = SupervisionSessionFactory(supervisor=supervisor, supervisees=[person])
            action_item(session, person)
            sign(session)
        people.append(person)
    return people


@pytest.mark.parametrize("viewer", ["supervisor", "admin"])
def test_the_dashboard_runs_the_same_queries_with_3_and_with_40_supervisees(login, program, supervisor, admin,
                                                                            frozen_time, viewer):
    team(program, supervisor, 3)
    client = login(supervisor if viewer == "supervisor" else admin)
    url = reverse("supervision:dashboard")
    few = count_queries(client, url)
    team(program, supervisor, 37, start=3)
    many = count_queries(client, url)
    assert few == many
    assert many <= DASHBOARD_BUDGET
    assert len(client.get(url).context["rows"]) == 40


def test_the_dashboard_stays_within_its_budget(login, program, supervisor, frozen_time,
                                               django_assert_max_num_queries):
    team(program, supervisor, 40)
    client = login(supervisor)
    with django_assert_max_num_queries(DASHBOARD_BUDGET):
        assert client.get(reverse("supervision:dashboard")).status_code == 200


def grow(program, supervisor, peer, other_peer, mine, theirs, signed) -> None:
    """Many rows everywhere the pages read: sessions, supervisees, action items, participants, notes, follow-ups,
    reviews and their decisions, addenda."""
    bulk_clients(program, peer, 60, prefix="Many")
    for n in range(25):
        note = SessionNoteFactory(client=mine, signed=True, session_date=days(-n), crisis_flag=n % 5 == 0,
                                  crisis_description="Crisis." if n % 5 == 0 else "")
        review = reviews.note_review_enqueue(note=note)
        if n % 3 == 0:
            reviews.note_review_return(review=review, by=supervisor, comment="Add the next step.")
        elif n % 3 == 1:
            reviews.note_review_approve(review=review, by=supervisor)
        SessionNoteFactory(client=theirs, session_date=days(-n))
        FollowUpFactory(client=mine, due_on=days(-n), created_by=peer)
    for n in range(30):
        session = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer],
                                            participants=[mine, theirs], topic_codes=["skills", "self-care"])
        for _ in range(3):
            action_item(session, peer, description=f"Item {n}")
        sign(session)


PAGES = [
    ("supervisor", "review_queue", None), ("supervisor", "review_detail", "review"),
    ("peer", "review_detail", "review"),
    ("supervisor", "metric-awaiting-review", "peer"), ("supervisor", "metric-contacts", "peer"),
    ("supervisor", "metric-overdue-followups", "peer"), ("supervisor", "home", None), ("peer", "home", None),
    ("supervisor", "dashboard", None), ("supervisor", "session_list", None), ("supervisor", "session_new", None),
    ("supervisor", "supervisee", "peer"), ("supervisor", "metric-active", "peer"),
    ("supervisor", "session_detail", "signed"),
    ("peer", "log", None), ("peer", "session_detail", "signed"), ("supervisor", "log", None),
    ("supervisor", "session_edit", "draft"), ("supervisor", "action_item_new", "draft"),
    ("supervisor", "addendum_new", "signed"),
]


def page_url(name: str, target: str | None, objects: dict) -> str:
    if name == "home":
        return reverse("home")
    if name.startswith("metric"):
        return reverse("supervision:metric", args=[objects["peer"].uuid, name.removeprefix("metric-") or "active"])
    if target:
        return reverse(f"supervision:{name}", args=[objects[target].uuid])
    return reverse(f"supervision:{name}")


@pytest.fixture(scope="module")
def counted(django_db_setup, django_db_blocker) -> dict[tuple, tuple[int, int]]:
    """(who, name, target) of each page → its queries with few rows and with many, measured once for the module:
    every page opened with a row in each list, the rows grown once (``grow``), every page opened again; time
    stands still meanwhile (no session activity write between the two). All in a transaction rolled back after
    it: the module's other tests see none of it."""
    p = BuiltPersonas()
    with time_machine.travel(timezone.now(), tick=False), django_db_blocker.unblock(), transaction.atomic():
        draft = SupervisionSessionFactory(supervisor=p["supervisor"], supervisees=[p["peer"]], participants=[p["mine"]])
        signed = SupervisionSessionFactory(supervisor=p["supervisor"], supervisees=[p["peer"], p["other_peer"]],
                                           participants=[p["mine"], p["theirs"]], signed=True, duration_minutes=90)
        review = reviews.note_review_enqueue(note=SessionNoteFactory(client=p["mine"], signed=True))
        FollowUpFactory(client=p["mine"], due_on=days(-1), created_by=p["peer"])  # every list has a row first
        objects = {"peer": p["peer"], "signed": signed, "draft": draft, "review": review}
        clients = {who: signed_in(Client(), p[who]) for who in ("supervisor", "peer")}
        few = {page: count_queries(clients[page[0]], page_url(page[1], page[2], objects)) for page in PAGES}
        grow(p["program"], p["supervisor"], p["peer"], p["other_peer"], p["mine"], p["theirs"], signed)
        many = {page: count_queries(clients[page[0]], page_url(page[1], page[2], objects)) for page in PAGES}
        transaction.set_rollback(True)
    return {page: (few[page], many[page]) for page in PAGES}


@pytest.mark.parametrize(("who", "name", "target"), PAGES)
def test_each_page_runs_a_fixed_number_of_queries(counted, who, name, target):
    few, many = counted[(who, name, target)]
    assert few == many, f"{name}: {few} queries with few rows, {many} with many"
    assert many <= PAGE_BUDGET
