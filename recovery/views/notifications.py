from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recovery.audit import log_access, serves
from recovery.forms import NotificationPreferencesForm
from recovery.middleware import membership_for
from recovery.models import AccessLog, Membership, Notification
from recovery.notify import (
    KINDS,
    email_preferences,
    failed_emails,
    notification_preferences_save,
    notifications_grouped,
    subject_names,
)


@login_required
@serves("GET")
def notification_list(request):
    notifications = Notification.objects.for_user(request.user)
    show = request.GET.get("show", "all")
    if show == "unread":
        notifications = notifications.unread()
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    # Inside the app, a notification about a participant names them, if the reader may see them now.
    names = subject_names(request.user, (n.client_uuid for n in page.object_list))
    for n in page.object_list:
        n.subject_name = names.get(n.client_uuid, "")
    if names:
        log_access(request, "recovery.notifications", action=AccessLog.Action.LIST,
                   program_id=getattr(request.membership, "program_id", None))
    return render(request, "recovery/notifications.html", {
        "page": page, "show": show, "entries": notifications_grouped(page.object_list)})


@login_required
@serves("POST")
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.url
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications")


@login_required
@serves("POST")
def notification_read_all(request):
    count = Notification.objects.for_user(request.user).mark_read()
    messages.success(request, ngettext("Marked %(count)s notification as read.",
                                       "Marked %(count)s notifications as read.", count) % {"count": count})
    return redirect("notifications")


@login_required
@serves("GET", "POST")
def notification_preferences(request):
    form = NotificationPreferencesForm(request.POST or None, kinds=KINDS, initial=email_preferences(request.user))
    if request.method == "POST" and form.is_valid():
        notification_preferences_save(user=request.user, email_by_kind=form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notification_preferences")
    return render(request, "recovery/notification_preferences.html", {"form": form})


@login_required
@serves("GET")
def notification_failures(request):
    """Program admins: emails that keep failing (each is retried by the next sweep until it goes out)."""
    membership = membership_for(request, Membership.Role.ADMIN)
    failures = (
        Notification.objects.filter(failed_emails([membership.program_id]))
        .select_related("recipient")
        .order_by("email_next_attempt_at")
    )
    page = Paginator(failures, 50).get_page(request.GET.get("page"))
    return render(request, "recovery/notification_failures.html", {"page": page})
