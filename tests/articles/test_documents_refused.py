"""PDF and Word files are refused wherever captures come in, saying what is read;
an empty upload says that the file is empty."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from articles.ingest import CaptureRefused, read_capture
from articles.models import Article, Revision
from tests.conftest import SEED_PATH

ONLY_CAPTURES = "only page captures (.txt) and saved web pages (.html) are read"


def _docx() -> bytes:
    """A minimal Word (.docx) file: a zip with word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body>Hello</w:body></w:document>")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
SEED = SEED_PATH.read_bytes()

#: (filename, content type, bytes, what the message calls it). The seed's own text
#: under a document's name or type is refused too: the name and the type count.
DOCUMENTS = [
    ("report.pdf", "application/pdf", PDF, "a PDF"),
    ("report.txt", "text/plain", PDF, "a PDF"),  # %PDF- magic under a .txt name
    ("report.pdf", "text/plain", SEED, "a PDF"),  # named .pdf
    ("capture.txt", "application/pdf", SEED, "a PDF"),  # typed as PDF
    ("letter.docx", "application/octet-stream", _docx(), "a Word document"),
    ("letter.txt", "text/plain", _docx(), "a Word document"),  # PK zip of a docx
    ("letter.doc", "application/msword", OLE_DOC, "a Word document"),
    ("letter.doc", "text/plain", SEED, "a Word document"),  # named .doc
    (
        "capture.txt",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        SEED,
        "a Word document",
    ),
]
IDS = [
    "pdf",
    "pdf-magic",
    "pdf-name",
    "pdf-type",
    "docx",
    "docx-zip",
    "doc-ole",
    "doc-name",
    "docx-type",
]


@pytest.mark.parametrize(("filename", "content_type", "data", "kind"), DOCUMENTS, ids=IDS)
def test_the_parser_refuses_documents_saying_what_is_read(
    filename: str, content_type: str, data: bytes, kind: str
) -> None:
    with pytest.raises(CaptureRefused) as refused:
        read_capture(data, filename=filename, content_type=content_type)
    assert str(refused.value) == f"this file is {kind}; {ONLY_CAPTURES}"


@pytest.mark.django_db
@pytest.mark.parametrize(("filename", "content_type", "data", "kind"), DOCUMENTS, ids=IDS)
def test_the_upload_form_refuses_documents_and_records_nothing(
    editor_client: Client, filename: str, content_type: str, data: bytes, kind: str
) -> None:
    upload = SimpleUploadedFile(filename, data, content_type=content_type)
    response = editor_client.post("/import/", {"file": upload})
    assert response.status_code == 422
    assert f"Refused: this file is {kind}; {ONLY_CAPTURES}." in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_the_import_command_refuses_documents_by_name_and_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(SEED)
    docx = tmp_path / "letter.txt"
    docx.write_bytes(_docx())
    with pytest.raises(CommandError):
        call_command("import_articles", str(pdf), str(docx), "--no-progress")
    out = capsys.readouterr().out
    assert f"refused       {pdf}: this file is a PDF; {ONLY_CAPTURES}" in out
    assert f"refused       {docx}: this file is a Word document; {ONLY_CAPTURES}" in out
    assert Revision.objects.count() == 0


def test_a_plain_zip_is_refused_as_an_archive() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(CaptureRefused, match=re.escape(f"a ZIP archive; {ONLY_CAPTURES}")):
        read_capture(buffer.getvalue(), filename="notes.zip")


def test_a_capture_that_mentions_pdf_in_its_text_is_read() -> None:
    """Only the start of the file, its name and its type count, not the words in it."""
    data = b"Report published\n\nThe ministry published %PDF- files and word/ documents today.\n"
    draft = read_capture(data, filename="capture.txt", content_type="text/plain")
    assert draft.title == "Report published"


@pytest.mark.django_db
def test_an_empty_upload_says_the_file_is_empty(editor_client: Client) -> None:
    upload = SimpleUploadedFile("capture.txt", b"", content_type="text/plain")
    response = editor_client.post("/import/", {"file": upload})
    content = response.content.decode()
    assert response.status_code == 422
    assert "Refused: the file is empty." in content
    assert "Choose a capture file" not in content
    assert Article.objects.count() == 0
