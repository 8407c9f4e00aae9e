"""Issue 21, point 3: a peer switches Lantern to Spanish on the Language page and logs and signs a note in
Spanish, at 360 px, every page axe-clean.

It reaches the form's fields and buttons by name and asserts the Spanish the peer reads: navigation,
headings, the language page, and the note's own signing message.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from clients.models import SessionNote
from tests.browser.conftest import open_navigation, session_length
from tests.factories import ClientFactory, service_code, support_services
from tests.i18n_support import spanish_compiled

PHONE = {"width": 360, "height": 740}


def check(page, where, assert_accessible, assert_fits_phone):
    assert_fits_phone(page)
    assert_accessible(page, where)


def test_a_peer_switches_to_spanish_and_logs_and_signs_a_note(page, live_server, program, peer, browser_login,
                                                              assert_accessible, assert_fits_phone):
    spanish_compiled()
    service_code()  # the data migration's rows: a browser test's database was flushed
    support_services()
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    expect(page.get_by_role("heading", level=1)).to_have_text("My day")

    # The account menu leads to the Language page.
    open_navigation(page)
    page.get_by_role("button", name=peer.get_short_name()).click()
    page.get_by_role("link", name="Language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Language")
    check(page, "language page", assert_accessible, assert_fits_phone)
    page.get_by_label("Español").check()
    page.get_by_role("button", name="Save language").click()

    # Everything this branch owns speaks Spanish from the next page on.
    expect(page.get_by_role("heading", level=1)).to_have_text("Idioma")
    expect(page.get_by_text("Tu idioma quedó guardado.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check(page, "language page in Spanish", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Mostrar el menú").click()
    page.locator("#main-nav.show").wait_for(state="visible")
    page.get_by_role("link", name="Mi día").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi día")
    expect(page.get_by_role("link", name="Saltar al contenido principal")).to_be_attached()
    check(page, "Mi día", assert_accessible, assert_fits_phone)

    # The note journey: the participant's note form, then save and sign.
    page.goto(f"{live_server.url}{reverse('clients:note_new', args=[robin.uuid])}")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    session_length(page, "45")
    page.locator("[name=services]").first.check()
    page.locator("[name=summary]").fill("Revisamos juntos la solicitud de vivienda.")
    page.locator("[name=response]").fill("Se sintió aliviado de empezarla.")
    page.locator("[name=next_steps]").fill("Practicar las preguntas de la entrevista.")
    check(page, "note form in Spanish", assert_accessible, assert_fits_phone)
    page.locator("button[name=sign]").click()
    page.wait_for_url(lambda url: "/notes/new/" not in url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("Nota firmada:")).to_be_visible()  # the signing message, in Spanish
    expect(page.get_by_role("navigation", name="Principal")).to_be_attached()
    check(page, "signed note in Spanish", assert_accessible, assert_fits_phone)

    note = SessionNote.objects.get(client=robin)
    assert note.is_signed and note.signed_by == peer and note.duration_minutes == 45
    peer.refresh_from_db()
    assert peer.language == "es"
    translation.activate(settings.LANGUAGE_CODE)
