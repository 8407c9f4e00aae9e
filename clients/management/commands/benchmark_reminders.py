"""Time the reminder sweeps on a large throwaway program, then roll everything back.

    python manage.py benchmark_reminders --staff 10000 --participants 5000 --followups 50000

It lives in clients, the app whose data (with peers' credentials) it generates: recovery imports no
app. It runs every sweep in ``recovery.reminders.SWEEPS``, the registry the apps fill.

Reports, per sweep, the wall time, the process's CPU time and the time PostgreSQL took to answer (on a
shared, loaded machine the wall time is mostly waiting for a core: the other two are what the sweep
costs), the number of SQL queries and the notifications it would create.
Nothing is kept: the data and the notifications are made inside one transaction that is rolled back.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from clients.models import Client, Consent, FollowUp
from clients.names import name_key
from peers.defaults import load_default_credential_types
from peers.models import Credential, CredentialType
from recovery.models import Membership, Notification, Program, User
from recovery.reminders import SWEEPS, sweep_run


class Command(BaseCommand):
    help = "Benchmark the reminder sweeps on generated data (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=10_000)
        parser.add_argument("--participants", type=int, default=5_000)
        parser.add_argument("--followups", type=int, default=50_000)

    def handle(self, *args, staff: int, participants: int, followups: int, **options):
        with transaction.atomic():
            started = time.perf_counter()
            program = self._generate(staff, participants, followups)
            self.stdout.write(f"generated data in {time.perf_counter() - started:.1f} s")
            self.stdout.write(f"{'sweep':<42} {'seconds':>8} {'cpu s':>8} {'sql s':>8} {'queries':>8} {'created':>8}")
            for sweep in SWEEPS:
                before = Notification.objects.count()
                with CaptureQueriesContext(connection) as queries:
                    t0, cpu0 = time.perf_counter(), time.process_time()
                    sweep_run(sweep, program)
                    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
                sql = sum(float(q["time"]) for q in queries.captured_queries)
                created = Notification.objects.count() - before
                name = f"{sweep.__module__}.{sweep.__name__}"
                self.stdout.write(f"{name:<42} {elapsed:>8.2f} {cpu:>8.2f} {sql:>8.2f} {len(queries):>8} {created:>8}")
            transaction.set_rollback(True)
        self.stdout.write("rolled back: nothing was kept")

    def _generate(self, staff: int, participants: int, followups: int) -> Program:
        rng = random.Random(7)
        program = Program.objects.create(name=f"Benchmark program {time.time_ns()}")
        today = program.today()
        users = User.objects.bulk_create(
            User(email=f"bench{i}-{program.pk}@bench.invalid", full_name=f"Bench Staff {i}") for i in range(staff)
        )
        admin = users[0]
        memberships = Membership.objects.bulk_create(
            Membership(user=u, program=program, role=Membership.Role.ADMIN if u is admin else Membership.Role.PEER)
            for u in users
        )
        load_default_credential_types(CredentialType)
        cprs = CredentialType.objects.filter(program=None).order_by("pk").first()
        Credential.objects.bulk_create(
            Credential(membership=m, type=cprs, issued_on=today - timedelta(days=600),
                       expires_on=today + timedelta(days=rng.randint(0, 400)), number=f"B{i}")
            for i, m in enumerate(memberships)
        )
        self._generate_participants(program, users, participants, followups, rng)
        return program

    def _generate_participants(self, program, users, participants, followups, rng) -> None:
        peers = users[1:] or users
        today = program.today()
        clients = Client.objects.bulk_create(
            Client(program=program, primary_peer=rng.choice(peers), full_name=f"Bench Participant {i}",
                   birth_date=today.replace(year=1980), name_key=name_key(f"Bench Participant {i}"),
                   search_text=name_key(f"Bench Participant {i}"), created_by=users[0])
            for i in range(participants)
        )
        Consent.objects.bulk_create(
            Consent(client=c, discloser="Benchmark", information="Attendance", recipients="Clinic",
                    purpose="Care", right_to_revoke_explained=True, signed_on=today - timedelta(days=300),
                    expires_on=today + timedelta(days=rng.randint(0, 400)), created_by=users[0])
            for c in clients
        )
        self._generate_followups(program, clients, followups, rng)

    def _generate_followups(self, program, clients, followups, rng) -> None:
        today = program.today()
        FollowUp.objects.bulk_create(
            FollowUp(client=c, assignee_id=c.primary_peer_id, due_on=today + timedelta(days=rng.randint(-10, 30)),
                     purpose="Check in", created_by_id=c.primary_peer_id)
            for c in (rng.choice(clients) for _ in range(followups))
        )
