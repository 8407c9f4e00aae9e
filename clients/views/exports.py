"""Lists taken out as CSV or XLSX: the caseload, a participant's notes, the follow-ups. Each export holds
exactly the rows its page shows for the same filters (all pages), and writes one access-log row
("Exported"). A participant's notes: metadata for peers and supervisors, the full text for program admins.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy as _

from clients.forms.caseload import CaseloadFilterForm
from clients.models import Client, FollowUp, SessionNote
from clients.services import assignable_staff
from clients.views.caseload import _filter_data, _filtered
from clients.views.common import scoped_client
from recovery.audit import log_access, serves
from recovery.exports import export_format, export_response
from recovery.middleware import membership_for
from recovery.models import AccessLog

# Column headings in the reader's language (lazy: each export writes them as text, see _texts).
CASELOAD_HEADERS = [_("Name"), _("Preferred name"), _("Status"), _("Peer specialist"), _("Last contact"),
                    _("Next follow-up"), _("Plan review"), _("Consent"), _("Flags")]
NOTE_METADATA_HEADERS = [_("Date"), _("Start"), _("End"), _("Minutes"), _("Type of contact"), _("Setting"),
                         _("Service code"), _("Units billable"), _("Author"), _("Status"), _("Signed at"),
                         _("Late entry"), _("Crisis")]
NOTE_TEXT_HEADERS = [_("What happened"), _("Response"), _("Next steps"), _("What the crisis is")]
FOLLOWUP_HEADERS = [_("Due"), _("Participant"), _("What for"), _("Assigned to"), _("Status")]


def _texts(headers) -> list[str]:
    """Lazy headings as text in the current language (a spreadsheet cell takes only a real str)."""
    return [str(header) for header in headers]


@login_required
@serves("GET")
def caseload_export(request, fmt: str):
    """The caseload list with the page's filters (its search token included), every page."""
    export_format(fmt)
    membership = membership_for(request)
    program = membership.program
    today = program.today()
    peers = None if membership.is_peer else list(assignable_staff(request.user, program.pk))
    filters = CaseloadFilterForm(_filter_data(request), peers=peers).filters()
    visible = Client.objects.visible_to(request.user).filter(program=program)
    rows = _filtered(visible.caseload(today), filters, today).order_by("name_key", "pk")
    log_access(request, "clients.caseload", action=AccessLog.Action.EXPORT, program_id=program.pk,
               reason=f"Caseload export ({fmt})")
    consent = dict(Client.ConsentStatus.choices)
    return export_response(fmt=fmt, filename=f"caseload-{today:%Y-%m-%d}", headers=_texts(CASELOAD_HEADERS), rows=(
        [c.full_name, c.preferred_name, c.get_status_display(),
         c.primary_peer.full_name if c.primary_peer_id else "", c.last_contact_on, c.next_follow_up_on,
         c.plan_review_on, consent[c.consent_status()], "; ".join(c.flags(today))]
        for c in rows.iterator(chunk_size=500)))


@login_required
@serves("GET")
def notes_export(request, client_uuid: uuid.UUID, fmt: str):
    """A participant's notes, as their notes page lists them: what, when, who for everyone who may see
    them; the written text only for program admins."""
    export_format(fmt)
    client = scoped_client(request, client_uuid)
    full = membership_for(request).is_admin
    notes = (SessionNote.objects.filter(client=client).select_related("author", "service_code")
             .order_by("-session_date", "-ended_at", "-pk"))
    log_access(request, client, action=AccessLog.Action.EXPORT, client_uuid=client.uuid,
               reason=f"Notes export ({'full' if full else 'metadata'}, {fmt})")
    zone = client.program.zone

    def row(note: SessionNote) -> list:
        values = [note.session_date, note.start_time and note.start_time.strftime("%H:%M"),
                  note.end_time and note.end_time.strftime("%H:%M"), note.duration_minutes,
                  note.get_contact_type_display(), note.get_setting_display(),
                  note.service_code.code if note.service_code_id else "", note.units_billable,
                  note.author.full_name, note.get_status_display(),
                  note.signed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if note.signed_at else "",
                  note.late_entry, note.crisis_flag]
        if full:
            values += [note.summary, note.response, note.next_steps, note.crisis_description]
        return values

    headers = NOTE_METADATA_HEADERS + (NOTE_TEXT_HEADERS if full else [])
    return export_response(fmt=fmt, filename=f"notes-{client.program.today():%Y-%m-%d}", headers=_texts(headers),
                           rows=(row(note) for note in notes.iterator(chunk_size=500)))


@login_required
@serves("GET")
def followups_export(request, fmt: str):
    """The open follow-ups the list page shows: a peer's own desk, a supervisor's team, an admin's program."""
    export_format(fmt)
    membership = membership_for(request)
    program = membership.program
    rows = FollowUp.objects.visible_to(request.user).listed_for(membership, request.user)
    log_access(request, "clients.followups", action=AccessLog.Action.EXPORT, program_id=program.pk,
               reason=f"Follow-ups export ({fmt})")
    return export_response(fmt=fmt, filename=f"follow-ups-{program.today():%Y-%m-%d}", headers=_texts(FOLLOWUP_HEADERS),
                           rows=([f.due_on, f.client.display_name, f.purpose, f.assignee.full_name,
                                  f.get_status_display()] for f in rows.iterator(chunk_size=500)))
