"""Signatures on screen and on paper (issue 19, point 2): a participant and their peer sign a plan version or a
consent; the drawing, typed name, role, time and the hash of the text signed are kept, final in the database;
re-signing after a revision is a new signature on the new version."""

from __future__ import annotations

import base64
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from clients import services
from clients.models import Objective, Signature
from clients.services.signatures import ALREADY_SIGNED, CHANGED_WHILE_SIGNING
from clients.signing import NO_SIGNATURE, NOT_A_SIGNATURE, SIGNATURE_TOO_LARGE, content_hash, plan_canonical_text
from clients.views.documents import plan_document
from recovery.models import AccessLog
from recovery.uploads import WRONG_TYPE
from tests.clients.conftest import PDF_BYTES, png_bytes, signature_data_url
from tests.factories import ConsentFactory, GoalFactory, RecoveryPlanFactory, days


@pytest.fixture
def plan(mine):
    plan = RecoveryPlanFactory(client=mine, strengths="Stubborn in a good way.")
    GoalFactory(plan=plan, text="Get my license back")
    return plan


def screen(document, **overrides) -> dict:
    data = {"method": "screen", "role": "participant", "signer_name": "Mina Mine",
            "drawn": signature_data_url(), "shown_sha256": content_hash(document),
            "form_token": str(uuid.uuid4())}
    return {**data, **overrides}


def paper(document, **overrides) -> dict:
    data = {"method": "paper", "role": "participant", "signer_name": "Mina Mine",
            "shown_sha256": content_hash(document), "form_token": str(uuid.uuid4())}
    return {**data, **overrides}


def test_the_participant_signs_the_plan_on_the_screen(login, peer, mine, plan):
    http = login(peer)
    page = http.get(reverse("clients:plan_sign", args=[plan.uuid])).content.decode()
    assert "Get my license back" in page and content_hash(plan) in page
    response = http.post(reverse("clients:plan_sign", args=[plan.uuid]), screen(plan))
    assert response.status_code == 302 and response.url == reverse("clients:plan_print", args=[plan.uuid])
    signature = Signature.objects.get()
    assert (signature.plan, signature.client, signature.role, signature.signer_name, signature.method) == (
        plan, mine, "participant", "Mina Mine", "screen")
    assert bytes(signature.image) == png_bytes() and signature.recorded_by == peer
    assert signature.content_sha256 == content_hash(plan) == plan_document(plan)["content_sha256"]


def test_the_peer_signs_the_same_plan_after_the_participant(login, peer, plan):
    http = login(peer)
    http.post(reverse("clients:plan_sign", args=[plan.uuid]), screen(plan))
    http.post(reverse("clients:plan_sign", args=[plan.uuid]),
              screen(plan, **{"role": "peer", "signer_name": peer.full_name}))
    assert sorted(Signature.objects.values_list("role", flat=True)) == ["participant", "peer"]
    page = http.get(reverse("clients:plan_print", args=[plan.uuid])).content.decode()
    assert page.count('src="data:image/png;base64,') == 2 and "signature-line" not in page


def test_a_double_submit_records_one_signature(login, peer, plan):
    http, data = login(peer), screen(plan)
    first = http.post(reverse("clients:plan_sign", args=[plan.uuid]), data)
    second = http.post(reverse("clients:plan_sign", args=[plan.uuid]), data)
    assert second.url == first.url and Signature.objects.count() == 1


def test_the_same_role_cannot_sign_the_same_text_twice(login, peer, plan):
    http = login(peer)
    http.post(reverse("clients:plan_sign", args=[plan.uuid]), screen(plan))
    response = http.post(reverse("clients:plan_sign", args=[plan.uuid]), screen(plan))
    assert response.status_code == 200 and ALREADY_SIGNED in response.content.decode()
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(("drawn", "error"), [
    ("", NO_SIGNATURE),
    ("data:image/png;base64," + base64.b64encode(PDF_BYTES).decode(), NOT_A_SIGNATURE),
    ("data:image/svg+xml;base64,PHN2Zy8+", NOT_A_SIGNATURE),
    ("data:image/png;base64,not base64!", NOT_A_SIGNATURE),
    (signature_data_url(png_bytes() + b"\0" * 400_000), SIGNATURE_TOO_LARGE),
])
def test_a_missing_or_forged_drawing_is_refused_at_the_field_with_the_name_kept(login, peer, plan, drawn, error):
    response = login(peer).post(reverse("clients:plan_sign", args=[plan.uuid]),
                                screen(plan, **{"drawn": drawn, "signer_name": "Kept Typing"}))
    assert response.status_code == 200
    assert response.context["screen_form"].errors["drawn"] == [error]
    page = response.content.decode()
    assert "Kept Typing" in page and 'id="error-summary"' in page and 'href="#id_screen_drawn"' in page
    assert not Signature.objects.exists()


def test_a_plan_changed_since_the_page_was_opened_is_not_signed(login, peer, plan):
    data = screen(plan)
    GoalFactory(plan=plan, text="Added by someone else meanwhile")
    response = login(peer).post(reverse("clients:plan_sign", args=[plan.uuid]), data)
    assert response.status_code == 200 and CHANGED_WHILE_SIGNING in response.content.decode()
    assert not Signature.objects.exists()


def test_re_signing_after_a_revision_is_a_new_signature_on_the_new_version(login, peer, mine, plan):
    http = login(peer)
    http.post(reverse("clients:plan_sign", args=[plan.uuid]), screen(plan))
    new = services.plan_revise(plan=plan, by=peer, today=days(0))
    assert http.get(reverse("clients:plan_sign", args=[plan.uuid])).status_code == 403
    http.post(reverse("clients:plan_sign", args=[new.uuid]), screen(new))
    old_signature, new_signature = Signature.objects.order_by("pk")
    assert (old_signature.plan, new_signature.plan) == (plan, new)
    assert old_signature.content_sha256 != new_signature.content_sha256 == content_hash(new)
    plan.refresh_from_db()
    assert old_signature.content_sha256 == content_hash(plan)  # the closed version still matches its signature


@pytest.mark.parametrize("sql", [
    "UPDATE clients_signature SET signer_name = 'Someone else' WHERE id = %s",
    "UPDATE clients_signature SET content_sha256 = repeat('0', 64) WHERE id = %s",
    "UPDATE clients_signature SET image = NULL, method = 'paper' WHERE id = %s",
    "DELETE FROM clients_signature WHERE id = %s",
])
def test_raw_sql_cannot_change_or_delete_a_signature(login, peer, plan, sql):
    login(peer).post(reverse("clients:plan_sign", args=[plan.uuid]), screen(plan))
    signature = Signature.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [signature.pk])
    signature.refresh_from_db()
    assert signature.signer_name == "Mina Mine" and bytes(signature.image) == png_bytes()


def test_a_signature_on_paper_is_recorded_with_or_without_a_scan(login, peer, plan, uploads):
    http = login(peer)
    scan = SimpleUploadedFile("Mina signed plan.pdf", PDF_BYTES, content_type="application/pdf")
    http.post(reverse("clients:plan_sign", args=[plan.uuid]), {**paper(plan), "scan": scan})
    http.post(reverse("clients:plan_sign", args=[plan.uuid]),
              paper(plan, **{"role": "peer", "signer_name": peer.full_name}))
    with_scan, without = Signature.objects.order_by("pk")
    assert (with_scan.method, with_scan.image, without.scan.name) == ("paper", None, "")
    assert with_scan.scan.name.startswith("signatures/") and "Mina" not in with_scan.scan.name


def test_a_paper_scan_is_checked_by_content(login, peer, plan, uploads):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = login(peer).post(reverse("clients:plan_sign", args=[plan.uuid]), {**paper(plan), "scan": fake})
    assert response.context["paper_form"].errors["scan"] == [WRONG_TYPE]
    assert not Signature.objects.exists()


def test_without_javascript_the_page_offers_signed_on_paper(login, peer, plan):
    page = login(peer).get(reverse("clients:plan_sign", args=[plan.uuid])).content.decode()
    assert "data-signature-form" in page and "hidden>" in page.split("data-signature-form", 1)[1].split("\n")[0]
    assert "<noscript>" in page and "Record the paper signature" in page


def test_the_participant_and_the_peer_sign_a_consent(login, peer, mine):
    consent = ConsentFactory(client=mine)
    http = login(peer)
    http.post(reverse("clients:consent_sign", args=[consent.uuid]), screen(consent))
    http.post(reverse("clients:consent_sign", args=[consent.uuid]),
              screen(consent, **{"role": "peer", "signer_name": peer.full_name}))
    assert {(s.role, s.content_sha256) for s in consent.signatures.all()} == {
        ("participant", content_hash(consent)), ("peer", content_hash(consent))}
    page = http.get(reverse("clients:consent_print", args=[consent.uuid])).content.decode()
    assert page.count('src="data:image/png;base64,') == 2


def test_a_revoked_consent_cannot_be_signed(login, peer, mine):
    consent = ConsentFactory(client=mine)
    services.consent_revoke(consent=consent, by=peer, revoked_on=days(0), method="writing")
    assert login(peer).get(reverse("clients:consent_sign", args=[consent.uuid])).status_code == 403


@pytest.mark.parametrize(("who", "status"), [("supervisor", 403), ("admin", 403), ("other_team_peer", 404),
                                             ("outsider", 404)])
def test_only_the_peer_carrying_the_participant_records_a_signature(request, login, plan, who, status):
    response = login(request.getfixturevalue(who)).post(reverse("clients:plan_sign", args=[plan.uuid]), screen(plan))
    assert response.status_code == status and not Signature.objects.exists()


def test_the_signing_page_writes_one_access_log_row(login, peer, mine, plan):
    login(peer).get(reverse("clients:plan_sign", args=[plan.uuid]))
    assert list(AccessLog.objects.values_list("object_type", "client_uuid")) == [("clients.recoveryplan", mine.uuid)]


def test_the_signing_page_keeps_to_a_fixed_number_of_queries(login, peer, mine, django_assert_max_num_queries,
                                                             frozen_time):
    plan = RecoveryPlanFactory(client=mine)
    GoalFactory.create_batch(20, plan=plan, dimension_codes=["home", "health"])
    http = login(peer)
    with django_assert_max_num_queries(16):
        assert http.get(reverse("clients:plan_sign", args=[plan.uuid])).status_code == 200


def test_the_scan_of_a_paper_signature_downloads_for_those_who_see_the_participant_and_is_logged(
        login, peer, supervisor, outsider, mine, plan, uploads):
    scan = SimpleUploadedFile("Mina signed plan.pdf", PDF_BYTES, content_type="application/pdf")
    login(peer).post(reverse("clients:plan_sign", args=[plan.uuid]), {**paper(plan), "scan": scan})
    signature = Signature.objects.get()
    url = reverse("clients:signature_scan", args=[signature.uuid])
    page = login(peer).get(reverse("clients:plan_print", args=[plan.uuid])).content.decode()
    assert url in page
    response = login(supervisor).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert "Mina" not in response["Content-Disposition"]
    assert AccessLog.objects.filter(user=supervisor, action="download", client_uuid=mine.uuid).count() == 1
    assert login(outsider).get(url).status_code == 404


def test_an_objective_is_part_of_what_the_plan_signature_signs(plan):
    before = content_hash(plan)
    Objective.objects.create(goal=plan.goals.get(), text="Pass the written test", target_on=days(30))
    assert "Goal 1 objective 1: Pass the written test" in plan_canonical_text(plan)
    assert content_hash(plan) != before
