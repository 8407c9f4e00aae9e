"""What a signature signs: the canonical text of a plan version or a consent, and its SHA-256 hash.

The canonical text is plain, line-based UTF-8 with ``\\n`` line ends, built from the fields the person
agreed to (not progress, statuses or who typed it in). The printed document shows the hash, so anyone
can recompute it from the record and see the signature belongs to what is printed. To sign more of a
plan, add its lines in ``plan_canonical_text``: signatures made before keep their hash, and the plan reads
as changed since they were given, so it is signed again.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import io
import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from clients.models import Client, Consent, RecoveryPlan
from clients.models.signatures import MAX_SIGNATURE_BYTES
from recovery.uploads import sniff_mime

PNG_DATA_URL = re.compile(r"^data:image/png;base64,([A-Za-z0-9+/]+={0,2})\Z")
NOT_A_SIGNATURE = gettext_noop("The signature could not be read: clear the box and sign again.")
SIGNATURE_TOO_LARGE = gettext_noop("The signature image is too large: clear the box and sign again.")
NO_SIGNATURE = gettext_noop("Sign in the box with a finger, a stylus or the mouse.")


def _lines(*pairs: tuple[str, object]) -> list[str]:
    return [f"{label}: {_flat(value)}" for label, value in pairs]


def _untranslated(build):
    """``build`` run with translation off: choice labels in the text (who does a step, how a consent ends)
    come out as written in the code, never in the reader's language, so the hash is the same for every reader."""

    @functools.wraps(build)
    def untranslated(document, *args):
        with translation.override(None):
            return build(document, *args)

    return untranslated


def _flat(value: object) -> str:
    """One value on one line: line breaks written as ``\\n``, surrounding spaces dropped."""
    if value is None or value == "":
        return "-"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip().replace("\\", "\\\\").replace("\n", "\\n")


@_untranslated
def plan_canonical_text(plan: RecoveryPlan, client: Client | None = None) -> str:
    """The text a signature on this plan version signs: the plan's dates and words, goal by goal.

    Reads the goals with their dimensions, objectives and steps (prefetched by
    ``clients.sections.goals_with_parts`` when the caller has them; else a few queries per goal).
    """
    client = client or plan.client
    lines = ["Lantern recovery plan", *_lines(
        ("Participant record", client.uuid), ("Participant", client.full_name), ("Plan", plan.uuid),
        ("Version", plan.version), ("Plan date", plan.started_on), ("Review date", plan.review_on),
        ("Strengths", plan.strengths), ("Backup and crisis plan", plan.backup_plan))]
    for number, goal in enumerate(plan.goals.all(), start=1):
        dimensions = ", ".join(gd.dimension.name for gd in goal.goal_dimensions.all())
        lines += _lines((f"Goal {number}", goal.text), (f"Goal {number} dimensions", dimensions))
        for objective_number, objective in enumerate(goal.objectives.all(), start=1):
            key = f"Goal {number} objective {objective_number}"
            lines += _lines((key, objective.text), (f"{key} by", objective.target_on))
        for step_number, step in enumerate(goal.steps.all(), start=1):
            key = f"Goal {number} step {step_number}"
            lines += _lines((key, step.description), (f"{key} who", step.who_text), (f"{key} by", step.due_on))
    return "\n".join(lines) + "\n"


@_untranslated
def consent_canonical_text(consent: Consent, client: Client | None = None) -> str:
    """The text a signature on this consent signs: every §2.31 element as recorded (never changes)."""
    client = client or consent.client
    return "\n".join(["Lantern consent to disclose (42 CFR 2.31)", *_lines(
        ("Participant record", client.uuid), ("Participant", client.full_name),
        ("Consent", consent.uuid), ("Who may disclose", consent.discloser), ("What information", consent.information),
        ("To whom", consent.recipients), ("Purpose", consent.purpose),
        ("Treatment, payment and health care operations", "yes" if consent.is_tpo else "no"),
        ("Recipients may redisclose under HIPAA", "yes" if consent.redisclosure_notice else "no"),
        ("Right to revoke explained", "yes" if consent.right_to_revoke_explained else "no"),
        ("Expires", consent.expiry_text), ("Date signed", consent.signed_on))]) + "\n"


def canonical_text(document: RecoveryPlan | Consent, client: Client | None = None) -> str:
    """The document's text as signed under ``client`` (default: its participant's record now)."""
    if isinstance(document, RecoveryPlan):
        return plan_canonical_text(document, client)
    return consent_canonical_text(document, client)


def content_hash(document: RecoveryPlan | Consent, client: Client | None = None) -> str:
    """The SHA-256 (hex) of the document's canonical text."""
    return hashlib.sha256(canonical_text(document, client).encode("utf-8")).hexdigest()


def content_hashes(document: RecoveryPlan | Consent) -> set[str]:
    """Every hash a signature of the document may hold: its text under its participant's record, and under each
    record merged into that one (clients.services.merge moves a signed document, never its stored hash, so a
    signature made under the duplicate record still verifies). One query for the merged records."""
    merged = list(Client.objects.filter(merged_into_id=document.client_id).only("uuid", "full_name"))
    return {content_hash(document), *(content_hash(document, client) for client in merged)}


def signature_png(data_url: str) -> bytes:
    """The PNG bytes of a signature pad's ``data:`` URL, checked like an upload: by size and by content."""
    match = PNG_DATA_URL.match(data_url or "")
    if not data_url:
        raise ValidationError(gettext(NO_SIGNATURE), code="required")
    if match is None:
        raise ValidationError(gettext(NOT_A_SIGNATURE), code="invalid")
    if len(match[1]) * 3 // 4 > MAX_SIGNATURE_BYTES:
        raise ValidationError(gettext(SIGNATURE_TOO_LARGE), code="too_large")
    try:
        image = base64.b64decode(match[1], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(gettext(NOT_A_SIGNATURE), code="invalid") from None
    if sniff_mime(io.BytesIO(image)) != "image/png":
        raise ValidationError(gettext(NOT_A_SIGNATURE), code="invalid")
    return image

