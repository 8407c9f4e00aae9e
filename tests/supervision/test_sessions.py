"""Recording, changing, signing and acknowledging supervision sessions; action items and addenda."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse

from recovery.models import AccessLog
from supervision import services
from supervision.forms import DATE_IN_FUTURE, DUE_BEFORE_SESSION
from supervision.models import ActionItem, SupervisionAddendum, SupervisionSession
from tests.factories import ClientFactory, SupervisionSessionFactory, action_item, membership_of, sign, topics


def session_data(program, *supervisees, **overrides) -> dict:
    data = {
        "form_token": str(uuid.uuid4()), "kind": "individual" if len(supervisees) == 1 else "group",
        "held_on": program.today().isoformat(), "duration_minutes": "60", "format": "in_person",
        "supervisees": [membership_of(u).pk for u in supervisees], "topics": [topics()["case-review"].pk],
        "notes": "Went through the caseload.",
    }
    return {**data, **overrides}


def test_a_supervisor_records_a_draft_session(login, program, supervisor, peer, mine):
    data = session_data(program, peer, participants_discussed=[mine.pk])
    response = login(supervisor).post(reverse("supervision:session_new"), data)
    session = SupervisionSession.objects.get()
    assert response.url == session.get_absolute_url()
    assert (session.supervisor, session.program, session.kind, session.is_signed) == (
        supervisor, program, "individual", False)
    assert list(session.supervisees.all()) == [membership_of(peer)]
    assert list(session.participants_discussed.all()) == [mine]


def test_a_double_submitted_session_is_recorded_once(login, program, supervisor, peer):
    client = login(supervisor)
    data = session_data(program, peer)
    first = client.post(reverse("supervision:session_new"), data)
    second = client.post(reverse("supervision:session_new"), data)
    assert SupervisionSession.objects.count() == 1
    assert first.url == second.url


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"kind": "individual", "supervisees": "both"}, "supervisees", services.INDIVIDUAL_NEEDS_ONE),
    ({"kind": "group", "supervisees": "one"}, "supervisees", services.GROUP_NEEDS_TWO),
    ({"supervisees": []}, "supervisees", "This field is required."),
    ({"held_on": "future"}, "held_on", DATE_IN_FUTURE),
    ({"duration_minutes": "0"}, "duration_minutes", "Ensure this value is greater than or equal to 5."),
])
def test_a_rejected_session_keeps_what_was_typed_and_shows_the_error_at_the_field(
        login, program, supervisor, peer, other_peer, overrides, field, message):
    chosen = {"both": [membership_of(peer).pk, membership_of(other_peer).pk], "one": [membership_of(peer).pk]}
    data = session_data(program, peer, notes="Long notes typed on a phone.")
    for key, value in overrides.items():
        if value == "future":
            value = (program.today() + datetime.timedelta(days=1)).isoformat()
        data[key] = chosen.get(value, value) if isinstance(value, str) else value
    response = login(supervisor).post(reverse("supervision:session_new"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert "Long notes typed on a phone." in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_only_the_supervisors_own_supervisees_and_visible_participants_can_be_chosen(
        login, program, supervisor, peer, other_peer, other_team_peer, other_team, mine):
    client = login(supervisor)
    form = client.get(reverse("supervision:session_new")).context["form"]
    names = {m.user.full_name for m in form.fields["supervisees"].queryset}
    assert names == {"Pat Peer", "Olive Otherpeer"}
    assert set(form.fields["participants_discussed"].queryset) == {mine}
    response = client.post(reverse("supervision:session_new"),
                           session_data(program, other_team_peer, participants_discussed=[other_team.pk]))
    assert set(response.context["form"].errors) == {"supervisees", "participants_discussed"}
    assert not SupervisionSession.objects.exists()


def test_record_a_session_from_a_supervisees_page_starts_with_them_chosen(login, supervisor, peer):
    response = login(supervisor).get(reverse("supervision:session_new") + f"?supervisee={peer.uuid}")
    assert [m.user for m in response.context["form"].initial["supervisees"]] == [peer]


def test_a_draft_can_be_changed_and_a_removed_supervisees_action_items_go(login, program, supervisor, peer,
                                                                          other_peer):
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer])
    action_item(draft, peer)
    kept = action_item(draft, supervisor, description="Send the CE calendar")
    client = login(supervisor)
    form = client.get(reverse("supervision:session_edit", args=[draft.uuid])).context["form"]
    assert set(form.initial["supervisees"]) == {membership_of(peer), membership_of(other_peer)}
    data = session_data(program, other_peer, duration_minutes="45")
    del data["form_token"]
    response = client.post(reverse("supervision:session_edit", args=[draft.uuid]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.kind, draft.duration_minutes) == ("individual", 45)
    assert list(draft.supervisees.all()) == [membership_of(other_peer)]
    assert list(draft.action_items.all()) == [kept]


def test_signing_locks_the_session_and_a_second_click_changes_nothing(login, supervisor, peer):
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    client = login(supervisor)
    client.post(reverse("supervision:session_sign", args=[draft.uuid]))
    signed_at = SupervisionSession.objects.get(pk=draft.pk).signed_at
    assert signed_at is not None
    client.post(reverse("supervision:session_sign", args=[draft.uuid]))
    assert SupervisionSession.objects.get(pk=draft.pk).signed_at == signed_at
    assert client.get(reverse("supervision:session_edit", args=[draft.uuid])).status_code == 403
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Add an addendum" in page and "Sign the session" not in page


def test_a_draft_can_be_deleted(login, supervisor, peer):
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    action_item(draft, peer)
    response = login(supervisor).post(reverse("supervision:session_delete", args=[draft.uuid]))
    assert response.url == reverse("supervision:session_list")
    assert not SupervisionSession.objects.exists() and not ActionItem.objects.exists()


def test_a_supervisee_acknowledges_once_and_the_supervisor_sees_it(login, supervisor, peer, other_peer, signed):
    client = login(peer)
    log = client.get(reverse("supervision:log"))
    assert list(log.context["to_acknowledge"]) == [signed]
    client.post(reverse("supervision:session_acknowledge", args=[signed.uuid]))
    first = signed.attendances.get(membership__user=peer).acknowledged_at
    client.post(reverse("supervision:session_acknowledge", args=[signed.uuid]))
    assert signed.attendances.get(membership__user=peer).acknowledged_at == first
    assert client.get(reverse("supervision:log")).context["to_acknowledge"] == []
    page = login(supervisor).get(signed.get_absolute_url()).content.decode()
    assert "acknowledged" in page and "not acknowledged yet" in page  # peer yes, other_peer not yet
    listed = login(supervisor).get(reverse("supervision:session_list")).context["page"].object_list[0]
    assert (listed.acknowledged, listed.supervisee_count) == (1, 2)


def test_a_draft_is_seen_only_by_its_supervisor(login, supervisor, peer, draft):
    assert login(peer).get(reverse("supervision:log")).context["page"].paginator.count == 0
    assert login(peer).get(draft.get_absolute_url()).status_code == 404


def test_an_addendum_corrects_a_signed_session_once_per_submit(login, supervisor, peer, signed):
    client = login(supervisor)
    data = {"form_token": str(uuid.uuid4()), "text": "We also set a date for the ethics course."}
    url = reverse("supervision:addendum_new", args=[signed.uuid])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert SupervisionAddendum.objects.filter(session=signed).count() == 1
    assert "We also set a date for the ethics course." in login(peer).get(signed.get_absolute_url()).content.decode()
    rejected = login(supervisor).post(url, {"form_token": str(uuid.uuid4()), "text": ""})
    assert rejected.status_code == 200 and "text" in rejected.context["form"].errors


def test_action_items_are_added_to_drafts_for_someone_at_the_session(login, program, supervisor, peer, other_peer,
                                                                     draft):
    client = login(supervisor)
    url = reverse("supervision:action_item_new", args=[draft.uuid])
    form = client.get(url).context["form"]
    assert set(form.fields["assignee"].queryset) == {supervisor, peer}
    data = {"form_token": str(uuid.uuid4()), "assignee": peer.pk, "description": "Finish the ethics module",
            "due_on": (draft.held_on - datetime.timedelta(days=1)).isoformat()}
    rejected = client.post(url, data)
    assert DUE_BEFORE_SESSION in rejected.context["form"].errors["due_on"]
    assert "Finish the ethics module" in rejected.content.decode()
    wrong = client.post(url, {**data, "assignee": other_peer.pk, "due_on": program.today().isoformat()})
    assert "assignee" in wrong.context["form"].errors
    data["due_on"] = program.today().isoformat()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ActionItem.objects.filter(session=draft).count() == 1


def test_the_assignee_marks_an_action_item_done_and_it_shows_on_their_log(login, peer, supervisor):
    session = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    item = action_item(session, peer, description="Practise reflective listening")
    sign(session)
    client = login(peer)
    log = client.get(reverse("supervision:log"))
    assert list(log.context["open_items"]) == [item]
    response = client.post(reverse("supervision:action_item_done", args=[item.uuid]),
                           {"done": "1", "next": reverse("supervision:log")})
    assert response.url == reverse("supervision:log")
    item.refresh_from_db()
    assert item.done_by == peer and item.done_at is not None
    log = client.get(reverse("supervision:log"))
    assert list(log.context["open_items"]) == [] and list(log.context["done_items"]) == [item]
    client.post(reverse("supervision:action_item_done", args=[item.uuid]), {"done": "0", "next": "https://evil.example/"})
    item.refresh_from_db()
    assert item.done_at is None


def test_a_supervisee_sees_only_the_participants_discussed_they_may_see(login, other_peer, signed):
    response = login(other_peer).get(signed.get_absolute_url())
    page = response.content.decode()
    assert "Theo Theirs" in page and "Mina Mine" not in page
    assert response.context["discussed_hidden"] == 1


def test_reading_a_session_is_logged(login, supervisor, signed):
    login(supervisor).get(signed.get_absolute_url())
    entry = AccessLog.objects.get(object_type="supervision.supervisionsession")
    assert (entry.user, entry.object_id) == (supervisor, str(signed.uuid))


def test_the_supervisee_page_shows_caseload_history_and_action_items(login, supervisor, peer, mine, theirs, signed):
    session = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    item = action_item(session, peer, description="Shadow a group")
    sign(session)
    response = login(supervisor).get(reverse("supervision:supervisee", args=[peer.uuid]))
    assert [client for client, _ in response.context["rows"]] == [mine]
    assert response.context["session_count"] == 2
    assert list(response.context["open_items"]) == [item]
    assert response.context["hours"] == 2.5


def test_participants_discussed_is_a_checklist_that_works_without_javascript(login, program, supervisor, peer):
    ClientFactory.create_batch(42, program=program, primary_peer=peer)
    html = login(supervisor).get(reverse("supervision:session_new")).content.decode()
    assert html.count('type="checkbox" class="form-check-input"  name="participants_discussed"') == 42
    assert "<select" not in html.split('id="div_id_participants_discussed"')[1].split("</fieldset>")[0]
    assert 'data-checklist-filter="Find a participant"' in html  # the search box, added by the script
    assert "js/checklist-filter.js" in html
