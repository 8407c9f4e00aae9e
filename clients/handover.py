"""Marking someone as former staff with the hand-over of their participants, in one step.

The staff record is peers' (below clients), the participants are clients': the step lives here. Peers'
profile form refuses to make someone former staff while they carry participants through
``peers.services.DEACTIVATION_BLOCKERS``, which ``ClientsConfig.ready()`` fills with ``still_carries``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from clients.services import clients_assign
from clients.services.participants import assignable_staff_with_caseloads, caseload_label
from recovery.models import Membership, User

STILL_CARRIES = ("{name} carries {count} participant(s). Use “Mark as former staff” on their record: it hands "
                 "their participants on in the same step.")
NOT_THEMSELVES = gettext_noop("Choose someone other than the person who is leaving.")
NOT_A_CANDIDATE = gettext_noop("Choose someone who works in this program now and can carry participants.")
CHOOSE_A_PEER = gettext_noop("Choose who takes over all of their participants.")
NEEDS_ASSIGNMENT = ""  # a participant's choice: back to "Needs assignment", where every supervisor sees them


def carried_clients(membership: Membership):
    """The participants whose primary peer is this staff member, in this membership's program (records set
    aside as entered in error stay as they are: restored, they show under "Needs assignment")."""
    return Client.objects.in_use().filter(program_id=membership.program_id, primary_peer_id=membership.user_id)


def still_carries(membership: Membership) -> str | None:
    """A ``peers.services.DEACTIVATION_BLOCKERS`` entry: the participants still carried, if any."""
    count = carried_clients(membership).count()
    return STILL_CARRIES.format(name=membership.user.full_name, count=count) if count else None


def reassignment_candidates(*, by: User, membership: Membership) -> list[User]:
    """Who may take over ``membership``'s participants: the program's active peers and supervisors that
    ``by`` may assign to (the leaver excepted), each with ``caseload_size`` (enrolled participants now)."""
    return list(assignable_staff_with_caseloads(by, membership.program_id).exclude(pk=membership.user_id))


@transaction.atomic
def staff_handover(*, membership: Membership, by: User, reason: str, peer_of: dict[int, User | None]) -> int | None:
    """Make ``membership`` former staff and hand their participants on, all or nothing.

    ``peer_of``: each carried participant's id → their next peer (None, or no entry: "needs
    assignment"), recorded like any reassignment (``clients_assign``). None when the membership was
    already inactive (a second submit of the same form: the first did everything).
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        return None
    if any(peer is not None and peer.pk == membership.user_id for peer in peer_of.values()):
        raise ValidationError({"peer": gettext(NOT_THEMSELVES)})
    moved = clients_assign(clients=list(carried_clients(membership)), peer_of=peer_of, by=by, reason=reason)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    return moved


class StaffHandoverForm(forms.Form):
    """Mark someone as former staff and say, in the same form, who takes over their participants."""

    class Mode(models.TextChoices):
        ONE = "one", _("Give all of them to one person")
        EACH = "each", _("Choose for each participant")
        NONE = "none", _("Put all of them in “Needs assignment” (supervisors assign them later)")

    mode = forms.ChoiceField(label=_("Their participants"), choices=Mode.choices, widget=forms.RadioSelect,
                             initial=Mode.ONE)
    peer = forms.ChoiceField(label=_("Give them all to"), required=False,
                             error_messages={"invalid_choice": _(NOT_A_CANDIDATE)})
    reason = forms.CharField(label=_("Reason"), max_length=300, initial=_("Left the program."),
                             help_text=_("Kept in each participant's assignment history."))

    def __init__(self, *args, carried: list, candidates: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.carried, self.candidates = carried, {str(u.uuid): u for u in candidates}
        choices = [(key, caseload_label(u)) for key, u in self.candidates.items()]
        if not carried:
            for name in ("mode", "peer"):
                del self.fields[name]
            return
        self.fields["peer"].choices = [("", "Choose a person"), *choices]
        for client in carried:
            self.fields[self.field_name(client)] = forms.ChoiceField(
                label=str(client) + ("" if client.is_active else gettext(" (discharged)")), required=False,
                choices=[(NEEDS_ASSIGNMENT, gettext("Needs assignment")), *choices],
                error_messages={"invalid_choice": _(NOT_A_CANDIDATE)},
            )

    @staticmethod
    def field_name(client) -> str:
        return f"participant_{client.uuid}"

    def participant_fields(self):
        return [self[self.field_name(client)] for client in self.carried]

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.Mode.ONE and not data.get("peer") and "peer" not in self.errors:
            self.add_error("peer", gettext(CHOOSE_A_PEER))
        return data

    def peer_of(self) -> dict[int, User | None]:
        """Each carried participant's id → their next peer (None: needs assignment)."""
        mode = self.cleaned_data.get("mode")
        if mode == self.Mode.ONE:
            peer = self.candidates[self.cleaned_data["peer"]]
            return {client.pk: peer for client in self.carried}
        if mode == self.Mode.EACH:
            return {client.pk: self.candidates.get(self.cleaned_data.get(self.field_name(client)) or "")
                    for client in self.carried}
        return {client.pk: None for client in self.carried}
