"""Printable documents and their PDFs: a recovery plan version, a consent, a session note with its addenda,
and a participant's record summary.

Each document is one template under ``templates/clients/print/`` and one view, routed twice (clients/urls.py:
``as_pdf`` False for the print page, True for the PDF): the print page shows the document inside the site
(the print stylesheet leaves only the document on paper) and the PDF renders the same template through
``recovery.pdf``. Every answer writes one access-log row: VIEW for the page, EXPORT for the PDF.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clients import sections
from clients.models import Signature
from clients.signing import content_hash, content_hashes
from clients.views.common import scoped_client, scoped_consent, scoped_plan
from clients.views.notes import scoped_note
from recovery.audit import log_access, serves
from recovery.models import AccessLog
from recovery.pdf import pdf_response
from recovery.scoping import can_edit_participant

PRINT_PAGE = "clients/print/page.html"
PDF_SHELL = "clients/print/pdf.html"


def _answer(request, record, client, context: dict, *, as_pdf: bool, filename: str):
    """The print page or the PDF of ``context["document"]``'s template, with its one access-log row.

    A document with a ``language`` (the participant's: a plan or a consent) is written in it, whatever the
    staff member's own language: the PDF renders inside ``translation.override``, the print page switches
    to it around the document only (``{% language %}`` in clients/print/page.html).
    """
    context = {**context, "client": client, "program": client.program, "printed_on": client.program.today()}
    if as_pdf:
        with translation.override(context["document"].get("language") or translation.get_language()):
            response = pdf_response(PDF_SHELL, context, filename=filename, request=request)
    else:
        response = render(request, PRINT_PAGE, context)
    log_access(request, record, client_uuid=client.uuid, program_id=client.program_id,
               action=AccessLog.Action.EXPORT if as_pdf else AccessLog.Action.VIEW)
    return response


def _signature_rows(document, signatures: list[Signature]) -> dict:
    """The signatures of a document, each marked whether it signed the text printed now."""
    sha256 = content_hash(document)
    signed_texts = content_hashes(document) if signatures else {sha256}
    for signature in signatures:
        signature.matches = signature.content_sha256 in signed_texts
    roles = {s.role for s in signatures if s.matches}
    missing = [label for value, label in Signature.Role.choices
               if value != Signature.Role.GUARDIAN and value not in roles]
    return {"signatures": signatures, "content_sha256": sha256, "unsigned_roles": missing}


def _titles(language: str, title) -> dict:
    """A document in ``language``: its title in that language, and the page's (``title()`` called in the
    reader's own language) for the page around it."""
    with translation.override(language):
        document_title = title()
    return {"title": document_title, "page_title": title(), "language": language}


def plan_document(plan) -> dict:
    """A plan version's document: goals, dimensions, objectives and steps (three prefetches) and its signatures,
    in the participant's preferred language."""
    prefetch_related_objects([plan], Prefetch("goals", sections.goals_with_parts(objectives=True)))
    signatures = list(plan.signatures.order_by("signed_at", "pk"))
    return {"template": "clients/print/plan.html", "plan": plan, **_signature_rows(plan, signatures),
            **_titles(plan.client.preferred_language,
                      lambda: _("Recovery plan, version %(version)s") % {"version": plan.version})}


def consent_document(consent) -> dict:
    """A consent's document and its signatures, in the participant's preferred language."""
    signatures = list(consent.signatures.order_by("signed_at", "pk"))
    return {"template": "clients/print/consent.html", "consent": consent, **_signature_rows(consent, signatures),
            **_titles(consent.client.preferred_language, lambda: _("Consent to disclose information"))}


@login_required
@serves("GET")
def plan_printed(request, plan_uuid: uuid.UUID, *, as_pdf: bool = False):
    plan = scoped_plan(request, plan_uuid)
    urls = {"back": plan.get_absolute_url(), "pdf": reverse("clients:plan_pdf", args=[plan.uuid])}
    if plan.is_current and can_edit_participant(request.user, plan.client):
        urls["sign"] = reverse("clients:plan_sign", args=[plan.uuid])
    return _answer(request, plan, plan.client, {"document": plan_document(plan), "urls": urls}, as_pdf=as_pdf,
                   filename=f"recovery-plan-v{plan.version}-{plan.started_on:%Y-%m-%d}.pdf")


@login_required
@serves("GET")
def consent_printed(request, consent_uuid: uuid.UUID, *, as_pdf: bool = False):
    consent = scoped_consent(request, consent_uuid)
    urls = {"back": consent.get_absolute_url(), "pdf": reverse("clients:consent_pdf", args=[consent.uuid])}
    if consent.revoked_on is None and can_edit_participant(request.user, consent.client):
        urls["sign"] = reverse("clients:consent_sign", args=[consent.uuid])
    return _answer(request, consent, consent.client, {"document": consent_document(consent), "urls": urls},
                   as_pdf=as_pdf,
                   filename=f"consent-{consent.signed_on:%Y-%m-%d}.pdf")


@login_required
@serves("GET")
def note_printed(request, note_uuid: uuid.UUID, *, as_pdf: bool = False):
    note = scoped_note(request, note_uuid)
    document = {
        "template": "clients/print/note.html", "title": _("Session note, %(date)s") % {
            "date": date_format(note.session_date, pgettext("month and day (Django date format)", "M j"))},
        "note": note, "goals": [ng.goal for ng in note.note_goals.select_related("goal")],
        "services": [ns.service for ns in note.note_services.select_related("service")],
        "addenda": list(note.addenda.select_related("author").order_by("created_at", "pk")),
    }
    urls = {"back": note.get_absolute_url(), "pdf": reverse("clients:note_pdf", args=[note.uuid])}
    return _answer(request, note, note.client, {"document": document, "urls": urls}, as_pdf=as_pdf,
                   filename=f"session-note-{note.session_date:%Y-%m-%d}.pdf")


@login_required
@serves("GET")
def record_printed(request, client_uuid: uuid.UUID, *, as_pdf: bool = False):
    """The record summary: details, episodes, the current plan, consents, open follow-ups, latest notes."""
    client = scoped_client(request, client_uuid)
    page = {"today": client.program.today()}
    document = {"template": "clients/print/record.html", "title": _("Participant record summary"),
                **{function.__name__: function(request, client, page) for function in (
                    sections.summary, sections.episodes, sections.plan, sections.consents, sections.followups,
                    sections.notes)}}
    urls = {"back": client.get_absolute_url(), "pdf": reverse("clients:record_pdf", args=[client.uuid])}
    return _answer(request, client, client, {"document": document, "urls": urls}, as_pdf=as_pdf,
                   filename=f"record-summary-{page['today']:%Y-%m-%d}.pdf")
