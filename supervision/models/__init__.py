"""The supervision app's models: supervision sessions (with their parts) and the note review queue."""

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
    "SessionParticipant",
    "SessionTopic",
    "SupervisionAddendum",
    "SupervisionSession",
    "Topic",
]
