"""Staff invitations and new programs: how people and programs start without the Django admin.

* ``program_create`` makes a program with its default rules (``Program`` field defaults) and reference
  data (each app's ``PROGRAM_SETUP`` entry, filled in its ``AppConfig.ready()``), and invites its first
  admin. ``manage.py createprogram`` and the superusers' Programs page both call it.
* ``invitation_create`` / ``invitation_resend`` / ``invitation_revoke``: a program admin invites someone by
  email with a role. The link carries a random token; only its SHA-256 hash is stored. A resend makes a new
  token (the old link stops working) and a new expiry; the link works once.
* ``invitation_accept``: a new person sets their name and password; someone who already has an account
  (another program) joins with the account they have, signed in as themselves. The two-factor middleware
  then sends whoever's role needs it to enrolment before anything else.

Invitation emails name the program, the role and who invited: never a participant.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from recovery.i18n import usable_language
from recovery.models import Invitation, Membership, Program, User
from recovery.reference import program_reference_defaults

logger = logging.getLogger(__name__)

ALREADY_MEMBER = "{email} already works in this program. Change their role on their staff record instead."
ALREADY_INVITED = "{email} has an invitation waiting: resend it from the list below instead."
NOT_A_SUPERVISOR = _("Choose a supervisor who works in this program now.")
NOT_OPEN = _("This invitation was already used or revoked.")
PROGRAM_EXISTS = _("A program with this name exists already.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_path(token: str) -> str:
    return reverse("invitation_accept", kwargs={"token": token})


def invitation_link(token: str) -> str:
    """The absolute link sent by email and printed by ``createprogram`` (``SITE_URL`` + path)."""
    return f"{settings.SITE_URL}{invitation_path(token)}"


def _new_token(invitation: Invitation, now) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(hours=invitation.program.invitation_valid_hours)
    return token


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to (any state), or None."""
    if not token or len(token) > 100:
        return None
    return (Invitation.objects.select_related("program", "supervisor", "invited_by")
            .filter(token_hash=token_hash(token)).first())


def _email_send(invitation: Invitation, token: str) -> None:
    """Send the invitation after the transaction commits, in the invitation's language; a failure is logged
    (the admin may resend)."""
    with translation.override(usable_language(invitation.language)):
        message = _email(invitation, token)
    invitation_id = invitation.pk

    def send() -> None:
        try:
            message.send()
        except Exception as exc:  # SMTP and network errors: the admin sees "sent" and may resend
            logger.warning("invitation %s: email failed: %s", invitation_id, type(exc).__name__)

    transaction.on_commit(send)


def _email(invitation: Invitation, token: str) -> EmailMultiAlternatives:
    context = {
        "program": invitation.program.name,
        "role": invitation.get_role_display(),
        "invited_by": invitation.invited_by.full_name if invitation.invited_by else "",
        "full_name": invitation.full_name,
        "link": invitation_link(token),
        "expires_at": timezone.localtime(invitation.expires_at, invitation.program.zone),
    }
    message = EmailMultiAlternatives(
        subject="[Lantern] " + _("You are invited to %(program)s") % {"program": invitation.program.name},
        body=render_to_string("recovery/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(render_to_string("recovery/email/invitation.html", context), "text/html")
    return message


def _check_supervisor(program: Program, role: str, supervisor: User | None) -> User | None:
    if role != Membership.Role.PEER:
        return None
    if supervisor is not None and not Membership.objects.filter(
        program=program, user=supervisor, role=Membership.Role.SUPERVISOR, is_active=True
    ).exists():
        raise ValidationError({"supervisor": NOT_A_SUPERVISOR})
    return supervisor


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    token: str

    @property
    def link(self) -> str:
        return invitation_link(self.token)


@transaction.atomic
def invitation_create(*, program: Program, email: str, full_name: str, role: str, supervisor: User | None = None,
                      by: User | None, send_email: bool = True, language: str = "") -> Sent:
    """Invite ``email`` to ``program`` as ``role`` (a peer: with ``supervisor``); email them the link, in
    ``language`` (blank: the site's)."""
    email = User.objects.normalize_email(email).strip().lower()
    # An imported member whose account nobody can sign in to yet (peers.imports) is invited like a newcomer.
    if Membership.objects.filter(program=program, user__email__iexact=email, is_active=True,
                                 user__is_active=True).exists():
        raise ValidationError({"email": ALREADY_MEMBER.format(email=email)})
    supervisor = _check_supervisor(program, role, supervisor)
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    now = timezone.now()
    invitation = Invitation(program=program, email=email, full_name=full_name.strip(), role=role,
                            supervisor=supervisor, invited_by=by, created_at=now, language=language)
    token = _new_token(invitation, now)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError({"email": ALREADY_INVITED.format(email=email)}) from None
    if send_email:
        _email_send(invitation, token)
    return Sent(invitation, token)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User | None) -> Sent:
    """A new link (the old one stops working) valid for the program's full period again; emailed."""
    invitation = Invitation.objects.select_for_update().select_related("program").get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(NOT_OPEN)
    token = _new_token(invitation, timezone.now())
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _email_send(invitation, token)
    return Sent(invitation, token)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> bool:
    """The link stops working now. False when it was already used or revoked (a second click)."""
    return bool(Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True)
                .update(revoked_at=timezone.now()))


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User | None = None, full_name: str = "",
                      password: str = "") -> Membership:
    """Use the invitation: ``user`` (an existing account, signed in) or a new account with ``full_name`` and
    ``password`` joins the program with the invited role. Raises ValidationError when the link is no longer
    open (used, revoked, expired, or resent since)."""
    invitation = (Invitation.objects.select_for_update().select_related("program")
                  .get(pk=invitation.pk, token_hash=invitation.token_hash))
    if invitation.status() != Invitation.Status.PENDING:
        raise ValidationError(NOT_OPEN)
    if user is None:
        existing = User.objects.filter(email__iexact=invitation.email).first()
        if existing is not None and (existing.is_active or existing.has_usable_password()):
            raise ValidationError(_("An account with this email exists: sign in to accept."))
        if existing is not None:  # created by a staff import, inactive and without a password until now
            existing.full_name, existing.is_active = full_name or existing.full_name, True
            existing.language = existing.language or invitation.language
            existing.set_password(password)
            existing.save(update_fields=["full_name", "is_active", "password", "language"])
            user = existing
        else:
            user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name,
                                            language=invitation.language)
    supervisor = invitation.supervisor if invitation.role == Membership.Role.PEER else None
    if supervisor is not None and not Membership.objects.filter(
        program=invitation.program, user=supervisor, role=Membership.Role.SUPERVISOR, is_active=True
    ).exists():
        supervisor = None  # their supervisor left meanwhile: the admin names another on the staff record
    membership, _created = Membership.objects.update_or_create(
        user=user, program=invitation.program,
        defaults={"role": invitation.role, "supervisor": supervisor, "is_active": True},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def program_create(*, name: str, admin_email: str, admin_name: str = "", organization: str = "",
                   time_zone: str = "", by: User | None = None, send_email: bool = True) -> Sent:
    """A new program with its default rules and reference data, and the invitation of its first admin."""
    if Program.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": PROGRAM_EXISTS})
    program = Program(name=name.strip(), organization=organization.strip())
    if time_zone:
        program.time_zone = time_zone
    program.full_clean()
    program.save()
    program_reference_defaults(program)
    return invitation_create(program=program, email=admin_email,
                             full_name=admin_name or admin_email.split("@")[0], role=Membership.Role.ADMIN,
                             by=by, send_email=send_email)
