"""A rejected form opens with an error summary that links to each field (issue 15, point 12).

The summary is one shared include (templates/includes/error_summary.html); static/js/error-summary.js
gives it the focus. Each form below is posted empty (a form token where it needs one) and must come back
with the typed data kept, the summary first in the form, and one link per field error, to that field.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from tests.factories import ClientFactory

LINK = re.compile(r'<li><a href="#([^"]+)" class="alert-link">')


def summary_links(html: str) -> list[str]:
    start = html.index('id="error-summary"')
    end = html.index("</div>", start)
    return LINK.findall(html[start:end])


@pytest.mark.parametrize(("who", "name", "needs_client"), [
    ("peer", "clients:intake", False),
    ("peer", "clients:note_new", True),
    ("peer", "clients:followup_new", True),
    ("peer", "clients:consent_new", True),
    ("peer", "clients:edit", True),
    ("peer", "peers:ce_add", False),
    ("supervisor", "supervision:session_new", False),
])
def test_a_rejected_form_starts_with_a_summary_linking_to_each_field_in_error(
        login, program, peer, supervisor, who, name, needs_client):
    participant = ClientFactory(program=program, primary_peer=peer)
    if needs_client:
        url = reverse(name, args=[participant.uuid])
    elif name == "peers:ce_add":
        url = reverse(name, args=[peer.uuid])
    else:
        url = reverse(name)
    http = login(peer if who == "peer" else supervisor)
    response = http.post(url, {"form_token": str(uuid.uuid4()), "full_name": "", "summary": "Kept text."})
    assert response.status_code == 200, name
    form = response.context["form"]
    assert form.errors
    html = response.content.decode()
    assert 'data-error-summary' in html and 'tabindex="-1"' in html
    # In the form's field order; a group of checkboxes or radios links to its first option.
    expected = [form[field].id_for_label or f"{form[field].auto_id}_0" for field in form.fields
                for _ in form.errors.get(field, [])]
    assert summary_links(html) == expected, name
    for anchor in set(expected):
        assert f'id="{anchor}"' in html  # each link leads to its field
    assert html.index('id="error-summary"') < html.index(f'id="{expected[0]}"')


def test_the_page_loads_the_script_that_focuses_the_summary(login, peer, program):
    html = login(peer).get(reverse("clients:intake")).content.decode()
    assert re.search(r'<script src="/static/js/error-summary\.js" nonce="[^"]+" defer></script>', html)
    assert "data-error-summary" not in html  # nothing to summarise before a submit


def summary_text(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start:html.index("</div>", start)]


def test_a_refused_login_names_the_problem_in_the_summary_once(client, peer):
    response = client.post(reverse("login"), {"username": peer.email, "password": "not the password"})
    assert response.status_code == 200
    html = response.content.decode()
    message = response.context["form"].non_field_errors()[0]
    assert message in summary_text(html)
    assert html.count(message) == 1  # in the summary, not repeated above the fields


def test_the_password_reset_form_has_the_summary(client, db):
    html = client.post(reverse("password_reset"), {"email": ""}).content.decode()
    assert summary_links(html) == ["id_email"]


@pytest.mark.parametrize("page", ["followup_cancel", "addendum"])
def test_forms_placed_inside_a_record_page_have_the_summary(login, program, peer, page):
    from tests.factories import FollowUpFactory, SessionNoteFactory

    participant = ClientFactory(program=program, primary_peer=peer)
    if page == "followup_cancel":
        url, field = reverse("clients:followup_cancel", args=[FollowUpFactory(client=participant).uuid]), "reason"
    else:
        note = SessionNoteFactory(client=participant, signed=True)
        url, field = reverse("clients:addendum_new", args=[note.uuid]), "text"
    html = login(peer).post(url, {field: "", "form_token": str(uuid.uuid4())}).content.decode()
    assert summary_links(html) == [f"id_{field}"]


def test_every_template_with_a_form_of_fields_starts_it_with_the_error_summary():
    """A guard for new pages: a template that renders a Django form's fields includes the summary (or the
    shared includes/form.html, which does)."""
    from pathlib import Path

    # A form variable: form, note_form, form_2 (not former, get_format_display, …).
    renders = re.compile(r"\{\{ *(\w+_)?form(_\w+)?(\|crispy| *\}\})|\{\{ *(\w+_)?form(_\w+)?\.\w+\|as_crispy_field"
                         r"|\{% crispy ")
    includes = re.compile(r'\{% include "([^"]+)"')
    skipped = {"includes/when_fieldset.html", "includes/form.html", "includes/form_fields.html"}
    texts = {path.relative_to("templates").as_posix(): path.read_text() for path in Path("templates").rglob("*.html")}
    has_summary = {name for name, text in texts.items() if "error_summary" in text or "includes/form.html" in text}
    included_by: dict[str, set[str]] = {}
    for name, text in texts.items():
        for part in includes.findall(text):
            included_by.setdefault(part, set()).add(name)
    missing = []
    for name, text in texts.items():
        if name in skipped or not renders.search(text) or ('method="get"' in text and "post" not in text):
            continue
        # A part of a form (fields shared by two pages) is covered when every page that includes it has the summary.
        if name not in has_summary and not (included_by.get(name) and included_by[name] <= has_summary):
            missing.append(name)
    assert missing == []
