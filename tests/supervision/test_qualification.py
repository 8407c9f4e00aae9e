"""Supervisor qualification: a supervisor without a PRS supervisor training date is flagged on the admin's
status board (DOMAIN.md, "Supervision")."""

from __future__ import annotations

import datetime

from django.urls import reverse

from recovery.models import Membership
from tests.factories import StaffProfileFactory, make_staff, membership_of


def flagged(response) -> set[str]:
    return {m.user.full_name for m in response.context["untrained_supervisors"]}


def test_supervisors_without_a_training_date_are_flagged_on_the_admins_board(
        login, program, admin, supervisor, other_supervisor, peer):
    StaffProfileFactory(membership=membership_of(other_supervisor), supervisor_training_on=datetime.date(2023, 5, 2))
    StaffProfileFactory(membership=membership_of(supervisor), supervisor_training_on=None)
    response = login(admin).get(reverse("peers:staff_home"))
    assert flagged(response) == {"Sam Supervisor"}
    assert "Supervisors without PRS supervisor training" in response.content.decode()


def test_an_admin_who_supervises_peers_needs_the_training_too(login, program, admin):
    make_staff(program, Membership.Role.PEER, supervisor=admin, full_name="Ned Newpeer")
    assert flagged(login(admin).get(reverse("peers:staff_home"))) == {"Ada Admin"}


def test_former_supervisors_are_not_flagged_and_supervisors_do_not_see_the_flag(login, program, admin, supervisor):
    assert flagged(login(supervisor).get(reverse("peers:staff_home"))) == set()
    Membership.objects.filter(user=supervisor).update(is_active=False)
    assert flagged(login(admin).get(reverse("peers:staff_home"))) == set()
