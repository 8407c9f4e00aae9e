"""Time the pages people live in at scale (supervision/benchmark.py), against a floor.

    python manage.py seed_scale                       # once, on a database of its own
    python manage.py benchmark_pages                  # p50/p95/max per page, ratio to the floor, queries
    python manage.py benchmark_pages --concurrent 8   # 8 clients on a peer's pages for 30 s
    python manage.py benchmark_pages --profile "admin:staff board"   # where one page's time goes, in-process

Starts gunicorn (2 workers, DEBUG off, a throwaway SECRET_KEY, HTTPS off, ALLOWED_HOSTS 127.0.0.1) on
DATABASE_URL, signs in the seeded logins (password and TOTP code) and stops the server at the end.
"""

from __future__ import annotations

import subprocess
import time

from django.core.management.base import BaseCommand, CommandError

from supervision import benchmark


class Command(BaseCommand):
    help = "Benchmark the main pages of each role on the seed_scale data set, from outside the server."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=30, help="measured requests per page (default 30)")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--password", default="lantern-scale")
        parser.add_argument("--concurrent", type=int, default=0, metavar="CLIENTS",
                            help="instead: this many concurrent clients on a peer's pages")
        parser.add_argument("--seconds", type=float, default=30.0, help="duration of the concurrent run")
        parser.add_argument("--no-queries", action="store_true", help="skip counting queries in-process")
        parser.add_argument("--profile", metavar="ROLE:PAGE", action="append", default=[],
                            help='instead: profile a page in-process ("peer:caseload"; repeatable)')
        parser.add_argument("--top", type=int, default=25, help="functions listed per profile (default 25)")

    def handle(self, *args, rounds: int, workers: int, password: str, concurrent: int, seconds: float,
               no_queries: bool, profile: list[str], top: int,
               **options):
        pages = benchmark.pages_to_measure()
        if profile:
            self._profile(pages, profile, max(1, min(rounds, 200)), max(1, min(top, 500)))
            return
        port = benchmark.free_port()
        server = benchmark.server_start(port, workers, self.stdout.write)
        try:
            browsers = {}
            for role in dict.fromkeys(p.role for p in pages):
                browsers[role] = benchmark.Browser(port)
                browsers[role].sign_in(benchmark.BENCH_EMAILS[role], password)
            if concurrent:
                self._concurrent(pages, browsers["peer"], concurrent, seconds)
                return
            started = time.perf_counter()
            timings = benchmark.measure(pages, browsers, max(1, min(rounds, 1000)))
            self.stdout.write(f"{rounds} rounds of {len(pages)} pages in {time.perf_counter() - started:.0f} s")
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        queries = {} if no_queries else benchmark.queries_per_page(pages, {i for i, t in timings.items() if t.error})
        for line in benchmark.table(pages, timings, queries):
            self.stdout.write(line)

    def _profile(self, pages, wanted: list[str], requests: int, top: int) -> None:
        for name in wanted:
            try:
                result = benchmark.profile_page(pages, name, requests, top)
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"== {result.page.role}: {result.page.name} ({result.page.path}) ==")
            self.stdout.write(f"in-process, DEBUG as set, {result.requests} requests: {result.wall_ms:.1f} ms per "
                              f"request, of which SQL {result.sql_ms:.1f} ms ({result.queries} queries)")
            for line in result.lines:
                self.stdout.write(line)

    def _concurrent(self, pages, browser, clients: int, seconds: float) -> None:
        paths = [p.path for p in pages if p.role == "peer" and p.name != benchmark.FLOOR]
        seconds = max(1.0, min(seconds, 600.0))
        count, timings, errors = benchmark.concurrent(paths, browser, max(1, min(clients, 64)), seconds)
        self.stdout.write(f"{clients} clients, {seconds:.0f} s, peer pages: {count} requests, "
                          f"{count / seconds:.1f} requests/s, p50 {timings.p(0.5):.0f} ms, "
                          f"p95 {timings.p(0.95):.0f} ms, errors {errors}")
