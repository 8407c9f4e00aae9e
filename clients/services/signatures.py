"""Recording a signature on a plan version or a consent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from clients.models import Consent, RecoveryPlan
from clients.models.plans import PLAN_READ_ONLY
from clients.models.signatures import Signature
from clients.signing import content_hash
from recovery.models import User

CHANGED_WHILE_SIGNING = (gettext_noop("The document changed while it was open for signing: read it again, then sign. "
                         "Nothing was signed."))
CONSENT_REVOKED = gettext_noop("This consent was revoked: it can no longer be signed.")
ALREADY_SIGNED = gettext_noop("Someone already signed this text in that role.")


@transaction.atomic
def signature_record(*, document: RecoveryPlan | Consent, role: str, signer_name: str, method: str,
                     shown_sha256: str, by: User, image: bytes | None = None,
                     scan: UploadedFile | None = None) -> Signature:
    """Record ``signer_name``'s signature, in ``role``, on the text they were shown (``shown_sha256``).

    The document is locked while its hash is recomputed: a plan changed since the page was opened is
    not signed (the signer never saw the new text).
    """
    document = type(document).objects.select_for_update().select_related("client").get(pk=document.pk)
    if isinstance(document, RecoveryPlan) and not document.is_current:
        raise ValidationError(gettext(PLAN_READ_ONLY))
    if isinstance(document, Consent) and document.revoked_on is not None:
        raise ValidationError(gettext(CONSENT_REVOKED))
    sha256 = content_hash(document)
    if sha256 != shown_sha256:
        raise ValidationError(gettext(CHANGED_WHILE_SIGNING))
    target = {"plan": document} if isinstance(document, RecoveryPlan) else {"consent": document}
    signature = Signature(client=document.client, role=role, signer_name=signer_name.strip(), method=method,
                          image=image, content_sha256=sha256, recorded_by=by, **target)
    if scan is not None:
        signature.scan = scan
    try:
        with transaction.atomic():
            signature.save(force_insert=True)
    except IntegrityError as error:
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
        if constraint not in ("signature_once_per_plan_text", "signature_once_per_consent"):
            raise
        raise ValidationError(gettext(ALREADY_SIGNED)) from None
    return signature
