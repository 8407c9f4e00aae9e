"""Reminders about participants' consents and plans (recovery/reminders.py explains how sweeps work).

Titles never name the participant; each draft carries the participant's uuid, and the notifications page
names them to a reader who may see them (``participant_names``). The link leads to the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import cache, partial

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from clients.models import Client, Consent, FollowUp, RecoveryPlan, SessionNote
from clients.models.notes import late_cutoff
from recovery.models import Program
from recovery.notify import Draft
from recovery.reminders import batched, days_text, drafts_for, supervisor_of, uuid_urls


def participant_names(user, uuids) -> dict:
    """``recovery.notify.SUBJECT_NAMES``: the names of the participants among ``uuids`` that ``user``
    may see now (one query)."""
    return {c.uuid: c.display_name for c in Client.objects.visible_to(user).filter(uuid__in=uuids)
            .only("uuid", "full_name", "preferred_name")}


def shown_later(message, **values) -> Callable[[], str]:
    """``message % values``, written when it is shown: in the reader's language (recovery.notify writes a
    notification's title in its recipient's). ``message`` is lazy (``gettext_lazy``); a value may be too, or
    a function of no arguments returning text. A ``partial``, not ``lazy()``: that builds a class per call,
    which was most of a sweep's time at thousands of rows."""
    return partial(_written, message, values)


def _written(message, values: dict) -> str:
    return str(message) % {key: str(value()) if callable(value) else str(value) if isinstance(value, Promise)
                           else value for key, value in values.items()}


# A sweep's titles, one object per distinct text (``cache`` per sweep run): drafts that say the same thing
# share it, and recovery.notify writes each object once per language.
def _overdue_title(days: int) -> str:
    return ngettext("A follow-up is %(days)d day overdue", "A follow-up is %(days)d days overdue", days) % {
        "days": days}


def _plan_review_past_title(days: int) -> str:
    return ngettext("A recovery plan review was due %(days)d day ago",
                    "A recovery plan review was due %(days)d days ago", days) % {"days": days}


def _no_contact_title(days: int) -> str:
    return ngettext("A participant on your caseload has not been reached for %(days)d day",
                    "A participant on your caseload has not been reached for %(days)d days", days) % {"days": days}


def _no_contact_team_title(days: int) -> str:
    return ngettext("A participant on your team has not been reached for %(days)d day",
                    "A participant on your team has not been reached for %(days)d days", days) % {"days": days}


FOLLOWUP_DUE_TODAY = _("A follow-up you promised is due today")


def consent_expiring(program: Program, today: date) -> Iterator[list[Draft]]:
    """A consent in force that expires within ``program.consent_expiring_days``: the primary peer, once
    per consent and expiry date."""
    horizon = today + timedelta(days=program.consent_expiring_days)
    consents = (
        Consent.objects.in_force_on(today)
        .filter(client__program=program, client__status=Client.Status.ACTIVE, client__in=Client.objects.carried(),
                expires_on__isnull=False, expires_on__lte=horizon)
        .select_related("client")
    )
    url = uuid_urls("clients:detail")
    title = cache(lambda days: shown_later(_("A participant's consent expires %(when)s"),
                                           when=partial(days_text, days)))
    for rows in batched(consents):
        yield [
            Draft(
                recipient_id=consent.client.primary_peer_id, kind="consent_expiring", program_id=program.pk,
                title=title((consent.expires_on - today).days),
                url=url(consent.client.uuid), client_uuid=consent.client.uuid,
                dedupe_key=f"consent_expiring:{consent.uuid}:{consent.expires_on}",
            )
            for consent in rows
        ]


def plan_review(program: Program, today: date) -> Iterator[list[Draft]]:
    """An active plan whose review date is within ``program.plan_review_due_days`` (or passed): the
    primary peer, once per plan and review date."""
    horizon = today + timedelta(days=program.plan_review_due_days)
    plans = (
        RecoveryPlan.objects.filter(
            status=RecoveryPlan.Status.ACTIVE, review_on__isnull=False, review_on__lte=horizon,
            client__program=program, client__status=Client.Status.ACTIVE, client__in=Client.objects.carried(),
        ).select_related("client")
    )
    url = uuid_urls("clients:detail")
    due_in = cache(lambda days: shown_later(_("A recovery plan review is due %(when)s"), when=partial(days_text, days)))
    past = cache(lambda days: partial(_plan_review_past_title, days))
    for rows in batched(plans):
        drafts = []
        for plan in rows:
            days = (plan.review_on - today).days
            drafts.append(Draft(
                recipient_id=plan.client.primary_peer_id, kind="plan_review", program_id=program.pk,
                title=due_in(days) if days >= 0 else past(-days), url=url(plan.client.uuid),
                client_uuid=plan.client.uuid,
                dedupe_key=f"plan_review:{plan.uuid}:{plan.review_on}",
            ))
        yield drafts


def followup_due(program: Program, today: date) -> Iterator[list[Draft]]:
    """Due today: the assignee. ``program.followup_escalation_days`` overdue: the assignee and their
    supervisor. Each once per follow-up and due date."""
    escalate_by = today - timedelta(days=program.followup_escalation_days)
    supervisors = supervisor_of(program)
    # Tuples, not model instances: thousands of rows on a first run.
    followups = (FollowUp.objects.open().in_use().filter(client__program=program, due_on__lte=today)
                 .values_list("uuid", "due_on", "assignee_id", "client__uuid", named=True))
    client_url = uuid_urls("clients:detail")
    overdue_title = cache(lambda days: partial(_overdue_title, days))
    for rows in batched(followups):
        drafts: list[Draft] = []
        for followup in rows:
            url, about = client_url(followup.client__uuid), followup.client__uuid
            if followup.due_on == today:
                drafts += drafts_for([followup.assignee_id], kind="followup_due", program_id=program.pk, url=url,
                                     title=FOLLOWUP_DUE_TODAY, client_uuid=about,
                                     dedupe_key=f"followup_due:{followup.uuid}:{followup.due_on}")
            if followup.due_on <= escalate_by:
                days = (today - followup.due_on).days
                drafts += drafts_for(
                    [followup.assignee_id, supervisors.get(followup.assignee_id)], kind="followup_due",
                    program_id=program.pk, url=url, client_uuid=about,
                    title=overdue_title(days),
                    dedupe_key=f"followup_overdue:{followup.uuid}:{followup.due_on}",
                )
        yield drafts


def _notice_and_escalation(*, kind: str, program: Program, url: str, client_uuid, staff_id: int,
                           supervisor_id: int | None, escalate: bool, title: str, key: str, team_title: str,
                           team_key: str) -> list[Draft]:
    """A notice to the staff member; past the escalation point, one to their supervisor as well."""
    drafts = [Draft(recipient_id=staff_id, kind=kind, program_id=program.pk, url=url, title=title, dedupe_key=key,
                    client_uuid=client_uuid)]
    if supervisor_id and escalate:
        drafts.append(Draft(recipient_id=supervisor_id, kind=kind, program_id=program.pk, url=url, title=team_title,
                            dedupe_key=team_key, client_uuid=client_uuid))
    return drafts


def no_contact(program: Program, today: date) -> Iterator[list[Draft]]:
    """An enrolled participant not reached for more than ``program.no_contact_days`` (as on My day): the
    primary peer; for more than ``program.no_contact_escalation_days``: their supervisor. Once per
    participant and last contact."""
    supervisors = supervisor_of(program)
    escalate_before = today - timedelta(days=program.no_contact_escalation_days)
    clients = (Client.objects.filter(program=program).carried().with_contact(today)
               .filter(contact_due=True))
    url = uuid_urls("clients:detail")
    peer_title = cache(lambda days: partial(_no_contact_title, days))
    team_title = cache(lambda days: partial(_no_contact_team_title, days))
    for rows in batched(clients):
        drafts: list[Draft] = []
        for client in rows:
            days = (today - client.contact_since).days
            key = f"no_contact:{client.uuid}:{client.contact_since}"
            drafts += _notice_and_escalation(
                kind="no_contact", program=program, url=url(client.uuid), client_uuid=client.uuid,
                staff_id=client.primary_peer_id, supervisor_id=supervisors.get(client.primary_peer_id),
                escalate=client.contact_since < escalate_before,
                title=peer_title(days), key=f"{key}:peer", team_title=team_title(days), team_key=f"{key}:supervisor")
        yield drafts


def draft_notes(program: Program, today: date) -> Iterator[list[Draft]]:
    """Drafts past the signing deadline: the author; past twice the deadline: the author's supervisor.
    Once per note. (``today`` is unused: deadlines are moments, not dates.)"""
    now = timezone.now()
    escalate_before = late_cutoff(program, now, deadlines=2)  # the supervisor's: twice the deadline
    supervisors = supervisor_of(program)
    drafts_qs = SessionNote.objects.late_drafts(program, now).select_related("client")
    url = uuid_urls("clients:note_detail")
    for rows in batched(drafts_qs):
        drafts: list[Draft] = []
        for note in rows:
            when = partial(_local_day, note.ended_at, program)
            drafts += _notice_and_escalation(
                kind="draft_notes", program=program, url=url(note.uuid), client_uuid=note.client.uuid,
                staff_id=note.author_id, supervisor_id=supervisors.get(note.author_id),
                escalate=note.ended_at < escalate_before,
                title=shown_later(_("Your note of %(when)s is past the %(hours)s-hour signing deadline"),
                                  when=when, hours=program.signing_deadline_hours),
                key=f"draft_late:{note.uuid}",
                team_title=shown_later(_("A note of %(when)s on your team is still unsigned"), when=when),
                team_key=f"draft_late_supervisor:{note.uuid}")
        yield drafts


def _local_day(moment: datetime, program: Program) -> str:
    return date_format(timezone.localtime(moment, program.zone),
                       pgettext("month and day (Django date format)", "M j"))
