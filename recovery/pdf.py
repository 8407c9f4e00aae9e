"""PDF documents rendered server-side from HTML templates by WeasyPrint: the one place that does it.

WeasyPrint may fetch what the HTML links to. Here it reads only our own static files (from the
staticfiles finders, never over the network) and inline ``data:`` URLs (signature images); any other URL
is refused, so nothing a template shows can make the server fetch a remote or local address.
"""

from __future__ import annotations

import mimetypes

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static

BASE_URL = "https://lantern.invalid/"
REFUSED_URL = "A PDF may load only Lantern's static files and data: URLs, not {url}"


def _fetcher():
    """WeasyPrint's URL fetcher: static files from disk and ``data:`` URLs; anything else is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = BASE_URL.rstrip("/") + static("")
            path = finders.find(url.removeprefix(prefix).split("?", 1)[0]) if url.startswith(prefix) else None
            if not path:
                raise ValueError(REFUSED_URL.format(url=url[:80]))
            with open(path, "rb") as file:
                return URLFetcherResponse(url, file.read(), {"Content-Type": mimetypes.guess_type(path)[0]})

    return StaticOnly(allowed_protocols=("data", "https"))


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """The bytes of the PDF that ``template`` renders to."""
    from weasyprint import HTML  # imported on use: loading Pango takes a moment and most requests need none

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str, request=None) -> HttpResponse:
    """A download of the PDF ``template`` renders to. The caller logs the export (recovery.audit)."""
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
