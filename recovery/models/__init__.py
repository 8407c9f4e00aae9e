from recovery.models.accounts import Membership, Program, User
from recovery.models.audit import AccessLog
from recovery.models.emergency import EmergencyAccessGrant, EmergencyAccessMember
from recovery.models.invitations import Invitation
from recovery.models.notifications import Notification, NotificationPreference
from recovery.models.security import SecurityEvent
from recovery.models.submissions import FormSubmission

__all__ = ["AccessLog", "EmergencyAccessGrant", "EmergencyAccessMember", "FormSubmission", "Invitation", "Membership",
           "Notification", "NotificationPreference", "Program", "SecurityEvent", "User"]
