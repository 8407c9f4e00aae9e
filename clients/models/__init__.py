"""The clients app's models: participants and their episodes and assignments, consents, recovery plans.

Every model holding participant data has ``objects.visible_to(user)`` built on
``recovery.scoping.participant_q``; views fetch through it so out-of-scope records answer 404.
"""

from clients.models.consents import Consent
from clients.models.participants import CaseAssignment, Client, Episode
from clients.models.plans import ActionStep, Dimension, Goal, GoalDimension, GoalProgress, RecoveryPlan
from clients.models.submissions import FormSubmission

__all__ = [
    "ActionStep",
    "CaseAssignment",
    "Client",
    "Consent",
    "Dimension",
    "Episode",
    "FormSubmission",
    "Goal",
    "GoalDimension",
    "GoalProgress",
    "RecoveryPlan",
]
