import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from municipia.calls.files import FileRefused, check_upload, strip_metadata
from tests.archives import MB, build, docx_bomb, peak_memory, with_lie, xlsx_bomb
from tests.calls.helpers import docx_bytes, pdf_bytes


def _jpeg_with_exif(text: bytes) -> bytes:
    exif = b"Exif\x00\x00" + text
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    comment = b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text
    jfif = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + jfif + app1 + comment + b"\xff\xda\x00\x02" + b"\x00" * 10 + b"\xff\xd9"


def _png_with_text(text: bytes) -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Author\x00" + text)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def test_check_upload_reads_the_type_from_the_content():
    upload = SimpleUploadedFile("photo.png", pdf_bytes())

    _content, extension, content_type = check_upload(upload)

    assert (extension, content_type) == ("pdf", "application/pdf")


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00" + b"\x00" * 64, b"plain text that says it is a PDF", b"%!PS-Adobe-3.0\n"],
)
def test_check_upload_refuses_types_not_accepted(content):
    with pytest.raises(FileRefused, match="not accepted"):
        check_upload(SimpleUploadedFile("report.pdf", content))


def test_check_upload_refuses_an_empty_file():
    with pytest.raises(FileRefused, match="empty"):
        check_upload(SimpleUploadedFile("empty.pdf", b""))


def test_strip_metadata_removes_a_pdfs_author_and_title():
    stripped = strip_metadata(pdf_bytes(author="Ajuntament de Granollers"), "pdf")

    assert b"Granollers" not in stripped
    assert len(PdfReader(io.BytesIO(stripped)).pages) == 1


def test_strip_metadata_removes_jpeg_exif_and_comments():
    stripped = strip_metadata(_jpeg_with_exif(b"Camara de Lisboa"), "jpg")

    assert b"Lisboa" not in stripped
    assert stripped.startswith(b"\xff\xd8\xff\xe0")
    assert stripped.endswith(b"\xff\xd9")


def test_strip_metadata_removes_png_text():
    stripped = strip_metadata(_png_with_text(b"Prefeitura de Belo Horizonte"), "png")

    assert b"Belo Horizonte" not in stripped
    assert b"IDAT" in stripped


def test_strip_metadata_removes_office_document_properties():
    stripped = strip_metadata(docx_bytes("Mairie de Lyon"), "docx")

    archive = zipfile.ZipFile(io.BytesIO(stripped))
    assert b"Lyon" not in archive.read("docProps/core.xml")
    assert archive.read("word/document.xml") == b"<w:document/>"


def test_strip_metadata_leaves_unreadable_content_as_it_is():
    assert strip_metadata(b"%PDF-broken", "pdf") == b"%PDF-broken"


BOMBS = {
    "docx": build(docx_bomb(200 * MB)),
    "xlsx": build(xlsx_bomb(200 * MB)),
    "docx-lying": build(with_lie(docx_bomb(200 * MB), "word/document.xml")),
    "xlsx-lying": build(with_lie(xlsx_bomb(200 * MB), "xl/worksheets/sheet1.xml")),
}


@pytest.mark.parametrize("name", BOMBS)
def test_check_upload_refuses_a_zip_bomb(name):
    upload = SimpleUploadedFile(f"budget.{name[:4]}", BOMBS[name])
    assert upload.size < MB

    with peak_memory() as peak, pytest.raises(FileRefused, match=r"expand|declares"):
        check_upload(upload)

    assert peak[0] < 20 * MB


def test_strip_metadata_of_a_zip_bomb_stays_bounded():
    """A file stored before uploads were checked is served as it is, without inflating it."""
    bomb = BOMBS["docx-lying"]

    with peak_memory() as peak:
        assert strip_metadata(bomb, "docx") == bomb

    assert peak[0] < 20 * MB
