"""Participants (``Client``), their episodes of service and who carries them (``CaseAssignment``)."""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models.consents import Consent
from clients.models.followups import FollowUp
from clients.models.notes import SessionNote
from clients.models.plans import RecoveryPlan
from clients.names import NAME_NEEDS_A_LETTER, has_a_letter, name_key, phone_digits, search_terms
from recovery.db import (
    CreatedByModel,
    ReferenceItem,
    UuidModel,
    never_deleted,
    not_before,
    not_blank,
    offered_flag,
    unchanged_when,
    unique_per_program,
)
from recovery.fields import EARLIEST_BIRTH_DATE, EARLIEST_SERVICE_DATE
from recovery.links import uuid_url
from recovery.scoping import ParticipantRecordQuerySet, in_use_q, without_active_carrier_q
from recovery.tracking import track


class NameWords(Func):
    """The words of a normalised name column as a tsvector, taken verbatim.

    ``array_to_tsvector`` neither parses nor lowercases: the lexemes are exactly the words clients.names
    produced, whatever the database's collation or locale (to_tsvector's parser and its "simple"
    dictionary's lower() depend on them).
    """

    template = "array_to_tsvector(string_to_array(%(expressions)s, ' '))"
    output_field = SearchVectorField()


class MatchesPrefixes(Func):
    """``words @@ 'term1':* & 'term2':*``: every term starts a word. The tsquery is typed input (no
    parsing, no lowercasing); terms come from clients.names.search_terms (letters, digits, marks)."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, words, terms: list[str]):
        query = " & ".join("'{}':*".format(term.replace("\\", "\\\\").replace("'", "''")) for term in terms)
        super().__init__(words, Func(Value(query), template="(%(expressions)s)::tsquery"))


class PhoneDigits(Func):
    """The last ten digits of a phone column: ``clients.names.phone_digits`` in SQL (indexed)."""

    template = "right(regexp_replace(%(expressions)s, '[^0-9]', '', 'g'), 10)"
    output_field = CharField()


def validate_has_a_letter(value: str) -> None:
    if value and not has_a_letter(value):
        raise ValidationError(gettext(NAME_NEEDS_A_LETTER), code="no_letter")


def _any_row(rows: models.QuerySet) -> IsNull:
    """Whether ``rows`` (correlated to the participant) has a row, as ``(SELECT id … LIMIT 1) IS NOT NULL``:
    what ``Exists`` answers, always probed per participant. An ``EXISTS`` in the select list may be planned
    as a hashed subplan when PostgreSQL expects many participants (it ignores the page's LIMIT), which reads
    every active plan and every consent in force of the database to show 25 rows: on the participant
    list at full scale that was ~7 of the page query's 8 ms."""
    return IsNull(Subquery(rows.order_by().values("pk")[:1]), False)


def _active_plan() -> models.QuerySet:
    return RecoveryPlan.objects.filter(client=OuterRef("pk"), status=RecoveryPlan.Status.ACTIVE)


def _consent_in_force(today: datetime.date) -> models.QuerySet:
    return Consent.objects.filter(client=OuterRef("pk")).in_force_on(today)


def _consent_lasting(today: datetime.date) -> models.QuerySet:
    """Consents in force that do not expire within the participant's program's ``consent_expiring_days``."""
    horizon = CombinedExpression(Value(today), "+", OuterRef("program__consent_expiring_days"),
                                 output_field=DateField())
    return _consent_in_force(today).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=horizon))


class ClientQuerySet(ParticipantRecordQuerySet):
    participant_path = ""

    def search(self, query: str) -> ClientQuerySet:
        """Participants whose name or preferred name has words starting with each searched word."""
        terms = search_terms(query)
        if not terms:
            return self
        return self.filter(MatchesPrefixes(NameWords("search_text"), terms))

    def possible_duplicates(self, *, program_id: int, full_name: str, birth_date: datetime.date) -> ClientQuerySet:
        """Same program, same normalised name, same birth date: one lookup on ``client_duplicate_idx``."""
        return self.filter(program_id=program_id, name_key=name_key(full_name), birth_date=birth_date)

    def near_duplicates(self, *, program_id: int, full_name: str, birth_date: datetime.date,
                        phone: str = "") -> ClientQuerySet:
        """Who an intake may be enrolling again: the same name, the same birth date or the same phone number
        in the program (each lookup indexed). Which of them really look alike is
        ``clients.forms.participants.match_reason``'s to say: same name, a similar name born the same day
        (nickname, swapped names, a typo), or the same phone."""
        candidates = Q(name_key=name_key(full_name)) | Q(birth_date=birth_date)
        if digits := phone_digits(phone):
            candidates |= Q(phone_digits=digits)
        return self.alias(phone_digits=PhoneDigits("phone")).filter(candidates, program_id=program_id)

    def caseload(self, today: datetime.date) -> ClientQuerySet:
        """What a caseload row shows, annotated in the one query that fetches the page.

        "Expiring" and "review due" use each participant's program rules (``consent_expiring_days``,
        ``plan_review_due_days``): the same fields the reminders read, so the page and the reminders agree.
        """
        active_plan = _active_plan()
        return self.select_related("primary_peer").annotate(
            consent_expiring_days=F("program__consent_expiring_days"),
            plan_review_due_days=F("program__plan_review_due_days"),
            has_plan=_any_row(active_plan),
            plan_review_on=Subquery(active_plan.values("review_on")[:1]),
            consent_in_force=_any_row(_consent_in_force(today)),
            consent_lasting=_any_row(_consent_lasting(today)),
        ).with_contact(today)

    def with_contact(self, today: datetime.date) -> ClientQuerySet:
        """Annotate the last contact, the next open follow-up and ``contact_due``: an enrolled participant
        not reached within their program's ``no_contact_days`` (counted from the intake, or the record's
        creation, before any contact).
        """
        contacts = SessionNote.objects.filter(client=OuterRef("pk")).contacts().order_by("-session_date")
        follow_ups = FollowUp.objects.filter(client=OuterRef("pk")).open().order_by("due_on")
        intake = Episode.objects.filter(client=OuterRef("pk"), discharged_on__isnull=True)
        cutoff = CombinedExpression(Value(today), "-", F("program__no_contact_days"), output_field=DateField())
        return self.annotate(
            last_contact_on=Subquery(contacts.values("session_date")[:1]),
            next_follow_up_on=Subquery(follow_ups.values("due_on")[:1]),
            no_contact_days=F("program__no_contact_days"),
            contact_since=Coalesce("last_contact_on", Subquery(intake.values("started_on")[:1]),
                                   TruncDate("created_at")),
        ).annotate(contact_due=Case(When(status=Client.Status.ACTIVE, contact_since__lt=cutoff, then=True),
                                    default=False))

    def with_consent_status(self, status: str, today: datetime.date) -> ClientQuerySet:
        """Filter a ``caseload()`` queryset by the consent status shown in its rows (the same subqueries as
        its ``consent_in_force`` / ``consent_lasting``, as ``EXISTS``: over a whole caseload PostgreSQL
        answers those with a semi- or anti-join)."""
        in_force, lasting = Exists(_consent_in_force(today)), Exists(_consent_lasting(today))
        if status == Client.ConsentStatus.ACTIVE:
            return self.filter(lasting)
        if status == Client.ConsentStatus.EXPIRING:
            return self.filter(in_force, ~lasting)
        if status == Client.ConsentStatus.NONE:
            return self.filter(~in_force)
        return self

    def plan_review_due(self, today: datetime.date) -> ClientQuerySet:
        """Plans to review within the program's ``plan_review_due_days`` (overdue ones included), or no
        plan at all; needs the ``caseload()`` annotations."""
        due = CombinedExpression(Value(today), "+", F("program__plan_review_due_days"), output_field=DateField())
        return self.filter(Q(plan_review_on__lte=due) | ~Exists(_active_plan()))

    def without_active_carrier(self) -> ClientQuerySet:
        """Participants without a primary peer who works in their program now (none, or former staff)."""
        return self.filter(without_active_carrier_q())

    def carried(self) -> ClientQuerySet:
        """Participants whose primary peer works in their program now: the ones a reminder can reach."""
        return self.exclude(without_active_carrier_q()).filter(in_use_q())

    def needing_assignment(self) -> ClientQuerySet:
        """Enrolled participants without a primary peer who works in their program now, each with
        ``episode_started_on``: the intake date of their open episode (what "Needs assignment" shows;
        the record's creation time is when it was typed, which may be later)."""
        open_episode = Episode.objects.filter(client=OuterRef("pk"), discharged_on__isnull=True)
        return self.without_active_carrier().filter(status=Client.Status.ACTIVE).annotate(
            episode_started_on=Subquery(open_episode.values("started_on")[:1]))


@track()
class Client(UuidModel, CreatedByModel):
    """A participant: a person the program serves (``Client`` as in the design card)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Enrolled")
        DISCHARGED = "discharged", _("Discharged")

    class ContactMethod(models.TextChoices):
        CALL = "call", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        IN_PERSON = "in_person", _("In person")
        MAIL = "mail", _("Mail")

    class ConsentStatus(models.TextChoices):
        ACTIVE = "active", _("In force")
        EXPIRING = "expiring", _("Expires soon")
        NONE = "none", _("None in force")

    class SetAside(models.TextChoices):
        # A record kept but out of use: hidden from every list, count and sweep (recovery.scoping.in_use_q).
        ENTERED_IN_ERROR = "error", _("Entered in error")
        # A second record of someone: merged into the record kept (clients.services.merge), its rows moved there.
        MERGED = "merged", _("Merged into another record")

    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, related_name="clients")
    # The peer who carries the participant now (None: needs assignment). Kept in step with the
    # CaseAssignment history by clients.services.client_assign, and nothing else.
    primary_peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="caseload", verbose_name=_("peer specialist"))
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)

    full_name = models.CharField("name", max_length=150, validators=[validate_has_a_letter])
    preferred_name = models.CharField(max_length=80, blank=True, help_text=_("What they like to be called."),
                                      validators=[validate_has_a_letter])
    pronouns = models.CharField(max_length=40, blank=True)
    # The language the participant reads: printed plans and consents come out in it (clients/views/documents.py).
    preferred_language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("Printed plans and consents come out in this language."))
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    preferred_contact_method = models.CharField(max_length=20, choices=ContactMethod, blank=True)
    preferred_contact_times = models.CharField(max_length=120, blank=True,
                                               help_text=_("For example: weekday mornings, not after 6 pm."))
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    emergency_contact_phone = models.CharField(max_length=30, blank=True)

    # Normalised names (clients.names): the duplicate check and the search read these.
    name_key = models.CharField(max_length=200, editable=False)
    search_text = models.CharField(max_length=300, editable=False)
    # Enrolled although a participant with the same name and birth date exists: why.
    duplicate_reason = models.TextField(blank=True)
    # Set aside by an admin (clients.services.set_aside): kept, never deleted, out of every list. Empty: in use.
    # The change history keeps each marking and restoring with who and when.
    set_aside_as = models.CharField(_("set aside as"), max_length=20, choices=SetAside, blank=True)
    set_aside_reason = models.TextField(_("why"), blank=True)
    set_aside_at = models.DateTimeField(null=True, blank=True)
    set_aside_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    # Merged (set_aside_as "merged"): the record kept, where this record's rows now are. The protection
    # triggers let a locked row's participant change only to this (recovery.db.merge_move).
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_records")

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["name_key", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(condition=Q(birth_date__gte=EARLIEST_BIRTH_DATE),
                                   name="client_birth_date_plausible"),
            not_blank("name_key", name="client_has_a_name"),
            models.CheckConstraint(condition=Q(set_aside_as="") | (~Q(set_aside_reason="")
                                                                  & Q(set_aside_at__isnull=False)),
                                   name="client_set_aside_has_reason"),
            models.CheckConstraint(condition=Q(set_aside_as="merged", merged_into__isnull=False)
                                   | (~Q(set_aside_as="merged") & Q(merged_into__isnull=True)),
                                   name="client_merged_has_target"),
        ]
        indexes = [
            models.Index(fields=["program", "name_key", "birth_date"], name="client_duplicate_idx"),
            # The near-duplicate check at intake (near_duplicates): same birth date, same phone number.
            models.Index(fields=["program", "birth_date"], name="client_birth_date_idx"),
            models.Index(F("program"), PhoneDigits("phone"), name="client_phone_idx"),
            models.Index(fields=["program", "primary_peer", "status", "name_key"], name="client_caseload_idx"),
            models.Index(fields=["program", "status"], name="client_unassigned_idx",
                         condition=Q(primary_peer__isnull=True)),
            GinIndex(NameWords("search_text"), name="client_search_idx"),
        ]
        triggers = [
            # Records are kept (HIPAA retention); a participant leaves by discharge, never by deletion.
            never_deleted("client_never_deleted"),
        ]

    def __str__(self) -> str:
        # Never in logs or emails (PRODUCT.md): those use the uuid.
        return self.display_name

    def get_absolute_url(self) -> str:
        return uuid_url("clients:detail", self.uuid)

    @property
    def display_name(self) -> str:
        if self.preferred_name and name_key(self.preferred_name) not in name_key(self.full_name):
            return f"{self.preferred_name} ({self.full_name})"
        return self.full_name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_set_aside(self) -> bool:
        return bool(self.set_aside_as)

    def set_name_keys(self) -> None:
        """Fill the normalised name columns from the names (call before saving a name change)."""
        # Compatibility forms may expand (one Arabic ligature is 18 letters): cut to the column.
        self.name_key = name_key(self.full_name)[:self._meta.get_field("name_key").max_length].strip()
        self.search_text = name_key(self.full_name, self.preferred_name)[
            :self._meta.get_field("search_text").max_length].strip()

    def age_on(self, day: datetime.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def consent_status(self) -> str:
        """The row's consent status; needs the ``caseload()`` annotations."""
        if self.consent_lasting:
            return self.ConsentStatus.ACTIVE
        return self.ConsentStatus.EXPIRING if self.consent_in_force else self.ConsentStatus.NONE

    def flags(self, today: datetime.date) -> list[str]:
        """Short warnings for a caseload row; needs the ``caseload()`` annotations."""
        flags = []
        if self.primary_peer_id is None:
            flags.append(gettext("Needs assignment"))
        if self.is_active and not self.consent_in_force:
            flags.append(gettext("No consent in force"))
        if self.is_active and not self.has_plan:
            flags.append(gettext("No recovery plan"))
        elif self.plan_review_on and self.plan_review_on < today:
            flags.append(gettext("Plan review overdue"))
        elif self.plan_review_on and self.plan_review_on <= today + datetime.timedelta(days=self.plan_review_due_days):
            flags.append(gettext("Plan review due soon"))
        if self.duplicate_reason:
            flags.append(gettext("Possible duplicate"))
        if self.set_aside_as:
            flags.append(str(self.get_set_aside_as_display()))
        return flags


@track()
class Episode(UuidModel):
    """One episode of service: from intake to discharge. A participant may be re-enrolled."""

    class ReferralSource(models.TextChoices):
        SELF = "self", _("Self")
        FAMILY = "family", _("Family or friend")
        TREATMENT = "treatment", _("Treatment provider")
        HOSPITAL = "hospital", _("Hospital or emergency department")
        JUSTICE = "justice", _("Court, probation or jail")
        COMMUNITY = "community", _("Community organization")
        OTHER = "other", _("Other")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="episodes")
    started_on = models.DateField(_("intake date"))
    referral_source = models.CharField(max_length=20, choices=ReferralSource)
    referral_detail = models.CharField(max_length=200, blank=True, help_text=_("Who referred them, if known."))
    discharged_on = models.DateField(_("discharge date"), null=True, blank=True)
    # The code of one of the program's DischargeReason rows (kept as text: a closed episode never changes,
    # and the code of a reason in use never does either).
    discharge_reason = models.CharField(max_length=20, blank=True)
    discharge_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    discharged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")

    objects = ParticipantRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("episode of service")
        verbose_name_plural = _("episodes of service")
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(discharged_on__isnull=True),
                                    name="episode_one_open_per_client"),
            not_before("discharged_on", "started_on", name="episode_discharged_after_intake"),
            models.CheckConstraint(condition=Q(started_on__gte=EARLIEST_SERVICE_DATE),
                                   name="episode_intake_date_plausible"),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True, discharge_reason="")
                | (Q(discharged_on__isnull=False) & ~Q(discharge_reason="")),
                name="episode_discharge_has_reason",
            ),
        ]
        triggers = [
            never_deleted("episode_never_deleted"),
            # A closed episode is history: re-enrolment opens a new one.
            unchanged_when("episode_closed_is_final", pgtrigger.Q(old__discharged_on__isnull=False),
                           merge_movable=True),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.started_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.discharged_on is None

    def discharge_reason_label(self, reasons: dict[str, str] | None = None) -> str:
        """The reason's wording in the participant's program (``reasons``: code → name, read once for a
        list); a code the program no longer has reads as itself."""
        if not self.discharge_reason:
            return ""
        if reasons is None:
            reasons = DischargeReason.labels_for(self.client.program_id)
        return reasons.get(self.discharge_reason, self.discharge_reason)


@track()
class DischargeReason(ReferenceItem):
    """Why an episode ended: each program's list (defaults: clients.reference), edited by its admins.
    Episodes keep the code; a reason in use is retired, never deleted, and its code never changes."""

    code = models.SlugField(max_length=20)
    name = models.CharField(max_length=120)
    is_active = offered_flag(_("offered for new discharges"), _("A retired reason stays on old episodes only."))

    class Meta(ReferenceItem.Meta):
        verbose_name = _("discharge reason")
        constraints = unique_per_program("discharge_reason", "code", "name")

    @classmethod
    def labels_for(cls, program_id: int) -> dict[str, str]:
        return dict(cls.objects.filter(program_id=program_id).values_list("code", "name"))


@track()
class CaseAssignment(models.Model):
    """Who carried the participant, from when to when, assigned by whom and why."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assignments")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("peer specialist"))
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)

    objects = ParticipantRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("caseload assignment")
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(ended_at__isnull=True),
                                    name="assignment_one_open_per_client"),
            not_before("ended_at", "started_at", name="assignment_ends_after_start"),
        ]
        triggers = [
            never_deleted("assignment_never_deleted"),
            unchanged_when("assignment_ended_is_final", pgtrigger.Q(old__ended_at__isnull=False),
                           merge_movable=True),
        ]

    def __str__(self) -> str:
        return f"Assignment from {self.started_at:%Y-%m-%d}"
