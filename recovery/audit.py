"""Writing the access log. Views of participant data call ``log_access`` once per record read."""

from __future__ import annotations

import ipaddress
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpResponseNotAllowed

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
    mark_logged(request)
    entry = _entry(request, obj, action=action, client_uuid=client_uuid, program_id=program_id, reason=reason)
    batch = getattr(request, "_access_batch", None)
    if batch is not None:
        batch.append(entry)  # written with the others of this answer (``access_logs_together``)
    else:
        entry.save(force_insert=True)
    return entry


@contextmanager
def access_logs_together(request):
    """Within the block ``log_access`` collects its rows, written in one INSERT when the block ends without
    an error: a page of sections that each log their own list (My day)."""
    request._access_batch = batch = []
    try:
        yield
    finally:
        request._access_batch = None
    if batch:
        AccessLog.objects.bulk_create(batch)


def log_reads(request, reads: list[tuple[object, dict]]) -> None:
    """Record several reads of one answer in one query (a page showing several participants' records):
    ``reads`` holds ``(obj, keyword arguments of log_access)`` pairs."""
    mark_logged(request)
    AccessLog.objects.bulk_create([_entry(request, obj, **kwargs) for obj, kwargs in reads])


def _entry(request, obj, *, action: str = AccessLog.Action.VIEW, client_uuid: uuid.UUID | None = None,
           program_id: int | None = None, reason: str = "") -> AccessLog:
    if hasattr(obj, "_meta"):
        object_type = obj._meta.label_lower
        object_id = str(getattr(obj, "uuid", None) or obj.pk)
        program_id = program_id or getattr(obj, "program_id", None)
    else:
        object_type, object_id = str(obj), ""
    return AccessLog(
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


# --- Every answer that shows participant data is logged once; every other method is refused --------------
#
# A view declares the HTTP methods it serves with ``@serves(...)`` (others: 405; HEAD goes with GET, and
# runs the GET code, so it is logged like GET). The scoped fetches (``scoped_client``, ``scoped_note``…)
# call ``read_by`` to say which record the request is about; when the view answers with a page (2xx, not a
# redirect or an error), ``serves`` writes that one access-log row, unless the view already wrote its own
# (``log_access``: lists, searches, downloads, group sessions). A page that lists participants without
# fetching one declares ``lists="…"``: its row is a LIST of that label. A successful POST answers with a
# redirect, which shows nothing: its change is in the change history, and the page it leads to is logged.

METHOD_POLICY = "method_policy"


@dataclass(frozen=True)
class MethodPolicy:
    methods: frozenset[str]
    lists: str | None


def mark_logged(request) -> None:
    request._access_logged = True


def read_by(request, obj, *, client_uuid: uuid.UUID | None = None, program_id: int | None = None,
            action: str = AccessLog.Action.VIEW) -> None:
    """Note that this request reads ``obj``; ``serves`` logs it if the answer shows it (the first one noted)."""
    if getattr(request, "_access_read", None) is None:
        request._access_read = (obj, {"client_uuid": client_uuid, "program_id": program_id, "action": action})


def shows_data(response) -> bool:
    """A page or a file: what a redirect (3xx) or an error (4xx/5xx) answer never is."""
    return response.status_code < 300


def flush_read(request, response, lists: str | None) -> None:
    """Write the access-log row of an answer that shows data, unless the view wrote its own."""
    if getattr(request, "_access_logged", False) or not shows_data(response):
        return
    noted = getattr(request, "_access_read", None)
    if noted is not None:
        obj, kwargs = noted
        log_access(request, obj, **kwargs)
    elif lists:
        membership = getattr(request, "membership", None)
        log_access(request, lists, action=AccessLog.Action.LIST,
                   program_id=membership.program_id if membership else None)


def serves(*methods: str, lists: str | None = None):
    """Declare the methods a view serves (any other: 405) and log the participant data it shows."""
    allowed = frozenset(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorator(view):
        if isinstance(view, type):  # a class-based view: its dispatch() gets the same rule
            dispatch = view.dispatch

            @wraps(dispatch)
            def dispatch_wrapper(self, request, *args, **kwargs):
                return _served(request, lambda: dispatch(self, request, *args, **kwargs))

            view.dispatch = dispatch_wrapper
            setattr(view, METHOD_POLICY, MethodPolicy(allowed, lists))
            return view

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return _served(request, lambda: view(request, *args, **kwargs))

        setattr(wrapper, METHOD_POLICY, MethodPolicy(allowed, lists))
        return wrapper

    def _served(request, call):
        if request.method not in allowed:
            return HttpResponseNotAllowed(sorted(allowed))
        response = call()
        flush_read(request, response, lists)
        return response

    return decorator
