"""The rows of a drill-down list: what each kind of record shows, fetched with a fixed number of queries
(``select_related`` / ``prefetch_related`` on the measure's own records)."""

from __future__ import annotations

from django.db.models import QuerySet

from clients.models import Client, DischargeReason, Episode, FollowUp, Goal, SessionNote
from referrals.models import Referral
from reports.measures import MINUTES, Measure, display
from supervision.models import Attendance


def _participant(client) -> tuple[str, str]:
    return (client.display_name, client.get_absolute_url())


def _peer(client) -> tuple[str, str]:
    return (client.primary_peer.full_name if client.primary_peer_id else "Needs assignment", "")


def _num(value) -> tuple[str, str]:
    return (display("mean", value) if value is not None else "", "")


def table_of(measure: Measure, records) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """Headers and rows (cells are (text, link)) of one page of ``records``."""
    if isinstance(records, list):  # GPRA windows (outcomes.gpra.Window)
        return (["Participant", "Intake interview", "Window", "State"],
                [[_participant(w.client), (f"{w.intake.held_on:%b %-d, %Y}", w.url),
                  (f"{w.opens_on:%b %-d, %Y} - {w.last_day:%b %-d, %Y}", ""), (w.state_label, "")]
                 for w in records])
    model = records.model if isinstance(records, QuerySet) else None
    if model is Client:
        rows = list(records.select_related("primary_peer"))
        extra = [f for f in ("first_score", "latest_score", "score_change") if rows and hasattr(rows[0], f)]
        headers = ["Participant", "Peer specialist", *[f.replace("_", " ").capitalize() for f in extra]]
        return headers, [[_participant(c), _peer(c), *[_num(getattr(c, f)) for f in extra]] for c in rows]
    if model is Episode:
        rows = list(records.select_related("client"))
        reasons = DischargeReason.labels_for(rows[0].client.program_id) if rows else {}
        return (["Participant", "Intake", "Discharge", "Reason"],
                [[_participant(e.client), (f"{e.started_on:%b %-d, %Y}", ""),
                  (f"{e.discharged_on:%b %-d, %Y}" if e.discharged_on else "", ""),
                  (e.discharge_reason_label(reasons), "")] for e in rows])
    if model is SessionNote:
        rows = list(records.select_related("client", "service_code"))
        extra = [f for f in ("gap_days", "hours_to_sign") if rows and hasattr(rows[0], f)]
        headers = ["Date", "Participant", "Type", "Setting", "Code", "Minutes", "Units delivered", "Units billable",
                   *[{"gap_days": "Days since previous contact", "hours_to_sign": "Hours to signature"}[f]
                     for f in extra]]
        return headers, [[(f"{n.session_date:%b %-d, %Y}", n.get_absolute_url()), _participant(n.client),
                          (n.get_contact_type_display(), ""), (n.get_setting_display(), ""),
                          (n.service_code.code if n.service_code else "None", ""), (str(n.duration_minutes), ""),
                          (str(n.units_computed), ""), (str(n.units_billable), ""),
                          *[_num(getattr(n, f)) for f in extra]] for n in rows]
    if model is FollowUp:
        rows = records.select_related("client")
        return (["Due", "Participant", "Status", "Closed"],
                [[(f"{f.due_on:%b %-d, %Y}", f.get_absolute_url()), _participant(f.client),
                  (f.get_status_display(), ""), (f"{f.closed_at:%b %-d, %Y}" if f.closed_at else "", "")]
                 for f in rows])
    if model is Goal:
        rows = records.select_related("plan__client").prefetch_related("dimensions")
        return (["Participant", "Dimensions", "Status"],
                [[_participant(g.plan.client), (", ".join(d.name for d in g.dimensions.all()), ""),
                  (g.get_status_display(), "")] for g in rows])
    if model is Attendance:
        rows = records.select_related("membership__user", "session")
        return (["Peer specialist", "Date", "Hours", "Kind"],
                [[(a.membership.user.full_name, ""), (f"{a.session.held_on:%b %-d, %Y}", a.session.get_absolute_url()),
                  (display(MINUTES, a.session.duration_minutes), ""), (a.session.get_kind_display(), "")]
                 for a in rows])
    if model is Referral:
        rows = records.select_related("client", "category")
        return (["Made", "Participant", "To", "Category", "Status"],
                [[(f"{r.made_on:%b %-d, %Y}", r.get_absolute_url()), _participant(r.client), (r.organisation, ""),
                  (r.category.name if r.category_id else "No category", ""), (r.status_text, "")] for r in rows])
    raise TypeError(f"No drill-down table for {model}")
