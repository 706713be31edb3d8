import bz2
import io
import random
import struct
import time
import zipfile
import zlib

import docx
import pytest
from django.utils import translation
from docx.shared import Inches
from openpyxl import Workbook

from municipia.core.archives import (
    ArchiveLimits,
    ArchiveRefused,
    check_archive,
    open_archive,
    read_member,
)
from tests.archives import (
    MB,
    Member,
    build,
    deflated,
    docx_bomb,
    odt_bomb,
    peak_memory,
    repeated,
    with_lie,
    xlsx_bomb,
)

BOUND = 20 * MB  # what a check may cost, whatever the archive declares or holds
WORDS = [
    "city",
    "network",
    "plan",
    "action",
    "objective",
    "budget",
    "indicator",
    "partner",
    "municipality",
]


def _refused(data, reason: str, limits=None) -> tuple[ArchiveRefused, int]:
    with peak_memory() as peak, pytest.raises(ArchiveRefused) as refused:
        check_archive(data, limits)
    assert refused.value.reason == reason, str(refused.value)
    return refused.value, peak[0]


def _png(width: int, height: int, seed: int) -> bytes:
    """A photograph-like PNG: noise, which does not compress."""
    rows = random.Random(seed)
    raw = b"".join(b"\x00" + rows.randbytes(width * 3) for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def long_report() -> bytes:
    """A 200-page Word report with tables and ten photographs (about 4 MB)."""
    words = random.Random(1)
    document = docx.Document()
    for page in range(200):
        document.add_heading(f"Chapter {page + 1}", level=1)
        for _ in range(8):
            document.add_paragraph(" ".join(words.choice(WORDS) for _ in range(60)))
        if page % 10 == 0:
            table = document.add_table(rows=10, cols=4)
            for cell in table._cells:
                cell.text = words.choice(WORDS)
        if page % 20 == 0:
            document.add_picture(io.BytesIO(_png(400, 300, page)), width=Inches(4))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def long_sheet() -> bytes:
    """A 30,000-row spreadsheet of members (about 1.5 MB, 12 MB of XML)."""
    values = random.Random(2)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["city", "country", "joined", "status", "amount", "note"])
    for row in range(30_000):
        sheet.append(
            [
                f"City {values.randint(1, 5000)}",
                values.choice(["ES", "FR", "PT", "IT"]),
                f"2020-01-{row % 28 + 1:02d}",
                values.choice(["active", "left"]),
                values.random() * 1000,
                f"{values.choice(WORDS)} {values.choice(WORDS)}",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_real_office_files_pass(long_report, long_sheet):
    assert len(long_report) > 3 * MB
    with peak_memory() as peak:
        report = check_archive(long_report)
        sheet = check_archive(long_sheet)

    assert "word/document.xml" in report
    assert "xl/worksheets/sheet1.xml" in sheet
    assert peak[0] < 2 * MB


def test_real_office_files_open_from_a_file(long_sheet, tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(long_sheet)

    with path.open("rb") as handle, open_archive(handle) as archive:
        assert "xl/workbook.xml" in archive.namelist()


def test_a_declared_200_mb_member_is_refused_at_once():
    start = time.monotonic()

    refused, peak = _refused(build(docx_bomb(200 * MB)), "size")

    assert "100 MB" in str(refused)
    assert peak < BOUND
    assert time.monotonic() - start < 1


def test_a_member_compressed_a_thousand_times_is_refused():
    bomb = build(odt_bomb(50 * MB))
    assert len(bomb) < 100_000

    refused, peak = _refused(bomb, "ratio")

    assert "100 times" in str(refused)
    assert peak < BOUND


@pytest.mark.parametrize(
    ("members", "name"),
    [
        (docx_bomb(200 * MB), "word/document.xml"),
        (xlsx_bomb(200 * MB), "xl/worksheets/sheet1.xml"),
        (odt_bomb(200 * MB), "mimetype"),
    ],
    ids=["docx", "xlsx", "odt"],
)
def test_a_member_that_lies_about_its_size_is_refused_without_inflating_it(members, name):
    bomb = build(with_lie(members, name))
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo(name).file_size == 4096

    _error, peak = _refused(bomb, "lying")

    assert peak < BOUND


def test_too_many_members_are_refused_before_zipfile_lists_them():
    empty = [Member(f"part{n}.xml", b"", 0, 0, zipfile.ZIP_STORED) for n in range(100_000)]
    bomb = build(empty)

    refused, peak = _refused(bomb, "members")

    assert "at most 5000" in str(refused)
    assert peak < BOUND  # zipfile's ZipInfo for each would take about 40 MB


def test_limits_come_from_the_settings(settings):
    settings.MUNICIPIA_ARCHIVE_MAX_MEMBERS = 2
    three = build([deflated(b"x", name) for name in ("a", "b", "c")])

    _refused(three, "members")

    settings.MUNICIPIA_ARCHIVE_MAX_MEMBERS = 3
    assert check_archive(three) == ["a", "b", "c"]


def test_explicit_limits_override_the_settings():
    limits = ArchiveLimits(members=10, total_bytes=1000, ratio=100)

    _refused(build([deflated(b"x" * 1001, "big.xml")]), "size", limits)


def test_small_members_may_compress_well():
    assert check_archive(build([deflated(b" " * 500_000, "styles.xml")])) == ["styles.xml"]


@pytest.mark.parametrize(
    "names", [["a.xml", "a.xml"], ["../escape.xml"], ["/etc/passwd"], ["C:/boot.ini"]]
)
def test_repeated_or_unsafe_names_are_refused(names):
    _refused(build([deflated(b"x", name) for name in names]), "names")


def test_bzip2_members_are_refused():
    content = b"\x00" * MB
    member = Member("part.xml", bz2.compress(content), zlib.crc32(content), len(content), 12)

    _refused(build([member]), "unsupported")


def test_members_sharing_their_data_are_refused():
    honest = build([deflated(b"<a/>" * 100, "a.xml"), deflated(b"<b/>" * 100, "b.xml")])
    directory = honest.index(b"PK\x01\x02", honest.index(b"PK\x01\x02") + 4)
    offset = directory + 42  # the second entry's local header offset
    overlapping = honest[:offset] + struct.pack("<L", 0) + honest[offset + 4 :]

    _refused(overlapping, "overlap")


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 not really a zip",
        build([deflated(b"<a/>" * 1000, "a.xml")])[:-40],  # cut short
        build([Member("a.xml", b"abc", zlib.crc32(b"abcd"), 4, zipfile.ZIP_STORED)]),
        build([Member("a.xml", b"\xff" * 20, 0, 10)]),  # not deflate data
    ],
    ids=["not-a-zip", "truncated", "stored-size-mismatch", "bad-deflate"],
)
def test_damaged_archives_are_refused(data):
    _refused(data, "damaged")


def test_a_wrong_crc_is_refused():
    member = deflated(b"<a/>" * 1000, "a.xml")
    member.crc ^= 1

    _refused(build([member]), "damaged")


def test_read_member_reads_within_its_bound():
    with open_archive(
        build([deflated(b"application/vnd.oasis.opendocument.text", "mimetype")])
    ) as a:
        assert read_member(a, "mimetype", 256) == b"application/vnd.oasis.opendocument.text"
        with pytest.raises(ArchiveRefused):
            read_member(a, "mimetype", 10)


def test_read_member_stays_bounded_on_an_unchecked_archive_that_lies():
    """zipfile cuts a member at its declared size; read in small reads, it inflates no more."""
    bomb = build(with_lie([repeated("mimetype", b" " * MB, 200, head=b"odt")], "mimetype"))
    archive = zipfile.ZipFile(io.BytesIO(bomb))

    with peak_memory() as peak:
        content = read_member(archive, "mimetype", 8192)

    assert len(content) == 4096
    assert peak[0] < 2 * MB


def test_the_reason_is_given_in_the_users_language():
    with translation.override("es"), pytest.raises(ArchiveRefused) as refused:
        check_archive(build(docx_bomb(200 * MB)))

    assert str(refused.value) == "Este archivo ocuparía más de 100 MB al abrirlo; no se acepta."


class _Unseekable(io.RawIOBase):
    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data += b
        return len(b)


def test_parts_written_as_a_stream_pass():
    """Sizes after the data (a data descriptor), as writers that stream their output leave them."""
    out = _Unseekable()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b"<office:text/>" * 10_000)
        archive.writestr("ns:part.xml", b"<x/>")
    assert zipfile.ZipFile(io.BytesIO(bytes(out.data))).infolist()[0].flag_bits & 0x08

    assert check_archive(bytes(out.data)) == ["content.xml", "ns:part.xml"]


def test_zip64_directories_are_counted():
    data = build([deflated(b"<a/>", f"{n}.xml") for n in range(3)], zip64=True)
    assert len(zipfile.ZipFile(io.BytesIO(data)).infolist()) == 3

    assert check_archive(data) == ["0.xml", "1.xml", "2.xml"]
    _refused(data, "members", ArchiveLimits(members=2, total_bytes=MB, ratio=100))
