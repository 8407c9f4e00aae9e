"""A large, deterministic data set for measuring the pages at the scale PRODUCT.md promises.

``python manage.py seed_scale`` (see the command for the options) fills any migrated database with
programs, staff, participants and two years of their records. It lives in supervision, the top app,
because it writes every app's tables (recovery imports no app).

Rows go in with PostgreSQL's COPY, as the runtime role, with every trigger on: signed notes, signed
supervision sessions and approved reviews are written already final (the triggers refuse changing a
final row, never inserting one); supervision sessions take their supervisees first and are signed by
an UPDATE afterwards, as the attendance trigger requires. The same seed gives the same data, dated
relative to the day it runs.
"""

from __future__ import annotations

import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from clients.models import (
    CaseAssignment,
    Client,
    Consent,
    Episode,
    FollowUp,
    GroupSession,
    NoteAddendum,
    RecoveryPlan,
    ServiceCode,
    SessionNote,
)
from clients.models.notes import last_contacts_rebuild
from clients.names import name_key
from peers.defaults import load_default_credential_types
from peers.models import Credential, CredentialType
from recovery.dbroles import as_owner
from recovery.models import AccessLog, Membership, Notification, Program, User
from recovery.reference import program_reference_defaults
from supervision.models import Attendance, NoteReview, NoteReviewDecision, SupervisionSession

# Full scale: PRODUCT.md's promise (10,000 participants, 500,000 notes) and the brief's other counts.
FULL = {
    "programs": 2, "staff": 200, "participants": 10_000, "notes": 500_000, "followups": 50_000,
    "reviews": 100_000, "access_logs": 1_000_000, "notifications": 20_000,
}
DAYS = 730  # two years of notes

# Summary tables, written at the end of the load from what it wrote in bulk: each is called with the new
# programs' ids and returns its row count. The participants' last contact (clients; its triggers kept it
# during the load already: written again all the same, from the notes), and those of the apps above
# (reports: the monthly note summary), filled in their ``AppConfig.ready()`` (supervision imports no app above it).
SUMMARY_TABLES: list[Callable[[list[int]], int]] = [last_contacts_rebuild]
SUPERVISORS_PER_PROGRAM = 8
# One login per role, in the first program; the peer is supervised by the supervisor.
BENCH_EMAILS = {"peer": "bench-peer@scale.example", "supervisor": "bench-supervisor@scale.example",
                "admin": "bench-admin@scale.example"}
# A fixed TOTP key per benchmark login: the benchmark client computes the codes (RFC 6238) from it.
BENCH_TOTP_KEY = "3132333435363738393031323334353637383930"
FIRST = ["Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Gray", "Harper", "Indy", "Jordan", "Kai",
         "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Riley", "Sage", "Taylor", "Val", "Wren"]
LAST = ["Abbott", "Barnes", "Carver", "Dalton", "Ellis", "Foster", "Garner", "Hayes", "Irwin", "Jensen",
        "Keller", "Lowry", "Mercer", "Nolan", "Ortega", "Pruitt", "Quade", "Ramos", "Sutton", "Tate"]
SUMMARIES = ["Talked through the week and the goal of finding housing.", "Went to the clinic together.",
             "Phone check-in; doing well, attending meetings.", "Worked on the job application.",
             "Met at the library; planned next steps for benefits."]


def scaled_counts(scale: float, **overrides: int | None) -> dict[str, int]:
    counts = {name: max(1, round(value * scale)) for name, value in FULL.items()}
    counts["programs"] = FULL["programs"]  # not scaled: the scoping between programs is part of the test
    counts["staff"] = max(counts["staff"], 2 * (SUPERVISORS_PER_PROGRAM + 3))
    counts.update({name: value for name, value in overrides.items() if value is not None})
    return counts


def copy_rows(model: type[models.Model], rows: Iterable[dict], chunk: int = 20_000) -> list[int]:
    """COPY ``rows`` (dicts by attname; missing fields take their default) into ``model``'s table and
    return the new ids in insertion order (one session inserts in identity order).

    One COPY statement per ``chunk`` rows: the history and foreign-key triggers queue their work until
    the end of each statement, and one queue of half a million rows costs far more than many small ones.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = model._meta.db_table
    cols = ", ".join(f'"{f.column}"' for f in fields)
    defaults = {f.attname: f.get_default() for f in fields}
    rows = iter(rows)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')  # noqa: S608 (a model's table)
        before = cursor.fetchone()[0]
        while batch := list(itertools.islice(rows, chunk)):
            with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in batch:
                    copy.write_row([row[f.attname] if f.attname in row else defaults[f.attname] for f in fields])
        cursor.execute(f'SELECT id FROM "{table}" WHERE id > %s ORDER BY id', [before])  # noqa: S608
        return [r[0] for r in cursor.fetchall()]


@dataclass
class Seed:
    counts: dict[str, int]
    password: str
    rng: random.Random
    log: Callable[[str], None]
    now: datetime = field(default_factory=timezone.now)
    programs: list[Program] = field(default_factory=list)
    peers: dict[int, list[int]] = field(default_factory=dict)  # program id -> peer user ids
    supervisor_of: dict[int, int] = field(default_factory=dict)  # peer user id -> supervisor user id
    membership_of: dict[tuple[int, int], int] = field(default_factory=dict)  # (user, program) -> membership
    admins: dict[int, int] = field(default_factory=dict)  # program id -> admin user id
    clients: list[tuple[int, int, int | None, uuid.UUID]] = field(default_factory=list)  # id, program, peer, uuid
    signed_notes: list[tuple[int, int, int, datetime]] = field(default_factory=list)  # id, author, program, signed

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def day(self, days_ago: int) -> date:
        return (self.now - timedelta(days=days_ago)).date()

    def step(self, label: str, fn: Callable[[], int]) -> None:
        started = time.perf_counter()
        n = fn()
        self.log(f"  {label:<28} {n:>9,} rows  {time.perf_counter() - started:6.1f} s")


def seed_scale(*, counts: dict[str, int], password: str, seed: int = 1,
               log: Callable[[str], None] = print) -> Seed:
    s = Seed(counts=counts, password=password, rng=random.Random(seed), log=log)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Foreign keys are checked at each statement's end, not kept for the commit: a transaction's
            # queue of deferred checks is walked again at the end of every statement (each history row
            # a trigger inserts is one), which makes a big load quadratic.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        s.step("programs and staff", lambda: _staff(s))
        s.step("participants", lambda: _participants(s))
        s.step("episodes, consents, plans", lambda: _participant_records(s))
        s.step("session notes", lambda: _notes(s))
        s.step("addenda", lambda: _addenda(s))
        s.step("follow-ups", lambda: _followups(s))
        s.step("note reviews", lambda: _reviews(s))
        s.step("supervision sessions", lambda: _supervision(s))
        s.step("access log", lambda: _access_log(s))
        s.step("notifications", lambda: _notifications(s))
        s.step("summaries", lambda: sum(summary([p.pk for p in s.programs]) for summary in SUMMARY_TABLES))
    # As the owner: ANALYZE skips, with a mere warning, every table the runtime role does not own, and
    # with no statistics the planner takes each table for a few rows (nested loops over 500,000 notes).
    # VACUUM too, as autovacuum would have by then in production: it marks the freshly written pages
    # all-visible, without which no index-only scan can skip the table (the dashboards' covering indexes).
    # Inside a transaction (a test's) neither the role switch nor VACUUM can run: the rows are few there.
    if not connection.in_atomic_block:
        with as_owner(connection), connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return s


def _staff(s: Seed) -> int:
    tag = s.uuid().hex[:6]
    s.programs = [Program.objects.create(name=f"Scale program {chr(65 + i)} ({tag})", organization="Scale test",
                                         note_review_policy=Program.NoteReviewPolicy.SHARE,
                                         note_review_share_percent=20)
                  for i in range(s.counts["programs"])]
    for program in s.programs:
        program_reference_defaults(program)
    hashed = make_password(s.password)  # one slow hash, shared: the staff are fictional
    per_program = s.counts["staff"] // len(s.programs)
    users, plan = [], []
    for p_index, program in enumerate(s.programs):
        for i in range(per_program):
            role = (Membership.Role.ADMIN if i == 0 else Membership.Role.SUPERVISOR
                    if i <= SUPERVISORS_PER_PROGRAM else Membership.Role.PEER)
            bench = p_index == 0 and i in (0, 1, SUPERVISORS_PER_PROGRAM + 1)
            email = BENCH_EMAILS[role] if bench else f"staff{p_index}-{i}-{tag}@scale.example"
            users.append(User(email=email, full_name=f"{s.rng.choice(FIRST)} {s.rng.choice(LAST)} {i}",
                              password=hashed))
            plan.append((program, role, i))
    users = User.objects.bulk_create(users, batch_size=1000)
    supervisors: dict[int, list[int]] = {}
    memberships = []
    for user, (program, role, i) in zip(users, plan, strict=True):
        supervisor = None
        if role == Membership.Role.SUPERVISOR:
            supervisors.setdefault(program.pk, []).append(user.pk)
        elif role == Membership.Role.PEER:
            # Peers are spread over the supervisors; the first peer (the benchmark's) has the first.
            supervisor = supervisors[program.pk][(i - SUPERVISORS_PER_PROGRAM - 1) % SUPERVISORS_PER_PROGRAM]
            s.peers.setdefault(program.pk, []).append(user.pk)
            s.supervisor_of[user.pk] = supervisor
        else:
            s.admins[program.pk] = user.pk
        memberships.append(Membership(user=user, program=program, role=role, supervisor_id=supervisor))
    for m in Membership.objects.bulk_create(memberships, batch_size=1000):
        s.membership_of[(m.user_id, m.program_id)] = m.pk
    _credentials(s, memberships)
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=u, name="Authenticator app", confirmed=True, key=BENCH_TOTP_KEY)
        for u in users if u.email in BENCH_EMAILS.values())
    return len(users) + len(memberships)


def _credentials(s: Seed, memberships: list[Membership]) -> None:
    load_default_credential_types(CredentialType)
    types = list(CredentialType.objects.filter(program=None).order_by("pk")[:2])
    today = s.now.date()
    Credential.objects.bulk_create(
        Credential(membership=m, type=types[n % len(types)], number=f"S{m.pk}",
                   issued_on=today - timedelta(days=s.rng.randint(100, 700)),
                   expires_on=today + timedelta(days=s.rng.randint(-30, 600)))
        for n, m in enumerate(memberships) if m.role == Membership.Role.PEER)


def _participants(s: Seed) -> int:
    rows, meta = [], []
    for i in range(s.counts["participants"]):
        program = s.programs[i % len(s.programs)]
        peers = s.peers[program.pk]
        peer = None if i % 97 == 0 else peers[(i // len(s.programs)) % len(peers)]
        full_name = f"{s.rng.choice(FIRST)} {s.rng.choice(LAST)}-{i}"
        key = name_key(full_name)
        client_uuid = s.uuid()
        rows.append({"uuid": client_uuid, "program_id": program.pk, "primary_peer_id": peer,
                     "status": "discharged" if i % 10 == 9 else "active", "full_name": full_name,
                     "birth_date": date(1960 + i % 40, 1 + i % 12, 1 + i % 28), "name_key": key,
                     "search_text": key, "created_by_id": s.admins[program.pk],
                     "created_at": s.now - timedelta(days=DAYS + 30 - i % 30)})
        meta.append((program.pk, peer, client_uuid))
    ids = copy_rows(Client, rows)
    s.clients = [(pk, *m) for pk, m in zip(ids, meta, strict=True)]
    return len(ids)


def _participant_records(s: Seed) -> int:
    episodes, consents, plans, assignments = [], [], [], []
    statuses = dict(Client.objects.filter(pk__in=[c[0] for c in s.clients]).values_list("pk", "status"))
    for pk, program_id, peer, _ in s.clients:
        admin = s.admins[program_id]
        started = s.day(DAYS + 20)
        discharged = statuses[pk] == "discharged"
        episodes.append({"uuid": s.uuid(), "client_id": pk, "started_on": started, "referral_source": "self",
                         "discharged_on": s.day(s.rng.randint(1, 300)) if discharged else None,
                         "discharge_reason": "completed" if discharged else "", "created_by_id": admin,
                         "discharged_by_id": admin if discharged else None})
        signed_on = s.day(s.rng.randint(30, 700))
        consents.append({"uuid": s.uuid(), "client_id": pk, "discloser": "The program", "information": "Attendance",
                         "recipients": "Treatment provider", "purpose": "Coordination of care",
                         "right_to_revoke_explained": True, "signed_on": signed_on,
                         "expires_on": signed_on + timedelta(days=s.rng.randint(200, 900)),
                         "created_by_id": admin, "created_at": s.now})
        plan_start = s.day(s.rng.randint(20, 400))
        plans.append({"uuid": s.uuid(), "client_id": pk, "started_on": plan_start,
                      "review_on": plan_start + timedelta(days=s.rng.randint(30, 420)),
                      "strengths": "Determined; supportive sister.", "created_by_id": peer or admin,
                      "status": "closed" if discharged else "active",
                      "closed_on": s.day(0) if discharged else None, "created_at": s.now})
        if peer:
            assignments.append({"client_id": pk, "peer_id": peer, "started_at": s.now - timedelta(days=DAYS),
                                "assigned_by_id": admin})
    for model, rows in ((Episode, episodes), (Consent, consents), (RecoveryPlan, plans),
                        (CaseAssignment, assignments)):
        copy_rows(model, rows)
    return len(episodes) + len(consents) + len(plans) + len(assignments)


def _note_times(s: Seed, zone, days_ago: int) -> tuple[date, dtime, dtime, int, datetime]:
    day = s.day(days_ago)
    start = dtime(9 + s.rng.randint(0, 7), s.rng.choice((0, 15, 30, 45)))
    minutes = s.rng.choice((15, 30, 45, 60, 90))
    ended = datetime.combine(day, start, tzinfo=zone) + timedelta(minutes=minutes)
    return day, start, ended.timetz().replace(tzinfo=None), minutes, ended


def _notes(s: Seed) -> int:
    zones = {p.pk: p.zone for p in s.programs}
    codes = dict(ServiceCode.objects.filter(program__in=s.programs, default_for=ServiceCode.DefaultFor.INDIVIDUAL)
                 .values_list("program_id", "pk"))
    assigned = [c for c in s.clients if c[2] is not None]
    groups = _groups(s, assigned)
    n_notes = s.counts["notes"]

    def rows():
        for i in range(n_notes):
            group = groups[i // 50] if i % 50 < 5 and i // 50 < len(groups) else None
            pk, program_id, peer, _ = s.rng.choice(assigned) if group is None else group[1][i % 5]
            author = group[2] if group else peer
            days_ago = s.rng.randint(0, DAYS - 1) if group is None else group[3]
            day, start, end, minutes, ended = _note_times(s, zones[program_id], days_ago)
            draft = days_ago < 14 and s.rng.random() < 0.25
            crisis = s.rng.random() < 0.01
            row = {"uuid": s.uuid(), "client_id": pk, "author_id": author, "group_id": group[0] if group else None,
                   "session_date": day, "start_time": start, "end_time": end, "duration_minutes": minutes,
                   "ended_at": ended, "contact_type": "group" if group else s.rng.choice(
                       ("individual", "individual", "phone", "telehealth", "outreach")),
                   "service_code_id": codes.get(program_id), "summary": s.rng.choice(SUMMARIES),
                   "crisis_flag": crisis, "crisis_description": "Expressed thoughts of relapse." if crisis else "",
                   "created_at": ended, "updated_at": ended}
            if not draft:
                late = s.rng.random() < 0.05
                signed_at = ended + timedelta(hours=s.rng.randint(60, 200) if late else s.rng.randint(1, 40))
                units = max(1, minutes // 15)
                row.update(status="signed", signed_at=signed_at, signed_by_id=author, late_entry=late,
                           units_computed=units, units_billable=units, updated_at=signed_at)
                meta.append((author, program_id, signed_at))
            else:
                meta.append(None)
            yield row

    meta: list = []
    ids = copy_rows(SessionNote, rows())
    s.signed_notes = [(pk, *m) for pk, m in zip(ids, meta, strict=True) if m is not None]
    return len(ids)


def _groups(s: Seed, assigned: list) -> list[tuple[int, list, int, int]]:
    """Group sessions (one in ten notes' share of 5-note groups): id, members, facilitator, days ago."""
    n_groups = s.counts["notes"] // 50
    by_peer: dict[int, list] = {}
    for c in assigned:
        by_peer.setdefault(c[2], []).append(c)
    peers = [p for p, cs in by_peer.items() if len(cs) >= 5]
    plan = []
    for _ in range(n_groups):
        peer = s.rng.choice(peers)
        program_id = by_peer[peer][0][1]
        plan.append((program_id, peer, s.rng.sample(by_peer[peer], 5), s.rng.randint(0, DAYS - 1)))
    ids = copy_rows(GroupSession, ({"uuid": s.uuid(), "program_id": p, "facilitator_id": peer,
                                    "session_date": s.day(d), "topic": "Coping skills", "created_at": s.now}
                                   for p, peer, _, d in plan))
    return [(pk, members, peer, d) for pk, (_, peer, members, d) in zip(ids, plan, strict=True)]


def _addenda(s: Seed) -> int:
    picked = s.rng.sample(s.signed_notes, min(len(s.signed_notes), s.counts["notes"] // 100))
    return len(copy_rows(NoteAddendum, ({"uuid": s.uuid(), "note_id": pk, "author_id": author,
                                         "text": "Correction: the session was at the clinic.",
                                         "created_at": signed + timedelta(days=1)}
                                        for pk, author, _, signed in picked)))


def _followups(s: Seed) -> int:
    assigned = [c for c in s.clients if c[2] is not None]

    def rows():
        for _ in range(s.counts["followups"]):
            pk, _, peer, _ = s.rng.choice(assigned)
            due_ago = s.rng.randint(-30, DAYS - 30)
            open_ = due_ago < 45 and s.rng.random() < 0.5
            created = s.now - timedelta(days=due_ago + 7)
            row = {"uuid": s.uuid(), "client_id": pk, "due_on": s.day(due_ago), "assignee_id": peer,
                   "purpose": "Call about the appointment", "created_by_id": peer, "created_at": created}
            if not open_:
                row.update(status="done", closed_at=created + timedelta(days=3), closed_by_id=peer)
            yield row
    return len(copy_rows(FollowUp, rows()))


def _reviews(s: Seed) -> int:
    """The newest signed notes of peers are reviewed (the program's share); older ones were approved."""
    candidates = [n for n in s.signed_notes if n[1] in s.supervisor_of]
    picked = sorted(s.rng.sample(candidates, min(len(candidates), s.counts["reviews"])), key=lambda n: n[3])
    pending_after = s.now - timedelta(days=10)
    decided = []

    def rows():
        for pk, author, program_id, signed in picked:
            row = {"uuid": s.uuid(), "note_id": pk, "author_membership_id": s.membership_of[(author, program_id)],
                   "reason": "share", "first_queued_at": signed, "queued_at": signed}
            if signed < pending_after:
                decided_at = signed + timedelta(hours=s.rng.randint(2, 120))
                row.update(status="approved", decided_at=decided_at)
                decided.append((s.supervisor_of[author], decided_at, decided_at - signed))
            else:
                decided.append(None)
            yield row
    ids = copy_rows(NoteReview, rows())
    copy_rows(NoteReviewDecision, ({"review_id": pk, "decision": "approved", "decided_by_id": d[0],
                                    "decided_at": d[1], "waited": d[2]}
                                   for pk, d in zip(ids, decided, strict=True) if d is not None))
    return len(ids)


def _supervision(s: Seed) -> int:
    plan = []
    for program in s.programs:
        for peer in s.peers[program.pk]:
            for month in range(DAYS // 30):
                plan.append((program.pk, peer, month * 30 + s.rng.randint(0, 20)))
    ids = copy_rows(SupervisionSession, ({"uuid": s.uuid(), "program_id": p, "supervisor_id": s.supervisor_of[peer],
                                          "held_on": s.day(d), "duration_minutes": 60, "notes": "Caseload review.",
                                          "created_at": s.now, "updated_at": s.now} for p, peer, d in plan))
    copy_rows(Attendance, ({"session_id": pk, "membership_id": s.membership_of[(peer, p)]}
                           for pk, (p, peer, _) in zip(ids, plan, strict=True)))
    # Signed after their supervisees are in (a signed session takes no new parts).
    SupervisionSession.objects.filter(pk__in=ids).update(signed_at=models.F("created_at"))
    return len(ids)


def _access_log(s: Seed) -> int:
    staff = [(u, p) for p, users in s.peers.items() for u in users]

    def rows():
        for _ in range(s.counts["access_logs"]):
            _, program_id, peer, client_uuid = s.rng.choice(s.clients)
            user = peer or s.admins[program_id]
            yield {"at": s.now - timedelta(seconds=s.rng.randint(0, DAYS * 86400)), "user_id": user,
                   "program_id": program_id, "action": "view", "object_type": "clients.client",
                   "object_id": str(client_uuid), "client_uuid": client_uuid, "path": f"/clients/{client_uuid}/",
                   "ip": "10.0.0.1", "user_agent": "seed_scale"}
    return len(copy_rows(AccessLog, rows())) if staff else 0


def _notifications(s: Seed) -> int:
    recipients = [u for users in s.peers.values() for u in users] + list(set(s.supervisor_of.values()))

    def rows():
        for i in range(s.counts["notifications"]):
            created = s.now - timedelta(minutes=s.rng.randint(0, DAYS * 1440))
            yield {"recipient_id": recipients[i % len(recipients)], "program_id": s.programs[0].pk,
                   "kind": "followup_due", "title": "Follow-ups are due", "body": "2 follow-ups are due today.",
                   "url": "/clients/followups/", "created_at": created,
                   "read_at": created + timedelta(hours=2) if s.rng.random() < 0.9 else None}
    return len(copy_rows(Notification, rows()))
