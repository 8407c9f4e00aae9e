"""The supervision app's models: supervision sessions (with their parts) and the note review queue."""

from supervision.models.reviews import NoteReview, NoteReviewDecision
from supervision.models.sessions import (
    ActionItem,
    Attendance,
    SessionParticipant,
    SessionTopic,
    SupervisionAddendum,
    SupervisionSession,
    Topic,
)

__all__ = [
    "ActionItem",
    "Attendance",
    "NoteReview",
    "NoteReviewDecision",
    "SessionParticipant",
    "SessionTopic",
    "SupervisionAddendum",
    "SupervisionSession",
    "Topic",
]
