"""The participant's whole record as data: the JSON file for systems (records/schema/record-export.schema.json
documents every field; names are stable, a change is a new ``schema_version``) and the PDF for people, both
built from ``record_data``. A fixed number of queries whatever the record's size.

Signed session notes only: a draft is not yet part of the record. Documents are listed (what, when), their
files are not embedded: they are sent alongside when the recipient needs them.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from clients.models import ActionStep, Client, Goal, NoteAddendum, RecoveryPlan, SessionNote
from outcomes.models import CheckIn, Observation
from records.models import Disclosure, Document
from referrals.models import Referral, ReferralEvent

SCHEMA_VERSION = "1.0"
SECTIONS = ["demographics", "episodes", "plans", "notes", "consents", "checkins", "referrals", "disclosures",
            "documents"]


def _name(user) -> str:
    return user.full_name if user is not None else ""


def _participant(client: Client) -> dict:
    return {
        "id": str(client.uuid), "full_name": client.full_name, "preferred_name": client.preferred_name,
        "pronouns": client.pronouns, "birth_date": client.birth_date, "status": client.status,
        "phone": client.phone, "email": client.email, "address": client.address,
        "preferred_contact_method": client.preferred_contact_method,
        "emergency_contact": {"name": client.emergency_contact_name,
                              "relationship": client.emergency_contact_relationship,
                              "phone": client.emergency_contact_phone},
    }


def _demographics(client: Client) -> list[dict]:
    return [{"question": o.question, "question_label": o.get_question_display(), "as_of": o.observed_on,
             "declined": o.declined, "codes": list(o.codes), "text": o.text}
            for o in Observation.objects.filter(client=client).order_by("observed_on", "question", "pk")]


def _episodes(client: Client) -> list[dict]:
    return [{"id": str(e.uuid), "started_on": e.started_on, "referral_source": e.referral_source,
             "referral_detail": e.referral_detail, "discharged_on": e.discharged_on,
             "discharge_reason": e.discharge_reason, "discharge_note": e.discharge_note}
            for e in client.episodes.order_by("started_on", "pk")]


def _plans(client: Client) -> list[dict]:
    goals = Goal.objects.prefetch_related(Prefetch("steps", ActionStep.objects.order_by("position", "pk")),
                                          "progress", "goal_dimensions__dimension").order_by("position", "pk")
    plans = RecoveryPlan.objects.filter(client=client).prefetch_related(Prefetch("goals", goals)).order_by("version")
    return [{
        "id": str(p.uuid), "version": p.version, "status": p.status, "started_on": p.started_on,
        "review_on": p.review_on, "agreed_on": p.agreed_on, "closed_on": p.closed_on, "strengths": p.strengths,
        "backup_plan": p.backup_plan,
        "goals": [{
            "id": str(g.uuid), "text": g.text, "status": g.status,
            "dimensions": [gd.dimension.name for gd in g.goal_dimensions.all()],
            "steps": [{"description": s.description, "who": s.who, "who_detail": s.who_detail, "due_on": s.due_on,
                       "done_on": s.done_on} for s in g.steps.all()],
            "progress": [{"noted_on": n.noted_on, "text": n.text}
                         for n in sorted(g.progress.all(), key=lambda n: (n.noted_on, n.pk))],
        } for g in p.goals.all()],
    } for p in plans]


def _notes(client: Client) -> list[dict]:
    addenda = NoteAddendum.objects.select_related("author").order_by("created_at")
    notes = (SessionNote.objects.filter(client=client, status=SessionNote.Status.SIGNED)
             .select_related("author", "service_code").prefetch_related(Prefetch("addenda", addenda))
             .order_by("session_date", "ended_at", "pk"))
    return [{
        "id": str(n.uuid), "session_date": n.session_date, "duration_minutes": n.duration_minutes,
        "contact_type": n.contact_type, "setting": n.setting,
        "service_code": n.service_code.code if n.service_code else "", "summary": n.summary,
        "response": n.response, "next_steps": n.next_steps, "crisis": n.crisis_flag, "author": _name(n.author),
        "signed_at": n.signed_at,
        "addenda": [{"text": a.text, "author": _name(a.author), "written_at": a.created_at} for a in n.addenda.all()],
    } for n in notes]


def _consents(client: Client) -> list[dict]:
    return [{
        "id": str(c.uuid), "discloser": c.discloser, "information": c.information, "recipients": c.recipients,
        "purpose": c.purpose, "is_tpo": c.is_tpo, "expires": c.expiry_text, "expires_on": c.expires_on,
        "signed_on": c.signed_on, "signature_method": c.signature_method, "revoked_on": c.revoked_on,
    } for c in client.consents.order_by("signed_on", "pk")]


def _checkins(client: Client) -> list[dict]:
    rows = CheckIn.objects.filter(client=client).select_related("instrument").order_by("taken_on", "pk")
    return [{"id": str(c.uuid), "instrument": c.instrument.name, "taken_on": c.taken_on, "occasion": c.occasion,
             "score": float(c.score) if c.score is not None else None, "answered": c.answered,
             "skipped": c.skipped} for c in rows]


def _referrals(client: Client) -> list[dict]:
    rows = (Referral.objects.filter(client=client).select_related("category")
            .prefetch_related(Prefetch("status_events", ReferralEvent.objects.order_by("on", "pk")))
            .order_by("made_on", "pk"))
    return [{
        "id": str(r.uuid), "organisation": r.organisation, "category": r.category.name if r.category else "",
        "reason": r.reason, "method": r.method, "shares_information": r.shares_information, "made_on": r.made_on,
        "status": r.status, "status_on": r.status_on,
        "events": [{"status": e.status, "on": e.on, "note": e.note} for e in r.status_events.all()],
    } for r in rows]


def _disclosures(client: Client) -> list[dict]:
    rows = (Disclosure.objects.filter(client=client).select_related("consent", "disclosed_by")
            .order_by("disclosed_on", "pk"))
    return [disclosure_row(d) for d in rows]


def disclosure_row(d: Disclosure) -> dict:
    """One disclosure in the export (the accounting of disclosures, with codes rather than labels)."""
    return {
        "id": str(d.uuid), "kind": d.kind, "recipient": d.recipient, "information": d.information,
        "purpose": d.purpose, "disclosed_on": d.disclosed_on, "method": d.method, "basis": d.basis,
        "consent_id": str(d.consent.uuid) if d.consent else None, "reason": d.reason,
        "disclosed_by": _name(d.disclosed_by),
    }


def _documents(client: Client) -> list[dict]:
    return [{"id": str(d.uuid), "kind": d.kind, "title": d.title, "received_on": d.received_on,
             "file_type": d.suffix} for d in Document.objects.filter(client=client).order_by("received_on", "pk")]


def record_data(client: Client, disclosure: Disclosure) -> dict:
    """The whole record of ``client`` as sent under ``disclosure`` (a copy of the record)."""
    program = client.program
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now(),
        "program": {"name": program.name, "organization": program.organization},
        "disclosure": {"id": str(disclosure.uuid), "recipient": disclosure.recipient,
                       "disclosed_on": disclosure.disclosed_on, "basis": disclosure.basis,
                       "consent_id": str(disclosure.consent.uuid) if disclosure.consent else None,
                       "notice": disclosure.notice},
        "participant": _participant(client),
        "demographics": _demographics(client),
        "episodes": _episodes(client),
        "plans": _plans(client),
        "notes": _notes(client),
        "consents": _consents(client),
        "checkins": _checkins(client),
        "referrals": _referrals(client),
        "disclosures": _disclosures(client),
        "documents": _documents(client),
    }


def record_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
