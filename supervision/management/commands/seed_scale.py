"""Fill the database with the scale data set (supervision/scale.py): by default PRODUCT.md's full scale.

    python manage.py seed_scale                    # 2 programs, 200 staff, 10,000 participants, 500,000 notes…
    python manage.py seed_scale --scale 0.01       # everything a hundredth
    python manage.py seed_scale --scale 0.1 --notes 200000

Run it as the runtime role (DATABASE_URL) on a migrated database; it adds a new set of programs each
time. It prints one login per role (password --password, each with a TOTP device of a fixed key that
``benchmark_pages`` uses to pass the two-factor step).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from recovery.models import User
from supervision import scale as scale_data


class Command(BaseCommand):
    help = "Create a large deterministic data set (programs, staff, participants, two years of records)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (default 1: full)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default="lantern-scale")
        for name in scale_data.FULL:
            parser.add_argument(f"--{name.replace('_', '-')}", type=int, dest=name,
                                help=f"number of {name.replace('_', ' ')} (full scale: {scale_data.FULL[name]:,})")

    def handle(self, *args, scale: float, seed: int, password: str, **options):
        if User.objects.filter(email__in=list(scale_data.BENCH_EMAILS.values())).exists():
            raise CommandError("The benchmark logins exist already: seed an empty (migrated) database.")
        counts = scale_data.scaled_counts(scale, **{name: options.get(name) for name in scale_data.FULL})
        self.stdout.write("Seeding " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        started = time.perf_counter()
        scale_data.seed_scale(counts=counts, password=password, seed=seed, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Seeded in {time.perf_counter() - started:.0f} s. Logins "
                                             f"(password {password!r}, TOTP key {scale_data.BENCH_TOTP_KEY}):"))
        for role, email in scale_data.BENCH_EMAILS.items():
            self.stdout.write(f"  {role:<11} {email}")

