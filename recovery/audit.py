"""Writing the access log. Views of participant data call ``log_access`` once per record read."""

from __future__ import annotations

import uuid

from recovery.models import AccessLog


def client_ip(request) -> str | None:
    # Behind the production proxy the client address is the first X-Forwarded-For hop.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return candidate or None


def log_access(
    request,
    obj,
    *,
    action: str = AccessLog.Action.VIEW,
    client_uuid: uuid.UUID | None = None,
    program_id: int | None = None,
    reason: str = "",
) -> AccessLog:
    """Record that ``request.user`` read ``obj`` (a model instance, or a label for lists/exports)."""
    if hasattr(obj, "_meta"):
        object_type = obj._meta.label_lower
        object_id = str(getattr(obj, "uuid", None) or obj.pk)
        program_id = program_id or getattr(obj, "program_id", None)
    else:
        object_type, object_id = str(obj), ""
    return AccessLog.objects.create(
        user=request.user,
        program_id=program_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_uuid=client_uuid,
        path=request.get_full_path()[:300],
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        reason=reason[:300],
    )
