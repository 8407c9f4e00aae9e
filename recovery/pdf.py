"""PDFs made on the server from the same Django templates as the pages (WeasyPrint): one function for every app."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """``template`` rendered with ``context`` as a downloaded ``filename`` (the caller logs the access)."""
    from weasyprint import HTML  # heavy: loaded on the first PDF, not with every view module

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
