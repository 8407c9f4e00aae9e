"""The clients app's models: participants and their episodes and assignments, consents, recovery plans,
session notes and follow-ups, signatures.

Every model holding participant data has ``objects.visible_to(user)`` built on
``recovery.scoping.participant_q``; views fetch through it so out-of-scope records answer 404.
"""

from clients.models.consents import Consent
from clients.models.followups import FollowUp
from clients.models.notes import (
    GroupSession,
    LastContact,
    NoteAddendum,
    NoteGoal,
    NoteService,
    ServiceCode,
    SessionNote,
    SupportService,
)
from clients.models.participants import CaseAssignment, Client, DischargeReason, Episode
from clients.models.plans import (
    ActionStep,
    Dimension,
    Goal,
    GoalDimension,
    GoalProgress,
    Objective,
    RecoveryPlan,
)
from clients.models.signatures import Signature

__all__ = [
    "ActionStep",
    "CaseAssignment",
    "Client",
    "Consent",
    "Dimension",
    "DischargeReason",
    "Episode",
    "FollowUp",
    "Goal",
    "GoalDimension",
    "GoalProgress",
    "GroupSession",
    "LastContact",
    "NoteAddendum",
    "NoteGoal",
    "NoteService",
    "Objective",
    "RecoveryPlan",
    "ServiceCode",
    "SessionNote",
    "Signature",
    "SupportService",
]
