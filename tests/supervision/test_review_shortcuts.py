"""The review queue and page carry what a reviewer needs, and approving moves on (issue 15, point 10)."""

from __future__ import annotations

from django.urls import reverse

from clients.models import NoteGoal, NoteService
from clients.services import notes as note_services
from supervision.models import NoteReview
from tests.factories import GoalFactory, RecoveryPlanFactory, SessionNoteFactory, days, support_services


def signed(client, **fields):
    note = SessionNoteFactory(client=client, **fields)
    return note_services.note_sign(note=note, by=note.author)


def queue(http, **params):
    return list(http.get(reverse("supervision:review_queue"), params).context["page"].object_list)


def test_crisis_notes_come_first_and_each_row_shows_contact_type_and_first_line(login, supervisor, mine):
    calm = signed(mine, session_date=days(-3), summary="Went over the bus routes to the clinic.")
    crisis = signed(mine, session_date=days(-1), crisis_flag=True, crisis_description="Lost the room tonight.",
                    summary="Found a bed for tonight with the crisis line.", contact_type="phone")
    http = login(supervisor)
    assert [r.note for r in queue(http)] == [crisis, calm]
    html = http.get(reverse("supervision:review_queue")).content.decode()
    assert f"{crisis.get_contact_type_display()}, " in html
    assert "Went over the bus routes to the clinic." in html


def test_the_queue_filters_by_peer(login, program, supervisor, peer, other_peer, mine, theirs):
    by_peer, by_other = signed(mine), signed(theirs)
    http = login(supervisor)
    assert {r.note for r in queue(http)} == {by_peer, by_other}
    assert [r.note for r in queue(http, peer=str(other_peer.uuid))] == [by_other]
    assert {r.note for r in queue(http, peer="not-a-uuid")} == {by_peer, by_other}  # ignored


def test_approve_and_next_opens_the_next_note_to_decide(login, supervisor, mine):
    first = signed(mine, session_date=days(-3))
    second = signed(mine, session_date=days(-2))
    http = login(supervisor)
    reviews = [NoteReview.objects.get(note=n) for n in (first, second)]
    response = http.post(reverse("supervision:review_approve", args=[reviews[0].uuid]), {"next": "1"})
    assert response.url == reviews[1].get_absolute_url()
    response = http.post(reverse("supervision:review_approve", args=[reviews[1].uuid]), {"next": "1"})
    assert response.url == reverse("supervision:review_queue")
    assert not NoteReview.objects.pending().exists()


def test_the_review_page_shows_goals_services_crisis_and_late_entry(login, supervisor, mine):
    goal = GoalFactory(plan=RecoveryPlanFactory(client=mine), text="Find a place of my own.")
    note = SessionNoteFactory(client=mine, crisis_flag=True, crisis_description="Thoughts of using again.",
                              session_date=days(-6))
    NoteGoal.objects.create(note=note, goal=goal)
    service = next(iter(support_services().values()))
    NoteService.objects.create(note=note, service=service)
    note = note_services.note_sign(note=note, by=note.author)
    review = NoteReview.objects.get(note=note)
    html = login(supervisor).get(review.get_absolute_url()).content.decode()
    assert "Goals worked on" in html and "Find a place of my own." in html
    assert service.name in html
    assert "Thoughts of using again." in html
    assert note.late_entry and "Late entry" in html
    assert "Approve and next" in html


def test_a_peer_never_gets_another_peers_note_from_approve_and_next(login, program, supervisor, other_supervisor,
                                                                    mine, other_team):
    mine_note = signed(mine)
    signed(other_team)  # reviewed by other_supervisor
    review = NoteReview.objects.get(note=mine_note)
    response = login(supervisor).post(reverse("supervision:review_approve", args=[review.uuid]), {"next": "1"})
    assert response.url == reverse("supervision:review_queue")

