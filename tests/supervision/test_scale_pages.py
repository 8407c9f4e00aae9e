"""The benchmark's pages (supervision/benchmark.py) on the seed_scale data set, scaled down: each page makes
exactly its pinned number of queries at two sizes of the data, so the count cannot grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision import benchmark
from supervision.scale import scaled_counts, seed_scale

# The queries of each page. At full scale, where every section of the peer's My day and participant page
# has rows, benchmark_pages counted 17 and 29 for those two (sections without rows skip their queries).
PINNED = {
    "peer floor": 4, "peer My day": 19, "peer caseload": 9, "peer participant page": 31, "peer notes list": 10,
    "peer note form": 13, "supervisor My day": 16, "supervisor dashboard": 12, "supervisor supervisee page": 19,
    "supervisor review queue": 12, "supervisor participant list": 12, "admin My day": 16,
    "admin staff board": 10, "admin participant list": 11, "admin supervision dashboard": 11,
    "admin review queue": 11, "admin audit report (access)": 8, "admin audit report (changes)": 11,
    "admin audit report (security)": 7, "admin notifications": 6, "admin reports": 43,
}


def page_queries() -> dict[str, int]:
    counts = {}
    clients = {}
    for page in benchmark.pages_to_measure():
        if page.role not in clients:
            clients[page.role] = benchmark._verified_client(benchmark.User.objects.get(
                email=benchmark.BENCH_EMAILS[page.role]))
        client = clients[page.role]
        assert client.get(page.path).status_code == 200, page.path  # warm-up (first-visit writes)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.path).status_code == 200, page.path
        counts[f"{page.role} {page.name}"] = len(queries)
    return counts


@pytest.fixture
def seeded(db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]

    def seeded(scale: float) -> dict[str, int]:
        seed_scale(counts=scaled_counts(scale, access_logs=200, notifications=50), password="lantern-scale",
                   log=lambda line: None)
        return page_queries()
    return seeded


@pytest.mark.parametrize("scale", [0.002, 0.006])
def test_every_benchmark_page_makes_its_pinned_number_of_queries_at_two_sizes(seeded, scale):
    assert seeded(scale) == PINNED


def test_a_page_profile_says_how_long_its_sql_took_and_which_functions_took_the_rest(db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    seed_scale(counts=scaled_counts(0.002, access_logs=20, notifications=5), password="lantern-scale",
               log=lambda line: None)
    pages = benchmark.pages_to_measure()
    result = benchmark.profile_page(pages, "peer:caseload", requests=2, top=30)
    assert result.page.path == "/clients/"
    assert result.queries == PINNED["peer caseload"]
    assert 0 < result.sql_ms < result.wall_ms
    assert result.lines[0] == "-- by own time (2 requests) --"
    assert any("clients/views" in line for line in result.lines)
    with pytest.raises(ValueError, match="peer:caseload"):  # an unknown name lists the names
        benchmark.profile_page(pages, "peer:nothing", requests=1)
