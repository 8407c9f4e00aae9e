"""Signing a plan version or a consent on the screen (a finger on a phone or tablet), or recording that it
was signed on paper. The page shows the document being signed; the signature keeps the hash of that text."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext

from clients.forms.signatures import SignatureForm
from clients.models import Signature
from clients.models.plans import PLAN_READ_ONLY
from clients.services.consents import ALREADY_REVOKED
from clients.services.signatures import signature_record
from clients.views.common import download_scan, scoped_consent, scoped_plan, scoped_record
from clients.views.documents import consent_document, plan_document
from recovery.audit import serves
from recovery.http import create_page
from recovery.scoping import ensure_can_edit_participant

METHODS = (Signature.Method.SCREEN, Signature.Method.PAPER)


def _sign_page(request, document, record, *, done_url: str):
    """The page with the document, a form to sign on the screen and one to record a paper signature (the one
    posted is bound; a POST naming neither binds none)."""
    posted = request.POST.get("method") if request.method == "POST" else None
    initial = {"signer_name": record.client.full_name, "role": Signature.Role.PARTICIPANT}
    forms = {method: SignatureForm(request.POST if posted == method else None,
                                   request.FILES if posted == method else None,
                                   method=method, shown_sha256=document["content_sha256"], initial=initial)
             for method in METHODS}
    return create_page(
        request, lambda: forms.get(posted, forms[Signature.Method.SCREEN]), "clients/signatures/sign.html", {
            "document": document, "record": record, "client": record.client, "program": record.client.program,
            "screen_form": forms[Signature.Method.SCREEN], "paper_form": forms[Signature.Method.PAPER],
            "open_form": posted, "done_url": done_url,
        }, create=lambda form: _record(request, record, form, done_url))


def _record(request, record, form, done_url: str) -> str:
    data = form.cleaned_data
    signature = signature_record(
        document=record, role=data["role"], signer_name=data["signer_name"], method=form.method,
        shown_sha256=data["shown_sha256"], by=request.user, image=data.get("drawn"), scan=data.get("scan"))
    messages.success(request, gettext("Signature of %(name)s (%(role)s) recorded. It cannot be changed.")
                     % {"name": signature.signer_name, "role": signature.get_role_display().lower()})
    return done_url


@login_required
@serves("GET")
def signature_scan(request, signature_uuid: uuid.UUID):
    """Download the scanned page of a signature made on paper (scoped, logged, never by a public URL)."""
    signature = scoped_record(request, Signature.objects.select_related("client__program"), signature_uuid)
    return download_scan(request, signature, signature.scan, f"signature-{signature.signed_at:%Y-%m-%d}")


@login_required
@serves("GET", "POST")
def plan_sign(request, plan_uuid: uuid.UUID):
    """Sign the current version of a plan (its participant, their peer, a guardian)."""
    plan = scoped_plan(request, plan_uuid)
    ensure_can_edit_participant(request.user, plan.client)
    if not plan.is_current:
        raise PermissionDenied(PLAN_READ_ONLY)
    return _sign_page(request, plan_document(plan), plan, done_url=reverse("clients:plan_print", args=[plan.uuid]))


@login_required
@serves("GET", "POST")
def consent_sign(request, consent_uuid: uuid.UUID):
    """Sign a consent that is not revoked."""
    consent = scoped_consent(request, consent_uuid)
    ensure_can_edit_participant(request.user, consent.client)
    if consent.revoked_on is not None:
        raise PermissionDenied(ALREADY_REVOKED)
    return _sign_page(request, consent_document(consent), consent,
                      done_url=reverse("clients:consent_print", args=[consent.uuid]))
