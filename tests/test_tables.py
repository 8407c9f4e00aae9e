"""Every table's headings sit over their cells (issue 15, defect 1).

The supervisee caseload once had four headings over six cells, so "Plan review" sat over the last-contact
date. This test signs in as each demo account (peer, supervisor, admin), starts at My day and follows the
links of every page it reaches (at most a few URLs per view, so each kind of page is seen with the demo's
data in it), and checks every ``<table>`` of every page: the header row spans as many columns as each
body row (``colspan`` counted), and a row heading (``<th scope="row">``) counts as a cell.
"""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.long  # four crawls of the demo

PER_VIEW = 6  # URLs visited per view name: enough to see each page with and without its filters
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout")
# Downloads (CSV, XLSX, PDF: a PDF takes WeasyPrint a second) hold no HTML table: not fetched.
DOWNLOAD_HINTS = (".csv", ".xlsx", ".pdf", "export", "download", "format=")


class TableParser(HTMLParser):
    """The tables of a page: for each, its header rows' and body rows' column counts."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.stack: list[dict] = []  # nested tables
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "table":
            table = {"head": [], "body": [], "caption": "", "section": "body", "row": None, "text": []}
            self.stack.append(table)
            self.tables.append(table)
            return
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "thead":
            table["section"] = "head"
        elif tag in ("tbody", "tfoot"):
            table["section"] = "body"
        elif tag == "tr":
            table["row"] = 0
        elif tag in ("td", "th") and table["row"] is not None:
            table["row"] += int(attrs.get("colspan") or 1)

    def handle_endtag(self, tag):
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "table":
            self.stack.pop()
        elif tag == "thead":
            table["section"] = "body"
        elif tag == "tr" and table["row"] is not None:
            table[table["section"]].append(table["row"])
            table["row"] = None

    def handle_data(self, data):
        if self.stack and len(self.stack[-1]["text"]) < 8 and data.strip():
            self.stack[-1]["text"].append(data.strip())


def table_problems(html: str) -> list[str]:
    """Each table whose header and body rows do not span the same number of columns."""
    parser = TableParser()
    parser.feed(html)
    problems = []
    for table in parser.tables:
        widths = set(table["head"]) | set(table["body"])
        if len(widths) > 1:
            problems.append(f"header rows {table['head']}, body rows {sorted(set(table['body']))} "
                            f"(table starting {' / '.join(table['text'])!r})")
    return problems


def page_links(html: str) -> list[str]:
    parser = TableParser()
    parser.feed(html)
    return parser.links


def test_the_checker_finds_a_heading_missing_over_a_cell_and_counts_colspan():
    good = ("<table><thead><tr><th>A</th><th colspan=2>B</th></tr></thead>"
            "<tbody><tr><th scope=row>1</th><td>2</td><td>3</td></tr><tr><td colspan=3>none</td></tr></tbody></table>")
    bad = ("<table><thead><tr><th>A</th><th>B</th></tr></thead>"
           "<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>")
    assert table_problems(good) == []
    assert len(table_problems(bad)) == 1
    assert len(table_problems(f"<table><tr><td>{bad}</td></tr></table>")) == 1  # nested


def crawl(http, start: str = "/") -> tuple[dict[str, list[str]], Counter, set[str]]:
    """GET every page reachable from ``start`` by links (``PER_VIEW`` URLs per view); the table problems
    of each URL, how many pages of each view were seen, and the URLs checked."""
    seen_urls: set[str] = set()
    checked: set[str] = set()
    per_view: Counter = Counter()
    problems: dict[str, list[str]] = {}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        try:
            view = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if per_view[view] >= PER_VIEW:
            continue
        response = http.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_view[view] += 1
        checked.add(url)
        html = response.content.decode()
        if found := table_problems(html):
            problems[url] = found
        for href in page_links(html):
            href = urldefrag(href).url
            parts = urlsplit(href)
            if (parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP_PREFIXES)
                    or any(hint in href.lower() for hint in DOWNLOAD_HINTS)):
                continue
            if href not in seen_urls:
                queue.append(href)
    return problems, per_view, checked


@pytest.fixture
def demo_world(db, demo_seeded_once):
    return demo_seeded_once


@pytest.fixture(scope="module")
def crawls() -> dict:
    """Each demo account's crawl, made once for the module (the module's tests read the same seeded demo)."""
    return {}


@pytest.fixture
def crawl_of(login, demo_world, crawls):
    def _crawl(who: str):
        if who not in crawls:
            crawls[who] = crawl(login(getattr(demo_world, who)))
        return crawls[who]
    return _crawl


@pytest.mark.parametrize("who", ["peer", "peer2", "supervisor", "admin"])
def test_every_table_reached_from_my_day_has_as_many_headings_as_cells_in_each_row(crawl_of, who):
    problems, per_view, _ = crawl_of(who)
    assert len(per_view) >= 10, f"the crawl reached too little: {sorted(per_view)}"
    assert problems == {}, "\n".join(f"{url}: {p}" for url, found in problems.items() for p in found)


def test_the_crawl_reaches_the_supervisee_caseload_and_the_status_board(crawl_of, demo_world):
    from django.urls import reverse

    _, per_view, checked = crawl_of("supervisor")
    assert {"supervision:supervisee", "supervision:dashboard", "peers:staff_home", "clients:caseload"} <= set(per_view)
    assert reverse("supervision:supervisee", args=[demo_world.peer.uuid]) in checked  # a caseload with rows

