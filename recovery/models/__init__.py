from recovery.models.accounts import Membership, Program, User
from recovery.models.audit import AccessLog
from recovery.models.notifications import Notification, NotificationPreference
from recovery.models.security import SecurityEvent

__all__ = ["AccessLog", "Membership", "Notification", "NotificationPreference", "Program", "SecurityEvent", "User"]
