"""Supervision hours feed trainees' progress (Done when 1)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peers.models import Credential
from supervision.models import SupervisionSession
from tests.factories import (
    PR,
    CredentialFactory,
    SupervisionSessionFactory,
    TraineeHoursFactory,
    default_type,
    membership_of,
    topics,
)


@pytest.fixture
def trainees(program, peer, other_peer):
    """``peer`` and ``other_peer`` train toward IC&RC Peer Recovery (25 supervision hours required)."""
    kind = default_type(PR)
    for user in (peer, other_peer):
        CredentialFactory(membership=membership_of(user), type=kind, in_training=True)
    return kind


def supervision_logged(user, program) -> Decimal:
    credential = Credential.objects.filter(membership__user=user).with_status(program.today()).get()
    return credential.supervision_logged


def progress_shown(client, user) -> str:
    """The "Supervision" line of the trainee's progress panel on their staff record."""
    page = client.get(reverse("peers:staff_detail", args=[user.uuid])).content.decode()
    match = re.search(r'id="supervision-[^"]+"[^>]*></progress> ([\d.]+) of ([\d.]+) h', page)
    assert match, "the progress panel shows supervision hours"
    return match.group(1)


def test_a_signed_group_session_raises_both_trainees_supervision_hours_by_its_duration(
        login, program, supervisor, peer, other_peer, trainees):
    TraineeHoursFactory(membership=membership_of(peer), kind="supervision", hours=Decimal(2))
    as_peer, as_other = progress_shown(login(peer), peer), progress_shown(login(other_peer), other_peer)
    assert (as_peer, as_other) == ("2", "0")

    client = login(supervisor)
    by_code = topics()
    response = client.post(reverse("supervision:session_new"), {
        "form_token": "0b0e2d53-64c4-4b47-9f3a-6a0d9f0a6c11", "kind": "group", "held_on": program.today().isoformat(),
        "duration_minutes": "90", "format": "video",
        "supervisees": [membership_of(peer).pk, membership_of(other_peer).pk],
        "topics": [by_code["ethics-boundaries"].pk, by_code["self-care"].pk], "notes": "Boundaries with family.",
    })
    session = SupervisionSession.objects.get()
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    assert supervision_logged(peer, program) == Decimal(2), "a draft does not count"

    assert client.post(reverse("supervision:session_sign", args=[session.uuid])).status_code == 302
    for user in (peer, other_peer):
        response = login(user).post(reverse("supervision:session_acknowledge", args=[session.uuid]))
        assert response.status_code == 302
    assert session.attendances.filter(acknowledged_at__isnull=False).count() == 2

    assert progress_shown(login(peer), peer) == "3.5"
    assert progress_shown(login(other_peer), other_peer) == "1.5"
    assert supervision_logged(other_peer, program) == Decimal("1.50")


def test_each_supervisee_counts_a_group_session_once_and_drafts_never(program, supervisor, peer, other_peer,
                                                                        trainees):
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer], duration_minutes=50,
                              signed=True)
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], duration_minutes=45, signed=True)
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], duration_minutes=120)  # a draft
    assert supervision_logged(peer, program) == Decimal("1.58")  # 95 minutes
    assert supervision_logged(other_peer, program) == Decimal("0.83")  # 50 minutes


def test_supervision_in_another_program_does_not_count(program, other_program, supervisor, peer, trainees):
    from recovery.models import Membership
    from tests.factories import MembershipFactory, make_staff

    elsewhere = make_staff(other_program, Membership.Role.SUPERVISOR)
    MembershipFactory(user=peer, program=other_program, role=Membership.Role.PEER, supervisor=elsewhere)
    SupervisionSessionFactory(supervisor=elsewhere, program=other_program, supervisees=[peer], signed=True)
    credential = Credential.objects.filter(membership__user=peer, membership__program=program)
    assert credential.with_status(program.today()).get().supervision_logged == 0


# --- Issue 15, defect 5: the total is explained, and a trainee is not told about a renewal ---------------

def test_the_progress_panel_lists_each_signed_session_it_counts_and_no_draft(
        login, program, supervisor, peer, trainees, django_assert_max_num_queries):
    TraineeHoursFactory(membership=membership_of(peer), kind="supervision", hours=Decimal(2))
    first = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], duration_minutes=90, signed=True,
                                      held_on=program.today().replace(day=1))
    second = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], duration_minutes=60, signed=True)
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], duration_minutes=45)  # a draft
    for viewer in (peer, supervisor):
        http = login(viewer)
        assert progress_shown(http, peer) == "4.5"  # 2 by hand + 1.5 + 1
        page = http.get(reverse("peers:staff_detail", args=[peer.uuid])).content.decode()
        assert "Counted from 2 signed supervision sessions" in page
        for session, hours in ((first, "1.5"), (second, "1")):
            assert f'href="{session.get_absolute_url()}"' in page
            assert f"with {supervisor.full_name}, {hours} h" in page
        assert "still need before renewal" not in page and "still needs before renewal" not in page
        assert "to be certified" in page
    http, url = login(peer), reverse("peers:staff_detail", args=[peer.uuid])
    with CaptureQueriesContext(connection) as few:
        http.get(url)
    for _ in range(20):
        SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], signed=True)
    with django_assert_max_num_queries(len(few.captured_queries)):  # the list costs one query, however long
        assert "Counted from 22 signed supervision sessions" in http.get(url).content.decode()


def test_a_certified_peer_is_told_what_they_need_before_renewal(login, program, peer):
    CredentialFactory(membership=membership_of(peer), today=program.today())
    page = login(peer).get(reverse("peers:staff_detail", args=[peer.uuid])).content.decode()
    assert "What I still need before renewal" in page and "Counted from" not in page
