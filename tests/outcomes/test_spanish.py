"""The check-in form in Spanish (issue 21, point 3): the page and the shipped BARC-10 (Lantern's paraphrase,
stored in English) show in Spanish when the language is Spanish."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation


def test_the_check_in_form_and_the_shipped_barc_10_show_in_spanish_when_the_language_is_spanish(
        login, peer, mine, barc):
    http = login(peer)
    with translation.override("es"):
        html = http.get(reverse("outcomes:checkin_new", kwargs={"client_uuid": mine.uuid}),
                        HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Guardar el chequeo" in html
    assert "BARC-10 capital de recuperación" in html
    assert "Totalmente de acuerdo" in html and "Strongly agree" not in html
    assert "Estoy avanzando en mi recuperación." in html
