"""factory_boy factories and data helpers shared by every test module: ``from tests.factories import X``.

One module, one section per app, in the apps' dependency order: accounts and programs, the security and
audit records, staff records and credentials (peers), participants with their plans and consents, session
notes and follow-ups (clients), supervision sessions.
"""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from billing.models import ClaimBatch, Coverage, Payer, ServiceAuthorization
from clients.dimensions import dimensions_load_defaults
from clients.models import (
    ActionStep,
    CaseAssignment,
    Client,
    Consent,
    Dimension,
    Episode,
    FollowUp,
    Goal,
    NoteAddendum,
    RecoveryPlan,
    ServiceCode,
    SessionNote,
    SupportService,
)
from clients.models.notes import session_ended_at
from clients.names import name_key
from clients.note_defaults import service_codes_load_defaults, support_services_load_defaults
from peers.defaults import load_default_credential_types
from peers.models import (
    CEDomain,
    ContinuingEducation,
    Credential,
    CredentialType,
    HoursKind,
    StaffProfile,
    TraineeHours,
    add_months,
)
from records.models import Basis, Disclosure, Document, Method
from recovery.models import AccessLog, Membership, Notification, Program, SecurityEvent, User
from recovery.reference import program_reference_defaults
from recovery.twofactor import backup_codes_replace
from referrals.defaults import categories_load
from referrals.models import Category, Referral, Resource
from reports.summary import note_month_add, summaries_rebuild
from supervision.models import ActionItem, Attendance, SupervisionSession, Topic
from supervision.topics import topics_load_defaults

assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher"), "tests must use the fast hasher"


# --- Accounts and programs (recovery)

PASSWORD = "correct horse battery staple"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    organization = "Test Community Services Board"

    @factory.post_generation
    def reference_data(obj, create, extracted, **kwargs):
        """Every program starts with the default reference lists, as createprogram gives it."""
        if create:
            program_reference_defaults(obj)


def first_program() -> Program:
    """The program a helper uses when a test names none: the first made (the ``program`` persona's)."""
    return Program.objects.order_by("pk").first() or ProgramFactory()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = Membership.Role.PEER


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    title = factory.Sequence(lambda n: f"Notification {n}")
    url = "/"


def make_staff(program: Program, role: str, *, supervisor: User | None = None, **user_fields) -> User:
    """A user with an active membership in ``program``."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, program=program, role=role, supervisor=supervisor)
    return user


# --- Security and audit records (recovery)

class AccessLogFactory(factory.django.DjangoModelFactory):
    """A read of a participant's record; ``at`` is "now" (move time with time_machine to set it)."""

    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    action = AccessLog.Action.VIEW
    object_type = "clients.client"
    client_uuid = factory.LazyFunction(uuid.uuid4)
    object_id = factory.LazyAttribute(lambda o: str(o.client_uuid))
    path = factory.LazyAttribute(lambda o: f"/clients/{o.client_uuid}/")
    ip = "10.0.0.7"
    user_agent = "Mozilla/5.0 (test)"


class SecurityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecurityEvent

    kind = SecurityEvent.Kind.TWO_FACTOR_ENROLLED
    user = factory.SubFactory(UserFactory)
    actor = factory.SelfAttribute("user")
    program = factory.SubFactory(ProgramFactory)
    ip = "10.0.0.8"


def enrol_device(user) -> tuple[TOTPDevice, list[str]]:
    """Give ``user`` a confirmed authenticator app and backup codes, as after enrolment."""
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return device, backup_codes_replace(user=user)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (time_machine moves "now")."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


# --- Staff records and credentials (peers)

CPRS = "Certified Peer Recovery Specialist"
RPRS = "Registered Peer Recovery Specialist"
PR = "IC&RC Peer Recovery"


def default_type(name: str) -> CredentialType:
    """One of the shared defaults the data migration loads (DOMAIN.md).

    Browser tests flush the database, data migrations' rows included: load the defaults again if needed.
    """
    load_default_credential_types(CredentialType)
    return CredentialType.objects.get(program=None, name=name)


def membership_of(user, program=None) -> Membership:
    memberships = Membership.objects.filter(user=user)
    return memberships.get(program=program) if program else memberships.get()


class CredentialTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialType

    name = factory.Sequence(lambda n: f"Test credential {n}")
    abbreviation = "TC"
    issuing_body = "Test Certification Board"
    cycle_months = 24
    ce_hours = Decimal(20)
    ethics_hours = Decimal(3)
    makes_billable = False


class CredentialFactory(factory.django.DjangoModelFactory):
    """A held credential expiring ``expires_in`` days after ``today`` (both overridable)."""

    class Meta:
        model = Credential

    class Params:
        today = factory.LazyFunction(datetime.date.today)
        expires_in = 365
        in_training = factory.Trait(issued_on=None, expires_on=None, number="")

    type = factory.LazyFunction(lambda: default_type(CPRS))
    number = factory.Sequence(lambda n: f"NUM-{n:05d}")
    expires_on = factory.LazyAttribute(lambda o: o.today + datetime.timedelta(days=o.expires_in))
    issued_on = factory.LazyAttribute(lambda o: add_months(o.expires_on, -o.type.cycle_months))


class ContinuingEducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContinuingEducation

    completed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    title = factory.Sequence(lambda n: f"Course {n}")
    provider = "Test Training Provider"
    hours = Decimal(4)
    ethics_hours = Decimal(0)
    domain = CEDomain.OTHER


class TraineeHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeHours

    kind = HoursKind.EXPERIENCE
    worked_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    hours = Decimal(6)


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile


# --- Participants, plans and consents (clients)

def today() -> datetime.date:
    """Today where the test programs work (their default time zone)."""
    return timezone.localdate(timezone.now(), zoneinfo.ZoneInfo("America/New_York"))


def days(n: int) -> datetime.date:
    """A date ``n`` days from today (negative: in the past)."""
    return today() + datetime.timedelta(days=n)


def dimensions(program: Program | None = None) -> dict[str, Dimension]:
    """A program's dimensions by code (default: the first program's), loaded if missing."""
    program = program or first_program()
    dimensions_load_defaults(Dimension, program)
    return {d.code: d for d in Dimension.objects.filter(program=program)}


class ClientFactory(factory.django.DjangoModelFactory):
    """A participant carried by ``primary_peer`` (pass ``primary_peer=None`` for "needs assignment").

    The assignment history row is created too, so the participant looks as if ``client_assign`` ran.
    """

    class Meta:
        model = Client
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Participant {chr(65 + n % 26)}{n} Example")
    preferred_name = ""
    birth_date = datetime.date(1985, 6, 15)
    phone = "540-555-0100"
    created_by = factory.LazyAttribute(lambda o: o.primary_peer or o.program.memberships.first().user)
    name_key = factory.LazyAttribute(lambda o: name_key(o.full_name))
    search_text = factory.LazyAttribute(lambda o: name_key(o.full_name, o.preferred_name))

    @factory.post_generation
    def episode(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            Episode.objects.create(client=obj, started_on=days(-60),
                                   referral_source=Episode.ReferralSource.SELF, created_by=obj.created_by)

    @factory.post_generation
    def assignment(obj, create, extracted, **kwargs):
        if create and obj.primary_peer_id:
            CaseAssignment.objects.create(client=obj, peer=obj.primary_peer, assigned_by=obj.created_by,
                                          reason="Enrolled at intake.")


def bulk_clients(program, peer, count: int, *, prefix: str = "Bulk", created_by=None) -> list[Client]:
    """Many participants at once (no episodes or history): for query-count tests."""
    rows = []
    for n in range(count):
        full_name = f"{prefix} Person{n:04d}"
        rows.append(Client(program=program, primary_peer=peer, full_name=full_name, created_by=created_by or peer,
                           birth_date=datetime.date(1980, 1, 1), name_key=name_key(full_name),
                           search_text=name_key(full_name)))
    return Client.objects.bulk_create(rows)


class RecoveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryPlan

    client = factory.SubFactory(ClientFactory)
    started_on = factory.LazyFunction(lambda: days(-30))
    review_on = factory.LazyFunction(lambda: days(60))
    created_by = factory.LazyAttribute(lambda o: o.client.created_by)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        skip_postgeneration_save = True

    plan = factory.SubFactory(RecoveryPlanFactory)
    text = factory.Sequence(lambda n: f"I want to reach goal number {n}.")
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def dimension_codes(obj, create, extracted, **kwargs):
        if create:
            by_code = dimensions(obj.plan.client.program)
            obj.dimensions.set([by_code[c] for c in (extracted or ["health"])])


class ActionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStep

    goal = factory.SubFactory(GoalFactory)
    description = factory.Sequence(lambda n: f"Step {n}")
    due_on = factory.LazyFunction(lambda: days(14))


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    discloser = "Riverside Peer Recovery"
    information = "Attendance and progress in peer recovery services."
    recipients = "Dr. Example, Valley Primary Care"
    purpose = "Coordinate care."
    right_to_revoke_explained = True
    expiry_event = Consent.ExpiryEvent.DATE
    signed_on = factory.LazyFunction(lambda: days(-10))
    expires_on = factory.LazyFunction(lambda: days(355))
    created_by = factory.LazyAttribute(lambda o: o.client.created_by)


# --- Session notes, addenda and follow-ups (clients)

def service_code(code: str = "T1012", program: Program | None = None) -> ServiceCode:
    """One of a program's default codes (by default the first program's)."""
    program = program or first_program()
    service_codes_load_defaults(ServiceCode, program)
    return ServiceCode.objects.get(code=code, program=program)


def support_services(program: Program | None = None) -> dict[str, SupportService]:
    program = program or first_program()
    support_services_load_defaults(SupportService, program)
    return {s.code: s for s in SupportService.objects.filter(program=program)}


def _ended_at(o) -> datetime.datetime:
    return session_ended_at(zoneinfo.ZoneInfo(o.client.program.time_zone), o.session_date, o.start_time, o.end_time,
                            o.duration_minutes)


class SessionNoteFactory(factory.django.DjangoModelFactory):
    """A draft note of an hour-long individual session yesterday, by the peer who carries the participant.

    ``signed=True`` stamps it as signed with its units (as ``note_sign`` would, without the caps).
    """

    class Meta:
        model = SessionNote
        skip_postgeneration_save = True

    class Params:
        signed = factory.Trait(
            status=SessionNote.Status.SIGNED,
            signed_at=factory.LazyAttribute(lambda o: o.ended_at + datetime.timedelta(hours=1)),
            signed_by=factory.SelfAttribute("author"),
            units_computed=factory.LazyAttribute(lambda o: o.duration_minutes // 15),
            units_billable=factory.LazyAttribute(lambda o: o.duration_minutes // 15),
        )

    client = factory.SubFactory(ClientFactory)
    author = factory.LazyAttribute(lambda o: o.client.primary_peer)
    session_date = factory.LazyFunction(lambda: days(-1))
    start_time = datetime.time(10, 0)
    end_time = datetime.time(11, 0)
    duration_minutes = 60
    ended_at = factory.LazyAttribute(_ended_at)
    contact_type = SessionNote.ContactType.INDIVIDUAL
    setting = SessionNote.Setting.OFFICE
    service_code = factory.LazyAttribute(lambda o: service_code(program=o.client.program))
    summary = factory.Sequence(lambda n: f"Talked through the week, session {n}.")
    response = "Engaged and hopeful."

    @factory.post_generation
    def summarised(obj, create, extracted, **kwargs):
        # Signed here without note_sign: add it to the reports' monthly summary as note_sign's handler would.
        if create and obj.status == SessionNote.Status.SIGNED:
            note_month_add(note=obj)


class NoteAddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteAddendum

    note = factory.SubFactory(SessionNoteFactory, signed=True)
    author = factory.LazyAttribute(lambda o: o.note.author)
    text = "Correction: the meeting was on Tuesday."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    client = factory.SubFactory(ClientFactory)
    due_on = factory.LazyFunction(lambda: days(0))
    assignee = factory.LazyAttribute(lambda o: o.client.primary_peer)
    purpose = factory.Sequence(lambda n: f"Call about the housing application ({n}).")
    created_by = factory.LazyAttribute(lambda o: o.assignee)


def bulk_notes(client, count: int, *, author=None, signed: bool = True, start: datetime.date | None = None,
               crisis_every: int = 0) -> list[SessionNote]:
    """Many notes at once, one a day going back from ``start`` (for query-count tests)."""
    author = author or client.primary_peer
    zone = zoneinfo.ZoneInfo(client.program.time_zone)
    code = service_code(program=client.program)
    start = start or days(-1)
    rows = []
    for n in range(count):
        day = start - datetime.timedelta(days=n % 360)
        ended = datetime.datetime.combine(day, datetime.time(11), tzinfo=zone)
        crisis = bool(crisis_every) and n % crisis_every == 0
        rows.append(SessionNote(
            client=client, author=author, session_date=day, start_time=datetime.time(10), end_time=datetime.time(11),
            duration_minutes=60, ended_at=ended, service_code=code, summary=f"Bulk session {n}.",
            crisis_flag=crisis, crisis_description="Bulk crisis" if crisis else "",
            status=SessionNote.Status.SIGNED if signed else SessionNote.Status.DRAFT,
            signed_at=ended + datetime.timedelta(hours=1) if signed else None, signed_by=author if signed else None,
            units_computed=4 if signed else None, units_billable=0 if signed else None,
        ))
    notes = SessionNote.objects.bulk_create(rows, batch_size=1000)
    if signed:
        summaries_rebuild([client.program_id])  # signed in bulk: the reports' summaries, as seed_scale writes them
    return notes


def bulk_followups(client, count: int, *, due_from: datetime.date | None = None) -> list[FollowUp]:
    due_from = due_from or days(-30)
    rows = [FollowUp(client=client, due_on=due_from + datetime.timedelta(days=n % 60), assignee=client.primary_peer,
                     purpose=f"Bulk follow-up {n}", created_by=client.primary_peer, created_at=timezone.now())
            for n in range(count)]
    return FollowUp.objects.bulk_create(rows, batch_size=1000)


# --- Supervision sessions (supervision)

def topics(program: Program | None = None) -> dict[str, Topic]:
    """A program's topics by code (by default the first program's)."""
    program = program or first_program()
    topics_load_defaults(Topic, program)
    return {t.code: t for t in Topic.objects.filter(program=program)}


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    """A session led by ``supervisor`` with ``supervisees`` (users of the program).

    Pass ``signed=True`` to sign it after its parts are written (a signed session takes no new parts).
    """

    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    supervisees = ()
    topic_codes = ("case-review",)
    participants = ()
    signed = False
    program = factory.LazyAttribute(lambda o: o.supervisor.memberships.first().program)
    kind = factory.LazyAttribute(lambda o: SupervisionSession.Kind.GROUP if len(o.supervisees) > 1
                                 else SupervisionSession.Kind.INDIVIDUAL)
    held_on = factory.LazyFunction(lambda: days(-7))
    duration_minutes = 60
    format = SupervisionSession.Format.IN_PERSON
    notes = "Talked through the week."

    @classmethod
    def _create(cls, model_class, *args, supervisees, signed, topic_codes, participants, **kwargs):
        session = super()._create(model_class, *args, **kwargs)
        for user in supervisees:
            Attendance.objects.create(session=session, membership=membership_of(user, session.program))
        by_code = topics(session.program)
        session.topics.set([by_code[code] for code in topic_codes])
        session.participants_discussed.set(participants)
        if signed:
            session.signed_at = timezone.now()
            session.save(update_fields=["signed_at"])
        return session


def action_item(session: SupervisionSession, assignee, *, due_in: int = 7, description: str = "Read the policy",
                done: bool = False) -> ActionItem:
    """An action item; for a signed session it must be made before signing (use ``signed=False`` first)."""
    return ActionItem.objects.create(
        session=session, assignee=assignee, description=description,
        due_on=session.held_on + datetime.timedelta(days=due_in),
        done_at=timezone.now() if done else None, done_by=assignee if done else None,
    )


def sign(session: SupervisionSession) -> SupervisionSession:
    session.signed_at = timezone.now()
    session.save(update_fields=["signed_at"])
    return session


# --- The resource directory and referrals (referrals)

def resource_categories() -> dict[str, Category]:
    """The shipped categories by code (a transactional test may have flushed the migration's rows)."""
    categories_load(Category)
    return {c.code: c for c in Category.objects.filter(program__isnull=True)}


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    organisation = factory.Sequence(lambda n: f"Harbor House {n}")
    service_name = "Recovery residence"
    phone = "(540) 555-0100"
    cost = Resource.Cost.SLIDING
    languages = factory.LazyFunction(lambda: ["English"])
    verified_on = factory.LazyFunction(lambda: days(-10))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        """``categories=["recovery-housing", ...]`` (codes of shipped categories); default: recovery housing."""
        if not create:
            return
        shipped = resource_categories()
        chosen = [shipped[code] if isinstance(code, str) else code for code in (extracted or ["recovery-housing"])]
        self.categories.set(chosen)
        self.set_search_text([c.name for c in chosen])
        self.save(update_fields=["search_text"])


def referral_for(client, resource=None, *, by=None, made_on: datetime.date | None = None, **fields) -> Referral:
    """A referral made through the service (its first event and its follow-up come with it)."""
    from referrals.services import referral_make

    made_on = made_on or days(0)
    by = by or client.primary_peer
    return referral_make(client=client, by=by, organisation=resource.organisation if resource else "Oneoff Org",
                         resource=resource, reason=fields.pop("reason", "Needs a place to live."), made_on=made_on,
                         followup_on=fields.pop("followup_on", made_on + datetime.timedelta(days=7)), **fields)


def bulk_referrals(client, resource, count: int) -> list[Referral]:
    """Many referrals of one participant at once, in every status (for query-count tests)."""
    statuses = [Referral.Status.MADE, Referral.Status.CONNECTED, Referral.Status.COMPLETED,
                Referral.Status.NOT_COMPLETED]
    rows = []
    for n in range(count):
        status = statuses[n % len(statuses)]
        made_on = days(-(n % 90) - 1)
        rows.append(Referral(client=client, resource=resource, organisation=resource.organisation,
                             reason=f"Bulk referral {n}", made_on=made_on, status_on=made_on, status=status,
                             not_completed_reason="declined" if status == Referral.Status.NOT_COMPLETED else "",
                             made_by=client.primary_peer))
    return Referral.objects.bulk_create(rows, batch_size=1000)


# --- Billing: payers, coverage, service authorizations, claim batches


class PayerFactory(factory.django.DjangoModelFactory):
    """A Medicaid payer that requires service authorizations."""

    class Meta:
        model = Payer

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Medicaid plan {n}")
    kind = Payer.Kind.MEDICAID
    payer_code = factory.Sequence(lambda n: f"PAY{n:03d}")
    requires_authorization = True


class CoverageFactory(factory.django.DjangoModelFactory):
    """Open coverage of the participant by a payer of their program, from a year ago."""

    class Meta:
        model = Coverage

    client = factory.SubFactory(ClientFactory)
    payer = factory.LazyAttribute(lambda o: PayerFactory(program=o.client.program))
    member_id = factory.Sequence(lambda n: f"M{n:08d}")
    starts_on = factory.LazyFunction(lambda: days(-365))
    ends_on = None
    created_by = factory.LazyAttribute(lambda o: o.client.primary_peer or UserFactory())


class AuthorizationFactory(factory.django.DjangoModelFactory):
    """96 units of T1012 from the covering payer, from 60 days ago to 30 days ahead, recommended 5 days
    before it starts."""

    class Meta:
        model = ServiceAuthorization

    client = factory.SubFactory(ClientFactory)
    payer = factory.LazyAttribute(lambda o: PayerFactory(program=o.client.program))
    service_code = factory.LazyAttribute(lambda o: service_code(program=o.client.program))
    number = factory.Sequence(lambda n: f"SA-{n:05d}")
    units_authorized = 96
    starts_on = factory.LazyFunction(lambda: days(-60))
    ends_on = factory.LazyFunction(lambda: days(30))
    recommended_on = factory.LazyAttribute(lambda o: o.starts_on - datetime.timedelta(days=5))
    created_by = factory.LazyAttribute(lambda o: o.client.primary_peer or UserFactory())


def covered(client, *, payer: Payer | None = None, units: int = 96, authorize: bool = True, **authorization):
    """Cover ``client`` by ``payer`` (a new Medicaid payer) and, if asked, authorize ``units`` of T1012."""
    payer = payer or PayerFactory(program=client.program)
    coverage = CoverageFactory(client=client, payer=payer)
    if authorize and payer.requires_authorization:
        AuthorizationFactory(client=client, payer=payer, units_authorized=units, **authorization)
    return coverage


class ClaimBatchFactory(factory.django.DjangoModelFactory):
    """An (empty) billed batch of last month."""

    class Meta:
        model = ClaimBatch

    program = factory.SubFactory(ProgramFactory)
    period_start = factory.LazyFunction(lambda: (days(0).replace(day=1) - datetime.timedelta(days=1)).replace(day=1))
    period_end = factory.LazyFunction(lambda: days(0).replace(day=1) - datetime.timedelta(days=1))
    billed_by = factory.SubFactory(UserFactory)


# --- Records: disclosures and documents

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class DisclosureFactory(factory.django.DjangoModelFactory):
    """A disclosure made under an exception (no consent needed); pass ``consent=`` and ``basis=Basis.CONSENT``
    for one under a consent."""

    class Meta:
        model = Disclosure

    client = factory.SubFactory(ClientFactory)
    recipient = "Valley Primary Care"
    information = "Attendance"
    disclosed_on = factory.LazyFunction(lambda: days(-1))
    method = Method.FAX
    basis = Basis.AUDIT
    reason = factory.LazyAttribute(lambda o: "" if o.basis in (Basis.CONSENT, Basis.OWN_REQUEST) else "State audit.")
    notice = factory.LazyAttribute(lambda o: o.client.program.disclosure_notice)
    disclosed_by = factory.LazyAttribute(lambda o: o.client.primary_peer or o.client.created_by)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    client = factory.SubFactory(ClientFactory)
    kind = Document.Kind.PROVIDER_LETTER
    title = factory.Sequence(lambda n: f"Letter {n} from Valley Primary Care")
    received_on = factory.LazyFunction(lambda: days(-3))
    file = factory.django.FileField(filename="letter.pdf", data=MINIMAL_PDF)
    uploaded_by = factory.LazyAttribute(lambda o: o.client.primary_peer or o.client.created_by)
