"""Attachment checks: the type is read from the content, never from the name or the browser.

Accepted: PDF, PNG, JPEG, GIF, WebP, and office documents in their zip-based formats (Word, Excel,
PowerPoint, OpenDocument) without macros. Everything else, including executables, HTML and SVG
(which can carry scripts), is refused. Office documents are zip archives: they must first pass the
shared archive check (`municipia.core.archives`), so a zip bomb is refused before anything inflates it.
"""

import secrets
from dataclasses import dataclass

from django.utils.translation import gettext as _

from municipia.core.archives import ArchiveRefused, open_archive, read_member

HEAD = 16


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", "pdf")
PNG = FileType("image/png", "png")
JPEG = FileType("image/jpeg", "jpg")
GIF = FileType("image/gif", "gif")
WEBP = FileType("image/webp", "webp")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": FileType(
        "application/vnd.oasis.opendocument.text", "odt"
    ),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(
        "application/vnd.oasis.opendocument.spreadsheet", "ods"
    ),
    "application/vnd.oasis.opendocument.presentation": FileType(
        "application/vnd.oasis.opendocument.presentation", "odp"
    ),
}
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
# An OpenDocument `mimetype` member is one short line; nothing longer is read.
MIMETYPE_MAX_BYTES = 256


class UploadRejected(Exception):
    """A user-facing reason why a file is refused."""


def sniff(data: bytes) -> FileType:
    """The file's type from its first bytes (and, for zip containers, their table of contents)."""
    head = data[:HEAD]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _office(data)
    raise UploadRejected(
        _(
            "This kind of file is not accepted. Attach a PDF, an image (PNG, JPEG, GIF, WebP) "
            "or an office document (Word, Excel, PowerPoint, OpenDocument)."
        )
    )


def _office(data: bytes) -> FileType:
    refused = UploadRejected(
        _(
            "This archive is not an office document. Only office documents without macros are accepted."
        )
    )
    try:
        archive = open_archive(data)
    except ArchiveRefused as error:
        if error.reason == "damaged":
            raise refused from error
        raise UploadRejected(str(error)) from error
    with archive:
        names = archive.namelist()
        lowered = [n.lower() for n in names]
        if any(n.endswith(("vbaproject.bin", ".exe", ".dll", ".js", ".vbs")) for n in lowered):
            raise UploadRejected(
                _("Office documents with macros or programs inside are not accepted.")
            )
        if "mimetype" in names:
            try:
                mimetype = read_member(archive, "mimetype", MIMETYPE_MAX_BYTES)
            except ArchiveRefused as error:
                raise refused from error
            declared = mimetype.decode("ascii", "replace").strip()
            if declared in OPENDOCUMENT:
                return OPENDOCUMENT[declared]
            raise refused
    if "[Content_Types].xml" in names:
        for prefix, file_type in OOXML_PARTS.items():
            if any(n.startswith(prefix) for n in names):
                return file_type
    raise refused


def read_checked(upload, limit: int) -> tuple[bytes, FileType]:
    """The upload's bytes and type, or `UploadRejected` when it is empty, too large or of a
    refused kind; nothing is read past `limit`."""
    too_large = UploadRejected(
        _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}
    )
    if upload.size is None or upload.size > limit:
        raise too_large
    if upload.size == 0:
        raise UploadRejected(_("The file is empty."))
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data, sniff(data)


def stored_name(file_type: FileType) -> str:
    """A random name with the extension of the detected type; the uploader's name is kept aside."""
    return f"{secrets.token_hex(12)}.{file_type.extension}"


def display_name(name: str) -> str:
    """The uploader's file name reduced to something safe to show and to offer on download."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(" .")
    return cleaned[:200] or "attachment"
