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
    assert re.search(r'<script src="/static/js/error-summary\.js" nonce="[^"]+"></script>', html)
    assert "data-error-summary" not in html  # nothing to summarise before a submit
