"""``python manage.py benchmark_reports``: the program report for a year, timed in-process on the database
``DATABASE_URL`` points at (seed it with ``manage.py seed_scale``: 10,000 participants, 500,000 notes).

For each round it renders the report page (every measure, breakdown and chart, and the template) as the
program admin of the largest program, for the last full federal fiscal year and for the last 12 months,
and prints the server time (median of the rounds) and the query count. Read-only: each request runs in a
transaction that is rolled back (the access-log row it writes is discarded).
"""

from __future__ import annotations

import statistics
import time

from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from recovery.models import Membership, Program
from reports import views

TARGET_SECONDS = 1.0


class Command(BaseCommand):
    help = "Time the program report for a year on the current database (read-only)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--email", default="", help="The admin to report as (default: the largest program's).")

    def handle(self, *args, rounds: int, email: str, **options):
        program = Program.objects.annotate(n=Count("clients")).order_by("-n").first()
        if program is None:
            raise CommandError("No program: seed the database first (manage.py seed_scale).")
        admins = Membership.objects.filter(program=program, role=Membership.Role.ADMIN, is_active=True)
        membership = (admins.filter(user__email=email) if email else admins).select_related("user", "program").first()
        if membership is None:
            raise CommandError("No program admin found.")
        self.stdout.write(f"{program.name}: {program.n:,} participants; reporting as a program admin")
        failed = False
        for label, query in (("last federal fiscal year", {"preset": "last_ffy"}),
                             ("this federal fiscal year", {"preset": "this_ffy"})):
            seconds, queries = [], 0
            for _ in range(max(rounds, 1)):
                request = RequestFactory().get("/reports/", query)
                request.user, request.membership = membership.user, membership
                request.session = SessionStore()
                request._messages = FallbackStorage(request)
                with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = views.report(request)
                    seconds.append(time.perf_counter() - start)
                    transaction.set_rollback(True)
                queries = len(captured.captured_queries)
                if response.status_code != 200:
                    raise CommandError(f"The report answered {response.status_code}.")
            median = statistics.median(seconds)
            failed |= median > TARGET_SECONDS
            self.stdout.write(f"  {label}: {median * 1000:.0f} ms server time (median of {len(seconds)}; "
                              f"best {min(seconds) * 1000:.0f} ms), {queries} queries")
        self.stdout.write(f"target: {TARGET_SECONDS:.1f} s " + ("MISSED" if failed else "met"))
