"""What every view of the supervision app shares: scoped fetches and role checks (the current program and
role: ``recovery.middleware.membership_for``).

Out of scope answers 404 (``visible_to`` / ``staff_q``); a role that may read but not write gets 403.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from recovery.audit import read_by
from recovery.http import redirect_back
from recovery.middleware import membership_for
from recovery.models import Membership
from supervision.models import ActionItem, Attendance, SupervisionSession
from supervision.services import ALREADY_SIGNED

SUPERVISING_ROLES = (Membership.Role.SUPERVISOR, Membership.Role.ADMIN)
NOT_YOUR_SESSION = _("Only the supervisor who leads this session can change it.")
NOT_YOURS_TO_MARK = _("Only the person it is for, or the session's supervisor, can mark this action item.")


def scoped_session(request, session_uuid: uuid.UUID) -> SupervisionSession:
    """A session of the current program the user may see, or 404."""
    program_id = membership_for(request).program_id
    queryset = SupervisionSession.objects.visible_to(request.user).filter(program_id=program_id)
    session = get_object_or_404(queryset.select_related("supervisor", "program"), uuid=session_uuid)
    read_by(request, session, program_id=session.program_id)  # its page and forms name participants discussed
    return session


def ensure_leader(request, session: SupervisionSession) -> None:
    if session.supervisor_id != request.user.pk:
        raise PermissionDenied(NOT_YOUR_SESSION)


def ensure_leading_draft(request, session: SupervisionSession) -> None:
    """403 unless the user leads the session and it is still a draft (signed is final)."""
    ensure_leader(request, session)
    if session.is_signed:
        raise PermissionDenied(ALREADY_SIGNED)


def led_draft(request, session_uuid: uuid.UUID) -> SupervisionSession:
    """A draft session the user leads, to change (out of scope: 404; not theirs, or signed: 403)."""
    session = scoped_session(request, session_uuid)
    ensure_leading_draft(request, session)
    return session


def scoped_action_item(request, item_uuid: uuid.UUID) -> ActionItem:
    program_id = membership_for(request).program_id
    queryset = ActionItem.objects.visible_to(request.user).filter(session__program_id=program_id)
    return get_object_or_404(queryset.select_related("session"), uuid=item_uuid)


def my_attendance(request, session: SupervisionSession) -> Attendance | None:
    return session.attendances.filter(membership__user=request.user).select_related("session").first()


def back(request, fallback: str):
    """Redirect to the page the form was posted from (``next``), if it is ours; else to ``fallback``."""
    return redirect_back(request, fallback)
