"""The invitation link (public): a new person sets a password; someone with an account joins signed in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from recovery.audit import serves
from recovery.forms import InvitationAcceptForm
from recovery.invitations import invitation_accept as accept
from recovery.invitations import invitation_for_token, invitation_path
from recovery.middleware import SESSION_KEY
from recovery.models import Invitation, User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _closed(request, invitation: Invitation | None):
    status = invitation.status() if invitation else None
    return render(request, "recovery/invitation_closed.html", {"status": status, "Status": Invitation.Status},
                  status=404 if invitation is None else 410)


def _joined(request, membership) -> object:
    request.session[SESSION_KEY] = membership.program_id
    messages.success(request, _("Welcome to %(program)s.") % {"program": membership.program.name})
    return redirect("home")  # the two-factor middleware sends a role that needs it to enrolment first


@serves("GET", "POST")
def invitation_accept(request, token: str):
    invitation = invitation_for_token(token)
    if invitation is None or invitation.status() != Invitation.Status.PENDING:
        return _closed(request, invitation)
    context = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "recovery/invitation_accept.html", {**context, "wrong_account": True}, status=403)
        if request.method == "POST":
            try:
                membership = accept(invitation=invitation, user=user)
            except ValidationError:
                return _closed(request, Invitation.objects.get(pk=invitation.pk))
            user.__dict__.pop("active_memberships", None)
            return _joined(request, membership)
        return render(request, "recovery/invitation_accept.html", {**context, "join": True})
    if User.objects.filter(email__iexact=invitation.email).exists():
        login_url = f"{reverse('login')}?{urlencode({'next': invitation_path(token)})}"
        return render(request, "recovery/invitation_accept.html", {**context, "login_url": login_url})
    form = InvitationAcceptForm(request.POST or None, email=invitation.email,
                                initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            membership = accept(invitation=invitation, full_name=form.cleaned_data["full_name"],
                                password=form.cleaned_data["password1"])
        except ValidationError:
            return _closed(request, Invitation.objects.get(pk=invitation.pk))
        login(request, membership.user, backend=MODEL_BACKEND)
        return _joined(request, membership)
    return render(request, "recovery/invitation_accept.html", {**context, "form": form})
