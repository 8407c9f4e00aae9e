"""Which of a participant's consents covers a disclosure, and why each other one does not (42 CFR §2.31).

A consent covers a disclosure made on a day when it is in force that day (signed by then, not revoked, not
expired), its recipients name the recipient (the referrals check: words compared with case and accents
ignored, referrals.consent.covers), and its "what information" names every item the disclosure lists
(items separated by commas, semicolons or lines: "attendance, recovery plan"). Each refusal has its own
reason, in the order a person would check them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.models import Consent
from clients.names import name_key
from referrals.consent import covers

# Reasons with str.format placeholders ({day}): tests/records read the text before them.
NOT_YET_SIGNED = _("not signed until {day}")
REVOKED = _("revoked on {day}")
EXPIRED = _("expired on {day}")
OTHER_RECIPIENT = _("other recipient: it names {recipients}")
OTHER_INFORMATION = _("other information: it covers {information}")

_ITEM_SEPARATORS = re.compile(r"[,;\n]+")


def _day(value: datetime.date) -> str:
    return date_format(value, "M j, Y")


def information_items(text: str) -> list[str]:
    """The items a disclosure lists, as compared words ("Recovery plan; attendance" -> two items)."""
    return [key for item in _ITEM_SEPARATORS.split(text) if (key := name_key(item))]


def covers_information(consent: Consent, information: str) -> bool:
    consented = f" {name_key(consent.information)} "
    items = information_items(information)
    return bool(items) and all(f" {item} " in consented for item in items)


def refusal(consent: Consent, *, recipient: str, information: str, day: datetime.date) -> str | None:
    """Why ``consent`` does not cover this disclosure, or None when it does."""
    if consent.signed_on > day:
        return NOT_YET_SIGNED.format(day=_day(consent.signed_on))
    status = consent.status_on(day)
    if status == Consent.Status.REVOKED:
        return REVOKED.format(day=_day(consent.revoked_on))
    if status == Consent.Status.EXPIRED:
        return EXPIRED.format(day=_day(consent.expires_on))
    if covers(consent, recipient, []) is None:
        return OTHER_RECIPIENT.format(recipients=consent.recipients)
    if not covers_information(consent, information):
        return OTHER_INFORMATION.format(information=consent.information)
    return None


@dataclass
class Coverage:
    covering: list[Consent]
    refused: list[tuple[Consent, str]]  # (consent, why it does not cover)

    def reason_for(self, consent: Consent) -> str | None:
        return next((why for c, why in self.refused if c.pk == consent.pk), None)


def coverage(consents: list[Consent], *, recipient: str, information: str, day: datetime.date) -> Coverage:
    result = Coverage([], [])
    for consent in consents:
        why = refusal(consent, recipient=recipient, information=information, day=day)
        if why is None:
            result.covering.append(consent)
        else:
            result.refused.append((consent, why))
    return result
