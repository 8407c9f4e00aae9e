"""The caseload review dashboard: one row per supervisee, each number a link to the list behind it.

Every number is counted from the very queryset its list shows (``Metric.items``), once with the
supervisee's column put in for the supervisee (``F(key)``: grouped by that column over every supervisee
at once, all metrics in one UNION ALL, so the whole table is two queries whatever the team's size) and
once with the supervisee's id (the list page). Both go through the viewer's ``visible_to``, so a number
never counts what its list would hide.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Aggregate, BooleanField, F, Func, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Episode
from clients.models.followups import FollowUp
from clients.models.notes import RECENT_CRISIS_DAYS, SessionNote, late_cutoff
from peers.models import Credential, Status
from peers.templatetags.peers_extras import status_badge
from recovery.compiled import NOW_STAND_IN, compiled_list, record_key
from recovery.models import Membership, Program
from recovery.scoping import scope_key, staff_q
from referrals.models import Referral
from supervision.models import Attendance
from supervision.models.reviews import NoteReview


@dataclass(frozen=True)
class Context:
    """Who looks, at which program, when (the program's today and the current time)."""

    viewer: object
    program: Program
    today: datetime.date
    now: datetime.datetime

    def words(self) -> dict:
        """The numbers and dates the metrics' labels and descriptions mention."""
        return {
            "no_contact_days": self.program.no_contact_days,
            "since": date_format(self.today - datetime.timedelta(days=self.program.no_contact_days), "M j, Y"),
            "signing_deadline_hours": self.program.signing_deadline_hours,
            "month_start": date_format(self.today.replace(day=1), "M j, Y"),
            "crisis_days": RECENT_CRISIS_DAYS,
            "crisis_since": date_format(self.today - datetime.timedelta(days=RECENT_CRISIS_DAYS), "M j, Y"),
        }


@dataclass(frozen=True)
class Metric:
    slug: str
    label: str
    # (context, supervisee's user id or OuterRef to it) -> the rows behind the number
    items: Callable[[Context, object], QuerySet]
    row_template: str
    description: str = ""
    warn: bool = False  # a non-zero number needs attention
    related: tuple[str, ...] = ()  # what the list's rows show besides themselves
    # The columns that hold the supervisee a row counts for (any of them: a row counts once for each
    # different supervisee among them), and, when ``items`` cannot take a column for the supervisee,
    # the same rows written so that it can.
    keys: tuple[str, ...] = ("client__primary_peer_id",)
    counted: Callable[[Context, object], QuerySet] | None = None

    def title(self, ctx: Context) -> str:
        return self.label.format(**ctx.words())

    def explain(self, ctx: Context) -> str:
        return self.description.format(**ctx.words())


def _active_participants(ctx: Context, peer) -> QuerySet:
    return (Client.objects.visible_to(ctx.viewer)
            .filter(program=ctx.program, primary_peer_id=peer, status=Client.Status.ACTIVE))


def _recent_contacts(ctx: Context, peer) -> QuerySet:
    # The same window as "no contact": a contact on the cutoff day still counts as recent.
    since = ctx.today - datetime.timedelta(days=ctx.program.no_contact_days)
    return (SessionNote.objects.visible_to(ctx.viewer).contacts()
            .filter(client__program=ctx.program, client__primary_peer_id=peer,
                    session_date__gte=since, session_date__lte=ctx.today))


def _no_contact(ctx: Context, peer) -> QuerySet:
    # Exactly the peer's own "My day" list (clients.my_day): enrolled, not reached within no_contact_days.
    return _active_participants(ctx, peer).with_contact(ctx.today).filter(contact_due=True)


def _no_contact_counted(ctx: Context, peer) -> QuerySet:
    # The same rows as _no_contact for a column in place of the supervisee: the last contact joined from
    # clients.LastContact (kept by the notes' triggers) instead of read from each participant's notes, the
    # intake only where there has been no contact (the probe per participant was most of the count's time).
    intake = Episode.objects.filter(client=OuterRef("pk"), discharged_on__isnull=True)
    since = Coalesce("contact_summary__session_date", Subquery(intake.values("started_on")[:1]),
                     TruncDate("created_at"))
    cutoff = ctx.today - datetime.timedelta(days=ctx.program.no_contact_days)
    return _active_participants(ctx, peer).alias(contact_since=since).filter(contact_since__lt=cutoff)


class EqualsAnyOf(Func):
    """``column = ANY(ARRAY(subquery))``: the subquery runs once, and the test can use an index on
    ``column`` (``column IN (subquery)`` or an OR across a join cannot, inside another OR)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        return f"{column} = ANY(ARRAY{subquery})", (*column_params, *subquery_params)


def _overdue_followups(ctx: Context, peer) -> QuerySet:
    # Due yesterday or before; one due today is not overdue yet. Assigned to the peer, or about a participant
    # they carry: both halves of the OR read one index each (followup_assignee_open_idx, followup_client_open_idx)
    # instead of every overdue follow-up of the program once per supervisee.
    # One level deeper than the follow-ups: a reference to the dashboard's row reaches one level further out.
    carried_by = OuterRef(peer) if isinstance(peer, OuterRef) else peer
    carried = Client.objects.filter(program=ctx.program, primary_peer_id=carried_by).values("pk")
    return (FollowUp.objects.visible_to(ctx.viewer).filter(client__program=ctx.program)
            .filter(Q(assignee_id=peer) | Q(EqualsAnyOf(F("client_id"), Subquery(carried))))
            .open().filter(due_on__lt=ctx.today))


def _overdue_followups_counted(ctx: Context, peer) -> QuerySet:
    # The same rows as _overdue_followups for a column in place of the supervisee (the dashboard's count,
    # grouped by that column; the ANY(ARRAY(...)) form needs a single supervisee).
    return (FollowUp.objects.visible_to(ctx.viewer).filter(client__program=ctx.program)
            .filter(Q(assignee_id=peer) | Q(client__primary_peer_id=peer))
            .open().filter(due_on__lt=ctx.today))


def _late_drafts(ctx: Context, peer) -> QuerySet:
    return SessionNote.objects.visible_to(ctx.viewer).late_drafts(ctx.program, ctx.now).filter(author_id=peer)


def _late_entries(ctx: Context, peer) -> QuerySet:
    return (SessionNote.objects.visible_to(ctx.viewer).signed()
            .filter(client__program=ctx.program, client__primary_peer_id=peer, author_id=peer, late_entry=True,
                    session_date__gte=ctx.today.replace(day=1), session_date__lte=ctx.today))


def _recent_crises(ctx: Context, peer) -> QuerySet:
    return SessionNote.objects.visible_to(ctx.viewer).recent_crises(ctx.program, ctx.today, peer)  # as on My day


def _awaiting_review(ctx: Context, peer) -> QuerySet:
    return (NoteReview.objects.visible_to(ctx.viewer).pending()
            .filter(author_membership__program=ctx.program, author_membership__user_id=peer))


def _open_referrals(ctx: Context, peer) -> QuerySet:
    # Made or connected, about participants they carry: no outcome yet (referrals.models.OPEN_STATUSES).
    return (Referral.objects.visible_to(ctx.viewer).open()
            .filter(client__program=ctx.program, client__primary_peer_id=peer).order_by("status_on", "pk"))


PARTICIPANT_ROW = "supervision/metrics/participant.html"
NOTE_ROW = "supervision/metrics/note.html"
NOTE_RELATED = ("client", "author")
METRICS: list[Metric] = [
    Metric("active", _("Active participants"), _active_participants, PARTICIPANT_ROW,
           _("Enrolled participants they carry."), keys=("primary_peer_id",)),
    Metric("contacts", _("Contacts, last {no_contact_days} days"), _recent_contacts, NOTE_ROW,
           _("Sessions in which a participant they carry was reached (notes of individual, group, phone and "
           "telehealth contacts, drafts included), from {since} to today."), related=NOTE_RELATED),
    Metric("no-contact", _("No contact in {no_contact_days} days"), _no_contact, PARTICIPANT_ROW,
           _("Enrolled participants they carry who were not reached in the last {no_contact_days} days (counted "
           "from intake when there has been no contact yet)."), warn=True, keys=("primary_peer_id",),
           counted=_no_contact_counted),
    Metric("overdue-followups", _("Overdue follow-ups"), _overdue_followups, "supervision/metrics/followup.html",
           _("Open follow-ups assigned to them or about participants they carry, due before today."), warn=True,
           related=("client", "assignee"), keys=("assignee_id", "client__primary_peer_id"),
           counted=_overdue_followups_counted),
    Metric("late-drafts", _("Drafts past the signing deadline"), _late_drafts, NOTE_ROW,
           _("Their unsigned notes whose session ended more than {signing_deadline_hours} hours ago."), warn=True,
           related=NOTE_RELATED, keys=("author_id",)),
    Metric("late-entries", _("Late entries this month"), _late_entries, NOTE_ROW,
           _("Their signed notes of sessions this month (from {month_start}) that were signed after the "
           "deadline."), warn=True, related=NOTE_RELATED, keys=("author_id",)),
    Metric("crisis", _("Crisis flags, last {crisis_days} days"), _recent_crises, NOTE_ROW,
           _("Notes with a crisis flag, by them or about participants they carry, since {crisis_since}."),
           warn=True, related=NOTE_RELATED, keys=("author_id", "client__primary_peer_id")),
    Metric("awaiting-review", _("Notes awaiting review"), _awaiting_review, "supervision/metrics/review.html",
           _("Their signed notes in the review queue, oldest first."), related=("note__client",),
           keys=("author_membership__user_id",)),
    Metric("open-referrals", _("Referrals without an outcome"), _open_referrals, "supervision/metrics/referral.html",
           _("Referrals of participants they carry that are made or connected but not yet completed or closed, "
           "longest without an update first."), related=("client",)),
]
BY_SLUG = {metric.slug: metric for metric in METRICS}


def metric_list(metric: Metric, ctx: Context, supervisee: Membership) -> QuerySet:
    """The rows behind one number of ``supervisee``'s row: the same queryset the number counts."""
    rows = metric.items(ctx, supervisee.user_id)
    return rows.select_related(*metric.related) if metric.related else rows


def count_of(queryset: QuerySet) -> Coalesce:
    # COUNT over the correlated rows without GROUP BY: one number per supervisee row. COUNT(1), not of a
    # column: a count over a covering index (note_contact_idx) then needs no table row (index-only scan).
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT", output_field=IntegerField()))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


def supervisees(viewer, program: Program) -> QuerySet[Membership]:
    """The staff whose caseloads the viewer reviews: a supervisor's supervisees; for a program admin,
    every peer specialist and every supervised staff member of the program. Never the viewer."""
    return (Membership.objects.filter(staff_q(viewer), program=program, is_active=True)
            .filter(Q(role=Membership.Role.PEER) | Q(supervisor__isnull=False))
            .exclude(user=viewer))


def last_supervision(membership_ref: str = "pk") -> Subquery:
    """The date of the latest signed session the (outer) membership attended."""
    attended = Attendance.objects.filter(membership=OuterRef(membership_ref), session__signed_at__isnull=False)
    return Subquery(attended.order_by().values("membership_id").annotate(last=Max("session__held_on"))
                    .values("last")[:1])


@dataclass
class Row:
    membership: Membership
    numbers: list[tuple[Metric, int]]
    credentials: list[Credential]
    last_supervision: datetime.date | None
    supervision_overdue: bool
    # The page's links (``with_links``): the supervisee's page and their staff record; the row's HTML.
    supervisee_url: str = ""
    staff_url: str = ""
    html: str = ""


PLACEHOLDER = uuid.UUID(int=0)


def url_maker(name: str, *args) -> Callable[[uuid.UUID], str]:
    """A function from a staff member's uuid to the URL ``name`` with that uuid first: reversed once, not
    once per row (a page of 91 supervisees linked 1,000 times)."""
    head, tail = reverse(name, args=[PLACEHOLDER, *args]).split(str(PLACEHOLDER))
    return lambda user_uuid: f"{head}{user_uuid}{tail}"


# A row, rendered here rather than by the template (91 rows of 9 numbers, their credentials and the last
# supervision: the template's loop took most of the admin's dashboard's CPU). Each value is escaped here
# (html.escape, as Django's escape does) and filled in by str.format; the labels are translated once per page.
# The supervisee's name is read out after each number and date for screen readers.
ROW = ('<tr data-supervisee="{uuid}">'
       '<th scope="row" class="fw-normal"><a href="{supervisee_url}">{name}</a>'
       '<span class="d-block small text-body-secondary">{role}</span></th>'
       '{cells}<td class="small">{credentials}</td>'
       '<td class="small" data-last-supervision><a href="{supervisee_url}#history">{last}'
       '<span class="visually-hidden">, {name}</span></a>{overdue}</td></tr>')
CELL = ('<td class="text-end"><a href="{}" data-metric="{}" class="{}">{}'
        '<span class="visually-hidden"> · {}</span></a></td>')
CREDENTIAL = ('<a class="text-decoration-none d-inline-block mb-1" href="{}#credentials">'
              '<span class="text-body">{}</span> {}</a> ')
NO_CREDENTIAL = '<a href="{}#credentials">{}</a>'
LAST = '<time datetime="{}">{}</time>'
OVERDUE = ' <span class="badge text-bg-danger">{}</span>'


def _row_html(row: Row, metric_url: dict[str, Callable[[uuid.UUID], str]], words: dict) -> str:
    esc = html.escape
    user = row.membership.user
    name = esc(user.full_name)
    cells = "".join(
        CELL.format(esc(metric_url[metric.slug](user.uuid)), esc(metric.slug),
                    "fw-bold link-danger" if metric.warn and n else "", int(n), name)
        for metric, n in row.numbers)
    staff_url = esc(row.staff_url)
    credentials = "".join(
        CREDENTIAL.format(staff_url, esc(c.type.abbreviation or c.type.name),
                          words["badges"].get(c.status) or status_badge(c.status))
        for c in row.credentials) or NO_CREDENTIAL.format(staff_url, words["none"])
    last = (LAST.format(row.last_supervision.isoformat(), esc(date_format(row.last_supervision, "M j, Y")))
            if row.last_supervision else words["never"])
    role = words["roles"].get(row.membership.role) or esc(str(row.membership.get_role_display()))
    return ROW.format(uuid=user.uuid, supervisee_url=esc(row.supervisee_url), name=name,
                      role=role, cells=cells, credentials=credentials,
                      last=last, overdue=OVERDUE.format(words["overdue"]) if row.supervision_overdue else "")


def with_links(rows: list[Row]) -> list[Row]:
    """Fill each row's links, from one ``reverse`` per kind of link, and its HTML."""
    supervisee, staff = url_maker("supervision:supervisee"), url_maker("peers:staff_detail")
    metric_url = {metric.slug: url_maker("supervision:metric", metric.slug) for metric in METRICS}
    words = {"none": html.escape(gettext("None on record")), "never": html.escape(gettext("Never")),
             "overdue": html.escape(gettext("Overdue")),
             # Each role's label and each status's badge, translated once per page, not once per row.
             "roles": {role.value: html.escape(str(role.label)) for role in Membership.Role},
             "badges": {status.value: status_badge(status.value) for status in Status}}
    for row in rows:
        user_uuid = row.membership.user.uuid
        row.supervisee_url, row.staff_url = supervisee(user_uuid), staff(user_uuid)
        row.html = mark_safe(_row_html(row, metric_url, words))  # noqa: S308 (every value escaped in _row_html)
    return rows


class InArray(Func):
    """``column = ANY(%s)`` with the ids as one array parameter: ``__in`` writes one placeholder per id, in
    every part (91 supervisees in 11 parts: a thousand parameters to compile, send and parse per page)."""

    output_field = BooleanField()

    def __init__(self, column, ids: list[int]):
        super().__init__(column)
        self.ids = list(ids)

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        # Typed as the column (psycopg would send small ids as smallint[], which plans differently).
        db_type = self.source_expressions[0].output_field.cast_db_type(connection)
        return f"{column} = ANY(%s::{db_type}[])", (*params, self.ids)


class CountRows(Aggregate):
    """COUNT(1) as an aggregate (grouped): counting no column lets a covering index answer alone."""

    function = "COUNT"
    output_field = IntegerField()


def grouped_counts(metric: Metric, index: int, ctx: Context, peer_ids: list[int]) -> list[QuerySet]:
    """``metric``'s number for every supervisee in ``peer_ids``, as (index, supervisee, count) rows: one
    grouped part per key column. A row whose supervisee sits in several of its key columns counts in the
    first part only (the later parts leave out rows whose earlier key column holds the same person)."""
    parts = []
    for k, key in enumerate(metric.keys):
        rows = (metric.counted or metric.items)(ctx, F(key)).filter(InArray(F(key), peer_ids))
        for earlier in metric.keys[:k]:
            rows = rows.exclude(**{earlier: F(key)})
        parts.append(rows.order_by().values(peer=F(key))
                     .annotate(n=CountRows(Value(1)))
                     .values_list(Value(index, output_field=IntegerField()), "peer", "n"))
    return parts


# The current time stands in the counts' compiled SQL as NOW_STAND_IN (recovery.compiled's ``values``): the
# query is built and compiled once per key, and each request puts its own late-draft cutoff in its parameters.


def metric_counts(ctx: Context, peer_ids: list[int]) -> dict[tuple[int, int], int]:
    """Every metric's number for every supervisee, in one query: {(metric index, user id): count}.

    Its SQL is built and compiled once per process for the key (recovery.compiled), which holds every input
    of it: the viewer's scope, the program's settings, the day, the supervisees; the time (late drafts)
    is a parameter put in on every request."""
    if not peer_ids:
        return {}

    def build() -> QuerySet:
        stood_in = dataclasses.replace(ctx, now=NOW_STAND_IN)
        parts = [part for i, metric in enumerate(METRICS) for part in grouped_counts(metric, i, stood_in, peer_ids)]
        return parts[0].union(*parts[1:], all=True).order_by()

    key = ("supervision.dashboard.counts", scope_key(ctx.viewer), record_key(ctx.program), ctx.today,
           tuple(peer_ids))
    values = {late_cutoff(ctx.program, NOW_STAND_IN): late_cutoff(ctx.program, ctx.now)}
    counts: dict[tuple[int, int], int] = {}
    for index, peer, n in compiled_list(key, build, values):
        counts[index, peer] = counts.get((index, peer), 0) + n
    return counts


def dashboard_rows(ctx: Context) -> list[Row]:
    """The dashboard's rows, in three queries: supervisees, every number of every supervisee (grouped),
    their open credentials; each compiled once per process for its inputs (recovery.compiled)."""
    # Compiled once per scope and program (recovery.compiled: the SQL reads nothing else).
    memberships = compiled_list(("supervision.dashboard.supervisees", scope_key(ctx.viewer), record_key(ctx.program)),
                                lambda: (supervisees(ctx.viewer, ctx.program).select_related("user")
                                         .annotate(last_supervised=last_supervision())
                                         .order_by("user__full_name", "pk")))
    counts = metric_counts(ctx, sorted({m.user_id for m in memberships}))
    credentials: dict[int, list[Credential]] = {}
    membership_ids = tuple(m.pk for m in memberships)
    rows = compiled_list(("supervision.dashboard.credentials", membership_ids, ctx.today), lambda: (
        Credential.objects.open().filter(membership__in=membership_ids)
        .with_status(ctx.today, progress=False, status_only=True).select_related("type")
        .order_by("type__name", "pk")))
    for credential in rows:
        credentials.setdefault(credential.membership_id, []).append(credential)
    frequency = datetime.timedelta(days=ctx.program.supervision_frequency_days)
    return [
        Row(membership=m, numbers=[(metric, counts.get((i, m.user_id), 0)) for i, metric in enumerate(METRICS)],
            credentials=credentials.get(m.pk, []), last_supervision=m.last_supervised,
            supervision_overdue=m.last_supervised is None or ctx.today - m.last_supervised > frequency)
        for m in memberships
    ]
