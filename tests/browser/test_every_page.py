"""Issue 21, done when 1 and 4: every page each demo role can reach from My day fits a 360 px screen and is
axe-clean (WCAG 2.2 AA and best practices).

The pages are found, not listed: each demo account (peer, supervisor, admin, billing clerk) signs in on a
360 px screen and follows the same-site links of every page it reaches, GET only. Logging out, downloads
(CSV, XLSX, PDF) and the Django admin are skipped; each URL pattern is visited at most ``PER_PATTERN``
times, so every kind of page is seen with the demo program's rows in it and the crawl stays fast.

The four crawls share one seeded demo. axe-core scans the first page of each pattern a role reaches, unless
a page of exactly the same structure (every element, its attributes and whether it holds text; not the
text itself, nor links' targets) was already scanned: another role's view of a page is scanned when it
differs from the first in any element, button or attribute.
"""

from __future__ import annotations

from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from recovery import demo

PHONE = {"width": 360, "height": 740}
PER_PATTERN = 2  # pages per URL pattern measured for overflow; axe scans the first of each (it takes a second)
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout", "/__")
DOWNLOAD_HINTS = (".csv", ".xlsx", ".pdf", "export", "download", "format=")
MIN_PATTERNS = {"peer": 15, "supervisor": 20, "admin": 25, "billing": 6}

# Links collected from the rendered page: same-site hrefs only, not those that download.
LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download') && a.origin === location.origin)
  .map(a => a.pathname + a.search)"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The page's structure: each element with its attributes (but where links and forms lead, and the values of
# fields) and whether it holds text of its own; what axe-core's rules read, without the words.
STRUCTURE = """() => Array.from(document.querySelectorAll('*')).map(e =>
  e.tagName + Array.from(e.attributes)
    .filter(a => !['href', 'src', 'action', 'value', 'content', 'data-url'].includes(a.name))
    .map(a => ' ' + a.name + '=' + a.value).sort().join('') +
  (Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) ? ' #text' : '')
).join('\\n')"""


def pattern_of(url: str) -> str | None:
    """The URL pattern a same-site URL resolves to (None: not one of ours, or not to be crawled)."""
    path = urlsplit(url).path
    if path.startswith(SKIP_PREFIXES) or any(hint in url.lower() for hint in DOWNLOAD_HINTS):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def crawl(page, base: str, check) -> tuple[Counter, dict[str, list[str]]]:
    """Visit every page reachable from My day; ``check(page, url, first)`` returns what is wrong on a page
(``first``: the first page of its URL pattern)."""
    seen: set[str] = set()
    visits: Counter = Counter()
    problems: dict[str, list[str]] = {}
    queue = deque(["/"])
    while queue:
        url = urldefrag(queue.popleft()).url
        pattern = pattern_of(url)
        if url in seen or pattern is None or visits[pattern] >= PER_PATTERN:
            continue
        seen.add(url)
        response = page.goto(base + url)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        visits[pattern] += 1
        if found := check(page, url, visits[pattern] == 1):
            problems[url] = found
        queue.extend(href for href in page.evaluate(LINKS) if href not in seen)
    return visits, problems


@pytest.mark.long
@pytest.mark.timeout(900)
def test_every_page_each_demo_role_reaches_fits_a_phone_and_is_axe_clean(browser, live_server, browser_login, axe):
    accounts = demo.seed()
    scanned: set[int] = set()  # the structures axe-core has passed or reported

    def check(page, url: str, first: bool) -> list[str]:
        found = []
        if (overflow := page.evaluate(OVERFLOW)) > 0:
            found.append(f"{overflow}px wider than a 360px screen")
        if first and (structure := hash(page.evaluate(STRUCTURE))) not in scanned:
            scanned.add(structure)
            if (results := axe.run(page)).violations_count:
                found.append(results.generate_report())
        return found

    reached, problems = {}, {}
    for who in MIN_PATTERNS:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        browser_login(page, getattr(accounts, who), settings.DEMO_PASSWORD)
        visits, found = crawl(page, live_server.url, check)
        context.close()
        reached[who] = visits
        problems.update({f"{url} as {who}": each for url, each in found.items()})
    too_little = {who: sorted(visits) for who, visits in reached.items() if len(visits) < MIN_PATTERNS[who]}
    assert not too_little, f"the crawl reached too little: {too_little}"
    assert problems == {}, "\n\n".join(f"{url}:\n" + "\n".join(found) for url, found in problems.items())
