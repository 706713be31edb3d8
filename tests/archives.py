"""Zip archives made byte by byte for the tests: honest ones, bombs, and ones whose sizes lie.

A bomb of hundreds of megabytes is built from one compressed block repeated, so building it costs
no more memory than its compressed size.
"""

import struct
import tracemalloc
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass
class Member:
    name: str
    payload: bytes  # as stored in the archive (deflated unless method is 0)
    crc: int
    size: int  # the size the archive declares
    method: int = zipfile.ZIP_DEFLATED


def deflated(content: bytes, name: str) -> Member:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    payload = compressor.compress(content) + compressor.flush()
    return Member(name, payload, zlib.crc32(content), len(content))


def repeated(name: str, chunk: bytes, times: int, head: bytes = b"", tail: bytes = b"") -> Member:
    """`head + chunk * times + tail`, deflated, without ever holding it whole."""

    def block(data: bytes) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    payload = (
        block(head)
        + block(chunk) * times
        + block(tail)
        + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    )
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return Member(name, payload, crc, len(head) + len(chunk) * times + len(tail))


def lying(member: Member, size: int) -> Member:
    """The same data, declaring only its first `size` bytes (with their CRC)."""
    inflater = zlib.decompressobj(-15)
    first = inflater.decompress(member.payload, size)[:size]
    return Member(member.name, member.payload, zlib.crc32(first), size, member.method)


def build(members: list[Member], zip64: bool = False) -> bytes:
    """A zip with exactly these members, sizes and CRCs, honest or not (zip64: with its end records)."""
    body = bytearray()
    directory = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(body)
        body += struct.pack(
            "<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, m.method, 0, 0x21, m.crc,
            len(m.payload), m.size, len(name), 0,
        )  # fmt: skip
        body += name + m.payload
        directory += struct.pack(
            "<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, m.method, 0, 0x21, m.crc,
            len(m.payload), m.size, len(name), 0, 0, 0, 0, 0o100644 << 16, offset,
        )  # fmt: skip
        directory += name
    count = min(len(members), 0xFFFF)  # zipfile walks the directory and never reads this count
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    if zip64:
        record = struct.pack(
            "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, len(members), len(members),
            len(directory), len(body),
        )  # fmt: skip
        locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(body) + len(directory), 1)
        end = (
            record
            + locator
            + struct.pack(
                "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0
            )
        )
    return bytes(body + directory + end)


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
_REL = b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/>'
_RELS = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>'
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_S = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def docx_bomb(size: int = 200 * MB) -> list[Member]:
    """A Word file whose document.xml is `size` bytes of paragraphs."""
    paragraph = b"<w:p><w:r><w:t>Objective</w:t></w:r></w:p>" * 1000
    return [
        deflated(CONTENT_TYPES, "[Content_Types].xml"),
        deflated(_RELS % (_REL % (b"officeDocument", b"word/document.xml")), "_rels/.rels"),
        repeated(
            "word/document.xml",
            paragraph,
            size // len(paragraph),
            head=b'<?xml version="1.0"?><w:document ' + _W + b"><w:body>",
            tail=b"</w:body></w:document>",
        ),
    ]


def xlsx_bomb(size: int = 200 * MB) -> list[Member]:
    """An Excel file whose first sheet is `size` bytes of rows."""
    rows = b'<row><c t="inlineStr"><is><t>Barcelona</t></is></c></row>' * 1000
    return [
        deflated(CONTENT_TYPES, "[Content_Types].xml"),
        deflated(_RELS % (_REL % (b"officeDocument", b"xl/workbook.xml")), "_rels/.rels"),
        deflated(
            b'<?xml version="1.0"?><workbook ' + _S + b" " + _R + b'><sheets><sheet name="Members" '
            b'sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/workbook.xml",
        ),
        deflated(
            _RELS % (_REL % (b"worksheet", b"worksheets/sheet1.xml")), "xl/_rels/workbook.xml.rels"
        ),
        repeated(
            "xl/worksheets/sheet1.xml",
            rows,
            size // len(rows),
            head=b'<?xml version="1.0"?><worksheet ' + _S + b"><sheetData>",
            tail=b"</sheetData></worksheet>",
        ),
    ]


ODT = b"application/vnd.oasis.opendocument.text"


def odt_bomb(size: int = 200 * MB) -> list[Member]:
    """An OpenDocument text whose `mimetype` member is `size` bytes."""
    return [
        repeated("mimetype", b" " * MB, size // MB, head=ODT),
        deflated(b"<office:document-content/>", "content.xml"),
        deflated(b"<office:document-meta><office:meta/></office:document-meta>", "meta.xml"),
    ]


def with_lie(members: list[Member], name: str) -> list[Member]:
    """The same members, `name` declaring only its first 4 KiB: its ratio looks ordinary."""
    return [lying(m, 4096) if m.name == name else m for m in members]


@contextmanager
def peak_memory():
    """Measure the peak of Python's allocations in the block: `with peak_memory() as peak: …; peak[0]`."""
    result = [0]
    tracemalloc.start()
    try:
        yield result
    finally:
        result[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
