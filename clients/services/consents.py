"""Workflows on consents to disclose."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from clients.models import (
    Consent,
)
from recovery.models import User

ALREADY_REVOKED = gettext_noop("This consent was already revoked.")


@transaction.atomic
def consent_revoke(*, consent: Consent, by: User, revoked_on: datetime.date, method: str,
                   note: str = "") -> Consent:
    """Record a revocation: the consent stays, in the revoked state (42 CFR §2.31(a)(6))."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_on is not None:
        raise ValidationError(gettext(ALREADY_REVOKED))
    consent.revoked_on, consent.revocation_method, consent.revocation_note = revoked_on, method, note
    consent.revoked_by = by
    consent.save(update_fields=["revoked_on", "revocation_method", "revocation_note", "revoked_by"])
    return consent
