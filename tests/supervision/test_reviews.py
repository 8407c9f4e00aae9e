"""The note review queue (Done when 3): which notes enter it, approve, return with a comment, the author's
addendum puts it back; only the author's supervisor reviews; turnaround is tracked."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from clients.services import notes as note_services
from recovery.models import Membership, Notification, Program
from supervision import reviews
from supervision.models import NoteReview, NoteReviewDecision
from tests.factories import PR, CredentialFactory, SessionNoteFactory, default_type, make_staff, membership_of

COMMENT = "Please add what the participant said about the housing appointment."


def sign(note):
    """Sign through the notes service, as the author's "Sign" button does (the hook queues the note)."""
    return note_services.note_sign(note=note, by=note.author)


def set_policy(program, policy: str, share: int = 100) -> None:
    Program.objects.filter(pk=program.pk).update(note_review_policy=policy, note_review_share_percent=share)
    program.refresh_from_db()


@pytest.fixture
def queued(program, peer, supervisor, mine):
    note = sign(SessionNoteFactory(client=mine))
    return NoteReview.objects.get(note=note)


def queue(client) -> list[NoteReview]:
    return list(client.get(reverse("supervision:review_queue")).context["page"].object_list)


def test_a_signed_note_of_a_supervisee_enters_their_supervisors_queue(login, program, peer, supervisor,
                                                                      other_supervisor, mine):
    draft = SessionNoteFactory(client=mine)
    assert not NoteReview.objects.exists(), "a draft is not reviewed"
    note = sign(draft)
    review = NoteReview.objects.get(note=note)
    assert (review.status, review.reason, review.author_membership) == ("pending", "all", membership_of(peer))
    assert review.queued_at == note.signed_at
    assert queue(login(supervisor)) == [review]
    assert queue(login(other_supervisor)) == []
    sign(note)  # a second click
    assert NoteReview.objects.count() == 1


def test_signing_through_the_notes_page_queues_the_note(login, program, peer, mine):
    draft = SessionNoteFactory(client=mine)
    login(peer).post(reverse("clients:note_sign", args=[draft.uuid]))
    assert NoteReview.objects.filter(note=draft, status="pending").exists()


def test_the_share_policy_picks_the_same_notes_every_time(program, peer, supervisor, mine):
    set_policy(program, Program.NoteReviewPolicy.SHARE, share=30)
    notes = [sign(SessionNoteFactory(client=mine)) for _ in range(40)]
    picked = {r.note_id for r in NoteReview.objects.all()}
    expected = {n.pk for n in notes if reviews._share_picks(n) < 30}
    assert picked == expected and 0 < len(picked) < 40
    assert all(NoteReview.objects.get(note_id=pk).reason == "share" for pk in picked)


def test_the_trainees_policy_reviews_only_notes_of_staff_in_training(program, peer, other_peer, supervisor, mine,
                                                                     theirs):
    set_policy(program, Program.NoteReviewPolicy.TRAINEES)
    CredentialFactory(membership=membership_of(peer), type=default_type(PR), in_training=True)
    CredentialFactory(membership=membership_of(other_peer), today=program.today())  # certified
    trainee_note, certified_note = sign(SessionNoteFactory(client=mine)), sign(SessionNoteFactory(client=theirs))
    assert NoteReview.objects.get().note == trainee_note
    assert NoteReview.objects.get().reason == "trainee"
    assert not NoteReview.objects.filter(note=certified_note).exists()


def test_the_crisis_policy_reviews_only_crisis_notes(program, peer, supervisor, mine):
    set_policy(program, Program.NoteReviewPolicy.CRISIS)
    crisis = sign(SessionNoteFactory(client=mine, crisis_flag=True, crisis_description="Talked about self-harm."))
    sign(SessionNoteFactory(client=mine))
    assert [r.note for r in NoteReview.objects.all()] == [crisis]


def test_notes_of_staff_without_a_supervisor_are_not_queued(program, mine, peer):
    Membership.objects.filter(user=peer).update(supervisor=None)
    sign(SessionNoteFactory(client=mine))
    assert not NoteReview.objects.exists()


def test_a_returned_note_shows_the_comment_to_its_author_and_their_addendum_puts_it_back(
        login, program, peer, supervisor, queued):
    client = login(supervisor)
    response = client.post(reverse("supervision:review_return", args=[queued.uuid]), {"comment": COMMENT})
    assert response.url == reverse("supervision:review_queue")
    queued.refresh_from_db()
    assert queued.status == "returned"
    decision = queued.decisions.get()
    assert (decision.decision, decision.comment, decision.decided_by) == ("returned", COMMENT, supervisor)
    assert decision.waited.total_seconds() >= 0
    assert queue(client) == []

    notice = Notification.objects.get(recipient=peer, kind="note_review")
    assert notice.url == queued.get_absolute_url()
    assert "Mina" not in notice.title + notice.body
    author = login(peer)
    page = author.get(queued.get_absolute_url())
    assert COMMENT in page.content.decode() and page.context["is_author"]
    assert list(author.get(reverse("supervision:log")).context["returned"]) == [queued]

    author.post(reverse("clients:addendum_new", args=[queued.note.uuid]),
                {"form_token": str(uuid.uuid4()), "text": "She has an appointment on Friday at 2 pm."})
    queued.refresh_from_db()
    assert queued.status == "pending" and queued.queued_at > queued.first_queued_at
    assert queue(login(supervisor)) == [queued]


def test_approving_a_note_removes_it_from_the_queue_for_good(login, supervisor, queued):
    client = login(supervisor)
    assert client.post(reverse("supervision:review_approve", args=[queued.uuid])).status_code == 302
    queued.refresh_from_db()
    assert queued.status == "approved" and queue(client) == []
    client.post(reverse("supervision:review_approve", args=[queued.uuid]))  # a second click
    assert queued.decisions.count() == 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE supervision_notereview SET status = 'pending' WHERE id = %s", [queued.pk])


def test_an_addendum_by_someone_else_or_to_an_approved_note_changes_nothing(supervisor, peer, queued):
    reviews.note_review_approve(review=queued, by=supervisor)
    note_services.note_addendum_add(note=queued.note, author=peer, text="Late detail.")
    assert NoteReview.objects.get(pk=queued.pk).status == "approved"


def test_only_the_authors_supervisor_reviews(login, program, peer, admin, other_supervisor, outsider, queued):
    for user, expected in [(admin, 403), (peer, 403), (other_supervisor, 404), (outsider, 404)]:
        client = login(user)
        assert client.post(reverse("supervision:review_approve", args=[queued.uuid])).status_code == expected
        response = client.post(reverse("supervision:review_return", args=[queued.uuid]), {"comment": COMMENT})
        assert response.status_code == expected
    assert NoteReview.objects.get(pk=queued.pk).status == "pending"
    assert not NoteReviewDecision.objects.exists()
    assert login(admin).get(queued.get_absolute_url()).status_code == 200  # the admin reads it


def test_a_second_supervisor_of_the_program_cannot_review_a_note_they_can_see(login, program, queued, peer):
    deputy = make_staff(program, Membership.Role.ADMIN, full_name="Dee Deputy")
    response = login(deputy).post(reverse("supervision:review_approve", args=[queued.uuid]))
    assert response.status_code == 403


def test_returning_without_a_comment_keeps_the_note_in_the_queue_and_says_why(login, supervisor, queued):
    response = login(supervisor).post(reverse("supervision:review_return", args=[queued.uuid]), {"comment": " "})
    assert response.status_code == 200
    assert "This field is required." in response.context["form"].errors["comment"]
    assert NoteReview.objects.get(pk=queued.pk).status == "pending"


def test_turnaround_is_tracked_per_decision_and_shown_on_the_queue(login, supervisor, queued, time_machine):
    time_machine.move_to(queued.queued_at + __import__("datetime").timedelta(hours=5), tick=False)
    reviews.note_review_approve(review=queued, by=supervisor)
    assert queued.decisions.get().waited.total_seconds() == 5 * 3600
    response = login(supervisor).get(reverse("supervision:review_queue"))
    assert response.context["turnaround"]["count"] == 1
    assert "5 hours" in response.content.decode()
