"""Uploaded documents (consent scans, CE certificates): checked by content, stored under random names
outside the static root, and served only by scoped views (``serve_upload``) as attachments.
"""

from __future__ import annotations

import mimetypes
import uuid
from pathlib import PurePath

import puremagic
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

# What a scanned document may be, by what its bytes say (never by its name or the browser's word).
DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

WRONG_TYPE = "Upload a PDF, PNG or JPEG file."
TOO_LARGE = "The file is larger than {limit} MB: scan it at a lower resolution or split it."
EMPTY = "The file is empty."


def sniff_mime(file) -> str | None:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(4096)
    file.seek(position)
    if not head:
        return None
    try:
        return puremagic.from_string(head, mime=True) or None
    except puremagic.PureError:
        return None


def validate_document(file, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
    """Form-field validator: a PDF/PNG/JPEG by content, not larger than ``max_bytes``."""
    if file is None:
        return
    if getattr(file, "size", 0) == 0:
        raise ValidationError(EMPTY, code="empty")
    if file.size > max_bytes:
        raise ValidationError(TOO_LARGE.format(limit=max_bytes // (1024 * 1024)), code="too_large")
    if sniff_mime(file) not in DOCUMENT_TYPES:
        raise ValidationError(WRONG_TYPE, code="wrong_type")


@deconstructible
class RandomName:
    """``upload_to`` that keeps no part of the uploaded name (it may hold a participant's name)."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        if suffix not in DOCUMENT_TYPES.values() and suffix not in (".jpeg",):
            suffix = ""
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


def serve_upload(field_file, download_name: str) -> FileResponse:
    """Stream a stored document as an attachment. Call only after a scoped fetch of its owner."""
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=download_name,
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
