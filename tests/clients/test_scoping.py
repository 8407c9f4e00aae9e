"""``visible_to(user)`` on every model of the clients app, for every role (PRODUCT.md roles table)."""

from __future__ import annotations

import pytest

from clients.models import ActionStep, CaseAssignment, Client, Consent, Episode, Goal, GoalProgress, RecoveryPlan
from tests.factories import ActionStepFactory, ConsentFactory, GoalFactory, RecoveryPlanFactory

# The personas are built once for the module; each test reads them again (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("personas_once")

# Which participants each persona sees (see tests/clients/conftest.py for who carries whom).
SEES = {
    "peer": {"Mina Mine"},
    "other_peer": {"Theo Theirs"},
    "other_team_peer": {"Otis Otherteam"},
    "supervisor": {"Mina Mine", "Theo Theirs", "Una Unassigned"},
    "other_supervisor": {"Otis Otherteam", "Una Unassigned"},
    "admin": {"Mina Mine", "Theo Theirs", "Otis Otherteam", "Una Unassigned"},
    "outsider": {"Flo Foreign"},
    "foreign_peer": {"Flo Foreign"},
}
# Each model and how to reach its participant's name.
MODELS = [
    (Client, "full_name"),
    (Episode, "client__full_name"),
    (CaseAssignment, "client__full_name"),
    (Consent, "client__full_name"),
    (RecoveryPlan, "client__full_name"),
    (Goal, "plan__client__full_name"),
    (ActionStep, "goal__plan__client__full_name"),
    (GoalProgress, "goal__plan__client__full_name"),
]


@pytest.fixture
def everything(mine, theirs, other_team, unassigned, foreign, supervisor):
    for participant in (mine, theirs, other_team, unassigned, foreign):
        ConsentFactory(client=participant)
        goal = GoalFactory(plan=RecoveryPlanFactory(client=participant, created_by=participant.created_by))
        ActionStepFactory(goal=goal)
        GoalProgress.objects.create(goal=goal, noted_on=goal.plan.started_on, text="Progress",
                                    author=participant.created_by)
        if participant.primary_peer is None:  # give the unassigned participant an ended assignment too
            CaseAssignment.objects.create(client=participant, peer=supervisor, assigned_by=supervisor,
                                          started_at="2025-01-01T00:00Z", ended_at="2025-02-01T00:00Z")


@pytest.mark.parametrize(("model", "name_path"), MODELS)
@pytest.mark.parametrize("role", list(SEES))
def test_visible_to_follows_the_roles_table(request, everything, model, name_path, role):
    user = request.getfixturevalue(role)
    seen = set(model.objects.visible_to(user).values_list(name_path, flat=True))
    assert seen == SEES[role]


def test_anonymous_users_see_nothing(everything):
    from django.contrib.auth.models import AnonymousUser

    for model, _ in MODELS:
        assert not model.objects.visible_to(AnonymousUser()).exists()


def test_an_inactive_membership_sees_nothing(everything, peer):
    from recovery.scoping import forget_reach

    peer.memberships.update(is_active=False)
    forget_reach(peer)
    assert not Client.objects.visible_to(peer).exists()
