"""The rows of a drill-down list: what each kind of record shows, fetched with a fixed number of queries
(``select_related`` / ``prefetch_related`` on the measure's own records)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from clients.models import Client, DischargeReason, Episode, FollowUp, Goal, SessionNote
from referrals.models import Referral
from reports.measures import MINUTES, Measure, display
from supervision.models import Attendance

# The extra columns some measures annotate (recovery capital, contact gaps, hours to signature).
EXTRA_HEADERS = {"first_score": gettext_lazy("First score"), "latest_score": gettext_lazy("Latest score"),
                 "score_change": gettext_lazy("Score change"), "gap_days": gettext_lazy("Days since previous contact"),
                 "hours_to_sign": gettext_lazy("Hours to signature")}


def _day(value) -> str:
    """A date as the drill-down writes it ("Mar 5, 2026"), in the reader's language."""
    return date_format(value, "M j, Y")


def _participant(client) -> tuple[str, str]:
    return (client.display_name, client.get_absolute_url())


def _peer(client) -> tuple[str, str]:
    return (client.primary_peer.full_name if client.primary_peer_id else _("Needs assignment"), "")


def _num(value) -> tuple[str, str]:
    return (display("mean", value) if value is not None else "", "")


def table_of(measure: Measure, records) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """Headers and rows (cells are (text, link)) of one page of ``records``."""
    if isinstance(records, list):  # GPRA windows (outcomes.gpra.Window)
        return ([_("Participant"), _("Intake interview"), _("Window"), _("State")],
                [[_participant(w.client), (_day(w.intake.held_on), w.url),
                  (f"{_day(w.opens_on)} - {_day(w.last_day)}", ""), (w.state_label, "")]
                 for w in records])
    model = records.model if isinstance(records, QuerySet) else None
    if model is Client:
        rows = list(records.select_related("primary_peer"))
        extra = [f for f in ("first_score", "latest_score", "score_change") if rows and hasattr(rows[0], f)]
        headers = [_("Participant"), _("Peer specialist"), *[str(EXTRA_HEADERS[f]) for f in extra]]
        return headers, [[_participant(c), _peer(c), *[_num(getattr(c, f)) for f in extra]] for c in rows]
    if model is Episode:
        rows = list(records.select_related("client"))
        reasons = DischargeReason.labels_for(rows[0].client.program_id) if rows else {}
        return ([_("Participant"), _("Intake"), _("Discharge"), _("Reason")],
                [[_participant(e.client), (_day(e.started_on), ""),
                  (_day(e.discharged_on) if e.discharged_on else "", ""),
                  (e.discharge_reason_label(reasons), "")] for e in rows])
    if model is SessionNote:
        rows = list(records.select_related("client", "service_code"))
        extra = [f for f in ("gap_days", "hours_to_sign") if rows and hasattr(rows[0], f)]
        headers = [_("Date"), _("Participant"), _("Type"), _("Setting"), _("Code"), _("Minutes"), _("Units delivered"),
                   _("Units billable"), *[str(EXTRA_HEADERS[f]) for f in extra]]
        return headers, [[(_day(n.session_date), n.get_absolute_url()), _participant(n.client),
                          (n.get_contact_type_display(), ""), (n.get_setting_display(), ""),
                          (n.service_code.code if n.service_code else _("None"), ""), (str(n.duration_minutes), ""),
                          (str(n.units_computed), ""), (str(n.units_billable), ""),
                          *[_num(getattr(n, f)) for f in extra]] for n in rows]
    if model is FollowUp:
        rows = records.select_related("client")
        return ([_("Due"), _("Participant"), _("Status"), _("Closed")],
                [[(_day(f.due_on), f.get_absolute_url()), _participant(f.client),
                  (f.get_status_display(), ""), (_day(f.closed_at) if f.closed_at else "", "")]
                 for f in rows])
    if model is Goal:
        rows = records.select_related("plan__client").prefetch_related("dimensions")
        return ([_("Participant"), _("Dimensions"), _("Status")],
                [[_participant(g.plan.client), (", ".join(d.name for d in g.dimensions.all()), ""),
                  (g.get_status_display(), "")] for g in rows])
    if model is Attendance:
        rows = records.select_related("membership__user", "session")
        return ([_("Peer specialist"), _("Date"), _("Hours"), _("Kind")],
                [[(a.membership.user.full_name, ""), (_day(a.session.held_on), a.session.get_absolute_url()),
                  (display(MINUTES, a.session.duration_minutes), ""), (a.session.get_kind_display(), "")]
                 for a in rows])
    if model is Referral:
        rows = records.select_related("client", "category")
        return ([_("Made"), _("Participant"), pgettext("referral", "To"), _("Category"), _("Status")],
                [[(_day(r.made_on), r.get_absolute_url()), _participant(r.client), (r.organisation, ""),
                  (r.category.name if r.category_id else _("No category"), ""), (r.status_text, "")] for r in rows])
    raise TypeError(f"No drill-down table for {model}")
