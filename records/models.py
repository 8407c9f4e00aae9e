"""Disclosures of a participant's information outside the program (final once recorded), and the documents
kept with the participant's record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models.base import participant_key
from recovery.db import UuidModel, append_only, not_blank, required_unless
from recovery.scoping import ParticipantRecordQuerySet
from recovery.uploads import RandomName


class Basis(models.TextChoices):
    """Why the program could disclose: the participant's consent or own request, or an exception of Part 2."""

    CONSENT = "consent", _("The participant's written consent")
    OWN_REQUEST = "own_request", _("The participant's own request for their record")
    MEDICAL_EMERGENCY = "medical_emergency", _("Medical emergency (42 CFR §2.51)")
    AUDIT = "audit", _("Audit or evaluation (42 CFR §2.53)")
    COURT_ORDER = "court_order", _("Court order (42 CFR §2.61-2.67)")
    OTHER = "other", _("Another exception of 42 CFR Part 2")


EXCEPTIONS = [Basis.MEDICAL_EMERGENCY, Basis.AUDIT, Basis.COURT_ORDER, Basis.OTHER]


class Method(models.TextChoices):
    MAIL = "mail", _("Mail")
    FAX = "fax", _("Fax")
    SECURE_EMAIL = "secure_email", _("Secure email")
    IN_PERSON = "in_person", _("In person")
    PORTAL = "portal", _("Portal or secure file transfer")
    PHONE = "phone", _("Phone (spoken)")
    OTHER = "other", _("Other")


class Disclosure(UuidModel):
    """One disclosure: to whom, what, when, how, by whom, and under which consent or exception.

    Final once recorded (a trigger refuses UPDATE and DELETE): a mistake is explained by a new disclosure
    row, never by changing the accounting. ``notice`` keeps the §2.32 notice as it was sent.
    """

    class Kind(models.TextChoices):
        DISCLOSURE = "disclosure", _("Disclosure")
        RECORD_EXPORT = "record_export", _("Copy of the record")

    client = participant_key("disclosures")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.DISCLOSURE)
    recipient = models.CharField(_("to whom"), max_length=200)
    information = models.TextField(_("what information"))
    purpose = models.TextField(blank=True)
    disclosed_on = models.DateField(_("date disclosed"))
    method = models.CharField(_("how"), max_length=20, choices=Method)
    basis = models.CharField(_("under"), max_length=20, choices=Basis)
    consent = models.ForeignKey("clients.Consent", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="disclosures")
    reason = models.TextField(_("why the exception applies"), blank=True)
    notice = models.TextField(_("notice sent (42 CFR §2.32)"))
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-disclosed_on", "-pk"]
        indexes = [
            # The accounting of a participant's disclosures, newest first.
            models.Index(fields=["client", "-disclosed_on", "-id"], name="disclosure_accounting_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(basis="consent", consent__isnull=False)
                                   | (~Q(basis="consent") & Q(consent__isnull=True)),
                                   name="disclosure_consent_iff_consent_basis"),
            required_unless("reason", Q(basis__in=["consent", "own_request"]), name="disclosure_exception_has_reason"),
            models.CheckConstraint(condition=~Q(basis="own_request") | Q(kind="record_export"),
                                   name="disclosure_own_request_is_record_copy"),
            not_blank("recipient", name="disclosure_recipient_named"),
            not_blank("information", name="disclosure_information_named"),
            not_blank("notice", name="disclosure_carries_notice"),
        ]
        triggers = [append_only("disclosure_is_final", merge_movable=True)]

    def __str__(self) -> str:
        return gettext("Disclosure on %(day)s") % {"day": f"{self.disclosed_on:%Y-%m-%d}"}

    def get_absolute_url(self) -> str:
        return reverse("records:disclosure_detail", args=[self.uuid])

    @property
    def is_exception(self) -> bool:
        return self.basis in EXCEPTIONS


class Document(UuidModel):
    """A document kept with the record (an ID, a release, a letter from another provider): checked by content,
    stored under a random name, downloaded only through a scoped, logged view. Kept once added."""

    class Kind(models.TextChoices):
        IDENTIFICATION = "identification", _("Identification")
        RELEASE = "release", _("Release or authorization")
        PROVIDER_LETTER = "provider_letter", _("Letter from another provider")
        BENEFITS = "benefits", _("Benefits or insurance paper")
        OTHER = "other", _("Other")

    client = participant_key("documents")
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    title = models.CharField(_("description"), max_length=200)
    received_on = models.DateField(_("date received"))
    file = models.FileField(upload_to=RandomName("documents"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["client", "-received_on", "-id"], name="document_by_participant_idx")]
        constraints = [not_blank("title", name="document_described")]
        triggers = [append_only("document_is_final", merge_movable=True)]

    def __str__(self) -> str:
        return gettext("%(kind)s received %(day)s") % {"kind": self.get_kind_display(),
                                                        "day": f"{self.received_on:%Y-%m-%d}"}

    @property
    def suffix(self) -> str:
        return self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else "bin"

    @property
    def download_name(self) -> str:
        """No part of the title (it may hold a name): the kind and the date."""
        return f"{self.kind}-{self.received_on:%Y-%m-%d}.{self.suffix}"
