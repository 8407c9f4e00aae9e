from recovery.models.accounts import Membership, Program, User
from recovery.models.audit import AccessLog
from recovery.models.notifications import Notification

__all__ = ["AccessLog", "Membership", "Notification", "Program", "User"]
