"""Each program's reference lists (service codes, services provided, discharge reasons, supervision topics):
copied when a program starts, edited by its admins, never shared with another program, retired rather
than deleted, and an old record keeps the value it was made with."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pghistory.core import event_models

from billing.models import Payer
from clients.models import Dimension, DischargeReason, Episode, ServiceCode, SupportService
from clients.note_defaults import DEFAULT_SERVICE_CODES
from clients.reference import DEFAULT_DISCHARGE_REASONS
from recovery.reference import REFERENCE_LISTS, program_reference_defaults
from supervision.models import Topic
from supervision.topics import DEFAULT_TOPICS
from tests.factories import ClientFactory, ProgramFactory, SessionNoteFactory, days, service_code


def test_a_new_program_gets_its_own_copy_of_every_default_list(db):
    first, second = ProgramFactory(), ProgramFactory()
    for program in (first, second):
        assert ServiceCode.objects.filter(program=program).count() == len(DEFAULT_SERVICE_CODES)
        assert DischargeReason.objects.filter(program=program).count() == len(DEFAULT_DISCHARGE_REASONS)
        assert Topic.objects.filter(program=program).count() == len(DEFAULT_TOPICS)
        assert SupportService.objects.filter(program=program).exists()
    program_reference_defaults(first)  # again: nothing new, edits kept
    assert ServiceCode.objects.filter(program=first).count() == len(DEFAULT_SERVICE_CODES)


def test_copying_the_defaults_again_keeps_an_admins_edits_and_adds_only_what_is_missing(db):
    program = ProgramFactory()
    edited = ServiceCode.objects.filter(program=program).order_by("position").first()
    ServiceCode.objects.filter(pk=edited.pk).update(description="Our own wording", billable=not edited.billable)
    removed_code, removed_name = DEFAULT_DISCHARGE_REASONS[-1]
    DischargeReason.objects.filter(program=program, code=removed_code).delete()
    before = set(ServiceCode.objects.filter(program=program).values_list("pk", "description", "billable"))
    program_reference_defaults(program)
    assert set(ServiceCode.objects.filter(program=program).values_list("pk", "description", "billable")) == before
    assert DischargeReason.objects.filter(program=program).count() == len(DEFAULT_DISCHARGE_REASONS)
    assert DischargeReason.objects.get(program=program, code=removed_code).name == removed_name


def test_a_new_program_gets_its_defaults_in_a_few_queries_whatever_their_number(db, django_assert_max_num_queries):
    program = ProgramFactory()
    Dimension.objects.filter(program=program).delete()
    ServiceCode.objects.filter(program=program).delete()
    # A read and an insert per list, seven lists (a get_or_create per row took 338 queries).
    with django_assert_max_num_queries(25):
        program_reference_defaults(program)
    assert ServiceCode.objects.filter(program=program).count() == len(DEFAULT_SERVICE_CODES)
    assert Dimension.objects.filter(program=program).exists()


def test_every_list_is_registered_for_the_admin_pages(db):
    assert {"service-codes", "services-provided", "discharge-reasons", "supervision-topics"} <= set(REFERENCE_LISTS)


def test_admin_adds_a_service_code_to_their_program_only(login, admin, program, other_program):
    client = login(admin)
    url = reverse("reference_new", args=["service-codes"])
    form = client.get(url).context["form"]
    response = client.post(url, {"code": "H2015", "description": "Community support", "billable": "on",
                                  "unit_minutes": 15, "daily_unit_cap": 8, "yearly_unit_cap": "", "default_for": "",
                                  "position": 9, "is_active": "on", "form_token": form["form_token"].value()})
    assert response.status_code == 302
    code = ServiceCode.objects.get(code="H2015")
    assert code.program == program and code.daily_unit_cap == 8 and code.yearly_unit_cap is None
    assert not ServiceCode.objects.filter(program=other_program, code="H2015").exists()
    # The same form sent twice creates one code.
    client.post(url, {"code": "H2015", "description": "Community support", "unit_minutes": 15, "position": 9,
                      "form_token": form["form_token"].value()})
    assert ServiceCode.objects.filter(code="H2015").count() == 1


def test_a_code_is_unique_within_a_program_and_the_error_is_at_the_field(login, admin):
    client = login(admin)
    url = reverse("reference_new", args=["service-codes"])
    token = client.get(url).context["form"]["form_token"].value()
    response = client.post(url, {"code": "T1012", "description": "Again", "unit_minutes": 15, "position": 1,
                                 "form_token": token})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert response.context["form"]["description"].value() == "Again"


def test_program_a_service_codes_never_appear_in_program_b(login, admin, outsider, program, other_program, peer,
                                                          mine):
    ServiceCode.objects.create(program=other_program, code="B-ONLY", description="Elsewhere only", unit_minutes=15)
    ServiceCode.objects.create(program=program, code="A-ONLY", description="Riverside only", unit_minutes=15)
    # B's admin's list and A's note form: each sees its own program's codes only.
    listed = {item.code for item, _ in login(outsider).get(reverse("reference_list", args=["service-codes"]))
              .context["rows"]}
    assert "B-ONLY" in listed and "A-ONLY" not in listed
    peer_client = login(peer)
    form = peer_client.get(reverse("clients:note_new", args=[mine.uuid])).context["form"]
    offered = {c.code for c in form.fields["service_code"].queryset}
    assert "A-ONLY" in offered and "B-ONLY" not in offered
    assert all(c.program_id == program.pk for c in form.fields["service_code"].queryset)
    assert all(s.program_id == program.pk for s in form.fields["services"].queryset)
    # Another program's value cannot be opened by editing its number into the address.
    b_code = ServiceCode.objects.get(code="B-ONLY")
    assert login(admin).get(reverse("reference_edit", args=["service-codes", b_code.pk])).status_code == 404


def test_a_retired_code_stays_on_old_notes_and_is_not_offered_for_new_ones(login, admin, peer, mine, program):
    code = service_code("H0024", program=program)
    note = SessionNoteFactory(client=mine, service_code=code, signed=True)
    client = login(admin)
    edit = reverse("reference_edit", args=["service-codes", code.pk])
    form = client.get(edit).context["form"]
    assert form.fields["code"].disabled  # in use: the code keeps its meaning
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.pop("is_active")
    data["code"] = "CHANGED"
    assert client.post(edit, data).status_code == 302
    code.refresh_from_db()
    assert code.code == "H0024" and not code.is_active
    peer_client = login(peer)
    new_form = peer_client.get(reverse("clients:note_new", args=[mine.uuid])).context["form"]
    assert code not in new_form.fields["service_code"].queryset
    page = peer_client.get(note.get_absolute_url())
    assert "H0024" in page.content.decode()


def test_a_retired_discharge_reason_still_reads_on_old_episodes_and_leaves_the_form(login, admin, peer, program):
    gone = ClientFactory(program=program, primary_peer=peer, full_name="Dee Discharged")
    Episode.objects.filter(client=gone).update(discharged_on=days(0), discharge_reason="moved")
    reason = DischargeReason.objects.get(program=program, code="moved")
    client = login(admin)
    edit = reverse("reference_edit", args=["discharge-reasons", reason.pk])
    form = client.get(edit).context["form"]
    assert form.fields["code"].disabled
    assert client.post(edit, {"name": "Moved out of the area", "position": 4}).status_code == 302
    reason.refresh_from_db()
    assert not reason.is_active and reason.name == "Moved out of the area"
    stays = ClientFactory(program=program, primary_peer=peer, full_name="Stan Stays")
    peer_client = login(peer)
    choices = dict(peer_client.get(reverse("clients:discharge", args=[stays.uuid])).context["form"]
                   .fields["discharge_reason"].choices)
    assert "moved" not in choices and "completed" in choices
    page = login(admin).get(reverse("clients:detail", args=[gone.uuid]))
    assert "Moved out of the area" in page.content.decode()


@pytest.mark.parametrize("who", ["peer", "supervisor"])
def test_only_admins_edit_reference_lists(login, request, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("reference_index")).status_code == 403
    assert client.get(reverse("reference_list", args=["service-codes"])).status_code == 403


def test_an_unknown_list_is_not_found(login, admin):
    assert login(admin).get(reverse("reference_list", args=["no-such-list"])).status_code == 404


def test_reference_pages_query_budget_holds_with_many_values(login, admin, program, django_assert_max_num_queries):
    ServiceCode.objects.bulk_create(ServiceCode(program=program, code=f"X{n:03}", description=f"Extra {n}",
                                                unit_minutes=15) for n in range(150))
    client = login(admin)
    client.get(reverse("reference_index"))
    for slug in REFERENCE_LISTS:
        with django_assert_max_num_queries(25):
            assert client.get(reverse("reference_list", args=[slug])).status_code == 200
    code = ServiceCode.objects.get(program=program, code="X001")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reference_edit", args=["service-codes", code.pk])).status_code == 200


@pytest.mark.parametrize("model", [ServiceCode, SupportService, DischargeReason, Dimension, Topic, Payer])
def test_every_reference_list_keeps_a_change_history(model):
    assert model in {event_model.pgh_tracked_model for event_model in event_models()}


def test_an_edit_to_a_reference_list_shows_in_the_programs_change_history(login, admin, program, outsider):
    reason = DischargeReason.objects.filter(program=program).first()
    client = login(admin)
    edit = reverse("reference_edit", args=["discharge-reasons", reason.pk])
    response = client.post(edit, {"code": reason.code, "name": "Moved out of the area", "position": reason.position,
                                  "is_active": "on"})
    assert response.status_code == 302

    response = client.get(reverse("audit:report"), {"tab": "changes", "record": "clients.DischargeReasonEvent"})
    [event] = [e for e in response.context["page"].object_list if e.pgh_label == "update"]
    assert (event.pgh_obj_id, event.user, event.url) == (str(reason.pk), admin, edit)
    assert f"name: {reason.name.lower()} → moved out of the area" in response.content.decode().lower()
    # another program's admin does not see it
    elsewhere = login(outsider).get(reverse("audit:report"), {"tab": "changes"}).context["page"].object_list
    assert (DischargeReason._meta.label, str(reason.pk)) not in {(e.pgh_obj_model, e.pgh_obj_id) for e in elsewhere}
