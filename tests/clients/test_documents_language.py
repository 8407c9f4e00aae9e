"""The participant's preferred language (issue 21, point 3): recorded at intake and on the record, and the
printed plan and consent (print page and PDF) come out in it whatever the staff member's own language;
the text a signature signs does not change with the language, so its hash does not either."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from clients.models import ActionStep, Client, Consent
from clients.signing import consent_canonical_text, content_hash, plan_canonical_text
from tests.clients.test_documents import CONSENT_ELEMENTS, pdf_text
from tests.clients.test_intake import intake_data
from tests.factories import ActionStepFactory, ConsentFactory, GoalFactory, RecoveryPlanFactory

CATALOGUE = Path(django_settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

# The consent's §2.31 parts and the plan's headings as a Spanish-speaking participant reads them.
CONSENT_ELEMENTS_ES = [
    "1. Tu nombre", "2. Quién puede compartirla", "3. Qué información se puede compartir", "4. Quién puede recibirla",
    "5. Para qué se comparte (propósito)", "6. Tu derecho a revocar este consentimiento",
    "7. Cuándo termina este consentimiento", "8. Volver a compartir (redivulgación)", "9. Tu decisión",
    "10. Firma y fecha",
]
PLAN_HEADINGS_ES = ["Plan de recuperación, versión 1", "Fortalezas", "Metas, en las propias palabras del participante",
                    "Plan de respaldo y de crisis", "Próxima revisión", "Firmas", "Participante: firma"]
PLAN_HEADINGS_EN = ["Recovery plan, version 1", "Strengths", "Goals, in the participant's own words",
                    "Backup and crisis plan", "Next review", "Signatures", "Participant: signature"]


@pytest.fixture(autouse=True)
def spanish_catalogue(settings):
    """The compiled Spanish catalogue (``.mo`` files are built, not committed), loaded afresh."""
    compiled = CATALOGUE.with_suffix(".mo")
    if not compiled.exists() or compiled.stat().st_mtime < CATALOGUE.stat().st_mtime:
        subprocess.run(["msgfmt", "-o", str(compiled), str(CATALOGUE)], check=True)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # setting_changed: Django drops its loaded catalogues


@pytest.fixture
def plan(mine):
    plan = RecoveryPlanFactory(client=mine, strengths="Mi hija y mi sentido del humor.",
                               backup_plan="Llamar a mi padrino Dana.")
    goal = GoalFactory(plan=plan, text="Tener mi propio lugar antes del invierno", dimension_codes=["home"])
    ActionStepFactory(goal=goal, description="Visitar dos apartamentos")
    return plan


def speaks(client: Client, language: str) -> Client:
    client.preferred_language = language
    client.save(update_fields=["preferred_language"])
    return client


def staff_reads_spanish(settings, user) -> dict:
    """The staff member's own language is Spanish, however the app learns it (site default, their own choice
    where users have one, the browser's Accept-Language): the headers to send."""
    settings.LANGUAGE_CODE = "es"
    if hasattr(user, "language"):
        user.language = "es"
        user.save(update_fields=["language"])
    return {"HTTP_ACCEPT_LANGUAGE": "es"}


def spanish_date(day) -> str:
    with translation.override("es"):
        return date_format(day, r"j \d\e F \d\e Y")


def test_a_spanish_speaking_participants_plan_pdf_is_in_spanish_with_dates_in_spanish(login, peer, mine, plan):
    speaks(mine, "es")
    text = pdf_text(login(peer).get(reverse("clients:plan_pdf", args=[plan.uuid])))
    for words in [*PLAN_HEADINGS_ES, "Tener mi propio lugar antes del invierno", "Visitar dos apartamentos",
                  f"Volveremos a revisar juntos este plan a más tardar el {spanish_date(plan.review_on)}.",
                  "Confidencial: protegido por 42 CFR Part 2 y HIPAA"]:
        assert words in text, words
    for words in PLAN_HEADINGS_EN:
        assert words not in text, words


def test_a_spanish_speaking_participants_consent_pdf_states_every_part_2_element_in_spanish(login, peer, mine):
    speaks(mine, "es")
    consent = ConsentFactory(client=mine, recipients="Valley Primary Care", purpose="Coordinar mi atención")
    text = pdf_text(login(peer).get(reverse("clients:consent_pdf", args=[consent.uuid])))
    for words in [*CONSENT_ELEMENTS_ES, "Consentimiento para compartir información", "Valley Primary Care",
                  f"El {spanish_date(consent.expires_on)}, a menos que lo revoques antes.",
                  "no puede compartir esta información con nadie más"]:
        assert words in text, words
    for element in CONSENT_ELEMENTS:
        assert element not in text, element


def test_the_print_page_shows_the_document_in_the_participants_language_inside_the_staff_members_page(
        login, peer, mine, plan):
    speaks(mine, "es")
    page = login(peer).get(reverse("clients:plan_print", args=[plan.uuid])).content.decode()
    assert '<article class="document" lang="es">' in page
    for words in ["Plan de recuperación, versión 1", "Fortalezas", "Metas, en las propias palabras del participante"]:
        assert words in page, words
    assert "Download the PDF" in page and "Descargar el PDF" not in page  # the page around it: the staff's own


def test_an_english_speaking_participants_documents_stay_english_for_a_spanish_speaking_staff_member(
        login, peer, mine, plan, settings):
    headers = staff_reads_spanish(settings, peer)
    consent = ConsentFactory(client=mine)
    session = login(peer)
    text = pdf_text(session.get(reverse("clients:plan_pdf", args=[plan.uuid]), **headers))
    for words in PLAN_HEADINGS_EN:
        assert words in text, words
    assert "Fortalezas" not in text and f"{plan.review_on:%b} {plan.review_on.day}, {plan.review_on.year}" in text
    consent_text = pdf_text(session.get(reverse("clients:consent_pdf", args=[consent.uuid]), **headers))
    for element in CONSENT_ELEMENTS:
        assert element in consent_text, element
    page = session.get(reverse("clients:plan_print", args=[plan.uuid]), **headers).content.decode()
    assert '<article class="document" lang="en">' in page and "Strengths" in page
    assert "Descargar el PDF" in page  # while the page around the document follows the staff member


def test_a_spanish_speaking_participants_plan_is_spanish_whatever_the_staff_members_language(
        login, peer, mine, plan, settings):
    speaks(mine, "es")
    headers = staff_reads_spanish(settings, peer)
    text = pdf_text(login(peer).get(reverse("clients:plan_pdf", args=[plan.uuid]), **headers))
    for words in PLAN_HEADINGS_ES:
        assert words in text, words


def test_the_signing_page_shows_the_document_in_the_participants_language(login, peer, mine, plan):
    speaks(mine, "es")
    page = login(peer).get(reverse("clients:plan_sign", args=[plan.uuid])).content.decode()
    assert "Metas, en las propias palabras del participante" in page
    assert "Sign on this screen" in page  # the form to sign: the staff member's language


def test_the_signed_text_and_its_hash_are_the_same_in_every_language(mine, plan):
    # Choice labels that are translated on pages (who does a step, the event that ends a consent) stay as
    # written in the code in the signed text.
    ActionStepFactory(goal=plan.goals.get(), description="Llamar a la clínica", who=ActionStep.Who.PARTICIPANT)
    consent = ConsentFactory(client=mine, expiry_event=Consent.ExpiryEvent.END_OF_TREATMENT, expires_on=None)
    hashes, texts = set(), set()
    for language in ("en", "es"):
        with translation.override(language):
            hashes.add((content_hash(plan), content_hash(consent)))
            texts.add((plan_canonical_text(plan), consent_canonical_text(consent)))
    assert len(hashes) == 1 and len(texts) == 1
    plan_text, consent_text = texts.pop()
    assert "Strengths: Mi hija y mi sentido del humor." in plan_text
    assert "Goal 1 step 2 who: The participant" in plan_text and "El participante" not in plan_text
    assert "Expires: At the end of treatment (discharge)" in consent_text


def test_a_spanish_pdf_prints_the_hash_its_signatures_sign(login, peer, mine, plan):
    speaks(mine, "es")
    text = pdf_text(login(peer).get(reverse("clients:plan_pdf", args=[plan.uuid])))
    assert content_hash(plan).upper() in text.replace(" ", "").upper()
    assert "Texto de este plan, SHA-256:" in text


def test_the_preferred_language_is_recorded_at_intake_and_shown_on_the_participant_page(login, peer):
    session = login(peer)
    assert 'name="preferred_language"' in session.get(reverse("clients:intake")).content.decode()
    response = session.post(reverse("clients:intake"), intake_data(preferred_language="es"))
    client = Client.objects.get()
    assert response.status_code == 302 and client.preferred_language == "es"
    page = session.get(reverse("clients:detail", args=[client.uuid])).content.decode()
    assert "Preferred language" in page and "Español" in page


def test_an_intake_without_a_language_records_english(login, peer):
    login(peer).post(reverse("clients:intake"), intake_data())
    assert Client.objects.get().preferred_language == "en"


def test_the_preferred_language_is_changed_on_the_record_and_kept_when_an_edit_leaves_it_out(login, peer, mine):
    session = login(peer)
    details = {"full_name": mine.full_name, "birth_date": mine.birth_date.isoformat()}
    response = session.post(reverse("clients:edit", args=[mine.uuid]), {**details, "preferred_language": "es"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.preferred_language == "es"
    session.post(reverse("clients:edit", args=[mine.uuid]), details)
    mine.refresh_from_db()
    assert mine.preferred_language == "es"


def test_a_language_that_is_not_offered_is_refused(login, peer, mine):
    response = login(peer).post(reverse("clients:edit", args=[mine.uuid]), {
        "full_name": mine.full_name, "birth_date": mine.birth_date.isoformat(), "preferred_language": "fr"})
    assert response.status_code == 200 and "preferred_language" in response.context["form"].errors
