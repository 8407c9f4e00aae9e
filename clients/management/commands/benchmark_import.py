"""Time a participant import of a large generated file (CSV or XLSX), then roll everything back.

    python manage.py benchmark_import --rows 5000 --format xlsx

Makes a throwaway program with an admin and 20 peers, writes a file of ``--rows`` participants (every
column filled, a third with a consent on file, every row assigned to a peer), and times the three steps an
admin goes through: reading the file, the dry run (``participants_check``) and the import
(``participants_import``), with the SQL query count of each. Then it imports the same file again to show
that nothing new is created. Nothing is kept: it all runs in one transaction that is rolled back.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from clients import imports
from clients.models import Client
from recovery.models import Membership, Program, User
from recovery.reference import program_reference_defaults
from recovery.tables import read_table


class Command(BaseCommand):
    help = "Benchmark the participant import on a generated file (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5_000)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")

    def handle(self, *args, rows: int, format: str, **options):
        with transaction.atomic():
            program = Program.objects.create(name=f"Import benchmark {time.time_ns()}")
            program_reference_defaults(program)
            admin = User.objects.create_user(email=f"admin-{program.pk}@bench.invalid", full_name="Bench Admin")
            Membership.objects.create(user=admin, program=program, role=Membership.Role.ADMIN)
            peers = User.objects.bulk_create(User(email=f"peer{i}-{program.pk}@bench.invalid",
                                                  full_name=f"Bench Peer {i}") for i in range(20))
            Membership.objects.bulk_create(Membership(user=p, program=program, role=Membership.Role.PEER)
                                           for p in peers)
            content = self._file(rows, format, [p.email for p in peers])
            self.stdout.write(f"{rows} rows, {format}, {len(content) / 1024:.0f} KB")
            total = 0.0
            for step, run in [
                ("read the file", lambda: read_table(f"f.{format}", content)),
                ("dry run", lambda: imports.participants_check(program=program, table=read_table(f"f.{format}",
                                                                                                 content))),
                ("import", lambda: imports.participants_import(program=program, by=admin, source="benchmark",
                                                               table=read_table(f"f.{format}", content))),
                ("import again", lambda: imports.participants_import(program=program, by=admin, source="benchmark",
                                                                     table=read_table(f"f.{format}", content))),
            ]:
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    run()
                    elapsed = time.perf_counter() - t0
                total += elapsed if step in ("dry run", "import") else 0
                self.stdout.write(f"{step:<14} {elapsed:>7.2f} s {len(queries):>6} queries "
                                  f"{Client.objects.filter(program=program).count():>6} participants")
            self.stdout.write(f"dry run + import: {total:.1f} s")
            transaction.set_rollback(True)
        self.stdout.write("rolled back: nothing was kept")

    def _file(self, rows: int, fmt: str, peer_emails: list[str]) -> bytes:
        rng = random.Random(14)
        today = datetime.date.today()
        lines = []
        for n in range(rows):
            intake = today - datetime.timedelta(days=rng.randint(1, 2000))
            consent = n % 3 == 0
            lines.append([f"Person{n} Benchmark{rng.randint(0, 999)}", "", (datetime.date(1950, 1, 1)
                          + datetime.timedelta(days=rng.randint(0, 20000))).isoformat(), "540-555-0100", "",
                          intake.isoformat(), rng.choice(["self", "treatment", "justice"]), "",
                          rng.choice(peer_emails), "yes" if consent else "no",
                          intake.isoformat() if consent else "", "", ])
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(imports.COLUMNS)
            writer.writerows(lines)
            return out.getvalue().encode()
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(imports.COLUMNS)
        for line in lines:
            sheet.append(line)
        binary = io.BytesIO()
        book.save(binary)
        return binary.getvalue()
