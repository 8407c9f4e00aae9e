"""Group sessions (Done when 4): one form, one draft note per participant, each scoped to its participant."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clients.forms.groups import GROUP_SIZE
from clients.models import GroupSession, SessionNote
from recovery.models import AccessLog
from tests.factories import ClientFactory, days, service_code, support_services


@pytest.fixture
def three(program, peer):
    return [ClientFactory(program=program, primary_peer=peer, full_name=f"Group Member {n}") for n in (1, 2, 3)]


def group_data(http, participants, **overrides) -> dict:
    token = http.get(reverse("clients:group_new")).context["form"]["form_token"].value()
    data = {"participants": [str(p.uuid) for p in participants], "topic": "Coping with cravings",
            "session_date": days(0).isoformat(), "start_time": "17:00", "end_time": "18:30", "duration_minutes": "",
            "setting": "community", "service_code": str(service_code("S9445").pk),
            "summary": "Shared what helps on hard evenings.", "form_token": str(token),
            "services": [str(support_services()["peer_led_group"].pk)]}
    data.update(overrides)
    return data


def test_a_group_note_for_three_participants_creates_three_notes(login, three, peer):
    http = login(peer)
    response = http.post(reverse("clients:group_new"), group_data(http, three))
    group = GroupSession.objects.get()
    assert response.status_code == 302 and response.url == group.get_absolute_url()
    notes = SessionNote.objects.filter(group=group)
    assert notes.count() == 3
    assert {n.client for n in notes} == set(three)
    for note in notes:
        assert (note.status, note.contact_type, note.author, note.duration_minutes) == ("draft", "group", peer, 90)
        assert note.service_code.code == "S9445" and note.response == ""
        assert [s.code for s in note.services.all()] == ["peer_led_group"]


def test_each_group_note_is_visible_only_to_those_allowed_to_see_its_participant(login, three, program, peer,
                                                                              other_peer, supervisor,
                                                                              other_supervisor, outsider):
    from clients.services import client_assign

    http = login(peer)
    http.post(reverse("clients:group_new"), group_data(http, three))
    group = GroupSession.objects.get()
    moved = three[2]
    client_assign(client=moved, peer=other_peer, by=supervisor, reason="Moved to Olive's caseload")
    notes = {n.client_id: n for n in SessionNote.objects.filter(group=group)}
    assert set(SessionNote.objects.visible_to(peer).filter(group=group)) == {notes[three[0].pk], notes[three[1].pk]}
    assert set(SessionNote.objects.visible_to(other_peer).filter(group=group)) == {notes[moved.pk]}
    assert SessionNote.objects.visible_to(supervisor).filter(group=group).count() == 3
    assert not SessionNote.objects.visible_to(other_supervisor).filter(group=group).exists()
    assert not SessionNote.objects.visible_to(outsider).filter(group=group).exists()
    assert login(other_peer).get(notes[three[0].pk].get_absolute_url()).status_code == 404
    assert login(other_peer).get(notes[moved.pk].get_absolute_url()).status_code == 200
    page = login(peer).get(group.get_absolute_url()).content.decode()
    assert "Group Member 1" in page and "Group Member 3" not in page
    assert login(other_supervisor).get(group.get_absolute_url()).status_code == 404


def test_each_group_note_is_completed_with_its_participants_response_then_signed(login, three, peer):
    http = login(peer)
    http.post(reverse("clients:group_new"), group_data(http, three))
    note = SessionNote.objects.filter(client=three[0]).get()
    page = http.get(reverse("clients:note_edit", args=[note.uuid]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name not in ("goals", "services")}
    data.update(session_date=note.session_date.isoformat(), start_time="17:00", end_time="18:30",
                duration_minutes="", response="Said the evening walk idea could work.")
    assert http.post(reverse("clients:note_edit", args=[note.uuid]), data).status_code == 302
    http.post(reverse("clients:note_sign", args=[note.uuid]))
    note.refresh_from_db()
    assert note.response == "Said the evening walk idea could work." and note.is_signed
    assert note.units_computed == 6
    others = SessionNote.objects.filter(group=note.group).exclude(pk=note.pk)
    assert {n.status for n in others} == {"draft"} and {n.response for n in others} == {""}


def test_the_group_page_logs_a_read_of_each_participant(login, three, peer):
    http = login(peer)
    http.post(reverse("clients:group_new"), group_data(http, three))
    group = GroupSession.objects.get()
    http.get(group.get_absolute_url())
    logged = set(AccessLog.objects.filter(object_type="clients.sessionnote").values_list("client_uuid", flat=True))
    assert logged == {c.uuid for c in three}


@pytest.mark.parametrize("size", [1, 4])
def test_a_group_is_two_to_the_programs_maximum(login, program, peer, size):
    program.group_max_participants = 3
    program.save()
    members = [ClientFactory(program=program, primary_peer=peer) for _ in range(size)]
    http = login(peer)
    response = http.post(reverse("clients:group_new"), group_data(http, members, topic="Kept topic"))
    assert response.status_code == 200
    assert response.context["form"].errors["participants"] == [GROUP_SIZE.format(most=3)]
    assert "Kept topic" in response.content.decode()
    assert not SessionNote.objects.exists() and not GroupSession.objects.exists()


def test_a_group_takes_only_the_peers_own_participants(login, three, theirs, peer):
    http = login(peer)
    response = http.post(reverse("clients:group_new"), group_data(http, [*three[:2], theirs]))
    assert response.status_code == 200 and "participants" in response.context["form"].errors
    assert not SessionNote.objects.exists()


def test_a_double_submitted_group_records_one_group(login, three, peer):
    http = login(peer)
    data = group_data(http, three)
    first = http.post(reverse("clients:group_new"), data)
    second = http.post(reverse("clients:group_new"), data)
    assert GroupSession.objects.count() == 1 and SessionNote.objects.count() == 3
    assert second.url == first.url


def test_a_group_of_ten_is_recorded_in_a_bounded_number_of_queries(login, program, peer,
                                                                   django_assert_max_num_queries):
    members = [ClientFactory(program=program, primary_peer=peer) for _ in range(10)]
    http = login(peer)
    data = group_data(http, members)
    with django_assert_max_num_queries(120):
        assert http.post(reverse("clients:group_new"), data).status_code == 302
    assert SessionNote.objects.count() == 10


def responses(members, **texts) -> dict:
    """The response fields of ``members`` (``texts`` by position: r0, r1, ...)."""
    return {f"response_{m.uuid.hex}": texts.get(f"r{n}", f"Response of member {n + 1}.") for n, m in enumerate(members)}


def test_sign_all_signs_each_participants_note_with_their_own_response(login, three, peer, monkeypatch):
    from clients import note_events

    published = []
    monkeypatch.setattr(note_events, "NOTE_SIGNED", [*note_events.NOTE_SIGNED, lambda note: published.append(note.pk)])
    http = login(peer)
    response = http.post(reverse("clients:group_new"), {**group_data(http, three), **responses(three), "sign": "1"})
    group = GroupSession.objects.get()
    assert response.status_code == 302 and response.url == group.get_absolute_url()
    notes = {n.client_id: n for n in SessionNote.objects.filter(group=group)}
    for n, member in enumerate(three):
        note = notes[member.pk]
        assert note.is_signed and note.signed_by == peer and note.response == f"Response of member {n + 1}."
        assert note.units_computed == 6 and note.summary == "Shared what helps on hard evenings."
    assert sorted(published) == sorted(n.pk for n in notes.values())  # each note's signing handlers ran


def test_saving_a_group_as_drafts_keeps_each_response(login, three, peer):
    http = login(peer)
    http.post(reverse("clients:group_new"), {**group_data(http, three), **responses(three, r1="")})
    notes = {n.client_id: n for n in SessionNote.objects.all()}
    assert {n.status for n in notes.values()} == {"draft"}
    assert [notes[m.pk].response for m in three] == ["Response of member 1.", "", "Response of member 3."]


def test_signing_all_needs_every_response_and_keeps_everything_typed(login, three, peer):
    from clients.forms.groups import RESPONSE_NEEDED

    http = login(peer)
    data = {**group_data(http, three, topic="Kept topic"), **responses(three, r1=""), "sign": "1"}
    response = http.post(reverse("clients:group_new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {f"response_{three[1].uuid.hex}": [RESPONSE_NEEDED]}
    page = response.content.decode()
    assert "Kept topic" in page and "Response of member 1." in page and "Response of member 3." in page
    assert not SessionNote.objects.exists() and not GroupSession.objects.exists()


def test_a_response_for_someone_not_ticked_is_refused_not_lost(login, three, peer):
    from clients.forms.groups import NOT_TICKED

    http = login(peer)
    data = {**group_data(http, three[:2]), **responses(three, r2="Was not there but wrote this.")}
    response = http.post(reverse("clients:group_new"), data)
    assert response.context["form"].errors == {f"response_{three[2].uuid.hex}": [NOT_TICKED]}
    assert "Was not there but wrote this." in response.content.decode()
    assert not SessionNote.objects.exists()


def test_a_double_submitted_sign_all_signs_one_set(login, three, peer):
    http = login(peer)
    data = {**group_data(http, three), **responses(three), "sign": "1"}
    first = http.post(reverse("clients:group_new"), data)
    second = http.post(reverse("clients:group_new"), data)
    assert second.url == first.url
    assert GroupSession.objects.count() == 1
    assert SessionNote.objects.filter(status="signed").count() == 3


def test_the_group_page_offers_only_participants_the_user_writes_for(login, three, theirs, peer, supervisor):
    page = login(peer).get(reverse("clients:group_new")).content.decode()
    assert "Group Member 1" in page and theirs.full_name not in page
    assert "By signing, I attest" in page and "Sign all" in page
    assert "Group Member 1" not in login(supervisor).get(reverse("clients:group_new")).content.decode()


def test_the_group_page_with_many_participants_keeps_its_query_budget(login, program, peer,
                                                                      django_assert_max_num_queries):
    for _ in range(40):
        ClientFactory(program=program, primary_peer=peer)
    http = login(peer)
    with django_assert_max_num_queries(16):
        assert http.get(reverse("clients:group_new")).status_code == 200


def test_signing_a_group_of_ten_stays_in_a_bounded_number_of_queries(login, program, peer,
                                                                     django_assert_max_num_queries):
    members = [ClientFactory(program=program, primary_peer=peer) for _ in range(10)]
    http = login(peer)
    data = {**group_data(http, members), **responses(members), "sign": "1"}
    with django_assert_max_num_queries(260):
        assert http.post(reverse("clients:group_new"), data).status_code == 302
    assert SessionNote.objects.filter(status="signed").count() == 10
