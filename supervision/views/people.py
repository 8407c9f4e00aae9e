"""Pages about people: the caseload review dashboard, a supervisee's page, my own supervision log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Func, IntegerField, Prefetch, Sum, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from clients.models import Client
from peers.models import Credential
from peers.views import scoped_staff
from recovery.audit import log_access, serves
from recovery.compiled import compiled_list, record_key
from recovery.middleware import membership_for
from recovery.models import AccessLog
from recovery.scoping import scope_key
from supervision.dashboard import BY_SLUG, METRICS, Context, dashboard_rows, metric_list, with_links
from supervision.models import ActionItem, Attendance, NoteReview, SupervisionSession
from supervision.views.common import SUPERVISING_ROLES

CASELOAD_PAGE_SIZE = 25
SESSIONS_SHOWN = 10
DONE_ITEMS_SHOWN = 10
LIST_PAGE_SIZE = 50


def _context(request, membership) -> Context:
    return Context(viewer=request.user, program=membership.program, today=membership.program.today(),
                   now=timezone.now())


def attended_sessions(viewer, membership):
    """Signed sessions ``membership`` attended that ``viewer`` may see, newest first, with their parts."""
    return (
        SupervisionSession.objects.visible_to(viewer).signed().filter(program_id=membership.program_id)
        .attended_by(membership).select_related("supervisor")
        .prefetch_related(Prefetch("attendances", Attendance.objects.filter(membership=membership),
                                   to_attr="own"), "topics")
        .order_by("-held_on", "-pk")
    )


def supervision_hours(membership):
    """Hours of signed supervision ``membership`` attended (what counts toward certification)."""
    minutes = Attendance.objects.filter(membership=membership, session__signed_at__isnull=False).aggregate(
        minutes=Sum("session__duration_minutes"))["minutes"] or 0
    return round(minutes / 60, 2)


def action_items_of(viewer, user, program_id: int):
    """Action items of signed sessions for ``user`` that ``viewer`` may see."""
    return (ActionItem.objects.visible_to(viewer).of_signed_sessions()
            .filter(session__program_id=program_id, assignee=user).select_related("session"))


@login_required
@serves("GET")
def dashboard(request):
    """Caseload review: one row per supervisee, each number linking to the list behind it."""
    membership = membership_for(request, *SUPERVISING_ROLES)
    ctx = _context(request, membership)
    rows = with_links(dashboard_rows(ctx))
    # Counted by a query compiled once per scope and program (recovery.compiled: its only inputs).
    (to_review,) = compiled_list(
        ("supervision.dashboard.to_review", scope_key(request.user), record_key(membership.program)),
        lambda: (NoteReview.objects.visible_to(request.user).for_reviewer(request.user).pending()
                 .filter(author_membership__program=membership.program).order_by()
                 .annotate(n=Func(Value(1), function="COUNT", output_field=IntegerField()))
                 .values_list("n", flat=True)))
    log_access(request, "supervision.dashboard", action=AccessLog.Action.LIST, program_id=membership.program_id)
    return render(request, "supervision/dashboard.html", {
        "rows": rows, "ctx": ctx, "headers": [metric.title(ctx) for metric in METRICS], "to_review": to_review,
    })


@login_required
@serves("GET")
def supervisee(request, user_uuid):
    """A supervisee's caseload as the supervisor sees it, their supervision history and action items."""
    membership = membership_for(request, *SUPERVISING_ROLES)
    staff = scoped_staff(request, user_uuid)
    if staff.user_id == request.user.pk:
        return redirect("supervision:log")
    today = membership.program.today()
    caseload = (Client.objects.visible_to(request.user)
                .filter(program_id=membership.program_id, primary_peer=staff.user, status=Client.Status.ACTIVE)
                .caseload(today).order_by("name_key", "pk"))
    page = Paginator(caseload, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    sessions = attended_sessions(request.user, staff)
    items = action_items_of(request.user, staff.user, membership.program_id)
    log_access(request, "supervision.supervisee", action=AccessLog.Action.LIST, program_id=membership.program_id)
    return render(request, "supervision/supervisee.html", {
        "staff": staff, "page": page, "today": today,
        "rows": [(client, client.flags(today)) for client in page.object_list],
        "sessions": list(sessions[:SESSIONS_SHOWN]), "session_count": sessions.count(),
        "hours": supervision_hours(staff),
        "open_items": list(items.open().order_by("due_on", "pk")),
        "done_items": list(items.filter(done_at__isnull=False).order_by("-done_at", "-pk")[:DONE_ITEMS_SHOWN]),
        "credentials": list(Credential.objects.filter(membership=staff).open()
                            .with_status(today, progress=False, status_only=True)
                            .select_related("type").order_by("type__name")),
    })


@login_required
@serves("GET")
def metric(request, user_uuid, slug):
    """The list behind one number of the dashboard: exactly what the number counts."""
    membership = membership_for(request, *SUPERVISING_ROLES)
    staff = scoped_staff(request, user_uuid)
    chosen = BY_SLUG.get(slug)
    if chosen is None or staff.user_id == request.user.pk:
        raise Http404("No such list.")
    ctx = _context(request, membership)
    page = Paginator(metric_list(chosen, ctx, staff), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(request, f"supervision.metric.{slug}", action=AccessLog.Action.LIST, program_id=membership.program_id)
    return render(request, "supervision/metric.html", {
        "staff": staff, "metric": chosen, "page": page, "ctx": ctx, "title": chosen.title(ctx),
        "description": chosen.explain(ctx),
    })


@login_required
@serves("GET", lists="supervision.log")
def log(request):
    """My supervision: sessions I attended (to acknowledge first), my action items, my hours."""
    membership = membership_for(request)
    sessions = attended_sessions(request.user, membership)
    items = action_items_of(request.user, request.user, membership.program_id)
    page = Paginator(sessions, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/log.html", {
        "page": page, "today": membership.program.today(),
        "to_acknowledge": list(sessions.filter(attendances__membership=membership,
                                               attendances__acknowledged_at__isnull=True)),
        "open_items": list(items.open().order_by("due_on", "pk")),
        "done_items": list(items.filter(done_at__isnull=False).order_by("-done_at", "-pk")[:DONE_ITEMS_SHOWN]),
        "hours": supervision_hours(membership),
        "leads": membership.is_supervisor or membership.is_admin,
        "returned": list(NoteReview.objects.visible_to(request.user).returned().filter(author_membership=membership)
                         .select_related("note__client").order_by("decided_at", "pk")),
    })
