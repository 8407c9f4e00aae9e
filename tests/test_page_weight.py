"""Issue 21, the phone's budget: the note form's page weight (HTML + CSS + JS, gzip-compressed as whitenoise
serves them) stays under 300 KB, and its first render waits on no script (every script in the document is
deferred; a stylesheet is the only thing the browser must fetch before painting). Measured, not timed."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from tests.factories import ClientFactory, GoalFactory, RecoveryPlanFactory

BUDGET_BYTES = 300 * 1024
STATIC_URL = static("")


class Resources(HTMLParser):
    """The stylesheets and scripts a page loads, and the scripts that would block its first render."""

    def __init__(self):
        super().__init__()
        self.files: list[str] = []
        self.blocking: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.files.append(attrs["href"])
        elif tag == "script":
            if attrs.get("src"):
                self.files.append(attrs["src"])
            if "defer" not in attrs and "async" not in attrs and attrs.get("type") != "module":
                self.blocking.append(attrs.get("src") or "an inline script")


def compressed_size(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=9))


def static_file(url: str) -> bytes:
    assert url.startswith(STATIC_URL), f"{url} is not one of our static files"
    path = finders.find(url.removeprefix(STATIC_URL).split("?")[0])
    assert path, f"{url} is not found"
    with open(path, "rb") as f:
        return f.read()


def note_form(login, program, peer):
    robin = ClientFactory(program=program, primary_peer=peer)
    plan = RecoveryPlanFactory(client=robin)
    for n in range(5):
        GoalFactory(plan=plan, text=f"I want to reach goal number {n}.")
    response = login(peer).get(reverse("clients:note_new", args=[robin.uuid]))
    assert response.status_code == 200
    return response.content


def test_the_note_form_with_its_css_and_js_weighs_under_300_kb_compressed(login, program, peer):
    html = note_form(login, program, peer)
    resources = Resources()
    resources.feed(html.decode())
    assert any(url.endswith(".css") for url in resources.files) and any(url.endswith(".js") for url in resources.files)
    weights = {"the page": compressed_size(html)} | {url: compressed_size(static_file(url)) for url in resources.files}
    total = sum(weights.values())
    assert total < BUDGET_BYTES, f"{total / 1024:.0f} KB compressed: {weights}"


def test_no_script_on_the_note_form_blocks_its_first_render(login, program, peer):
    resources = Resources()
    resources.feed(note_form(login, program, peer).decode())
    assert resources.blocking == []


def test_the_checker_counts_a_plain_script_as_blocking_and_a_deferred_one_not():
    resources = Resources()
    resources.feed('<head><script src="/static/a.js"></script><script src="/static/b.js" defer></script>'
                   '<script type="module" src="/static/c.js"></script><script>1</script></head>')
    assert resources.blocking == ["/static/a.js", "an inline script"]


def test_no_template_loads_a_script_that_would_block_or_run_before_the_page():
    """Page scripts sit in base.html's <head> block, so one without ``defer`` would both hold the first render
    and run before the elements it looks for exist. Checked in every template, not only the note form's."""
    from pathlib import Path

    from django.conf import settings

    offenders = {}
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for template in Path(folder).rglob("*.html"):
            resources = Resources()
            resources.feed(template.read_text())
            if resources.blocking:
                offenders[str(template.relative_to(folder))] = resources.blocking
    assert offenders == {}
