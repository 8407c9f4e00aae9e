"""Printable documents and their PDFs (issue 19, point 1): a plan version, a consent, a session note with its
addenda and the record summary. The PDFs are read back as text; every print and PDF writes one access-log
row; scoping and roles; query budgets with many rows."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clients.models import Consent, Signature
from clients.signing import content_hash, plan_canonical_text
from recovery.models import AccessLog
from tests.clients.conftest import png_bytes
from tests.factories import (
    ActionStepFactory,
    ConsentFactory,
    GoalFactory,
    NoteAddendumFactory,
    RecoveryPlanFactory,
    SessionNoteFactory,
    bulk_notes,
    days,
)

# What every consent must say (42 CFR §2.31(a), DOMAIN.md Privacy), in the printed words.
CONSENT_ELEMENTS = [
    "Your name", "Who may share it", "What information may be shared", "Who may receive it",
    "Why it is shared (purpose)", "Your right to revoke this consent", "When this consent ends",
    "Sharing again (redisclosure)", "Signature and date",
]


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Mina" not in response["Content-Disposition"]  # no participant name in a file name
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def plan(mine):
    plan = RecoveryPlanFactory(client=mine, strengths="My daughter and my sense of humour.",
                               backup_plan="Call my sponsor Dana, then the warm line.")
    goal = GoalFactory(plan=plan, text="Find a place of my own before winter", dimension_codes=["home"])
    ActionStepFactory(goal=goal, description="Visit two apartments")
    GoalFactory(plan=plan, text="Walk every morning", dimension_codes=["health"])
    return plan


def test_the_plan_pdf_has_the_participants_words_steps_backup_plan_review_date_and_signature_lines(
        login, peer, mine, plan):
    text = pdf_text(login(peer).get(reverse("clients:plan_pdf", args=[plan.uuid])))
    for words in ("Find a place of my own before winter", "Walk every morning", "Visit two apartments",
                  "My daughter and my sense of humour.", "Call my sponsor Dana, then the warm line.",
                  mine.full_name, "Recovery plan, version 1", f"{plan.review_on:%b} {plan.review_on.day}, "
                  f"{plan.review_on.year}"):
        assert words in text
    assert "Signatures" in text and "Participant: signature" in text and "Peer specialist: signature" in text
    assert re.findall(r"SHA-256:?([0-9a-f]{64})", text.replace(" ", "")) == [content_hash(plan)]


def test_a_signature_prints_with_its_name_time_and_the_hash_of_the_version_printed(login, peer, mine, plan):
    signature = Signature.objects.create(
        client=mine, plan=plan, role=Signature.Role.PARTICIPANT, signer_name="Mina M. Mine",
        method=Signature.Method.SCREEN, image=png_bytes(), content_sha256=content_hash(plan), recorded_by=peer)
    page = login(peer).get(reverse("clients:plan_print", args=[plan.uuid])).content.decode()
    assert 'src="data:image/png;base64,' in page and "Participant: Mina M. Mine" in page
    assert "Participant: signature" not in page  # the blank line is for roles that have not signed
    text = pdf_text(login(peer).get(reverse("clients:plan_pdf", args=[plan.uuid])))
    assert "Participant: Mina M. Mine" in text and "Signed the text printed here." in text
    printed = re.findall(r"SHA-256:?([0-9a-f]{64})", text.replace(" ", ""))
    assert printed and set(printed) == {signature.content_sha256}
    assert signature.content_sha256 == content_hash(plan)


def test_a_plan_changed_after_signing_prints_the_signature_as_given_to_an_earlier_text(login, peer, mine, plan):
    Signature.objects.create(client=mine, plan=plan, role=Signature.Role.PARTICIPANT, signer_name="Mina Mine",
                             method=Signature.Method.PAPER, content_sha256=content_hash(plan), recorded_by=peer)
    GoalFactory(plan=plan, text="A goal added after signing")
    text = pdf_text(login(peer).get(reverse("clients:plan_pdf", args=[plan.uuid])))
    assert "Signed an earlier text of this plan" in text and "Participant: signature" in text


def test_the_canonical_plan_text_holds_the_words_signed_and_not_the_progress(plan):
    text = plan_canonical_text(plan)
    assert "Goal 1: Find a place of my own before winter" in text and "Goal 1 step 1: Visit two apartments" in text
    assert "Backup and crisis plan: Call my sponsor Dana, then the warm line." in text
    before = content_hash(plan)
    plan.goals.first().steps.update(done_on=days(0))
    assert content_hash(plan) == before


def test_the_consent_pdf_states_every_part_2_element_in_plain_words(login, peer, mine):
    consent = ConsentFactory(client=mine, recipients="Valley Primary Care, Dr. Rivera",
                             information="Attendance and recovery plan goals", purpose="Coordinate care with my doctor")
    text = pdf_text(login(peer).get(reverse("clients:consent_pdf", args=[consent.uuid])))
    for element in CONSENT_ELEMENTS:
        assert element in text, element
    for words in (mine.full_name, "Riverside Peer Recovery", "Valley Primary Care, Dr. Rivera",
                  "Attendance and recovery plan goals", "Coordinate care with my doctor",
                  f"On {consent.expires_on:%b} {consent.expires_on.day}, {consent.expires_on.year}",
                  "may not share this information with anyone else", "Participant: signature"):
        assert words in text, words


def test_a_tpo_consent_says_recipients_may_redisclose_under_hipaa(login, peer, mine):
    consent = ConsentFactory(client=mine, is_tpo=True, redisclosure_notice=True,
                             expiry_event=Consent.ExpiryEvent.NONE, expires_on=None)
    text = pdf_text(login(peer).get(reverse("clients:consent_pdf", args=[consent.uuid])))
    assert "may share your information again as the HIPAA rules allow" in text
    assert "It has no end date" in text


def test_the_note_pdf_has_the_note_and_its_addenda(login, peer, mine):
    note = SessionNoteFactory(client=mine, signed=True, summary="We planned the housing visit together.")
    NoteAddendumFactory(note=note, text="Correction: the visit is on Thursday.")
    text = pdf_text(login(peer).get(reverse("clients:note_pdf", args=[note.uuid])))
    assert "We planned the housing visit together." in text
    assert "Addenda" in text and "Correction: the visit is on Thursday." in text


def test_the_record_summary_pdf_has_the_details_plan_consents_and_notes(login, supervisor, mine, plan):
    ConsentFactory(client=mine, recipients="Valley Primary Care")
    SessionNoteFactory(client=mine, signed=True)
    text = pdf_text(login(supervisor).get(reverse("clients:record_pdf", args=[mine.uuid])))
    for words in (mine.full_name, "Episodes of service", "Find a place of my own before winter",
                  "Valley Primary Care", "Latest session notes", "Individual"):
        assert words in text, words


def test_the_print_pages_show_the_document_with_links_to_print_and_the_pdf(login, peer, mine, plan):
    page = login(peer).get(reverse("clients:plan_print", args=[plan.uuid])).content.decode()
    assert "Find a place of my own before winter" in page and 'class="document"' in page
    assert reverse("clients:plan_pdf", args=[plan.uuid]) in page
    assert reverse("clients:plan_sign", args=[plan.uuid]) in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize("page", ["plan", "consent", "note", "participant"])
def test_the_record_pages_link_to_their_print_and_pdf(login, peer, mine, plan, page):
    consent, note = ConsentFactory(client=mine), SessionNoteFactory(client=mine, signed=True)
    urls = {"plan": ("plan_detail", plan.uuid, "plan"), "consent": ("consent_detail", consent.uuid, "consent"),
            "note": ("note_detail", note.uuid, "note"), "participant": ("detail", mine.uuid, "record")}
    name, key, kind = urls[page]
    html = login(peer).get(reverse(f"clients:{name}", args=[key])).content.decode()
    assert reverse(f"clients:{kind}_print", args=[key]) in html
    assert reverse(f"clients:{kind}_pdf", args=[key]) in html


@pytest.mark.parametrize(("name", "action"), [("plan_print", "view"), ("plan_pdf", "export")])
def test_each_print_and_pdf_writes_one_access_log_row(login, peer, mine, plan, name, action):
    login(peer).get(reverse(f"clients:{name}", args=[plan.uuid]))
    row = AccessLog.objects.get(user=peer)
    assert (row.action, row.object_type, row.object_id, row.client_uuid) == (
        action, "clients.recoveryplan", str(plan.uuid), mine.uuid)
    assert mine.full_name not in row.path


@pytest.mark.parametrize("kind", ["record", "consent", "note"])
def test_the_other_documents_log_one_row_each_for_print_and_pdf(login, supervisor, mine, kind):
    key = {"record": lambda: mine.uuid, "consent": lambda: ConsentFactory(client=mine).uuid,
           "note": lambda: SessionNoteFactory(client=mine, signed=True).uuid}[kind]()
    http = login(supervisor)
    http.get(reverse(f"clients:{kind}_print", args=[key]))
    http.get(reverse(f"clients:{kind}_pdf", args=[key]))
    assert sorted(AccessLog.objects.filter(user=supervisor).values_list("action", flat=True)) == ["export", "view"]
    assert set(AccessLog.objects.values_list("client_uuid", flat=True)) == {mine.uuid}


@pytest.mark.parametrize("name", ["plan_print", "plan_pdf"])
def test_a_plan_out_of_scope_is_a_404_and_is_not_logged(login, outsider, other_team_peer, mine, plan, name):
    for user in (outsider, other_team_peer):
        assert login(user).get(reverse(f"clients:{name}", args=[plan.uuid])).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("name", ["plan_print", "plan_pdf"])
def test_documents_answer_only_get(login, peer, plan, name):
    assert login(peer).post(reverse(f"clients:{name}", args=[plan.uuid])).status_code == 405


def test_print_pages_keep_to_a_fixed_number_of_queries_with_many_rows(
        login, peer, mine, django_assert_max_num_queries, frozen_time):
    plan = RecoveryPlanFactory(client=mine)
    for _ in range(12):
        ActionStepFactory.create_batch(3, goal=GoalFactory(plan=plan, dimension_codes=["home", "health"]))
    note = SessionNoteFactory(client=mine, signed=True)
    NoteAddendumFactory.create_batch(15, note=note)
    consents = ConsentFactory.create_batch(15, client=mine)
    bulk_notes(mine, 40)
    http = login(peer)
    urls = [reverse("clients:plan_print", args=[plan.uuid]), reverse("clients:note_print", args=[note.uuid]),
            reverse("clients:consent_print", args=[consents[0].uuid]),
            reverse("clients:record_print", args=[mine.uuid])]
    for url in urls:
        with django_assert_max_num_queries(22):
            assert http.get(url).status_code == 200
