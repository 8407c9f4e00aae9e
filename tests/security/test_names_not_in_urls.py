"""No participant name or birth date in any URL (security hardening, point 9).

URLs are written to the web server's request log and to AccessLog.path. The caseload search used to send
the typed name as ?q=; it is now posted and the results page carries a random token.
"""

from __future__ import annotations

import datetime
import uuid

from django.urls import reverse

from clients.models import Client, SessionNote
from recovery.models import AccessLog
from tests.factories import ClientFactory, days, service_code
from tests.security import test_no_participant_data_in_logs as journeys
from tests.security.test_no_participant_data_in_logs import leaks, record_text

every_log = journeys.every_log  # the fixture: every logger at DEBUG, captured
FULL_NAME = "Zelda Quintessa Marchbanks"
BIRTH = datetime.date(1983, 7, 19)


def test_the_main_journeys_put_no_name_or_birth_date_in_a_url_or_log(login, peer, supervisor, every_log):
    client = login(peer)
    urls = []

    def visit(response):
        urls.extend(url for url, _ in getattr(response, "redirect_chain", []))
        urls.append(response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""))
        return response

    intake = reverse("clients:intake")
    person = {"full_name": FULL_NAME, "preferred_name": "", "birth_date": BIRTH.isoformat(),
              "started_on": days(0).isoformat(), "referral_source": "self"}
    visit(client.get(intake))
    assert visit(client.post(intake, {**person, "form_token": str(uuid.uuid4())}, follow=True)).status_code == 200
    participant = Client.objects.get()
    duplicate = visit(client.post(intake, {**person, "form_token": str(uuid.uuid4())}, follow=True))
    assert duplicate.context["form"].matches  # the duplicate check ran

    for user in (peer, supervisor):
        found = visit(login(user).post(reverse("clients:caseload"), {"q": "zelda march", "status": "all"},
                                       follow=True))
        assert [row.pk for row, _ in found.context["rows"]] == [participant.pk]
        assert 'value="zelda march"' in found.content.decode()  # the search box keeps the text
    client = login(peer)
    visit(client.get(reverse("clients:caseload"), {"q": FULL_NAME}, follow=True))  # an old bookmark

    detail = visit(client.get(participant.get_absolute_url()))
    assert detail.status_code == 200
    note_new = reverse("clients:note_new", args=[participant.uuid])
    form_token = visit(client.get(note_new)).context["form"]["form_token"].value()
    visit(client.post(note_new, {
        "session_date": days(0).isoformat(), "start_time": "09:00", "end_time": "09:50",
        "contact_type": "individual", "setting": "office", "service_code": str(service_code().pk),
        "summary": "Talked about housing.", "response": "Hopeful.", "next_steps": "Call.",
        "form_token": str(form_token)}, follow=True))
    assert SessionNote.objects.filter(client=participant).exists()

    paths = list(AccessLog.objects.values_list("path", flat=True))
    assert paths and any("search=" in path for path in paths)
    assert [p for p in paths + urls if leaks(p)] == []
    assert [r.getMessage() for r in every_log.records if leaks(record_text(r))] == []


def test_a_name_in_the_query_string_is_dropped_and_not_searched(login, peer, program):
    ClientFactory(program=program, primary_peer=peer, full_name="Mina Mine")
    ClientFactory(program=program, primary_peer=peer, full_name="Theo Theirs")
    client = login(peer)
    response = client.get(reverse("clients:caseload"), {"q": "mina", "status": "all"})
    assert response.status_code == 302 and response.url == reverse("clients:caseload") + "?status=all"
    assert not AccessLog.objects.exists()
    page = client.get(response.url)
    assert {row.full_name for row, _ in page.context["rows"]} == {"Mina Mine", "Theo Theirs"}


def test_search_keeps_filters_and_pages_behind_a_token(login, peer, program):
    for n in range(30):
        ClientFactory(program=program, primary_peer=peer, full_name=f"Alma Person{n:02}")
    ClientFactory(program=program, primary_peer=peer, full_name="Bruno Other")
    client = login(peer)
    response = client.post(reverse("clients:caseload"), {"q": "alma", "status": "active", "consent": ""})
    assert response.status_code == 302
    assert "alma" not in response.url.lower() and "search=" in response.url and "status=active" in response.url
    first = client.get(response.url)
    assert first.context["page"].paginator.count == 30 and first.context["form"]["q"].value() == "alma"
    html = first.content.decode()
    assert 'method="post"' in html and "page=2" in html
    second = client.get(response.url + "&page=2")
    assert len(second.context["rows"]) == 5 and second.context["form"]["q"].value() == "alma"
    assert AccessLog.objects.filter(action=AccessLog.Action.SEARCH).count() == 2
    # The token means nothing outside the session that searched.
    client.logout()
    assert login(peer).get(response.url).context["page"].paginator.count == 31


def test_an_empty_search_shows_everyone_without_a_token(login, peer, program):
    ClientFactory(program=program, primary_peer=peer, full_name="Mina Mine")
    response = login(peer).post(reverse("clients:caseload"), {"q": "  ", "status": "active"})
    assert response.url == reverse("clients:caseload") + "?status=active"


def test_no_template_or_view_builds_a_url_from_a_name_or_birth_date():
    """Links and GET forms carry ids and filters only: a static check over every template."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "templates"
    suspicious = re.compile(r"\?[^\"'>]*(name|birth|full_name|q)=\{\{", re.IGNORECASE)
    get_forms = []
    for template in root.rglob("*.html"):
        text = template.read_text()
        assert not suspicious.search(text), template
        get_forms += [template.name for _ in re.finditer(r'<form[^>]*method="get"', text)]
    assert "caseload.html" not in get_forms
