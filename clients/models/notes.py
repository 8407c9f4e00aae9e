"""Session notes: a note for every contact, draft until its author signs it, unchangeable once signed.

Service codes and the services provided are each program's data (its admins edit them on the reference
lists pages; defaults are copied when a program starts: clients.note_defaults). A value in use is retired,
never deleted, and its code never changes, so old notes keep their meaning. A signed
note is protected by triggers in PostgreSQL: the note itself, its goals and services cannot be updated or
deleted; corrections are addenda, which are append-only too.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from clients.models.base import participant_key
from recovery.db import (
    CreatedAtModel,
    ReferenceItem,
    UuidModel,
    append_only,
    before_insert,
    locked_when,
    locked_with_parent,
    never_deleted,
    not_blank,
    offered_flag,
    required_unless,
    unique_per_program,
)
from recovery.fields import EARLIEST_SERVICE_DATE
from recovery.links import uuid_url
from recovery.scoping import ParticipantRecordQuerySet
from recovery.tracking import track

MAX_DURATION_MINUTES = 24 * 60
# How long after the session a "recent" crisis flag stays on My day and the supervisors' dashboard.
RECENT_CRISIS_DAYS = 14


def signing_deadline(program) -> datetime.timedelta:
    """How long after its session's end a note may be signed without becoming a late entry."""
    return datetime.timedelta(hours=program.signing_deadline_hours)


def late_cutoff(program, now: datetime.datetime, deadlines: int = 1) -> datetime.datetime:
    """A draft whose session ended before this moment is more than ``deadlines`` signing deadlines late (a
    draft exactly at its deadline is not late yet)."""
    return now - deadlines * signing_deadline(program)


def _signed_note_trigger(name: str) -> pgtrigger.Trigger:
    """Refuse inserts, updates and deletes of a note's goals or services once the note is signed."""
    return locked_with_parent(
        name, variable="note_status",
        lookup="SELECT n.status INTO note_status FROM clients_sessionnote n WHERE n.id = r.note_id",
        refuse_if="note_status = 'signed'",
        message="clients: % of a signed note cannot change",  # i18n: ignore (a database error)
    )


def session_ended_at(zone: zoneinfo.ZoneInfo, day: datetime.date, start: datetime.time | None,
                     end: datetime.time | None, duration_minutes: int) -> datetime.datetime:
    """When a session ended, where the program works: the end time, else start + duration, else the
    day's end (a note without times gives the benefit of the doubt to its author)."""
    if end is not None:
        return datetime.datetime.combine(day, end, tzinfo=zone)
    if start is not None:
        return datetime.datetime.combine(day, start, tzinfo=zone) + datetime.timedelta(minutes=duration_minutes)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), tzinfo=zone)


@track()
class ServiceCode(models.Model):
    """A billing code: how long a unit is and how many units a participant may have a day and a year."""

    class DefaultFor(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual notes")
        GROUP = "group", _("Group sessions")

    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    description = models.CharField(max_length=200)
    billable = models.BooleanField(default=True)
    unit_minutes = models.PositiveSmallIntegerField(_("minutes per unit"), default=15)
    daily_unit_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Most units a participant may have in a day (empty: no cap)."))
    yearly_unit_cap = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Most units a participant may have in a calendar year (empty: no cap)."))
    default_for = models.CharField(_("offered first for"), max_length=20, choices=DefaultFor, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("offered for new notes"), default=True,
                                    help_text=_("A retired code stays on old notes only."))

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("service code")
        constraints = [
            models.CheckConstraint(condition=Q(unit_minutes__gte=1), name="service_code_unit_positive"),
            models.UniqueConstraint(fields=["program", "code"], name="service_code_unique_per_program"),
            models.UniqueConstraint(fields=["program", "default_for"], condition=~Q(default_for=""),
                                    name="service_code_one_default_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.description}"


@track()
class SupportService(ReferenceItem):
    """A kind of support given in a session (emotional support, advocacy...): tags, as data."""

    is_active = offered_flag(_("offered for new notes"), _("A retired service stays on old notes only."))

    class Meta(ReferenceItem.Meta):
        verbose_name = _("service provided")
        verbose_name_plural = _("services provided")
        constraints = unique_per_program("support_service", "code", "name")


class GroupSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> GroupSessionQuerySet:
        """Groups with at least one note the user may see (each note is scoped by its participant)."""
        return self.filter(Exists(SessionNote.objects.visible_to(user).filter(group=OuterRef("pk"))))


class GroupSession(UuidModel, CreatedAtModel):
    """A group session: one note per participant links back here."""

    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, related_name="+")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session_date = models.DateField("date")
    topic = models.CharField(max_length=200)

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-session_date", "-pk"]
        verbose_name = _("group session")
        triggers = [never_deleted("group_never_deleted")]

    def __str__(self) -> str:
        return f"Group session on {self.session_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return uuid_url("clients:group_detail", self.uuid)


class SessionNoteQuerySet(ParticipantRecordQuerySet):
    def drafts(self) -> SessionNoteQuerySet:
        return self.filter(status=SessionNote.Status.DRAFT)

    def signed(self) -> SessionNoteQuerySet:
        return self.filter(status=SessionNote.Status.SIGNED)

    def late_drafts(self, program, now: datetime.datetime, *, deadlines: int = 1) -> SessionNoteQuerySet:
        """Drafts of ``program`` past ``deadlines`` signing deadlines at ``now`` (``late_cutoff``)."""
        return self.drafts().in_use().filter(client__program=program, ended_at__lt=late_cutoff(program, now, deadlines))

    def recent_crises(self, program, today: datetime.date, peer=None) -> SessionNoteQuerySet:
        """Crisis-flagged notes of the last RECENT_CRISIS_DAYS days; with ``peer`` (a user id, or a reference
        to one), only those that concern them: written by them or about participants they carry."""
        since = today - datetime.timedelta(days=RECENT_CRISIS_DAYS)
        crises = self.filter(client__program=program, crisis_flag=True, session_date__gte=since)
        return crises if peer is None else crises.filter(Q(author_id=peer) | Q(client__primary_peer_id=peer))

    def contacts(self) -> SessionNoteQuerySet:
        """Notes of sessions where the participant was actually reached (not outreach or collateral)."""
        return self.filter(contact_type__in=SessionNote.CONTACT_TYPES)


# ``LastContact`` is kept by these statement triggers on the notes: every write of notes (a draft written,
# edited or deleted, a signature, a merge moving notes, a bulk load) writes again the last contact of each
# participant whose contact notes it touched. The participants' rows are locked first (in id order), so two
# writes for one participant take turns, and each reads the other's notes.
_CONTACT_SQL = "('individual', 'group', 'phone', 'telehealth')"  # SessionNote.CONTACT_TYPES (a test checks)
_TOUCHED = {
    "insert": f"SELECT client_id FROM new_values WHERE contact_type IN {_CONTACT_SQL}",  # noqa: S608
    "delete": f"SELECT client_id FROM old_values WHERE contact_type IN {_CONTACT_SQL}",  # noqa: S608
    # Only the notes whose participant, date or type changed (a signature changes none of them).
    "update": "SELECT unnest(ARRAY[o.client_id, n.client_id]) AS client_id FROM old_values o JOIN new_values n "
              "ON n.id = o.id WHERE (o.client_id, o.session_date, o.contact_type) "
              "IS DISTINCT FROM (n.client_id, n.session_date, n.contact_type)",
}


def _last_contact_write(touched: str) -> str:
    return f"""
        PERFORM 1 FROM clients_client WHERE id IN ({touched}) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO clients_lastcontact (client_id, session_date)
        SELECT t.client_id, (SELECT max(n.session_date) FROM clients_sessionnote n
                             WHERE n.client_id = t.client_id AND n.contact_type IN {_CONTACT_SQL})
        FROM (SELECT DISTINCT client_id FROM ({touched}) touched) t
        ON CONFLICT (client_id) DO UPDATE SET session_date = EXCLUDED.session_date
        WHERE clients_lastcontact.session_date IS DISTINCT FROM EXCLUDED.session_date;
        RETURN NULL;
    """  # noqa: S608 (constants of this module)


def _last_contact_triggers() -> list[pgtrigger.Trigger]:
    operations = {"insert": (pgtrigger.Insert, pgtrigger.Referencing(new="new_values")),
                  "update": (pgtrigger.Update, pgtrigger.Referencing(old="old_values", new="new_values")),
                  "delete": (pgtrigger.Delete, pgtrigger.Referencing(old="old_values"))}
    return [pgtrigger.Trigger(name=f"note_last_contact_{op}", level=pgtrigger.Statement, when=pgtrigger.After,
                              operation=operation, referencing=referencing, func=_last_contact_write(_TOUCHED[op]))
            for op, (operation, referencing) in operations.items()]


# The audit report's changes tab reads a program's events newest first: an index on the event time.
@track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 meta={"indexes": [models.Index(fields=["pgh_created_at", "pgh_id"], name="sessionnote_event_at_idx")]})
class SessionNote(UuidModel, CreatedAtModel):
    """A note of one contact with (or about) a participant."""

    class ContactType(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual, in person")
        GROUP = "group", _("Group")
        PHONE = "phone", _("Phone call")
        TELEHEALTH = "telehealth", _("Telehealth (video)")
        OUTREACH = "outreach", _("Outreach attempt")
        COLLATERAL = "collateral", _("Collateral contact (family, provider...)")

    class Setting(models.TextChoices):
        OFFICE = "office", _("Program office")
        COMMUNITY = "community", _("Out in the community")
        HOME = "home", _("Participant's home")
        TREATMENT = "treatment", _("Treatment or health care facility")
        HOSPITAL = "hospital", _("Hospital or emergency department")
        JUSTICE = "justice", _("Court, jail or probation office")
        REMOTE = "remote", _("By phone or video")
        OTHER = "other", _("Somewhere else")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    # Contact types that count as contact with the participant (My day, caseload "last contact").
    CONTACT_TYPES = [ContactType.INDIVIDUAL, ContactType.GROUP, ContactType.PHONE, ContactType.TELEHEALTH]

    client = participant_key("notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(GroupSession, on_delete=models.PROTECT, null=True, blank=True, related_name="notes")

    session_date = models.DateField("date")
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("minutes")
    # When the session ended (from the date and times, in the program's time zone): the signing
    # deadline counts from here.
    ended_at = models.DateTimeField()
    contact_type = models.CharField(_("type of contact"), max_length=20, choices=ContactType,
                                    default=ContactType.INDIVIDUAL)
    setting = models.CharField(max_length=20, choices=Setting, blank=True)
    service_code = models.ForeignKey(ServiceCode, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    goals = models.ManyToManyField("clients.Goal", through="NoteGoal", related_name="+", blank=True,
                                   verbose_name=_("goals worked on"))
    services = models.ManyToManyField(SupportService, through="NoteService", related_name="+", blank=True,
                                      verbose_name=_("services provided"))
    summary = models.TextField(_("what happened"))
    response = models.TextField(_("the participant's response"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    # What the follow-up the date asks for is about (its purpose), written for it rather than copied from
    # the next steps.
    follow_up_purpose = models.CharField(_("what the follow-up is for"), max_length=300, blank=True)
    crisis_flag = models.BooleanField("crisis", default=False)
    crisis_description = models.CharField(_("what the crisis is"), max_length=300, blank=True)

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    late_entry = models.BooleanField(default=False)
    # Billing, fixed when the note is signed (clients.units).
    units_computed = models.PositiveSmallIntegerField(null=True, blank=True)
    units_billable = models.PositiveSmallIntegerField(null=True, blank=True)
    units_note = models.CharField(_("why fewer units are billable"), max_length=300, blank=True)
    billing_flagged = models.BooleanField(default=False)
    billing_flag_reason = models.CharField(max_length=300, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-session_date", "-ended_at", "-pk"]
        verbose_name = _("session note")
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_DURATION_MINUTES),
                                   name="note_duration_plausible"),
            models.CheckConstraint(condition=Q(session_date__gte=EARLIEST_SERVICE_DATE),
                                   name="note_session_date_plausible"),
            models.CheckConstraint(condition=Q(start_time__isnull=True) | Q(end_time__isnull=True)
                                   | Q(end_time__gt=F("start_time")), name="note_ends_after_start"),
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, signed_by__isnull=True,
                            units_computed__isnull=True, units_billable__isnull=True)
                | Q(status="signed", signed_at__isnull=False, signed_by=F("author"), units_computed__isnull=False,
                    units_billable__isnull=False, units_billable__lte=F("units_computed")),
                name="note_signed_by_author_with_units",
            ),
            required_unless("crisis_description", Q(crisis_flag=False), name="note_crisis_is_described"),
            required_unless("billing_flag_reason", Q(billing_flagged=False), name="note_billing_flag_has_reason"),
            not_blank("summary", name="note_has_summary"),
        ]
        indexes = [
            models.Index(fields=["client", "-session_date", "-ended_at"], name="note_client_date_idx"),
            models.Index(fields=["author", "ended_at"], name="note_drafts_idx", condition=Q(status="draft")),
            models.Index(fields=["client", "service_code", "session_date"], name="note_units_idx",
                         condition=Q(status="signed")),
            models.Index(fields=["client", "session_date"], name="note_crisis_idx", condition=Q(crisis_flag=True)),
            # The reports (reports.measures): a period's signed notes read from this index alone (an
            # index-only scan), never from the wide table: every column the measures count is included.
            models.Index(fields=["session_date", "client"], name="note_report_idx", condition=Q(status="signed"),
                         include=["contact_type", "setting", "service_code", "duration_minutes", "units_computed",
                                  "units_billable", "late_entry", "crisis_flag", "signed_at", "ended_at"]),
            # Last contact and contacts in a window, per participant (My day, caseload, the supervision
            # dashboard): an index-only scan. The condition is CONTACT_TYPES (the class's names are out of
            # Meta's reach; tests/clients/test_note_indexes.py checks they agree).
            models.Index(fields=["client", "session_date"], name="note_contact_idx",
                         condition=Q(contact_type__in=["individual", "group", "phone", "telehealth"])),
            # Contacts in a window across a whole program (the admin's supervision dashboard, grouped by the
            # participants' peer): one range scan instead of a probe per participant (96 → 14 ms).
            models.Index(fields=["session_date", "client"], name="note_contact_date_idx",
                         condition=Q(contact_type__in=["individual", "group", "phone", "telehealth"])),
            # Late entries of an author in a month (the supervision dashboard).
            models.Index(fields=["author", "session_date"], name="note_late_entry_idx",
                         condition=Q(late_entry=True, status="signed")),
        ]
        triggers = [
            # A signed note is the record of what happened: it never changes and is never removed.
            locked_when("note_signed_is_final", pgtrigger.Q(old__status="signed"), merge_movable=True),
            *_last_contact_triggers(),
        ]

    def __str__(self) -> str:
        return f"Session note of {self.session_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return uuid_url("clients:note_detail", self.uuid)

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def sign_deadline(self, program) -> datetime.datetime:
        """After this moment a signature makes the note a late entry."""
        return self.ended_at + signing_deadline(program)


class LastContact(models.Model):
    """A participant's last contact: the latest session date of their contact notes (``SessionNote.contacts``,
    drafts included), or none. Kept by triggers on the notes (``_last_contact_triggers``), never written by
    Python; a participant who never had a contact note has no row. It lets a count over a whole program
    (the supervision dashboard's "no contact") join one row per participant instead of reading each one's
    notes."""

    client = models.OneToOneField("clients.Client", on_delete=models.CASCADE, primary_key=True,
                                  related_name="contact_summary")
    session_date = models.DateField(null=True)

    def __str__(self) -> str:
        return f"Last contact of participant {self.client_id}: {self.session_date}"


def last_contacts_rebuild(program_ids: list[int] | None = None) -> int:
    """Write ``LastContact`` again from the notes of those programs' participants (every program's: None):
    the migration and ``seed_scale``. Returns the number of rows written."""
    from django.db import connection

    where = "WHERE c.program_id = ANY(%s)" if program_ids is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO clients_lastcontact (client_id, session_date)
            SELECT n.client_id, max(n.session_date) FROM clients_sessionnote n
            JOIN clients_client c ON c.id = n.client_id {where}
            {"AND" if where else "WHERE"} n.contact_type IN {_CONTACT_SQL}
            GROUP BY n.client_id
            ON CONFLICT (client_id) DO UPDATE SET session_date = EXCLUDED.session_date
        """, [program_ids] if program_ids is not None else [])  # noqa: S608 (constants of this module)
        return cursor.rowcount


# Goals and services are added and removed while the note is a draft, never afterwards (trigger).
@track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class NoteGoal(models.Model):
    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="note_goals")
    goal = models.ForeignKey("clients.Goal", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "goal"], name="note_goal_unique")]
        triggers = [_signed_note_trigger("note_goal_note_is_draft")]

    def __str__(self) -> str:
        return f"Note {self.note_id} / goal {self.goal_id}"


@track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class NoteService(models.Model):
    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="note_services")
    service = models.ForeignKey(SupportService, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "service"], name="note_service_unique")]
        triggers = [_signed_note_trigger("note_service_note_is_draft")]

    def __str__(self) -> str:
        return f"Note {self.note_id} / service {self.service_id}"


class NoteAddendumQuerySet(ParticipantRecordQuerySet):
    participant_path = "note__client__"


@track(pghistory.InsertEvent())
class NoteAddendum(UuidModel, CreatedAtModel):
    """A correction or addition to a signed note: added, never changed or removed."""

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("addendum")

    objects = NoteAddendumQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        constraints = [not_blank("text", name="addendum_has_text")]
        triggers = [
            append_only("addendum_is_append_only"),
            # A draft is corrected by editing it: addenda belong to signed notes only.
            before_insert(
                "addendum_to_signed_note", declare=[("note_status", "TEXT")],
                func="""
                    SELECT n.status INTO note_status FROM clients_sessionnote n WHERE n.id = NEW.note_id;
                    IF note_status IS DISTINCT FROM 'signed' THEN
                        RAISE EXCEPTION 'clients: an addendum needs a signed note' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"Addendum of {self.created_at:%Y-%m-%d}"
