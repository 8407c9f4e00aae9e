"""Workflows of the clients app (STYLE.md: ``<noun>_<verb>``), one module per noun.

Import from the noun module (``from clients.services.notes import note_sign``). The names below are
re-exported because other apps and many call sites say ``from clients import services``.
"""

from clients.services.consents import consent_revoke
from clients.services.followups import (
    followup_cancel,
    followup_complete,
    followup_create,
    followups_close_for_discharge,
)
from clients.services.groups import group_session_record
from clients.services.notes import (
    note_addendum_add,
    note_create,
    note_crisis_notify,
    note_discard,
    note_sign,
    note_update,
)
from clients.services.participants import (
    assignable_staff,
    assignable_staff_with_caseloads,
    client_assign,
    client_enrol,
    client_update,
    clients_assign,
    episode_discharge,
    episode_open,
)
from clients.services.plans import (
    action_step_add,
    goal_add,
    objective_add,
    plan_revise,
    plan_start,
    suggested_review_on,
)

__all__ = [
    "action_step_add",
    "assignable_staff",
    "assignable_staff_with_caseloads",
    "client_assign",
    "client_enrol",
    "client_update",
    "clients_assign",
    "consent_revoke",
    "episode_discharge",
    "episode_open",
    "followup_cancel",
    "followup_complete",
    "followup_create",
    "followups_close_for_discharge",
    "goal_add",
    "group_session_record",
    "note_addendum_add",
    "note_create",
    "note_crisis_notify",
    "note_discard",
    "note_sign",
    "note_update",
    "objective_add",
    "plan_revise",
    "plan_start",
    "suggested_review_on",
]
