"""The 42 CFR Part 2 check of a referral that shares the participant's information outside the program.

A consent covers a recipient when it is in force on the day (not revoked, not expired) and its
"recipients" names the organisation, or a class of recipients that includes it: the name of one of the
resource's categories ("any recovery housing provider" covers a recovery residence). Names and classes
are compared as words, with case and accents ignored (clients.names). The check never allows silently: it
says which consent covers the referral, or that none does, why (revoked, expired, not named) and how to
record one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.models import Client, Consent
from clients.names import name_key

NAMED = "named"
CLASS = "class"


@dataclass
class ConsentCheck:
    covered: bool
    consent: Consent | None = None
    how: str = ""  # NAMED or CLASS
    covering_class: str = ""
    lapsed: list[tuple[Consent, str]] = field(default_factory=list)  # (consent, "revoked on …"/"expired on …")
    organisation: str = ""
    record_url: str = ""

    @property
    def message(self) -> str:
        if self.covered:
            values = {"signed": _day(self.consent.signed_on), "organisation": self.organisation,
                      "category": self.covering_class}
            if self.how == NAMED:
                return _("Covered: the consent signed %(signed)s names %(organisation)s and is in force.") % values
            return _("Covered: the consent signed %(signed)s names a class of recipients that covers it "
                     "(%(category)s) and is in force.") % values
        parts = [_("No consent in force names %(organisation)s or a class of recipients that covers it.")
                 % {"organisation": self.organisation}]
        parts += [_("The consent signed %(signed)s would have covered it but was %(why)s.")
                  % {"signed": _day(consent.signed_on), "why": why} for consent, why in self.lapsed]
        parts.append(_("Record a new 42 CFR Part 2 consent naming them first (Consents, on the participant's "
                       "page), or make the referral without sharing information (give them the details)."))
        return " ".join(parts)


def _contains(haystack: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {haystack} "


def _day(value: datetime.date) -> str:
    return date_format(value, "M j, Y")


def covers(consent: Consent, organisation: str, class_names: list[str]) -> tuple[str, str] | None:
    """(NAMED, "") or (CLASS, class name) when the consent's recipients name the organisation or a class."""
    recipients = name_key(consent.recipients)
    if _contains(recipients, name_key(organisation)):
        return NAMED, ""
    for name in class_names:
        if _contains(recipients, name_key(name)):
            return CLASS, name
    return None


def consent_check(*, client: Client, organisation: str, class_names: list[str],
                  today: datetime.date) -> ConsentCheck:
    """Which of the participant's consents covers sharing with ``organisation`` (one query)."""
    result = ConsentCheck(covered=False, organisation=organisation,
                          record_url=reverse("clients:consent_new", args=[client.uuid]))
    best = None
    for consent in Consent.objects.filter(client=client).order_by("-signed_on", "-pk"):
        match = covers(consent, organisation, class_names)
        if match is None:
            continue
        status = consent.status_on(today)
        if status == Consent.Status.ACTIVE:
            if best is None or (match[0] == NAMED and best[1][0] == CLASS):
                best = (consent, match)
        elif status == Consent.Status.REVOKED:
            result.lapsed.append((consent, _("revoked on %(day)s") % {"day": _day(consent.revoked_on)}))
        else:
            result.lapsed.append((consent, _("expired on %(day)s") % {"day": _day(consent.expires_on)}))
    if best is not None:
        result.covered, result.consent = True, best[0]
        result.how, result.covering_class = best[1]
    return result
