from recovery.models import Membership
from recovery.scoping import forget_reach, reach, staff_q


def visible_staff(user):
    return set(Membership.objects.filter(staff_q(user)).values_list("user_id", flat=True))


def test_peer_reaches_only_their_own_caseload(peer, other_peer, program):
    r = reach(peer)
    assert r.caseloads == {(program.pk, peer.pk)}
    assert not r.admin_program_ids and not r.supervisor_program_ids


def test_supervisor_reaches_own_and_supervisees_caseloads(supervisor, peer, other_peer, other_team_peer, program):
    r = reach(supervisor)
    assert r.caseloads == {(program.pk, supervisor.pk), (program.pk, peer.pk), (program.pk, other_peer.pk)}
    assert r.supervisor_program_ids == {program.pk}


def test_admin_reaches_the_whole_program(admin, program):
    assert reach(admin).admin_program_ids == {program.pk}


def test_staff_scope_per_role(peer, other_peer, supervisor, other_supervisor, other_team_peer, admin, outsider):
    everyone = {peer.pk, other_peer.pk, supervisor.pk, other_supervisor.pk, other_team_peer.pk, admin.pk}
    assert visible_staff(peer) == {peer.pk}
    assert visible_staff(supervisor) == {supervisor.pk, peer.pk, other_peer.pk}
    assert visible_staff(admin) == everyone
    assert visible_staff(outsider) == {outsider.pk}


def test_inactive_membership_reaches_nothing(peer, program):
    Membership.objects.filter(user=peer).update(is_active=False)
    forget_reach(peer)
    assert reach(peer).program_ids == frozenset()


def test_inactive_program_reaches_nothing(peer, program):
    program.is_active = False
    program.save()
    forget_reach(peer)
    assert reach(peer).program_ids == frozenset()


def test_anonymous_reaches_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert reach(AnonymousUser()).program_ids == frozenset()


def test_reach_is_read_again_on_every_request_though_its_query_is_compiled_once(peer, supervisor, other_peer,
                                                                                 program):
    """recovery.compiled keeps the SQL of reach() per user; the rows are read again for each request (each
    request loads its user anew: forget_reach stands for that here)."""
    assert reach(peer).admin_program_ids == frozenset()
    Membership.objects.filter(user=peer).update(role=Membership.Role.ADMIN)
    forget_reach(peer)
    assert reach(peer).admin_program_ids == {program.pk}
    assert (program.pk, other_peer.pk) in reach(supervisor).caseloads
    Membership.objects.filter(user=other_peer).update(supervisor=None)
    forget_reach(supervisor)
    assert (program.pk, other_peer.pk) not in reach(supervisor).caseloads
