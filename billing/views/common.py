"""What the billing views share: the role check and the scoped fetches."""

from __future__ import annotations

import uuid

from django.shortcuts import get_object_or_404

from clients.models import Client
from recovery.middleware import membership_for
from recovery.models import Membership
from recovery.scoping import billing_q

BILLING_ROLES = (Membership.Role.BILLING, Membership.Role.ADMIN)


def billing_membership(request) -> Membership:
    """The billing clerk's or admin's membership in the program they work in now (else 403)."""
    return membership_for(request, *BILLING_ROLES)


def billing_clients(request, program):
    """The participants of the program whose billing the user handles (``recovery.scoping.billing_q``), in
    use (a record entered in error is in no list: ``recovery.scoping.in_use_q``)."""
    return Client.objects.filter(billing_q(request.user), program=program).in_use()


def billing_client(request, program, client_uuid: uuid.UUID) -> Client:
    return get_object_or_404(billing_clients(request, program), uuid=client_uuid)
