"""The caseload review dashboard in Spanish (issue 21, point 3): headings, metric columns and plurals come
from the catalogue when the language is Spanish."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation


def test_the_caseload_review_shows_its_heading_and_metrics_in_spanish_when_the_language_is_spanish(
        login, supervisor, peer):
    http = login(supervisor)
    with translation.override("es"):
        html = http.get(reverse("supervision:dashboard"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Revisión de casos asignados" in html
    assert "Participantes activos" in html  # a metric label built in Python (gettext_lazy)
    assert "1 persona supervisada" in html  # a real plural
    assert "Caseload review" not in html
