"""The supervision part of "My day": what to acknowledge, returned notes, action items due; for
supervisors, notes to review and supervisees overdue for supervision."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from recovery.models import Membership
from supervision import reviews
from tests.factories import (
    ClientFactory,
    SessionNoteFactory,
    SupervisionSessionFactory,
    action_item,
    make_staff,
    sign,
)


def section(client) -> dict | None:
    sections = client.get(reverse("home")).context["sections"]
    found = [s.context for s in sections if s.template == "supervision/includes/my_day.html"]
    return found[0] if found else None


def test_nothing_to_do_shows_no_supervision_section(login, peer):
    assert section(login(peer)) is None


def test_a_peer_sees_what_to_acknowledge_returned_notes_and_action_items_due(login, program, peer, supervisor,
                                                                            mine):
    session = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], held_on=program.today())
    soon = action_item(session, peer, due_in=3, description="Read the gifts policy")
    action_item(session, peer, due_in=20, description="Later")
    sign(session)
    review = reviews.note_review_enqueue(note=SessionNoteFactory(client=mine, signed=True))
    review = reviews.note_review_return(review=review, by=supervisor, comment="Add the next step.")
    client = login(peer)
    context = section(client)
    assert (context["to_acknowledge"], context["returned"], context["items"]) == (1, 1, [soon])
    page = client.get(reverse("home")).content.decode()
    assert "1 supervision session to acknowledge" in page and "1 note returned to you for an addendum" in page
    assert review.status == "returned"
    client.post(reverse("supervision:session_acknowledge", args=[session.uuid]))
    assert section(client)["to_acknowledge"] == 0


def test_a_supervisor_sees_notes_to_review_and_who_is_overdue_for_supervision(login, program, supervisor, peer,
                                                                              other_peer, mine):
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], held_on=program.today(), signed=True)
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[other_peer], signed=True,
                              held_on=program.today() - datetime.timedelta(days=program.supervision_frequency_days + 1))
    reviews.note_review_enqueue(note=SessionNoteFactory(client=mine, signed=True))
    client = login(supervisor)
    context = section(client)
    assert [m.user for m in context["overdue"]] == [other_peer]
    # The note waiting for review is listed once, by the oversight section, not also counted here.
    assert context["to_review"] == 0
    page = client.get(reverse("home")).content.decode()
    assert "Notes to review" in page and "waiting for your review" not in page


def test_an_admin_who_reviews_a_supervisees_notes_sees_how_many_wait(login, program):
    admin = make_staff(program, Membership.Role.ADMIN)
    peer = make_staff(program, Membership.Role.PEER, supervisor=admin)
    reviews.note_review_enqueue(note=SessionNoteFactory(client=ClientFactory(program=program, primary_peer=peer),
                                                        author=peer, signed=True))
    client = login(admin)
    assert section(client)["to_review"] == 1
    assert "1 note waiting for your review" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("team_size", [3, 40])
def test_my_day_keeps_its_query_count_with_the_team(login, program, frozen_time, django_assert_max_num_queries,
                                                    team_size):
    boss = make_staff(program, Membership.Role.SUPERVISOR)
    for _ in range(team_size):
        person = make_staff(program, Membership.Role.PEER, supervisor=boss)
        SupervisionSessionFactory(supervisor=boss, supervisees=[person], signed=True,
                                  held_on=program.today() - datetime.timedelta(days=45))
    client = login(boss)
    with django_assert_max_num_queries(16):  # tests/recovery/test_home.py's budget (with the oversight lists)
        assert client.get(reverse("home")).status_code == 200
    assert len(section(client)["overdue"]) == team_size
