"""42 CFR Part 2 consents: record, read, revoke, and the scanned signed copy."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from clients import services
from clients.forms.consents import ConsentForm, ConsentRevokeForm, ConsentScanForm
from clients.models import Consent
from clients.views.common import download_scan, editable_client, scoped_consent
from recovery.audit import log_access, serves
from recovery.http import create_page
from recovery.scoping import can_edit_participant, ensure_can_edit_participant


def _log(request, consent: Consent, **kwargs) -> None:
    log_access(request, consent, client_uuid=consent.client.uuid, program_id=consent.client.program_id, **kwargs)


@login_required
@serves("GET", "POST")
def consent_new(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    today = client.program.today()
    initial = {"signed_on": today, "discloser": client.program.organization or client.program.name}
    return create_page(
        request, lambda: ConsentForm(request.POST or None, request.FILES or None, today=today, initial=initial),
        "clients/consent_form.html", {"client": client}, success=gettext("Consent recorded."),
        create=lambda form: _consent_record(request, client, form))


def _consent_record(request, client, form) -> str:
    consent = form.save(commit=False)
    consent.client, consent.created_by = client, request.user
    consent.save()
    return consent.get_absolute_url()


@login_required
@serves("GET")
def consent_detail(request, consent_uuid: uuid.UUID):
    consent = scoped_consent(request, consent_uuid)
    client = consent.client
    today = client.program.today()
    _log(request, consent)
    return render(request, "clients/consent_detail.html", {
        "consent": consent, "client": client, "status": consent.status_on(today),
        "expiring": consent.expires_within(today, client.program.consent_expiring_days),
        "can_edit": can_edit_participant(request.user, client),
    })


@login_required
@serves("GET", "POST")
def consent_revoke(request, consent_uuid: uuid.UUID):
    consent = scoped_consent(request, consent_uuid)
    ensure_can_edit_participant(request.user, consent.client)
    if consent.revoked_on is not None:
        messages.info(request, gettext("This consent was already revoked."))
        return redirect(consent)
    today = consent.client.program.today()
    form = ConsentRevokeForm(request.POST or None, instance=consent, today=today, initial={"revoked_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_revoke(consent=consent, by=request.user, revoked_on=data["revoked_on"],
                                    method=data["revocation_method"], note=data["revocation_note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Revocation recorded. The consent is kept, marked revoked."))
            return redirect(consent)
    if request.method == "GET":
        _log(request, consent)
    return render(request, "clients/consent_revoke.html", {"consent": consent, "client": consent.client,
                                                            "form": form})


@login_required
@serves("GET")
def consent_scan(request, consent_uuid: uuid.UUID):
    """Download the scanned signed copy (scoped, logged, never by a public URL)."""
    consent = scoped_consent(request, consent_uuid)
    return download_scan(request, consent, consent.scan, f"consent-{consent.signed_on:%Y-%m-%d}")


@login_required
@serves("GET", "POST")
def consent_scan_upload(request, consent_uuid: uuid.UUID):
    """Attach the scanned signed copy to a consent recorded without one (a scan, once added, stays)."""
    consent = scoped_consent(request, consent_uuid)
    ensure_can_edit_participant(request.user, consent.client)
    if consent.scan:
        messages.info(request, gettext("This consent already has its scanned copy."))
        return redirect(consent)
    form = ConsentScanForm(request.POST or None, request.FILES or None, instance=consent)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Scanned copy added."))
        return redirect(consent)
    return render(request, "clients/consent_scan.html", {"consent": consent, "client": consent.client, "form": form})
