"""The Staff section's people pages for program admins: who works here, invitations (send, resend,
revoke), a staff member's role and supervisor, and bringing former staff back.

Making someone former staff is ``clients:staff_handover`` (it hands their participants on in the same
step); their sessions end at their next request (``recovery.sessions``: a deactivated membership signs out).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peers import services
from peers.forms import InvitationForm, RoleForm
from peers.views import admin_program, ensure_admin, scoped_staff, to_record
from recovery import invitations as invitation_services
from recovery.audit import serves
from recovery.http import create_page, show_refusal
from recovery.invitations import invitation_create
from recovery.models import Invitation, Membership

ADMIN = Membership.Role.ADMIN
INVITATIONS_SHOWN = 100  # the latest invitations on the page; older ones are history


@login_required
@serves("GET")
def team(request):
    """Every staff member of the program (current and former) and the invitations not yet used."""
    program = admin_program(request)
    supervisees = Count("user__supervised_memberships",
                        filter=Q(user__supervised_memberships__program=program,
                                 user__supervised_memberships__is_active=True))
    staff = list(Membership.objects.filter(program=program).select_related("user", "supervisor")
                 .annotate(supervisees=supervisees).order_by("-is_active", "user__full_name"))
    invitations = list(Invitation.objects.filter(program=program, accepted_at__isnull=True, revoked_at__isnull=True)
                       .select_related("supervisor", "invited_by").order_by("-sent_at")[:INVITATIONS_SHOWN])
    now = timezone.now()
    for invitation in invitations:
        invitation.current_status = invitation.status(now)
    return render(request, "peers/team.html", {
        "current": [m for m in staff if m.is_active], "former": [m for m in staff if not m.is_active],
        "invitations": invitations, "program": program, "Status": Invitation.Status,
    })


@login_required
@serves("GET", "POST")
def invite(request):
    program = admin_program(request)
    return create_page(request, lambda: InvitationForm(request.POST or None, program=program),
                       "peers/invite_form.html", {"program": program},
                       create=lambda form: _invite(request, program, form.cleaned_data))


def _invite(request, program, data: dict) -> str:
    sent = invitation_create(program=program, email=data["email"], full_name=data["full_name"], role=data["role"],
                             supervisor=data["supervisor"], by=request.user, language=data["language"])
    messages.success(request, ngettext(
        "Invitation sent to %(email)s. The link works once, for %(hours)s hour.",
        "Invitation sent to %(email)s. The link works once, for %(hours)s hours.",
        program.invitation_valid_hours) % {"email": sent.invitation.email, "hours": program.invitation_valid_hours})
    return reverse("peers:team")


def _scoped_invitation(request, invitation_uuid) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("program"), program=admin_program(request),
                             uuid=invitation_uuid)


@login_required
@serves("POST")
def invitation_resend(request, invitation_uuid):
    invitation = _scoped_invitation(request, invitation_uuid)
    try:
        sent = invitation_services.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError:
        messages.info(request, _("The invitation of %(email)s was already used or revoked.")
                      % {"email": invitation.email})
    else:
        messages.success(request, _("A new link was sent to %(email)s; the earlier one no longer works.")
                         % {"email": sent.invitation.email})
    return redirect("peers:team")


@login_required
@serves("POST")
def invitation_revoke(request, invitation_uuid):
    invitation = _scoped_invitation(request, invitation_uuid)
    if invitation_services.invitation_revoke(invitation=invitation):
        messages.success(request, _("The invitation of %(email)s is revoked: its link no longer works.")
                         % {"email": invitation.email})
    else:
        messages.info(request, _("The invitation of %(email)s was already used or revoked.")
                      % {"email": invitation.email})
    return redirect("peers:team")


@login_required
@serves("GET", "POST")
def role_edit(request, user_uuid):
    membership = scoped_staff(request, user_uuid)
    ensure_admin(request, membership)
    if membership.user_id == request.user.pk:
        raise PermissionDenied(services.OWN_ROLE)
    form = RoleForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.membership_change(membership=membership, role=form.cleaned_data["role"],
                                                 supervisor=form.cleaned_data["supervisor"], by=request.user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if changed:
                messages.success(request, _("%(name)s's role and supervisor are saved; they were notified.")
                                 % {"name": membership.user.full_name})
            return to_record(membership)
    return render(request, "peers/role_form.html", {"form": form, "staff": membership})


@login_required
@serves("POST")
def reactivate(request, user_uuid):
    membership = scoped_staff(request, user_uuid)
    ensure_admin(request, membership)
    if services.membership_reactivate(membership=membership, by=request.user):
        messages.success(request, _("%(name)s works in the program again; they were notified.")
                         % {"name": membership.user.full_name})
    return to_record(membership)
