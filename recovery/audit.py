"""Writing the access log. Views of participant data call ``log_access`` once per record read."""

from __future__ import annotations

import ipaddress
import uuid

from django.conf import settings

from recovery.models import AccessLog


def _address(raw: str | None) -> str | None:
    """``raw`` as a canonical IP address, or None for anything else ("unknown", "1.2.3.4:80", "[::1]:80"…)."""
    if not raw:
        return None
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    if getattr(address, "scope_id", None):  # "fe80::1%eth0": PostgreSQL's inet refuses the zone
        return None
    return str(address)


def client_ip(request) -> str | None:
    """The client's address: the one function for the access log, security events and login lockout (axes).

    With no trusted proxy (``TRUSTED_PROXY_COUNT`` = 0) it is the socket's address: X-Forwarded-For is
    written by the client and proves nothing. Behind N trusted proxies, each appends the address it was
    reached from, so the client is the N-th entry from the right; entries further left were sent by the
    client and are ignored. A header shorter than the chain (a request that bypassed the proxy) or a
    malformed entry falls back to the socket's address. Never raises.
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote
    return _address(hops[-proxies]) or remote


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
