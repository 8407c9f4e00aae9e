"""The certification status board in Spanish (issue 21, point 3): with the language set to Spanish, the page
is in the catalogue's Spanish."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation


def test_the_status_board_shows_its_heading_in_spanish_when_the_language_is_spanish(login, supervisor, peer):
    http = login(supervisor)
    with translation.override("es"):
        html = http.get(reverse("peers:staff_home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Estado de las certificaciones" in html
    assert "Certification status" not in html
