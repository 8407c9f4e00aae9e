"""Workflows of the peers app, and the billing-eligibility answer other apps rely on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peers.models import Credential, CredentialType, StaffProfile
from recovery.models import Membership, Program, User
from recovery.notify import notification_send


def is_billable(user, program: Program, on_date: date) -> bool:
    """Whether ``user`` may deliver billable services in ``program`` on ``on_date``.

    True when the user's membership in the program holds a credential whose type makes its holder
    billable (e.g. the Virginia Board of Counseling registration, DOMAIN.md) and which is valid on that
    date: issued on or before it, expiring on or after it (valid through the expiry day), and not ended
    on or before it. A CE shortfall does not change this: the credential stays valid until it expires.
    The membership's current active flag is not consulted, so notes dated while the person still
    worked in the program are judged by the credential alone.
    """
    return Credential.objects.billable_on(on_date).filter(
        membership__user=user, membership__program=program
    ).exists()


@transaction.atomic
def credential_end(*, credential: Credential, ended_on: date, reason: str) -> Credential:
    """End a credential (lapsed, replaced, left…). It stays on the staff record, off the board."""
    credential.ended_on = ended_on
    credential.end_reason = reason
    credential.save(update_fields=["ended_on", "end_reason"])
    return credential


@transaction.atomic
def credential_type_adapt(*, program: Program, source: CredentialType, values: dict) -> CredentialType:
    """Give ``program`` its own version of a shared default type, and move its credentials onto it.

    Other programs keep the default unchanged; the program's version takes the default's place in
    this program's lists from now on.
    """
    version = CredentialType.objects.create(program=program, replaces=source, **values)
    Credential.objects.filter(membership__program=program, type=source).update(type=version)
    return version


# What keeps a staff member from a role without a caseload (a message, or None), filled from the
# ``AppConfig.ready()`` of the apps above: clients refuses while they carry participants, who are handed on
# first (its "Mark as former staff" step, the one way to make someone former staff, does that in one go).
DEACTIVATION_BLOCKERS: list[Callable[[Membership], str | None]] = []


def deactivation_blocker(membership: Membership) -> str | None:
    """Why ``membership`` cannot simply be made inactive now, if anything keeps it."""
    for blocker in DEACTIVATION_BLOCKERS:
        if message := blocker(membership):
            return message
    return None


@transaction.atomic
def staff_profile_save(*, profile: StaffProfile, supervisor: User | None, by: User | None = None) -> StaffProfile:
    """Save a staff profile with the supervisor shown on it; a new supervisor is announced like one set by
    ``membership_change``. Whether someone still works here is not changed here: making someone former
    staff is ``clients:staff_handover`` only (it ends their sessions and hands their participants on)."""
    membership = profile.membership
    profile.save()
    old_supervisor_id = membership.supervisor_id
    membership.supervisor = supervisor
    membership.save(update_fields=["supervisor"])
    if membership.is_active and membership.supervisor_id != old_supervisor_id:
        _announce_change(membership, by=by, old_role=membership.role, old_supervisor_id=old_supervisor_id)
    return profile


# --- Role, supervisor, coming back ------------------------------------------------------------------------

OWN_ROLE = _("You cannot change your own role: ask another program admin.")
STILL_SUPERVISES = _("{name} supervises {count} peer specialist(s): give them another supervisor first "
                    "(their staff records, “Change role or supervisor”).")
CARRIES_AS_ADMIN = _("{name} carries participants: hand them to other staff before making them a program admin "
                    "(a program admin carries no caseload).")
NOT_A_SUPERVISOR = _("Choose a supervisor who works in this program now.")
ROLE_CHANGED_TITLE = _("Your role or supervisor in {program} changed")
REACTIVATED_TITLE = _("You work in {program} again")


def _supervisees(membership: Membership):
    return Membership.objects.filter(program_id=membership.program_id, supervisor_id=membership.user_id,
                                     is_active=True).exclude(pk=membership.pk)


def _announce_change(membership: Membership, *, by: User | None, old_role: str, old_supervisor_id: int | None):
    """Tell the person (in the app, and by email as they chose) and a new supervisor. No participant named."""
    roles = dict(Membership.Role.choices)
    name, program = membership.user.full_name, membership.program.name

    def body() -> str:
        lines = []
        if old_role != membership.role:
            lines.append(gettext("Your role changed from %(old)s to %(new)s.")
                         % {"old": str(roles[old_role]).lower(), "new": str(roles[membership.role]).lower()})
        if old_supervisor_id != membership.supervisor_id:
            lines.append(gettext("Your supervisor is now %(name)s.") % {"name": membership.supervisor.full_name}
                         if membership.supervisor else gettext("You have no supervisor named at the moment."))
        lines.append(gettext("(Changed by %(name)s.)") % {"name": by.full_name} if by else gettext("(Changed.)"))
        return " ".join(lines)

    # Texts are deferred (lazy): written in each recipient's language when the notification is stored.
    url = reverse("peers:staff_detail", kwargs={"user_uuid": membership.user.uuid})
    notification_send(recipient=membership.user, kind="staff_role", program=membership.program, url=url,
                      title=lazy(lambda: ROLE_CHANGED_TITLE.format(program=program), str)(),
                      body=lazy(body, str)())
    if membership.supervisor and membership.supervisor_id != old_supervisor_id:
        notification_send(
            recipient=membership.supervisor, kind="staff_role", program=membership.program, url=url,
            title=lazy(lambda: gettext("%(name)s is now in your team") % {"name": name}, str)(),
            body=lazy(lambda: gettext("You supervise %(name)s in %(program)s.") % {"name": name, "program": program},
                      str)())


@transaction.atomic
def membership_change(*, membership: Membership, role: str, supervisor: User | None, by: User) -> bool:
    """Give a staff member another role and/or supervisor (a peer specialist's only). The change history
    (pghistory, with the admin as the one who changed it) keeps the old values; the audit report shows them.
    The person is notified, and so is a new supervisor. False when nothing changed (a second submit)."""
    membership = Membership.objects.select_for_update().select_related("user", "program").get(pk=membership.pk)
    if membership.user_id == by.pk:
        raise ValidationError({"role": OWN_ROLE})
    supervisor = supervisor if role == Membership.Role.PEER else None
    if supervisor is not None and (supervisor.pk == membership.user_id or not Membership.objects.filter(
            program_id=membership.program_id, user=supervisor, role=Membership.Role.SUPERVISOR,
            is_active=True).exists()):
        raise ValidationError({"supervisor": NOT_A_SUPERVISOR})
    old_role, old_supervisor_id = membership.role, membership.supervisor_id
    if old_role == role and old_supervisor_id == getattr(supervisor, "pk", None):
        return False
    if old_role == Membership.Role.SUPERVISOR and role != old_role and (count := _supervisees(membership).count()):
        raise ValidationError({"role": STILL_SUPERVISES.format(name=membership.user.full_name, count=count)})
    if role == Membership.Role.ADMIN and old_role != role and deactivation_blocker(membership):
        raise ValidationError({"role": CARRIES_AS_ADMIN.format(name=membership.user.full_name)})
    membership.role, membership.supervisor = role, supervisor
    membership.save(update_fields=["role", "supervisor"])
    if membership.is_active:
        _announce_change(membership, by=by, old_role=old_role, old_supervisor_id=old_supervisor_id)
    return True


@transaction.atomic
def membership_reactivate(*, membership: Membership, by: User) -> bool:
    """Former staff work in the program again, with their old role (change it next if it differs); they
    are told. A peer's old supervisor stays only while that person still supervises here. False when they
    were active already."""
    membership = Membership.objects.select_for_update().select_related("user", "program").get(pk=membership.pk)
    if membership.is_active:
        return False
    if membership.supervisor_id and not Membership.objects.filter(
            program_id=membership.program_id, user_id=membership.supervisor_id, role=Membership.Role.SUPERVISOR,
            is_active=True).exists():
        membership.supervisor = None
    membership.is_active = True
    membership.save(update_fields=["is_active", "supervisor"])
    notification_send(recipient=membership.user, kind="staff_role", program=membership.program,
                      url=reverse("peers:staff_detail", kwargs={"user_uuid": membership.user.uuid}),
                      title=lazy(lambda: REACTIVATED_TITLE.format(program=membership.program.name), str)(),
                      body=lazy(lambda: gettext("%(name)s gave you access to %(program)s again, as %(role)s.")
                                % {"name": by.full_name, "program": membership.program.name,
                                   "role": str(membership.get_role_display()).lower()}, str)())
    return True
