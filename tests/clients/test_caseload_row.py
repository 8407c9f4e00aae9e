"""``{% caseload_row %}`` (clients/templatetags/caseload_rows.py) writes the row the former row template
(kept here as the reference, tests/clients/caseload_row_reference.html) wrote: every cell, for participants
in every state a row shows, with and without the peer's column."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.template import engines
from django.test.html import parse_html
from django.utils import translation

from clients.models import Client, Consent, FollowUp
from tests.factories import ClientFactory, ConsentFactory, FollowUpFactory, RecoveryPlanFactory, SessionNoteFactory

REFERENCE = (Path(__file__).parent / "caseload_row_reference.html").read_text()
INCLUDE = engines["django"].from_string("{% for client, flags in rows %}" + REFERENCE + "{% endfor %}")
TAG = engines["django"].from_string(
    "{% load caseload_rows %}{% for client, flags in rows %}{% caseload_row client flags show_peer today %}"
    "{% endfor %}")


@pytest.mark.parametrize("show_peer", [True, False])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_tag_writes_the_same_rows_as_the_template(program, peer, supervisor, show_peer, language, settings):
    today = program.today()
    ClientFactory(program=program, primary_peer=peer, full_name="Ana <b>Bold</b>", pronouns="she/her")
    ClientFactory(program=program, primary_peer=None, full_name="Nobody's Person")
    ClientFactory(program=program, primary_peer=peer, full_name="Dee Discharged", status=Client.Status.DISCHARGED)
    planned = ClientFactory(program=program, primary_peer=peer, full_name="Pat Planned", preferred_name="Patty")
    RecoveryPlanFactory(client=planned)
    FollowUpFactory(client=planned, due_on=today - datetime.timedelta(days=3))
    ConsentFactory(client=planned)
    later = ClientFactory(program=program, primary_peer=peer, full_name="Lou Later")
    FollowUpFactory(client=later, due_on=today + datetime.timedelta(days=3))
    seen = ClientFactory(program=program, primary_peer=peer, full_name="Sam Seen")
    SessionNoteFactory(client=seen, author=peer, signed=True)
    overdue = ClientFactory(program=program, primary_peer=peer, full_name="Olu Overdue")
    SessionNoteFactory(client=overdue, author=peer, signed=True,
                       session_date=today - datetime.timedelta(days=program.no_contact_days + 5))
    rows = [(client, client.flags(today)) for client in
            Client.objects.filter(program=program).caseload(today).order_by("name_key", "pk")]
    assert len(rows) == 7 and FollowUp.objects.count() == 2 and Consent.objects.count() >= 1
    with translation.override(language):
        context = {"rows": rows, "show_peer": show_peer, "today": today}
        ours, theirs = TAG.render(context), INCLUDE.render(context)
    for a, b in zip(str(parse_html(ours)).split("<tr>"), str(parse_html(theirs)).split("<tr>"), strict=True):
        assert a == b
    assert "Ana &lt;b&gt;Bold&lt;/b&gt;" in ours and ours.count("text-bg-danger") >= 3
    assert sum(client.contact_due for client, _ in rows) >= 1 and sum(bool(c.last_contact_on) for c, _ in rows) == 2
