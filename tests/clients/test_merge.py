"""Issue 15, point 13 (second half): an admin merges two records of one person, history kept.

The duplicate is set aside as merged and every row about the participant moves to the kept record in one
transaction; the protection triggers let a locked row's participant change only to the recorded merge target.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from pghistory.models import Context

from clients.models import (
    CaseAssignment,
    Client,
    ClientEvent,
    DischargeReason,
    Episode,
    RecoveryPlan,
    SessionNote,
    Signature,
)
from clients.services.merge import NOT_MOVED, client_merge, merge_counts, moved_fields, participant_fields
from clients.services.signatures import signature_record
from clients.signing import content_hash, content_hashes
from records.models import Disclosure
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    DisclosureFactory,
    GoalFactory,
    RecoveryPlanFactory,
    SessionNoteFactory,
)

REASON = "Same person: typed again at the second intake."
REFUSED = (IntegrityError, InternalError, ProgrammingError)  # a trigger refusing the row


@pytest.fixture
def kept(program, peer):
    return ClientFactory(program=program, primary_peer=peer, full_name="Dana Kept")


@pytest.fixture
def duplicate(program, peer):
    return ClientFactory(program=program, primary_peer=peer, full_name="Dana Kept")


def counts(client) -> dict[str, int]:
    return {field.model._meta.label: field.model._base_manager.filter(**{field.name: client}).count()
            for field in moved_fields()}


def signed_plan(client, by):
    plan = RecoveryPlanFactory(client=client)
    GoalFactory(plan=plan, text="Find steady work.")
    signature = signature_record(document=plan, role=Signature.Role.PARTICIPANT, signer_name=client.full_name,
                                 method=Signature.Method.PAPER, shown_sha256=content_hash(plan), by=by)
    return plan, signature


def test_every_model_pointing_at_a_participant_is_either_moved_by_a_merge_or_deliberately_left():
    labels = {field.model._meta.label for field in participant_fields()}
    moved = {field.model._meta.label for field in moved_fields()}
    assert labels == moved | (labels & NOT_MOVED)
    assert {m._meta.label for m in apps.get_models()} >= NOT_MOVED  # no stale names in the list
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Client and model is not Client:
                assert model._meta.label in moved | NOT_MOVED, model._meta.label


def test_a_merge_moves_every_row_and_loses_nothing(program, peer, admin, kept, duplicate):
    SessionNoteFactory(client=duplicate, signed=True)
    SessionNoteFactory(client=duplicate)
    SessionNoteFactory(client=kept, signed=True)
    ConsentFactory(client=duplicate)
    DisclosureFactory(client=duplicate)
    before = {label: counts(kept)[label] + counts(duplicate)[label] for label in counts(kept)}
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    assert counts(kept) == before
    assert all(n == 0 for n in counts(duplicate).values())
    duplicate.refresh_from_db()
    assert (duplicate.set_aside_as, duplicate.merged_into, duplicate.set_aside_reason) == ("merged", kept, REASON)


def test_signed_notes_keep_their_content_and_signed_documents_still_verify(admin, peer, kept, duplicate):
    note = SessionNoteFactory(client=duplicate, signed=True)
    plan, signature = signed_plan(duplicate, peer)
    before = SessionNote.objects.values().get(pk=note.pk)
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    after = SessionNote.objects.values().get(pk=note.pk)
    assert after.pop("client_id") == kept.pk and before.pop("client_id") == duplicate.pk
    assert after == before
    signature.refresh_from_db()
    plan.refresh_from_db()
    assert signature.client_id == kept.pk and plan.client_id == kept.pk
    assert signature.content_sha256 == content_hash(plan, duplicate)  # the stored hash is never recomputed
    assert signature.content_sha256 in content_hashes(plan)


def test_the_print_page_still_shows_a_moved_signature_as_signing_the_text(login, admin, peer, kept, duplicate):
    plan, _ = signed_plan(duplicate, peer)
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    page = login(admin).get(reverse("clients:plan_print", args=[plan.uuid]))
    assert page.status_code == 200
    assert all(s.matches for s in page.context["document"]["signatures"])


def test_the_trigger_still_refuses_any_other_change_to_a_signed_row(admin, peer, kept, duplicate, program):
    note = SessionNoteFactory(client=duplicate, signed=True)
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE clients_sessionnote SET summary = 'changed' WHERE id = %s", [note.pk])
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        # Moving back, and changing a word while moving: neither is a recorded merge's one change.
        cursor.execute("UPDATE clients_sessionnote SET client_id = %s WHERE id = %s", [duplicate.pk, note.pk])
    other = ClientFactory(program=program, primary_peer=peer)
    other_note = SessionNoteFactory(client=other, signed=True)
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE clients_sessionnote SET client_id = %s WHERE id = %s", [kept.pk, other_note.pk])


def test_the_trigger_refuses_moving_a_signed_row_to_a_record_that_is_not_the_merge_target(admin, program, kept,
                                                                                           duplicate):
    third = ClientFactory(program=program, primary_peer=None)
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    note = SessionNoteFactory(client=duplicate, author=admin, signed=True)  # a signed row left on the duplicate
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE clients_sessionnote SET client_id = %s WHERE id = %s", [third.pk, note.pk])
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE clients_sessionnote SET client_id = %s, summary = 'x' WHERE id = %s",
                       [kept.pk, note.pk])
    with connection.cursor() as cursor:  # the merge target, and nothing else changed: the one change allowed
        cursor.execute("UPDATE clients_sessionnote SET client_id = %s WHERE id = %s", [kept.pk, note.pk])
    assert SessionNote.objects.get(pk=note.pk).client_id == kept.pk


def test_open_episodes_assignments_and_plans_give_way_without_breaking_one_at_a_time(admin, peer, kept, duplicate):
    older = RecoveryPlanFactory(client=duplicate)
    newer = RecoveryPlanFactory(client=kept)
    RecoveryPlan.objects.filter(pk=newer.pk).update(started_on=older.started_on.replace(day=1))
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    episodes = Episode.objects.filter(client=kept)
    assert episodes.count() == 2 and episodes.filter(discharged_on__isnull=True).count() == 1
    assert episodes.get(discharged_on__isnull=False).discharge_reason == "merged"
    # The program's list names it (and never offers it for an ordinary discharge).
    reason = DischargeReason.objects.get(program=kept.program, code="merged")
    assert (reason.name, reason.is_active) == ("Merged into another record", False)
    assert CaseAssignment.objects.filter(client=kept, ended_at__isnull=True).count() == 1
    assert RecoveryPlan.objects.filter(client=kept, status="active").count() == 1
    assert RecoveryPlan.objects.get(pk=newer.pk).status == "superseded"  # the older of the two current plans
    kept.refresh_from_db()
    assert kept.status == "active" and kept.primary_peer == peer


def test_a_discharged_kept_record_takes_over_the_duplicates_open_episode_and_peer(admin, program, peer, duplicate):
    kept = ClientFactory(program=program, primary_peer=None, episode=False, status=Client.Status.DISCHARGED)
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    kept.refresh_from_db()
    assert kept.status == "active" and kept.primary_peer == peer
    assert kept.episodes.get().discharged_on is None


def test_the_merge_is_audited_and_both_histories_stay_readable(admin, kept, duplicate):
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    event = ClientEvent.objects.filter(pgh_obj=duplicate).latest("pgh_id")
    assert (event.set_aside_as, event.merged_into_id) == ("merged", kept.pk)
    metadata = Context.objects.get(pk=event.pgh_context_id).metadata
    assert metadata["merge_reason"] == REASON and metadata["merged_into"] == str(kept.uuid)
    assert ClientEvent.objects.filter(pgh_obj=duplicate).count() >= 2
    assert ClientEvent.objects.filter(pgh_obj=kept).exists()


def test_a_merge_is_refused_across_programs_onto_itself_or_without_a_reason(admin, kept, duplicate, outsider,
                                                                            other_program):
    stranger = ClientFactory(program=other_program, primary_peer=None, created_by=outsider)
    for dup, keep, reason in ((duplicate, stranger, REASON), (duplicate, duplicate, REASON),
                              (duplicate, kept, "  ")):
        with pytest.raises(ValidationError):
            client_merge(duplicate=dup, kept=keep, by=admin, reason=reason)
    duplicate.refresh_from_db()
    assert not duplicate.is_set_aside


def test_a_merged_record_cannot_be_merged_again(admin, program, kept, duplicate):
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    with pytest.raises(ValidationError):
        client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)


def test_the_counts_shown_before_a_merge_name_what_moves(kept, duplicate):
    SessionNoteFactory(client=duplicate, signed=True)
    SessionNoteFactory(client=duplicate, signed=True)
    DisclosureFactory(client=duplicate)
    shown = dict(merge_counts(duplicate, kept)[duplicate.pk])
    assert shown[capfirst(SessionNote._meta.verbose_name_plural)] == 2  # "Session notes: 2"
    assert shown[capfirst(Disclosure._meta.verbose_name)] == 1  # "Disclosure: 1"
    with translation.override("es"):
        assert capfirst(SessionNote._meta.verbose_name_plural) in dict(merge_counts(duplicate)[duplicate.pk])


# --- The pages.


def test_an_admin_finds_the_record_to_keep_confirms_and_lands_on_it(login, admin, kept, duplicate):
    SessionNoteFactory(client=duplicate, signed=True)
    http = login(admin)
    assert "Merge with another record" in http.get(duplicate.get_absolute_url()).content.decode()
    picked = http.get(reverse("clients:merge_pick", args=[duplicate.uuid]))
    assert picked.context["candidates"] == [kept]  # the same name: suggested without a search
    found = http.get(reverse("clients:merge_pick", args=[duplicate.uuid]), {"q": "Dana"})
    assert found.context["candidates"] == [kept]
    confirm = reverse("clients:merge_confirm", args=[duplicate.uuid, kept.uuid])
    page = http.get(confirm)
    assert (capfirst(SessionNote._meta.verbose_name), 1) in page.context["sides"][0][1]
    token = page.context["form"]["form_token"].initial
    response = http.post(confirm, {"reason": REASON, "form_token": token})
    assert response.status_code == 302 and response.url == kept.get_absolute_url()
    again = http.post(confirm, {"reason": REASON, "form_token": token})  # a double submit: sent to the same place
    assert again.status_code == 302 and again.url == kept.get_absolute_url()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert SessionNote.objects.filter(client=kept).count() == 1


def test_the_reason_is_required_and_shown_in_the_error_summary(login, admin, kept, duplicate):
    http = login(admin)
    confirm = reverse("clients:merge_confirm", args=[duplicate.uuid, kept.uuid])
    token = http.get(confirm).context["form"]["form_token"].initial
    page = http.post(confirm, {"reason": " ", "form_token": token})
    assert page.status_code == 200 and "reason" in page.context["form"].errors
    duplicate.refresh_from_db()
    assert not duplicate.is_set_aside


def test_a_refused_merge_lands_on_the_form_with_the_reason(login, admin, supervisor, kept, duplicate):
    from tests.factories import SupervisionSessionFactory

    SupervisionSessionFactory(supervisor=supervisor, participants=[kept, duplicate], signed=True)
    http = login(admin)
    confirm = reverse("clients:merge_confirm", args=[duplicate.uuid, kept.uuid])
    token = http.get(confirm).context["form"]["form_token"].initial
    page = http.post(confirm, {"reason": REASON, "form_token": token})
    assert page.status_code == 200
    assert "Both records have a “participant discussed” that one person can have only once" in page.content.decode()
    duplicate.refresh_from_db()
    assert not duplicate.is_set_aside


def test_peers_and_supervisors_get_403_and_another_programs_admin_404(login, peer, supervisor, outsider, kept,
                                                                     duplicate):
    confirm = reverse("clients:merge_confirm", args=[duplicate.uuid, kept.uuid])
    for who in (peer, supervisor):
        http = login(who)
        assert http.get(reverse("clients:merge_pick", args=[duplicate.uuid])).status_code == 403
        assert http.post(confirm, {"reason": REASON, "form_token": "x"}).status_code == 403
    assert login(outsider).post(confirm, {"reason": REASON}).status_code == 404
    duplicate.refresh_from_db()
    assert not duplicate.is_set_aside


def test_opening_the_merged_record_leads_to_the_kept_one_for_whoever_sees_it(login, admin, peer, outsider, kept,
                                                                          duplicate):
    client_merge(duplicate=duplicate, kept=kept, by=admin, reason=REASON)
    for who in (admin, peer):
        response = login(who).get(duplicate.get_absolute_url())
        assert response.status_code == 302 and response.url == kept.get_absolute_url()
    assert login(outsider).get(duplicate.get_absolute_url()).status_code == 404
    http = login(admin)
    assert http.post(reverse("clients:restore", args=[duplicate.uuid])).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept  # a merged record is never restored


def test_the_merge_pages_keep_to_their_query_budget(login, admin, kept, duplicate, django_assert_max_num_queries):
    SessionNoteFactory(client=duplicate, signed=True)
    ConsentFactory(client=kept)
    http = login(admin)
    pick = reverse("clients:merge_pick", args=[duplicate.uuid])
    confirm = reverse("clients:merge_confirm", args=[duplicate.uuid, kept.uuid])
    http.get(pick)
    with django_assert_max_num_queries(12):
        assert http.get(pick).status_code == 200
    with django_assert_max_num_queries(14):
        assert http.get(confirm).status_code == 200


def test_the_runtime_role_may_update_only_the_participant_column_of_append_only_rows(admin, kept, duplicate):
    from recovery.dbroles import append_only_tables, merge_movable_columns

    movable = dict(merge_movable_columns())
    assert movable["clients_signature"] == "client_id" and "clients_signature" in append_only_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_column_privilege(current_user, 'clients_signature', 'client_id', 'UPDATE'), "
                       "has_column_privilege(current_user, 'clients_signature', 'content_sha256', 'UPDATE')")
        assert cursor.fetchone() == (True, False)


def test_every_kind_a_merge_moves_is_named_in_the_users_language_singular_and_plural():
    """The confirmation page lists "Session notes: 12", "Disclosure: 1"… for every kind of record that moves:
    each model names itself through gettext (Spanish in the catalogue: tests/test_translations.py), both ways."""
    from django.utils.functional import Promise

    for field in moved_fields():
        meta = field.model._meta
        assert isinstance(meta.verbose_name, Promise), meta.label
        assert isinstance(meta.verbose_name_plural, Promise), meta.label
        with translation.override("es"):
            assert str(meta.verbose_name_plural) != str(meta.verbose_name), meta.label
