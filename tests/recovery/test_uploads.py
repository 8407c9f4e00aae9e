import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery.uploads import EMPTY, TOO_LARGE, WRONG_TYPE, RandomName, validate_document

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("name,content", [("scan.pdf", PDF), ("scan.png", PNG)])
def test_pdf_and_png_are_accepted(name, content):
    validate_document(upload(name, content))


def test_a_renamed_executable_is_rejected_by_its_content():
    with pytest.raises(ValidationError) as error:
        validate_document(upload("consent.pdf", b"MZ\x90\x00" + b"\x00" * 100))
    assert error.value.messages == [WRONG_TYPE]


def test_an_oversized_file_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_document(upload("big.pdf", PDF + b"0" * 2048), max_bytes=1024)
    assert error.value.messages == [TOO_LARGE.format(limit=0)]


def test_an_empty_file_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_document(upload("empty.pdf", b""))
    assert error.value.messages == [EMPTY]


def test_stored_names_keep_nothing_of_the_uploaded_name():
    name = RandomName("consents")(None, "Jane Doe consent.PDF")
    assert name.startswith("consents/") and name.endswith(".pdf")
    assert "Jane" not in name and "Doe" not in name
