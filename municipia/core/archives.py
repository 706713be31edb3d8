"""Zip archives sent by users (office documents, imports), checked before anything inflates them.

Every zip a user sends goes through `check_archive` (or `open_archive`, which checks then opens it)
before its members are read, and before it is handed to a library that reads members itself
(python-docx, openpyxl): those call `ZipFile.read`, which inflates a whole member at once.

The check refuses, with a reason in the user's language (`ArchiveRefused`):

- more members than `MUNICIPIA_ARCHIVE_MAX_MEMBERS`, counted in the central directory itself before
  `zipfile` builds an object per member;
- a declared total uncompressed size over `MUNICIPIA_ARCHIVE_MAX_BYTES`;
- a member over 1 MiB whose declared size is more than `MUNICIPIA_ARCHIVE_MAX_RATIO` times its
  compressed size (office XML compresses 3 to 35 times; a zip bomb about 1,000 times);
- duplicate names, absolute or `..` paths, encrypted members, compression other than stored or
  deflate (bzip2 and LZMA inflate a whole read at once in `zipfile`), members whose data overlap;
- a member whose data inflates to more than it declares (or whose CRC is wrong): every member is
  inflated once, streaming, 64 KiB at a time, so a lie costs no memory.

`zipfile` itself cuts a member's output at its declared size, but only after inflating what it was
asked for: `read()` with no size inflates the whole member (up to 1 GiB) before cutting, so the
declared sizes are worth something only once the real ones are known to match them.

Archives nested in an archive (a worksheet embedded in a Word file) are allowed: nothing here opens
them. `read_member` reads one member with a bound of its own, whatever the member declares.
"""

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
# Below this size a member's ratio is not judged: a small file of repeated bytes may compress
# a thousand times and still costs nothing.
RATIO_FLOOR = 1024 * 1024

_END = struct.Struct("<4s4H2LH")  # end of central directory
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_DRIVE = re.compile(r"[A-Za-z]:")


@dataclass(frozen=True)
class ArchiveLimits:
    members: int
    total_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls) -> "ArchiveLimits":
        return cls(
            members=settings.MUNICIPIA_ARCHIVE_MAX_MEMBERS,
            total_bytes=settings.MUNICIPIA_ARCHIVE_MAX_BYTES,
            ratio=settings.MUNICIPIA_ARCHIVE_MAX_RATIO,
        )


class ArchiveRefused(Exception):
    """Why an archive is refused, in the user's language; `reason` is a short code for callers."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def check_archive(data: bytes | BinaryIO, limits: ArchiveLimits | None = None) -> list[str]:
    """Check a zip (its bytes or a seekable binary file) and return its member names.

    Raises ArchiveRefused. Beyond the archive itself and its directory, memory stays under a
    megabyte, whatever the archive declares or holds.
    """
    with open_archive(data, limits) as archive:
        return archive.namelist()


def open_archive(data: bytes | BinaryIO, limits: ArchiveLimits | None = None) -> zipfile.ZipFile:
    """A checked, open `ZipFile` (see `check_archive`); read members with `read_member`."""
    limits = limits or ArchiveLimits.from_settings()
    fp = io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
    try:
        directory_start = _count_members(fp, limits.members)
        archive = zipfile.ZipFile(fp)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error) as error:
        raise _damaged() from error
    except NotImplementedError as error:
        raise _unsupported() from error
    try:
        infos = archive.infolist()
        _check_declared(infos, limits)
        _check_layout(fp, infos, directory_start)
        for info in infos:
            _check_inflation(fp, info)
    except ArchiveRefused:
        archive.close()
        raise
    except (ValueError, OSError, EOFError, struct.error) as error:
        archive.close()
        raise _damaged() from error
    return archive


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    """One member's content, never inflating more than `max_bytes` (plus one read) to get it."""
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        raise _damaged() from error
    if info.compress_type not in _METHODS or info.flag_bits & 0x1:
        raise _unsupported()
    if info.file_size > max_bytes:
        raise _too_large(max_bytes)
    out = bytearray()
    try:
        with archive.open(info) as member:
            # Checked in CPython 3.11's zipfile: for stored and deflated members, `read(n)` reads
            # and inflates at most max(n, 4096) bytes per call (the tests measure it stays so).
            while chunk := member.read(CHUNK):
                out += chunk
                if len(out) > max_bytes:
                    raise _too_large(max_bytes)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error) as error:
        raise _damaged() from error
    return bytes(out)


# --- The checks ----------------------------------------------------------------------------------


def _count_members(fp: BinaryIO, limit: int) -> int:
    """Count the central directory's entries as zipfile will walk them; return where it starts."""
    size = fp.seek(0, io.SEEK_END)
    tail_size = min(size, _END.size + 0xFFFF)
    fp.seek(size - tail_size)
    tail = fp.read(tail_size)
    position = tail.rfind(b"PK\x05\x06")
    if position < 0 or position + _END.size > len(tail):
        raise zipfile.BadZipFile("no end of central directory")
    end_offset = size - tail_size + position
    fields = _END.unpack_from(tail, position)
    directory_size, directory_offset = fields[5], fields[6]
    directory_end = end_offset
    if fields[4] == 0xFFFF or directory_size == 0xFFFFFFFF or directory_offset == 0xFFFFFFFF:
        locator_offset = end_offset - _END64_LOCATOR.size
        if locator_offset - _END64.size >= 0:
            fp.seek(locator_offset)
            locator = fp.read(_END64_LOCATOR.size)
            if locator[:4] == b"PK\x06\x07":
                fp.seek(locator_offset - _END64.size)
                record = _END64.unpack(fp.read(_END64.size))
                if record[0] != b"PK\x06\x06":
                    raise zipfile.BadZipFile("damaged zip64 end of central directory")
                directory_size = record[8]
                directory_end = locator_offset - _END64.size
    start = directory_end - directory_size
    if start < 0:
        raise zipfile.BadZipFile("central directory out of bounds")
    fp.seek(start)
    directory = memoryview(fp.read(directory_size))
    count = total = 0
    while total < len(directory):
        if len(directory) - total < _CENTRAL.size:
            raise zipfile.BadZipFile("truncated central directory")
        entry = _CENTRAL.unpack_from(directory, total)
        if entry[0] != b"PK\x01\x02":
            raise zipfile.BadZipFile("bad central directory entry")
        total += _CENTRAL.size + entry[12] + entry[13] + entry[14]
        count += 1
        if count > limit:
            raise ArchiveRefused(
                _("This file holds too many parts: at most %(limit)s are accepted.")
                % {"limit": limit},
                "members",
            )
    return start


def _check_declared(infos: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name in names or name.startswith(("/", "\\")) or ".." in parts or _DRIVE.match(name):
            raise ArchiveRefused(
                _("This file has parts with repeated or unsafe names; it is not accepted."),
                "names",
            )
        names.add(name)
        if info.flag_bits & 0x1 or info.compress_type not in _METHODS:
            raise _unsupported()
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            raise _damaged()
        total += info.file_size
        if total > limits.total_bytes:
            raise _too_large(limits.total_bytes)
        if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * info.compress_size:
            raise _bomb(limits.ratio)


def _check_layout(fp: BinaryIO, infos: list[zipfile.ZipInfo], directory_start: int) -> None:
    """Each member's data lies before the next member and the directory: no data is shared."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for index, info in enumerate(ordered):
        end = _data_offset(fp, info) + info.compress_size
        limit = ordered[index + 1].header_offset if index + 1 < len(ordered) else directory_start
        if end > limit:
            raise ArchiveRefused(
                _("This file has parts that overlap; it is not accepted."), "overlap"
            )


def _data_offset(fp: BinaryIO, info: zipfile.ZipInfo) -> int:
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL.size)
    if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
        raise _damaged()
    fields = _LOCAL.unpack(header)
    return info.header_offset + _LOCAL.size + fields[10] + fields[11]


def _check_inflation(fp: BinaryIO, info: zipfile.ZipInfo) -> None:
    """Inflate the member 64 KiB at a time: its real size and CRC must be the declared ones."""
    fp.seek(_data_offset(fp, info))
    left = info.compress_size
    produced = crc = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    pending = b""
    while True:
        if not pending and left > 0:
            pending = fp.read(min(CHUNK, left))
            if not pending:
                raise _damaged()
            left -= len(pending)
        if inflater is None:
            out, pending = pending, b""
            done = left == 0
        else:
            try:
                out = inflater.decompress(pending, CHUNK)
            except zlib.error as error:
                raise _damaged() from error
            pending = inflater.unconsumed_tail
            # With no input left, zlib may still hold output back: ask until it gives none.
            done = inflater.eof or (left == 0 and not pending and not out)
        produced += len(out)
        if produced > info.file_size:
            raise ArchiveRefused(
                _("This file is damaged or disguised: a part holds more than it declares."),
                "lying",
            )
        crc = zlib.crc32(out, crc)
        if done:
            break
    if inflater is not None and (not inflater.eof or pending or left or inflater.unused_data):
        raise _damaged()
    if produced != info.file_size or crc != info.CRC:
        raise _damaged()


def _damaged() -> ArchiveRefused:
    return ArchiveRefused(_("This file is damaged: it cannot be opened."), "damaged")


def _unsupported() -> ArchiveRefused:
    return ArchiveRefused(
        _("This file is encrypted or compressed in a way that is not accepted."), "unsupported"
    )


def _too_large(limit: int) -> ArchiveRefused:
    return ArchiveRefused(
        _("This file would expand to more than %(size)s MB when opened; it is not accepted.")
        % {"size": f"{limit / (1024 * 1024):.0f}"},
        "size",
    )


def _bomb(ratio: int) -> ArchiveRefused:
    return ArchiveRefused(
        _(
            "A part of this file expands more than %(ratio)s times, far more than documents do; "
            "it is not accepted."
        )
        % {"ratio": ratio},
        "ratio",
    )
