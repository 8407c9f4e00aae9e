"""My day for those who oversee (issue 15, point 9): a supervisor sees their team's crisis flags, people not
seen within the program's days and notes to review; an admin sees credentials expiring, CE short,
participants needing assignment and emails not delivered. Each links to its full list; the query count holds
with many rows; a peer gets no such section."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from clients.services.notes import note_sign
from recovery.models import AccessLog, Membership, Notification
from tests.factories import (
    ClientFactory,
    CredentialFactory,
    NotificationFactory,
    SessionNoteFactory,
    bulk_clients,
    bulk_notes,
    days,
    make_staff,
    membership_of,
)

TEMPLATE = "supervision/includes/my_day_oversight.html"


def oversight(http) -> dict | None:
    response = http.get(reverse("home"))
    assert response.status_code == 200
    return next((s.context for s in response.context["sections"] if s.template == TEMPLATE), None)


def test_a_peer_gets_no_oversight_section(login, peer):
    assert oversight(login(peer)) is None


def test_a_supervisor_sees_their_teams_crises_unseen_participants_and_notes_to_review(
        login, program, peer, supervisor, other_team_peer):
    program.note_review_policy = "all"
    program.save()
    seen = ClientFactory(program=program, primary_peer=peer, full_name="Seen Recently")
    unseen = ClientFactory(program=program, primary_peer=peer, full_name="Unseen Person")
    Client.objects.filter(pk=unseen.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
    crisis = note_sign(note=SessionNoteFactory(client=seen, crisis_flag=True, crisis_description="Relapse, safe now."),
                       by=peer)
    calm = note_sign(note=SessionNoteFactory(client=seen, session_date=days(-2)), by=peer)
    elsewhere = ClientFactory(program=program, primary_peer=other_team_peer, full_name="Other Team")
    Client.objects.filter(pk=elsewhere.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
    note_sign(note=SessionNoteFactory(client=elsewhere, crisis_flag=True, crisis_description="Not this team."),
              by=other_team_peer)
    http = login(supervisor)
    section = oversight(http)
    assert section["crises"] == [crisis] and section["crises_total"] == 1
    assert [c for c, _ in section["unseen"]] == [unseen]
    assert [r.note for r in section["reviews"]] == [crisis, calm]  # crisis first
    html = http.get(reverse("home")).content.decode()
    assert "Relapse, safe now." in html and "Unseen Person" in html and "Not this team." not in html
    assert reverse("supervision:review_queue") in html and reverse("supervision:dashboard") in html


def test_an_admin_sees_expiring_ce_short_unassigned_and_failed_emails(login, program, admin, peer, supervisor,
                                                                     other_peer):
    today = program.today()
    expiring = CredentialFactory(membership=membership_of(peer), today=today, expires_in=20)
    short = CredentialFactory(membership=membership_of(supervisor), today=today, expires_in=120)  # no CE logged
    CredentialFactory(membership=membership_of(other_peer), today=today, expires_in=600)  # far off: neither
    unassigned = ClientFactory(program=program, primary_peer=None, full_name="Nobody Yet")
    failed = NotificationFactory(recipient=peer, program=program, email_status=Notification.Email.FAILED,
                                 email_attempts=3, email_error="Mailbox unavailable")
    NotificationFactory(recipient=peer, program=program, email_status=Notification.Email.SENT)
    http = login(admin)
    section = oversight(http)
    assert [c.pk for c in section["expiring"]] == [expiring.pk]
    assert short.pk in [c.pk for c in section["short"]]
    assert [c.pk for c in section["unassigned"]] == [unassigned.pk]
    assert section["failed"] == [failed] and section["failed_total"] == 1
    html = http.get(reverse("home")).content.decode()
    assert "Nobody Yet" in html and "Mailbox unavailable" in html
    assert "?status=expiring" in html and "?status=ce_short" in html and "?peer=0" in html


def test_reading_the_oversight_section_is_logged_once(login, program, supervisor, peer):
    ClientFactory(program=program, primary_peer=peer)
    login(supervisor).get(reverse("home"))
    assert AccessLog.objects.filter(user=supervisor, object_type="supervision.my_day").count() == 1


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_my_day_for_those_who_oversee_keeps_its_query_count_with_many_rows(login, program, role,
                                                                         django_assert_max_num_queries):
    boss = make_staff(program, role)
    team = [make_staff(program, Membership.Role.PEER, supervisor=boss) for _ in range(3)]
    http = login(boss)
    with django_assert_max_num_queries(17) as few:
        http.get(reverse("home"))
    for member in team:
        clients = bulk_clients(program, member, 60, prefix=f"Team {member.pk}")
        Client.objects.filter(pk__in=[c.pk for c in clients]).update(
            created_at=timezone.now() - datetime.timedelta(days=90))
        bulk_notes(clients[0], 300, crisis_every=10, start=days(0))
        CredentialFactory(membership=membership_of(member), today=program.today(), expires_in=30)
        for _ in range(10):
            NotificationFactory(recipient=member, program=program, email_status=Notification.Email.FAILED)
    bulk_clients(program, None, 40, prefix="Unassigned", created_by=boss)
    with django_assert_max_num_queries(len(few)):
        http.get(reverse("home"))
