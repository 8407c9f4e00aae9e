"""Workflows of the records app: recording a disclosure (with the program's §2.32 notice as sent)."""

from __future__ import annotations

import datetime

from django.db import transaction

from clients.models import Client, Consent
from records.models import Disclosure


@transaction.atomic
def disclosure_record(*, client: Client, by, recipient: str, information: str, disclosed_on: datetime.date,
                      method: str, basis: str, consent: Consent | None = None, reason: str = "", purpose: str = "",
                      kind: str = Disclosure.Kind.DISCLOSURE) -> Disclosure:
    """Record one disclosure of ``client``'s information; the program's notice goes with it, as it reads today."""
    return Disclosure.objects.create(
        client=client, kind=kind, recipient=recipient.strip(), information=information.strip(),
        purpose=purpose.strip(), disclosed_on=disclosed_on, method=method, basis=basis, consent=consent,
        reason=reason.strip(), notice=client.program.disclosure_notice, disclosed_by=by)
