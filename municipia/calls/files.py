"""Attachments: their type is read from their content, and what names their author can be removed.

An upload is accepted when its bytes are one of the allowed types (whatever its name says) and it is
not larger than the limit; an office document must also pass the archive check
(`municipia.core.archives`: no zip bombs, nothing that expands past its limits). Jurors of a blind call get a copy without the metadata that tells who
wrote it: a PDF's document information and XMP packet, JPEG EXIF/XMP/IPTC and comments, PNG text
chunks, and the core and application properties of office documents. The text inside a document is
the applicant's to keep anonymous.
"""

import io
import re
import struct
import zipfile

import filetype
from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from municipia.core.archives import ArchiveRefused, open_archive, read_member

ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
ARCHIVE_TYPES = {"docx", "xlsx", "odt"}


class FileRefused(ValueError):
    """The upload is not accepted; the message says why, in the user's language."""


def max_upload_bytes() -> int:
    return settings.MUNICIPIA_CALLS_MAX_UPLOAD_BYTES


def check_upload(uploaded) -> tuple[bytes, str, str]:
    """Read an uploaded file and return (content, extension, MIME type), or raise FileRefused."""
    limit = max_upload_bytes()
    if uploaded.size > limit:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(uploaded.size), "limit": _megabytes(limit)}
        )
    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise FileRefused(_("The file is larger than %(limit)s MB.") % {"limit": _megabytes(limit)})
    if not content:
        raise FileRefused(_("The file is empty."))
    kind = filetype.guess(content)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        raise FileRefused(
            _("This type of file is not accepted. Accepted types: %(types)s.")
            % {"types": ", ".join(ext.upper() for ext in ALLOWED_TYPES)}
        )
    if kind.extension in ARCHIVE_TYPES:
        try:
            open_archive(content).close()
        except ArchiveRefused as refused:
            raise FileRefused(str(refused)) from refused
    return content, kind.extension, ALLOWED_TYPES[kind.extension]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def strip_metadata(content: bytes, extension: str) -> bytes:
    """A copy of `content` without author metadata; unchanged when it cannot be parsed."""
    stripper = {
        "pdf": _strip_pdf,
        "jpg": _strip_jpeg,
        "png": _strip_png,
        "docx": _strip_office,
        "xlsx": _strip_office,
        "odt": _strip_opendocument,
    }.get(extension)
    if stripper is None:
        return content
    try:
        return stripper(content)
    except (
        PdfReadError,
        ValueError,
        KeyError,
        struct.error,
        zipfile.BadZipFile,
        OSError,
        ArchiveRefused,
    ):
        return content


def _strip_pdf(content: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.metadata = None
    writer.xmp_metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# APP1 (EXIF, XMP), APP12, APP13 (IPTC/Photoshop) and comments name people and places; APP0 (JFIF),
# APP2 (colour profile) and APP14 (Adobe colour transform) are kept so the image renders the same.
_JPEG_DROP = {0xE1, 0xEC, 0xED, 0xFE}


def _strip_jpeg(content: bytes) -> bytes:
    if content[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    position = 2
    while position + 4 <= len(content):
        if content[position] != 0xFF:
            raise ValueError("corrupt JPEG")
        marker = content[position + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            out += content[position:]
            return bytes(out)
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        segment = content[position : position + 2 + length]
        if marker not in _JPEG_DROP:
            out += segment
        position += 2 + length
    out += content[position:]
    return bytes(out)


_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def _strip_png(content: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not content.startswith(signature):
        raise ValueError("not a PNG")
    out = bytearray(signature)
    position = len(signature)
    while position + 8 <= len(content):
        (length,) = struct.unpack(">I", content[position : position + 4])
        chunk_type = content[position + 4 : position + 8]
        end = position + 12 + length
        if chunk_type not in _PNG_DROP:
            out += content[position:end]
        position = end
    return bytes(out)


_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)


def _rewrite_zip(source: zipfile.ZipFile, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = replace.get(info.filename)
            if data is None:
                data = read_member(source, info.filename, info.file_size)
            clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            clean.compress_type = info.compress_type
            target.writestr(clean, data)
    return out.getvalue()


def _strip_office(content: bytes) -> bytes:
    with open_archive(content) as archive:
        return _rewrite_zip(
            archive, {"docProps/core.xml": _EMPTY_CORE, "docProps/app.xml": _EMPTY_APP}
        )


_ODF_META = re.compile(rb"<office:meta>.*</office:meta>", re.DOTALL)


def _strip_opendocument(content: bytes) -> bytes:
    with open_archive(content) as archive:
        meta = read_member(archive, "meta.xml", archive.getinfo("meta.xml").file_size)
        return _rewrite_zip(archive, {"meta.xml": _ODF_META.sub(b"<office:meta/>", meta)})
