"""The shared reading layer: bytes in, a grid of cell values per sheet out.

Files are untrusted. Before anything is parsed the path is checked to be a regular file and at
most ``limits.max_bytes + 1`` bytes are read; zip containers are checked for decompression
bombs; the format is recognised from the bytes (a PDF renamed ``.xlsx`` is refused, a
password-protected workbook or an MS Project file is named as such). Before calamine builds a
sheet, the sheet's true extent is found cheaply and a sheet beyond ``limits.max_rows``,
``limits.max_columns`` or ``limits.max_cells`` is refused: calamine allocates the whole grid
from the farthest cell (one cell at ``XFD1048576`` is 512 GiB and aborts the process), so a
declared dimension or a repeat count is never trusted. XML is parsed by calamine (Rust, no
entity expansion) or by expat through defusedxml; CSV is bounded while it is read.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import io
import os
import re
import stat
import struct
import sys
import threading
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from defusedxml import ElementTree as SafeElementTree

from i18n import translate
from i18n.format import format_number
from loaders.limits import DEFAULT_MAX_BYTES, ReadLimits, resolve_limits
from loaders.problems import LoadError, Problem, make_problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "RawFile",
    "RawSheet",
    "SheetExtent",
    "open_raw",
    "open_shared",
    "iter_sheets",
    "read_sheet",
    "sheet_extents",
]
#: an xlsx whose parts inflate to more than this many bytes is refused (zip bomb)
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

SPREADSHEET_FORMATS = ("xlsx", "xlsm", "xls", "ods", "csv")
#: planning-software files (read by MPXJ in ``loaders.project_files``, schedules only)
PROJECT_FORMATS = ("mpp", "mspdi", "mpx", "xer", "pmxml", "gan", "planner")


@dataclass(frozen=True)
class RawFile:
    """The bytes of one file, its name as the user gave it and the format found in the bytes."""

    data: bytes
    name: str
    format: str  # one of SPREADSHEET_FORMATS
    #: what was already computed about these bytes (the sheets' extents), so that a file read
    #: sheet by sheet is scanned once; the parsed sheets too when opened by ``open_shared``
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class RawSheet:
    """A sheet as a grid; ``rows[i][j]`` is Excel row ``i + 1``, column ``j`` (A = 0)."""

    name: str
    rows: list[list[Any]]
    #: what the reading noticed without refusing the sheet (a CSV partly in Windows-1252…)
    warnings: list[Problem] = field(default_factory=list)


# --- the source: a path, bytes or a file-like ----------------------------------------------

#: the kinds of non-regular path a user may point at, by the test that recognises each
_PATH_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISCHR, "device"),
    (stat.S_ISBLK, "device"),
    (stat.S_ISSOCK, "socket"),
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read_source(
    source: str | Path | IO[bytes] | bytes,
    max_bytes: int | None = None,
    lang: str = "fr",
    limits: ReadLimits | None = None,
) -> tuple[bytes, str]:
    """Bytes and display name of a path, a bytes object or a binary file-like (UploadedFile).

    At most ``max_bytes + 1`` bytes are ever read, so ``/dev/zero`` or a growing file cannot
    fill the memory; a path must be a regular file (a FIFO would block for ever)."""
    limit = resolve_limits(limits, max_bytes).max_bytes
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), "upload"
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        name = path.name or str(path)
        data = _read_path(path, name, limit, lang)
    else:
        name = Path(str(getattr(source, "name", "") or "upload")).name or "upload"
        data = _read_stream(source, name, limit, lang)
    if len(data) > limit:
        raise LoadError([_too_large(name, len(data), limit, lang)])
    return data, name


def _read_path(path: Path, name: str, limit: int, lang: str) -> bytes:
    """The bytes of a regular file. It is opened without blocking (a FIFO opens at once) and
    checked on the open descriptor, so a file swapped for a FIFO after a check cannot hang."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise LoadError(
            [make_problem("error", "file_not_found", lang, file=name, path=str(path))]
        ) from None
    except PermissionError:
        raise LoadError(
            [make_problem("error", "file_permission_denied", lang, file=name, filename=name)]
        ) from None
    except IsADirectoryError:
        raise LoadError([_not_regular(name, "directory", lang)]) from None
    except (OSError, ValueError) as exc:  # a loop of symlinks, a name too long, a NUL byte
        raise LoadError([_unreadable(name, exc, lang)]) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = next((kind for test, kind in _PATH_KINDS if test(info.st_mode)), "special")
            raise LoadError([_not_regular(name, kind, lang)])
        if info.st_size > limit:
            raise LoadError([_too_large(name, info.st_size, limit, lang)])
        with os.fdopen(descriptor, "rb", buffering=0, closefd=False) as handle:
            return _read_at_most(handle, limit + 1)
    except OSError as exc:
        raise LoadError([_unreadable(name, exc, lang)]) from None
    finally:
        os.close(descriptor)


def _read_stream(source: Any, name: str, limit: int, lang: str) -> bytes:
    """At most ``limit + 1`` bytes of a binary file-like, from its start when it can seek."""
    try:
        if hasattr(source, "seek"):
            source.seek(0)
    except (OSError, ValueError):
        pass  # a pipe: read from where it stands
    try:
        data = _read_at_most(source, limit + 1)
    except (OSError, ValueError, TypeError) as exc:
        raise LoadError([_unreadable(name, exc, lang)]) from None
    return data


def _read_at_most(handle: Any, count: int) -> bytes:
    """Up to ``count`` bytes; short reads are retried until the end of the file."""
    chunks: list[bytes] = []
    total = 0
    while total < count:
        chunk = handle.read(count - total)
        if not chunk:
            break
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError("the file is opened in text mode")
        chunks.append(bytes(chunk))
        total += len(chunk)
    return b"".join(chunks)


def _not_regular(name: str, kind: str, lang: str) -> Problem:
    what = translate(f"reading.path_{kind}", lang)
    return make_problem("error", "not_a_regular_file", lang, file=name, filename=name, what=what)


def _unreadable(name: str, exc: BaseException, lang: str) -> Problem:
    # the errno name (ELOOP, EIO): the OS's own sentence would be English in a French report
    detail = errno.errorcode.get(getattr(exc, "errno", None) or 0) or type(exc).__name__
    return make_problem("error", "file_unreadable", lang, file=name, filename=name, detail=detail)


def _too_large(name: str, size: int, limit: int, lang: str) -> Problem:
    return make_problem(
        "error",
        "file_too_large",
        lang,
        file=name,
        size_mb=f"{size / 1_048_576:.1f}",
        limit_mb=f"{limit / 1_048_576:.0f}",
    )


# --- the format, from the bytes --------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(data: bytes, name: str, lang: str = "fr") -> str:
    """The format of ``data`` from its first bytes, whatever its extension says: a spreadsheet
    format (``SPREADSHEET_FORMATS``) or a planning-software one (``PROJECT_FORMATS``, read by
    MPXJ as a schedule; ``refuse_project_file`` keeps the other kinds from taking it)."""
    if not data.strip():
        raise LoadError([make_problem("error", "empty_file", lang, file=name)])
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, name, lang)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(data, name, lang)
    if head.startswith(b"%PDF"):
        raise LoadError(
            [make_problem("error", "not_a_spreadsheet", lang, file=name, detected="PDF")]
        )
    project = _known_text_format(data)
    if project in PROJECT_FORMATS:
        if project in _XML_PROJECT_FORMATS:
            _refuse_xml_declarations(data, name, lang)
        return project
    if project:
        raise LoadError(
            [make_problem("error", "not_a_spreadsheet", lang, file=name, detected=project)]
        )
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        detected = translate("reading.detected_binary", lang)
        raise LoadError(
            [make_problem("error", "not_a_spreadsheet", lang, file=name, detected=detected)]
        )
    return "csv"


#: the names of the planning-software formats in a message (« this is a schedule from … »)
PROJECT_FORMAT_NAMES = {
    "mpp": "MS Project (.mpp)",
    "mspdi": "MS Project XML",
    "mpx": "MS Project MPX",
    "xer": "Primavera P6 XER",
    "pmxml": "Primavera P6 XML",
    "gan": "GanttProject",
    "planner": "Planner",
}
_XML_PROJECT_FORMATS = ("mspdi", "pmxml", "gan", "planner")
#: a DOCTYPE can declare entities: the billion laughs (a few hundred bytes that expand to
#: gigabytes) or an external entity naming a local file (``SYSTEM "file:///etc/passwd"``). No
#: planning tool writes one, so a project XML holding one is refused before MPXJ parses it.
_XML_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse_xml_declarations(data: bytes, name: str, lang: str) -> None:
    text = data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace").encode("utf-8")
    if _XML_DECLARATION.search(text):
        raise LoadError([make_problem("error", "project_xml_entities", lang, file=name)])


def project_file_problem(code: str, raw: RawFile, lang: str, **params: object) -> Problem:
    """An error about a planning-software file as a whole, naming its tool (``detected``)."""
    detected = PROJECT_FORMAT_NAMES.get(raw.format, raw.format)
    return make_problem("error", code, lang, file=raw.name, detected=detected, **params)


def refuse_project_file(raw: RawFile, lang: str) -> None:
    """A planning-software file is a schedule: any other kind of table refuses it, saying so."""
    if raw.format in PROJECT_FORMATS:
        raise LoadError([project_file_problem("project_file_is_schedule", raw, lang)])


def _known_text_format(data: bytes) -> str | None:
    """Schedule exchange formats that are text but not tables (read as CSV, a line like
    ``%F task_id task_name`` would pass for a header): a ``PROJECT_FORMATS`` code, or the name
    of another XML for the refusal."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # an XML export in UTF-16
        head = data[:1024].decode("utf-16", errors="replace").lstrip("\ufeff \t\r\n")
        head = head.encode("utf-8", errors="replace")
        sample = data[:8192].decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    else:
        sample = data[:4096]
    if head.startswith(b"ERMHDR"):
        return "xer"
    if head.startswith(b"MPX"):
        return "mpx"
    if head.startswith(b"<"):
        lowered = sample.lower()
        if b"schemas.microsoft.com/project" in lowered:
            return "mspdi"
        if b"<apibusinessobjects" in lowered:
            return "pmxml"
        if b"<project" in lowered and (
            b"ganttproject" in lowered or b"gantt-divider-location" in lowered
        ):
            return "gan"
        if re.search(rb"<project\b[^>]*\bmrproject-version", lowered):
            return "planner"
        return "XML/HTML"
    return None


def _sniff_zip(data: bytes, name: str, lang: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise LoadError(
            [make_problem("error", "corrupt_file", lang, file=name, detail=str(exc)[:200])]
        ) from None
    inflated = sum(info.file_size for info in infos)
    if inflated > MAX_UNCOMPRESSED_BYTES or inflated > MAX_COMPRESSION_RATIO * max(len(data), 1):
        raise LoadError([make_problem("error", "zip_bomb", lang, file=name)])
    # calamine looks parts up without case and with "\" read as "/": two entries that collide
    # so could be read differently by it and by the checks below
    folded = [info.filename.replace("\\", "/").lower() for info in infos]
    if len(set(folded)) != len(folded):
        raise LoadError(
            [make_problem("error", "corrupt_file", lang, file=name, detail="duplicate zip entry")]
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "content.xml" in names and "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")
        except _ZIP_ERRORS as exc:
            raise LoadError(
                [make_problem("error", "corrupt_file", lang, file=name, detail=str(exc)[:200])]
            ) from None
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
    detected = "Word" if "word/document.xml" in names else "ZIP"
    raise LoadError(
        [make_problem("error", "not_a_spreadsheet", lang, file=name, detected=detected)]
    )


#: MS Project keeps its data in storages named "   19", "   114"… (three spaces, a version)
_PROJECT_STORAGE = re.compile(r" {3}\d{1,3}")
#: other OLE documents a user may pick by mistake, by one stream each always holds
_OLE_DOCUMENTS = {
    "worddocument": "Word",
    "powerpoint document": "PowerPoint",
    "visiodocument": "Visio",
    "__properties_version1.0": "Outlook",
}


def _sniff_ole(data: bytes, name: str, lang: str) -> str:
    """An OLE compound file is an xls only when it holds a ``Workbook`` (or BIFF5 ``Book``)
    stream. Excel writes a password-protected xlsx as an OLE file holding an
    ``EncryptedPackage`` stream; an MS Project file is OLE too, with storages named after its
    version (``   114``): "mpp", read as a schedule."""
    try:
        entries = {entry.name.lower() for entry in OleFile(data).entries}
    except (OleError, struct.error) as exc:
        # a damaged OLE file says neither workbook nor project: its name decides the wording
        if name.lower().endswith((".mpp", ".mpt")):
            problem = make_problem(
                "error",
                "project_file_unreadable",
                lang,
                file=name,
                detected=PROJECT_FORMAT_NAMES["mpp"],
                detail=f"OLE: {exc}",
            )
        else:
            problem = make_problem("error", "corrupt_file", lang, file=name, detail=f"OLE: {exc}")
        raise LoadError([problem]) from None
    if "encryptedpackage" in entries:
        raise LoadError([make_problem("error", "password_protected", lang, file=name)])
    if entries & {"workbook", "book"}:
        return "xls"
    if any(_PROJECT_STORAGE.fullmatch(entry) for entry in entries):
        return "mpp"
    detected = next((kind for key, kind in _OLE_DOCUMENTS.items() if key in entries), "OLE")
    raise LoadError(
        [make_problem("error", "not_a_spreadsheet", lang, file=name, detected=detected)]
    )


def open_raw(
    source, max_bytes: int | None = None, lang: str = "fr", limits: ReadLimits | None = None
) -> RawFile:
    """The file's bytes and format; the limits it was opened with are kept with it, so that
    a later read without ``limits`` (``sheet_names(raw, lang)``) bounds it the same way. A
    ``RawFile`` already opened is returned as it is (its bytes are read once)."""
    if isinstance(source, RawFile):
        return source
    data, name = read_source(source, max_bytes, lang, limits)
    raw = RawFile(data=data, name=name, format=sniff_format(data, name, lang))
    raw.cache["limits"] = resolve_limits(limits, max_bytes)
    return raw


#: the key, in ``RawFile.cache``, of what a shared file keeps of its reads (``open_shared``)
_SHARED = "shared"


def open_shared(
    source, max_bytes: int | None = None, lang: str = "fr", limits: ReadLimits | None = None
) -> RawFile:
    """The file opened once for several loaders (the three tables of a finance workbook):
    each sheet is parsed on its first read and the same grid is served to every later one,
    instead of each loader parsing the whole workbook again.

    What is kept lives in this ``RawFile`` alone, so it goes when the caller drops it: no
    global cache, nothing served for other bytes. Every read still runs the size guards
    first (``check_extents``, under the limits of that read) before a grid is built or
    served. The grids are shared, hence read-only: a reader that changes a row copies it
    first (``tables.restore_excel_errors``)."""
    raw = open_raw(source, max_bytes, lang, limits)
    raw.cache.setdefault(_SHARED, {})
    return raw


def _limits_of(raw: RawFile, limits: ReadLimits | None) -> ReadLimits:
    """``limits`` when given, else those the file was opened with, else the defaults."""
    if limits is not None:
        return limits
    return raw.cache.get("limits") or ReadLimits()


# --- OLE compound files (xls, encrypted xlsx, mpp) ---------------------------------------------


class OleError(Exception):
    """An OLE compound file whose structure is damaged (a chain that loops or leaves the file)."""


@dataclass(frozen=True)
class OleEntry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


_OLE_SPECIAL = 0xFFFFFFFA  # sector numbers from here on end a chain or mark free sectors


class OleFile:
    """The directory and streams of an OLE compound file, read minimally (header, FAT,
    directory, mini stream: [MS-CFB]). Every chain is bounded by the number of sectors in the
    file and every stream by the file's size, so a damaged file ends in ``OleError``."""

    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(_OLE_MAGIC):
            raise OleError("header")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise OleError("sector size")
        self.sector_size = 1 << shift
        self.version = struct.unpack_from("<H", data, 26)[0]
        self.sector_count = max((len(data) - 1) // self.sector_size, 0)
        first_directory, _, self.mini_cutoff, first_mini_fat = struct.unpack_from("<IIII", data, 48)
        first_difat = struct.unpack_from("<I", data, 68)[0]
        self.fat = self._read_fat(first_difat)
        self.entries = self._read_directory(first_directory)
        root = self.entries[0] if self.entries else None
        self.mini_stream = self._chain_bytes(root.start, root.size) if root else b""
        mini_fat = self._chain_bytes(first_mini_fat, None) if first_mini_fat < _OLE_SPECIAL else b""
        self.mini_fat = _uint32_array(mini_fat)

    def _sector(self, number: int) -> bytes:
        offset = (number + 1) * self.sector_size
        if number >= self.sector_count or offset >= len(self.data):
            raise OleError(f"sector {number} beyond the file")
        # a file cut short inside its last sector reads as if padded, as Excel pads it
        return self.data[offset : offset + self.sector_size].ljust(self.sector_size, b"\0")

    def _read_fat(self, first_difat: int) -> array:
        difat = list(struct.unpack_from("<109I", self.data, 76))
        per_sector = self.sector_size // 4 - 1
        sector, seen = first_difat, 0
        while sector < _OLE_SPECIAL:
            seen += 1
            if seen > self.sector_count:
                raise OleError("DIFAT loop")
            values = struct.unpack(f"<{per_sector + 1}I", self._sector(sector))
            difat.extend(values[:per_sector])
            sector = values[per_sector]
        fat_sectors = [number for number in difat if number < _OLE_SPECIAL]
        if len(fat_sectors) > self.sector_count:
            raise OleError("FAT larger than the file")
        return _uint32_array(b"".join(self._sector(number) for number in fat_sectors))

    def _chain(self, start: int, table: array, limit: int) -> Iterator[int]:
        sector, seen = start, 0
        while sector < _OLE_SPECIAL:
            seen += 1
            if seen > limit or sector >= len(table):
                raise OleError("broken sector chain")
            yield sector
            sector = table[sector]

    def _chain_bytes(self, start: int, size: int | None) -> bytes:
        if size is not None and size > len(self.data):
            raise OleError("stream larger than the file")
        data = b"".join(
            self._sector(number) for number in self._chain(start, self.fat, self.sector_count)
        )
        return data if size is None else data[:size]

    def _read_directory(self, first: int) -> list[OleEntry]:
        raw = self._chain_bytes(first, None)
        entries = []
        for offset in range(0, len(raw) - 127, 128):
            length, kind = struct.unpack_from("<HB", raw, offset + 64)
            if kind not in (1, 2, 5) or not 2 <= length <= 64:
                continue
            name = raw[offset : offset + length - 2].decode("utf-16-le", "replace")
            start = struct.unpack_from("<I", raw, offset + 116)[0]
            size_format = "<I" if self.version == 3 else "<Q"
            size = struct.unpack_from(size_format, raw, offset + 120)[0]
            entries.append(OleEntry(name, kind, start, size))
        if not entries or entries[0].kind != 5:
            raise OleError("no root entry")
        return entries

    def stream(self, *names: str) -> bytes | None:
        """The bytes of the first stream called one of ``names`` (any case), else None."""
        wanted = {name.lower() for name in names}
        for entry in self.entries[1:]:
            if entry.kind == 2 and entry.name.lower() in wanted:
                return self._read_stream(entry)
        return None

    def _read_stream(self, entry: OleEntry) -> bytes:
        if entry.size > len(self.data):
            raise OleError("stream larger than the file")
        if entry.size >= self.mini_cutoff:
            return self._chain_bytes(entry.start, entry.size)
        mini_count = len(self.mini_stream) // 64
        chunks = [
            self.mini_stream[number * 64 : number * 64 + 64]
            for number in self._chain(entry.start, self.mini_fat, mini_count)
        ]
        return b"".join(chunks)[: entry.size]


def _uint32_array(data: bytes) -> array:
    values = array("I")
    values.frombytes(data[: len(data) - len(data) % 4])
    if sys.byteorder == "big":
        values.byteswap()
    return values


# --- sheet extents: how far the cells reach, before calamine allocates them -------------------


@dataclass(frozen=True)
class SheetExtent:
    """How far a sheet's non-empty cells reach, counted from A1 as the grid is built: ``rows``
    is the Excel row of the lowest cell, ``columns`` the number of the rightmost column."""

    rows: int = 0
    columns: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def last_cell(self) -> str:
        return f"{column_letter(max(self.columns, 1) - 1)}{max(self.rows, 1)}"

    def within(self, limits: ReadLimits) -> bool:
        return (
            self.rows <= limits.max_rows
            and self.columns <= limits.max_columns
            and self.cells <= limits.max_cells
        )

    def grow(self, rows: int, columns: int) -> SheetExtent:
        return SheetExtent(max(self.rows, rows), max(self.columns, columns))


class _Malformed(Exception):
    """A sheet whose structure cannot be read safely (bad XML, a broken record)."""

    def __init__(self, part: str, detail: str):
        super().__init__(detail)
        self.part, self.detail = part, detail


class _PasswordProtected(Exception):
    """An xls whose workbook stream is encrypted (a FILEPASS record)."""


def sheet_extents(raw: RawFile, limits: ReadLimits | None = None) -> dict[str, SheetExtent]:
    """The extent of every sheet of a workbook, found without building any grid: never
    smaller than the grid calamine would build. Within the limits an xlsx sheet may show the
    bound the fast scan proved (its ``<dimension>``) rather than its exact extent; beyond
    them the scan stops at the first cell past a limit, which the extent then names.
    Raises ``_Malformed`` (a part that cannot be read safely) or ``_PasswordProtected``."""
    limits = _limits_of(raw, limits)
    key = f"extents:{limits.max_rows}:{limits.max_columns}:{limits.max_cells}"
    if key not in raw.cache:
        scan = {"xlsx": _xlsx_extents, "xlsm": _xlsx_extents, "ods": _ods_extents}.get(
            raw.format, _xls_extents if raw.format == "xls" else None
        )
        try:
            raw.cache[key] = scan(raw, limits) if scan else {}
        except _ZIP_ERRORS as exc:  # a damaged deflate stream, a bad CRC, an encrypted entry
            raise _Malformed("zip", type(exc).__name__) from None
    return raw.cache[key]


#: what zipfile and zlib raise for a container damaged inside (the directory read fine)
_ZIP_ERRORS = (
    zlib.error,
    zipfile.BadZipFile,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,  # "negative seek value": an entry's offset points outside the file
    struct.error,
)


def check_extents(raw: RawFile, lang: str, limits: ReadLimits | None) -> None:
    """Refuse a workbook with a sheet beyond the limits, naming the sheet, the farthest cell
    and the limit, before calamine (which parses xls and ods sheets as soon as it opens them)
    reads anything. A planning-software file is refused as a schedule to import as such."""
    refuse_project_file(raw, lang)
    limits = _limits_of(raw, limits)
    try:
        extents = sheet_extents(raw, limits)
    except _PasswordProtected:
        raise LoadError(
            [make_problem("error", "password_protected", lang, file=raw.name)]
        ) from None
    except _Malformed as exc:
        raise LoadError(
            [
                make_problem(
                    "error",
                    "sheet_xml_malformed",
                    lang,
                    file=raw.name,
                    part=exc.part,
                    detail=exc.detail,
                )
            ]
        ) from None
    problems = [
        _extent_problem(raw.name, sheet, extent, limits, lang)
        for sheet, extent in extents.items()
        if not extent.within(limits)
    ]
    if problems:
        raise LoadError(problems)


def _extent_problem(
    file: str, sheet: str, extent: SheetExtent, limits: ReadLimits, lang: str
) -> Problem:
    """The problem for a sheet beyond one of the limits: rows first, then columns, then cells."""
    shown = {
        "file": file,
        "sheet": sheet,
        "row": extent.rows,
        "cell": extent.last_cell,
        "rows": format_number(extent.rows, lang),
        "columns": format_number(extent.columns, lang),
        "cells": format_number(extent.cells, lang),
        "last_column": column_letter(max(extent.columns, 1) - 1),
    }
    if extent.rows > limits.max_rows:
        code, limit = "too_many_rows", limits.max_rows
    elif extent.columns > limits.max_columns:
        code, limit = "too_many_columns", limits.max_columns
    else:
        code, limit = "too_many_cells", limits.max_cells
    return make_problem("error", code, lang, limit=format_number(limit, lang), **shown)


# --- xlsx: the cells of every worksheet part -------------------------------------------------

#: bytes inflated from a zip part at a time while its cells are scanned
_SCAN_CHUNK = 4 * 1024 * 1024
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"')
_FIRST_REFERENCES = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"')
#: a prefixed cell element (``<x:c>``): calamine matches the local name, the fast scan does not
_PREFIXED_CELL = re.compile(rb":c[\t\n\r />]")
_ENCODING = re.compile(rb'^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding=["\']([A-Za-z0-9._-]+)')
_UTF16_SHEET_DATA = ("sheetData".encode("utf-16-le"), "sheetData".encode("utf-16-be"))


def _xlsx_extents(raw: RawFile, limits: ReadLimits) -> dict[str, SheetExtent]:
    """The extent of every zip part that could be read as a worksheet.

    Every part holding the bytes ``sheetData`` is scanned, whatever the workbook's
    relationships say, so that a part calamine might reach by a path written oddly is never
    missed; parts map back to sheet names only to word the message."""
    extents: dict[str, SheetExtent] = {}
    clean: dict[str, bool] = {}
    with zipfile.ZipFile(io.BytesIO(raw.data)) as archive:
        labels = _part_labels(archive)
        for info in archive.infolist():
            if info.is_dir():
                continue
            try:
                extent = _xlsx_part_extent(archive, info, limits, clean)
            except _ZIP_ERRORS as exc:
                raise _Malformed(info.filename, type(exc).__name__) from None
            if extent is not None:
                label = labels.get(info.filename.replace("\\", "/").lower(), info.filename)
                extents[label] = extent
    raw.cache[_WITHOUT_ERROR_CELLS] = frozenset(name for name, ok in clean.items() if ok)
    return extents


#: the key, in ``RawFile.cache``, of the worksheet parts the fast scan read whole without
#: meeting the bytes ``t="e"`` (an error cell's type): no Excel error to restore there
_WITHOUT_ERROR_CELLS = "parts without error cells"
#: the attribute of an Excel error cell (``<c r="F12" t="e"><v>#DIV/0!</v></c>``)
ERROR_CELL_TYPE = b't="e"'


def may_hold_error_cells(raw: RawFile, part: str) -> bool:
    """False when the extent scan read the zip part ``part`` whole and no cell of it is typed
    as an Excel error (``t="e"``): ``tables.restore_excel_errors`` need not inflate it again."""
    return part not in raw.cache.get(_WITHOUT_ERROR_CELLS, ())


class _ErrorTypeWatch:
    """Whether the bytes ``t="e"`` occur in a part read chunk by chunk (chunks may overlap;
    the seam between two chunks is looked at too)."""

    def __init__(self) -> None:
        self.seen = False
        self._tail = b""

    def see(self, buffer: bytes) -> None:
        if not self.seen:
            self.seen = ERROR_CELL_TYPE in buffer or ERROR_CELL_TYPE in self._tail + buffer[:8]
        self._tail = buffer[-8:]


def _xlsx_part_extent(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limits: ReadLimits,
    clean: dict[str, bool] | None = None,
) -> SheetExtent | None:
    """The extent of one part, ``None`` when it holds no sheet data at all.

    The fast path streams the part once and proves, with one regular expression, that every
    cell tag is plainly ``<c r="B12" s=".." t="..">`` with its reference inside a bound (the
    ``<dimension>`` the part declares, else one guessed from its first cells). Anything else
    — a reference beyond the bound, a cell without reference, attributes in another order, a
    namespace prefix, another encoding — falls back to an exact parse with expat that mirrors
    calamine and stops as soon as a limit is passed. ``clean`` (part name -> bool) is told
    whether the fast path read the whole part without meeting an error cell's type."""
    verdict = _fast_xlsx_scan(archive, info, limits, clean)
    if verdict == "no-cells":
        return None
    if isinstance(verdict, SheetExtent):
        return verdict
    return _exact_xlsx_extent(archive, info, limits)


def _fast_xlsx_scan(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limits: ReadLimits,
    clean: dict[str, bool] | None = None,
) -> SheetExtent | str:
    """A bound on the part's extent (only ever returned within the limits), ``"no-cells"``,
    or ``"exact"`` when only the exact parse can tell.

    The region checked runs from the first to the last bytes ``sheetData`` of the part:
    calamine reads cells only between a ``<sheetData>`` start and the first ``</sheetData>``
    end after it, whatever comments or attributes pretend. Three passes look for what an
    honest writer never puts there: a cell tag that does not start with an in-bound
    ``r="B12"``; any other ``r=`` key (calamine keeps the *last* ``r`` of a tag) or a space
    before ``=``; a prefixed cell (``<x:c>``). One hit inside the region sends the part to
    the exact parse."""
    # a part is clean only if every entry of its name was read whole and found so
    clean = {} if clean is None else clean
    was_clean, clean[info.filename] = clean.get(info.filename, True), False
    errors = _ErrorTypeWatch()
    blocks = _inflated_blocks(archive, info)
    with contextlib.closing(blocks):
        chunks = _tag_chunks(blocks)
        head = b""
        for number, (buffer, cut) in enumerate(chunks):
            errors.see(buffer)
            if number == 0 and _not_plain_utf8(buffer):
                return "exact" if _has_utf16_sheet_data(archive, info) else "no-cells"
            start = buffer.find(b"sheetData")
            if start >= 0:
                break
            head = (head + buffer[:cut])[-65536:]  # <dimension> comes just before sheetData
        else:
            return "no-cells"
        bound = _scan_bound(head + buffer[:start], buffer[start:], limits)
        if bound is None:
            return "exact"
        pattern = _cell_start_pattern(bound.columns, bound.rows)
        odd = False  # a hit seen, not yet known to lie before a later "sheetData"
        while True:
            hits = _odd_tags(pattern, buffer, start, cut)
            if odd and buffer.find(b"sheetData", start) >= 0:
                return "exact"
            if hits and buffer.find(b"sheetData", hits[0]) >= 0:
                return "exact"
            odd = odd or bool(hits)
            following = next(chunks, None)
            if following is None:
                clean[info.filename] = was_clean and not errors.seen
                return bound
            (buffer, cut), start = following, 0
            errors.see(buffer)


def _tag_chunks(blocks: Iterator[bytes]) -> Iterator[tuple[bytes, int]]:
    """The part in chunks, each with the offset of its last ``<``: the tag starting there is
    carried into the next chunk, so no tag is ever cut in two and each byte before the cut
    is scanned once."""
    carry = b""
    for block in blocks:
        buffer = carry + block
        cut = buffer.rfind(b"<")
        if cut <= 0:
            cut = len(buffer)
        yield buffer, cut
        carry = buffer[cut:]
    if carry:
        yield carry, len(carry)


def _inflated_blocks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in blocks of about ``_SCAN_CHUNK``. A plainly deflated part is
    inflated from its raw stream, without zipfile's CRC (calamine checks the CRC when it
    reads the part): the scan is one pass over bytes, and the CRC was a fifth of it."""
    source = _raw_deflate_stream(archive, info)
    if source is None:
        with archive.open(info) as stream:
            while block := stream.read(_SCAN_CHUNK):
                yield block
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    step = _SCAN_CHUNK // 8  # deflate shrinks sheet XML about eight times
    for offset in range(0, len(source), step):
        block = inflater.decompress(source[offset : offset + step], _SCAN_CHUNK)
        while inflater.unconsumed_tail:
            yield block
            block = inflater.decompress(inflater.unconsumed_tail, _SCAN_CHUNK)
        yield block
    yield inflater.flush()


def _raw_deflate_stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> memoryview | None:
    """The compressed bytes of a plainly deflated, unencrypted part, else None."""
    data = archive.fp.getbuffer() if isinstance(archive.fp, io.BytesIO) else None
    if data is None or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        return None
    header = info.header_offset
    if data[header : header + 4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack_from("<HH", data, header + 26)
    start = header + 30 + name_length + extra_length
    return data[start : start + info.compress_size]


def _not_plain_utf8(buffer: bytes) -> bool:
    """Whether the part may not be ASCII-compatible (UTF-16, another declared encoding)."""
    sample = buffer[:512]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in sample:
        return True
    declared = _ENCODING.match(sample)
    return bool(declared) and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii")


def _has_utf16_sheet_data(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with archive.open(info) as stream:
        tail = b""
        while block := stream.read(_SCAN_CHUNK):
            window = tail + block
            if any(needle in window for needle in _UTF16_SHEET_DATA):
                return True
            tail = window[-32:]
    return False


def _scan_bound(head: bytes, body: bytes, limits: ReadLimits) -> SheetExtent | None:
    """The bound the fast scan proves: the declared ``<dimension>`` when it is within the
    limits, else the width of the first cells with as many rows as ``max_cells`` allows."""
    declared = _DIMENSION.search(head)
    if declared:
        extent = SheetExtent(int(declared.group(2)), _column_number(declared.group(1).decode()))
        if extent.rows and extent.columns and extent.within(limits):
            return extent
    columns = max(
        (_column_number(letters.decode()) for letters in _FIRST_REFERENCES.findall(body[:65536])),
        default=1,
    )
    columns = min(max(columns, 1), limits.max_columns)
    rows = min(limits.max_rows, limits.max_cells // columns)
    return SheetExtent(rows, columns) if rows >= 1 else None


def _odd_tags(pattern: re.Pattern, buffer: bytes, start: int, cut: int) -> list[int]:
    """Positions, in order, of what the fast scan cannot vouch for in ``buffer[start:cut]``:
    the first cell tag that is not plain, and any prefixed cell. A ``pattern`` hit on
    another element whose name starts with ``c`` (``<color>``, ``<cfRule>``) is skipped."""
    cell = next(
        (
            match.start()
            for match in pattern.finditer(buffer, start, cut)
            if buffer[match.end() : match.end() + 1] in _NAME_END
        ),
        None,
    )
    hits = [] if cell is None else [cell]
    # searched at once by the expression (a bytes search for ":c" first was slower, "c" being
    # the most frequent byte of a sheet's XML)
    hits.extend(match.start() for match in _PREFIXED_CELL.finditer(buffer, start, cut))
    return sorted(hits)


#: the bytes that end an element name for calamine's XML reader (and the end of the data)
_NAME_END = frozenset({b" ", b"\t", b"\r", b"\n", b"/", b">", b""})


@lru_cache(maxsize=64)
def _cell_start_pattern(columns: int, rows: int) -> re.Pattern:
    """``<c`` not followed by a plain cell tag whose reference is within (rows, columns).

    Plain is what spreadsheet writers produce: ``<c r="B12">``, with ``s="3"`` and/or
    ``t="s"`` (either order), double quotes, single spaces, up to ``>`` or ``/>``. Such a tag
    holds no second ``r`` (calamine keeps the last ``r`` of a tag), no ``r = '…'`` spelling
    and no ``>`` inside a value, so its reference is the one calamine uses."""
    reference = _letters_at_most(columns) + _number_at_most(rows)
    style, kind, end = rb' s="[0-9]{1,9}+"', rb' t="[a-zA-Z]{1,9}+"', rb"/?>"
    tail = (
        rb"(?:" + end + rb"|" + style + rb"(?:" + end + rb"|" + kind + end + rb")"
        rb"|" + kind + rb"(?:" + end + rb"|" + style + end + rb"))"
    )
    return re.compile(rb'<c(?! r="' + reference + rb'"' + tail + rb")")


def _number_at_most(bound: int) -> bytes:
    """A regular expression for the decimal numbers 1 to ``bound``, without leading zero."""
    text = str(bound)
    size = len(text)
    choices = [f"[1-9][0-9]{{0,{size - 2}}}+"] if size > 1 else []  # possessive: faster
    for index, digit in enumerate(text):
        low = 1 if index == 0 else 0
        if int(digit) > low:
            rest = f"[0-9]{{{size - index - 1}}}" if index < size - 1 else ""
            choices.append(f"{text[:index]}[{low}-{int(digit) - 1}]{rest}")
    choices.append(text)
    return ("(?:" + "|".join(choices) + ")").encode()


def _letters_at_most(bound: int) -> bytes:
    """A regular expression for the column letters A to the ``bound``-th column."""
    text = column_letter(bound - 1)
    size = len(text)
    choices = [f"[A-Z]{{1,{size - 1}}}+"] if size > 1 else []
    for index, letter in enumerate(text):
        if letter > "A":
            rest = f"[A-Z]{{{size - index - 1}}}" if index < size - 1 else ""
            choices.append(f"{text[:index]}[A-{chr(ord(letter) - 1)}]{rest}")
    choices.append(text)
    return ("(?:" + "|".join(choices) + ")").encode()


def _exact_xlsx_extent(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ReadLimits
) -> SheetExtent | None:
    """The extent as calamine will build it, from a streamed parse of the part.

    calamine places a cell at its ``r`` attribute, or else after the previous cell (rows
    likewise after the previous row), keeps only cells with a value, and ignores everything
    outside ``<sheetData>``; elements are matched by local name. A cell counts here when it
    has any child element (a value, a formula or a string): at least what calamine keeps."""
    state = _XlsxCells(limits)
    try:
        with archive.open(info) as stream:
            for event, element in SafeElementTree.iterparse(
                stream, events=("start", "end"), forbid_dtd=True
            ):
                if state.feed(event, element):
                    break
    except Exception as exc:  # expat and defusedxml raise several types for bad XML
        # the part holds "sheetData": calamine, more lenient, might still read cells from it
        if not state.extent.within(limits):
            return state.extent
        raise _Malformed(info.filename, _xml_error_detail(exc)) from None
    if not state.seen_sheet_data:
        return None
    return state.extent


def _xml_error_detail(exc: Exception) -> str:
    position = getattr(exc, "position", None)
    return f"{position[0]}:{position[1]}" if position else type(exc).__name__


class _XlsxCells:
    """Cell positions of a worksheet part as calamine computes them, fed parse events."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.extent = SheetExtent()
        self.in_sheet_data = self.seen_sheet_data = False
        self.row = self.column = 0
        self.cell: tuple[int, int] | None = None
        self.cell_has_value = False
        self.depth = 0

    def feed(self, event: str, element: Any) -> bool:
        """Take one parse event; True when the scan can stop (sheet data over, or a limit
        passed, or a reference calamine itself would refuse)."""
        name = element.tag.rpartition("}")[2]
        if not self.in_sheet_data:
            if event == "start" and name == "sheetData" and not self.seen_sheet_data:
                self.in_sheet_data = self.seen_sheet_data = True
            return False
        if self.cell is not None:
            return self._inside_cell(event, name)
        if event == "end":
            if name == "sheetData":
                return True
            if name == "row":
                self.row += 1
                self.column = 0
                element.clear()
            return False
        if name == "row":
            reference = element.get("r")
            if reference is not None:
                parsed = _parse_reference(reference)
                if parsed is None:
                    return True
                self.row = parsed[0]
        elif name == "c":
            reference = element.get("r")
            if reference is None:
                self.cell = (self.row, self.column)
            else:
                parsed = _parse_reference(reference)
                if parsed is None or parsed[1] is None:
                    return True
                self.cell = (parsed[0], parsed[1])
                self.column = parsed[1]
            self.cell_has_value = False
            self.depth = 0
        return False

    def _inside_cell(self, event: str, name: str) -> bool:
        if event == "start":
            self.depth += 1
            self.cell_has_value = True
            return False
        if self.depth:
            self.depth -= 1
            return False
        # the end of the cell itself
        row, column = self.cell or (0, 0)
        self.cell = None
        self.column += 1
        if self.cell_has_value:
            self.extent = self.extent.grow(row + 1, column + 1)
            return not self.extent.within(self.limits)
        return False


def _parse_reference(reference: str) -> tuple[int, int | None] | None:
    """(0-based row, 0-based column or None) of ``B12`` as calamine reads it (letters of
    either case, then digits); None when calamine would refuse it."""
    column = 0
    index = 0
    while index < len(reference) and reference[index].isascii() and reference[index].isalpha():
        column = column * 26 + ord(reference[index].upper()) - 64
        index += 1
    digits = reference[index:]
    if not digits.isascii() or not digits.isdigit() or int(digits) == 0:
        return None
    return int(digits) - 1, (column - 1 if column else None)


def _part_labels(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (lower case) -> sheet name, to word messages; best effort."""
    labels: dict[str, str] = {}
    try:
        workbook = SafeElementTree.fromstring(archive.read("xl/workbook.xml"))
        for node in workbook.iter():
            if node.tag.rpartition("}")[2] != "sheet":
                continue
            relation = next((v for k, v in node.attrib.items() if k.endswith("}id")), None)
            name = node.get("name")
            part = _relation_target(archive, relation) if relation else None
            if part and name and part.lower() not in labels:
                labels[part.lower()] = name
    except Exception:  # labels only word a message; the parts are scanned all the same
        return labels
    return labels


def _relation_target(archive: zipfile.ZipFile, relation: str) -> str | None:
    rels = SafeElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for node in rels.iter():
        if node.tag.rpartition("}")[2] == "Relationship" and node.get("Id") == relation:
            target = node.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


# --- ods: repeated rows and columns ----------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#: attributes that give an ods cell a value (calamine keeps the cell) besides a child element
_ODS_VALUE_ATTRIBUTES = ("value-type", "value", "date-value", "time-value", "boolean-value")


def _ods_extents(raw: RawFile, limits: ReadLimits) -> dict[str, SheetExtent]:
    """The extent of every table of content.xml, counting ``number-rows-repeated`` and
    ``number-columns-repeated`` without expanding them.

    Like calamine, repeated *empty* rows and cells only count when content follows them:
    LibreOffice ends every sheet with ``number-rows-repeated="1048553"`` of empty rows and
    ``number-columns-repeated="1012"`` of empty cells, and such a sheet is as small as its
    data. Names are matched with their ``table:`` prefix as calamine does, and the scan stops
    at the first table beyond a limit."""
    scan = _OdsTables(limits)
    parser = expat.ParserCreate()
    _forbid_declarations(parser)
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    with zipfile.ZipFile(io.BytesIO(raw.data)) as archive, archive.open("content.xml") as stream:
        try:
            while not scan.stopped and (block := stream.read(1024 * 1024)):
                parser.Parse(block, False)
            if not scan.stopped:
                parser.Parse(b"", True)
        except (expat.ExpatError, ValueError) as exc:
            if not scan.stopped:
                raise _Malformed("content.xml", f"{getattr(exc, 'lineno', '?')}") from None
    return scan.extents


def _forbid_declarations(parser: Any) -> None:
    """No DTD, no entity declaration: what defusedxml refuses, on a bare expat parser."""

    def forbid(*_args: Any) -> None:
        raise ValueError("DTD or entity declaration")

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)


_ODS_CELLS = ("table:table-cell", "table:covered-table-cell")


class _OdsTables:
    """Extents of the tables of an ods content.xml, fed expat's element events.

    As in calamine, a table runs from ``<table:table>`` to the first ``</table:table>``;
    whatever sits inside a cell (paragraphs, annotations, a nested table) is the cell's
    content, and makes it count as non-empty."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.extents: dict[str, SheetExtent] = {}
        self.stopped = False
        self.table: str | None = None
        self.in_row = False
        self.row = 0  # rows of the current table before the current row element
        self.row_repeat = 1
        self.column = 0  # columns of the current row before the current cell
        self.row_width = 0  # columns up to the last non-empty cell of the current row
        self.cell: list[Any] | None = None  # [repeat, non-empty, depth] inside a cell

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if self.stopped:
            return
        if self.cell is not None:
            self.cell[1] = True
            self.cell[2] += 1
        elif name == "table:table" and self.table is None:
            self.table = attributes.get("table:name") or f"#{len(self.extents) + 1}"
            self.extents.setdefault(self.table, SheetExtent())
            self.row = 0
        elif self.table is None:
            return
        elif name == "table:table-row":
            self.row_repeat = _repeat(attributes.get("table:number-rows-repeated"))
            self.in_row, self.column, self.row_width = True, 0, 0
        elif name in _ODS_CELLS and self.in_row:
            repeat = _repeat(attributes.get("table:number-columns-repeated"))
            valued = "table:formula" in attributes or any(
                f"office:{key}" in attributes for key in _ODS_VALUE_ATTRIBUTES
            )
            self.cell = [repeat, valued, 0]

    def end(self, name: str) -> None:
        if self.stopped or self.table is None:
            return
        if self.cell is not None:
            if self.cell[2]:
                self.cell[2] -= 1
                return
            repeat, valued, _depth = self.cell
            self.cell = None
            self.column += repeat
            if valued:
                self.row_width = self.column
        elif name == "table:table-row" and self.in_row:
            self.in_row = False
            if self.row_width:
                extent = self.extents[self.table].grow(self.row + self.row_repeat, self.row_width)
                self.extents[self.table] = extent
                self.stopped = not extent.within(self.limits)
            self.row += self.row_repeat
        elif name == "table:table":
            self.table = None


def _repeat(value: str | None) -> int:
    if value is None:
        return 1
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise _Malformed("content.xml", f"repeat {value[:20]!r}")
    return max(int(value), 1)


# --- xls: BIFF records ------------------------------------------------------------------------

#: BIFF records holding one cell at (row, column) in their first four bytes; MULRK holds several
_BIFF_CELL_RECORDS = frozenset({0x0006, 0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD})
_BIFF_MULRK, _BIFF_DIMENSIONS, _BIFF_BOF, _BIFF_EOF = 0x00BD, 0x0200, 0x0809, 0x000A
_BIFF_FILEPASS, _BIFF_BOUNDSHEET = 0x002F, 0x0085


def _xls_extents(raw: RawFile, limits: ReadLimits) -> dict[str, SheetExtent]:
    """The extent of every sheet of an xls, from its cell records and its DIMENSIONS record.

    calamine parses every sheet as soon as it opens the file, reserving the cells the
    DIMENSIONS record declares (a lie there is an allocation too) and then building each grid
    from the farthest cell record; both are bounded here. An encrypted workbook stream
    (FILEPASS) is reported as password-protected."""
    try:
        stream = OleFile(raw.data).stream("Workbook", "Book")
    except (OleError, struct.error) as exc:
        raise _Malformed("OLE", str(exc)) from None
    if stream is None:
        raise _Malformed("OLE", "no Workbook stream")
    extents: dict[str, SheetExtent] = {}
    for position, name in _biff_sheets(stream):
        if position >= len(stream):
            raise _Malformed(name, "sheet offset beyond the workbook stream")
        extents[name] = _biff_sheet_extent(stream, position, limits)
        if not extents[name].within(limits):
            break
    return extents


def _biff_records(stream: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
    """(record type, offset of its data, length) from ``offset`` to the end of the stream."""
    end = len(stream)
    while offset + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, offset)
        if offset + 4 + length > end:
            return  # calamine stops on a truncated record too
        yield kind, offset + 4, length
        offset += 4 + length


def _biff_sheets(stream: bytes) -> list[tuple[int, str]]:
    """(stream offset, name) of every sheet the workbook globals declare."""
    sheets = []
    biff8 = True
    for kind, start, length in _biff_records(stream, 0):
        if kind == _BIFF_FILEPASS:
            raise _PasswordProtected()
        if kind == _BIFF_BOF and length >= 2:
            biff8 = struct.unpack_from("<H", stream, start)[0] >= 0x0600
        elif kind == _BIFF_BOUNDSHEET and length >= 8:
            position = struct.unpack_from("<I", stream, start)[0]
            sheets.append((position, _biff_sheet_name(stream[start : start + length], biff8)))
        elif kind == _BIFF_EOF:
            break
    return sheets


def _biff_sheet_name(record: bytes, biff8: bool) -> str:
    count = record[6]
    if not biff8:
        return record[7 : 7 + count].decode("cp1252", "replace")
    wide = len(record) > 7 and record[7] & 1
    text = record[8 : 8 + count * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


def _biff_sheet_extent(stream: bytes, offset: int, limits: ReadLimits) -> SheetExtent:
    rows = columns = 0
    depth, seen_bof = 0, False
    for kind, start, length in _biff_records(stream, offset):
        if depth:  # an embedded chart's substream: calamine skips it
            depth += kind == _BIFF_BOF
            depth -= kind == _BIFF_EOF
            continue
        if kind == _BIFF_BOF:
            depth, seen_bof = (1, True) if seen_bof else (0, True)
        elif kind == _BIFF_EOF:
            break
        elif kind in _BIFF_CELL_RECORDS and length >= 4:
            row, column = struct.unpack_from("<HH", stream, start)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind == _BIFF_MULRK and length >= 6:
            row, first = struct.unpack_from("<HH", stream, start)
            rows, columns = max(rows, row + 1), max(columns, first + (length - 6) // 6)
        elif kind == _BIFF_DIMENSIONS:
            declared = _biff_dimensions(stream[start : start + length])
            rows, columns = max(rows, declared.rows), max(columns, declared.columns)
        if not SheetExtent(rows, columns).within(limits):
            break
    return SheetExtent(rows, columns)


def _biff_dimensions(record: bytes) -> SheetExtent:
    """The grid calamine reserves for a DIMENSIONS record, as an extent from A1. It computes
    ``last - first + 1`` in 32-bit arithmetic: a first row after the last wraps to billions."""
    if len(record) == 14:
        first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", record)
    elif len(record) == 10:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", record)
    else:
        return SheetExtent()
    if first_column > 0xFF or last_column < first_column:
        first_column = 0
    if last_row < 1 or last_column < 1:
        return SheetExtent(first_row + 1, first_column + 1)
    rows = ((last_row - 1 - first_row) % 2**32 + 1) % 2**32
    columns = ((last_column - 1 - first_column) % 2**32 + 1) % 2**32
    return SheetExtent(first_row + rows, first_column + columns)


# --- workbooks ------------------------------------------------------------------------------


def _calamine_workbook(raw: RawFile, lang: str, limits: ReadLimits | None = None):
    """The calamine workbook of ``raw``, once its sheets' extents are within ``limits``
    (checked on every call, before any sheet is built or a shared grid served)."""
    check_extents(raw, lang, limits)
    shared = raw.cache.get(_SHARED)
    if shared is None:
        return _open_calamine(raw, lang)
    if "workbook" not in shared:
        shared["workbook"] = _open_calamine(raw, lang)
    return shared["workbook"]


def _open_calamine(raw: RawFile, lang: str):
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(raw.data))
    except PasswordError:
        raise LoadError(
            [make_problem("error", "password_protected", lang, file=raw.name)]
        ) from None
    except BaseException as exc:  # calamine raises several error types for damaged files
        _reraise_if_not_calamine(exc)
        raise LoadError(
            [make_problem("error", "corrupt_file", lang, file=raw.name, detail=str(exc)[:200])]
        ) from None


def _reraise_if_not_calamine(exc: BaseException) -> None:
    """Let KeyboardInterrupt and the like through; a Rust panic (pyo3's PanicException derives
    from BaseException) is a damaged file like any other calamine error."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


def sheet_names(raw: RawFile, lang: str = "fr", limits: ReadLimits | None = None) -> list[str]:
    if raw.format == "csv":
        return [Path(raw.name).stem or "csv"]
    workbook = _calamine_workbook(raw, lang, limits)
    return [meta.name for meta in workbook.sheets_metadata if str(meta.typ).endswith("WorkSheet")]


def iter_sheets(
    raw: RawFile, lang: str = "fr", nrows: int | None = None, limits: ReadLimits | None = None
) -> Iterator[RawSheet]:
    """Every worksheet (or the CSV as one sheet), optionally only its first ``nrows`` rows.

    The whole workbook's extents are checked first: one sheet beyond the limits refuses the
    file, with every such sheet named."""
    if raw.format == "csv":
        sheet = _csv_sheet(raw, lang, limits)
        if nrows:
            sheet.rows = sheet.rows[:nrows]
        yield sheet
        return
    workbook = _calamine_workbook(raw, lang, limits)
    names = [meta.name for meta in workbook.sheets_metadata if str(meta.typ).endswith("WorkSheet")]
    for name in names:
        yield RawSheet(name, _sheet_rows(workbook, name, raw, lang, nrows))


def read_sheet(
    raw: RawFile, name: str, lang: str = "fr", limits: ReadLimits | None = None
) -> RawSheet:
    if raw.format == "csv":
        sheet = _csv_sheet(raw, lang, limits)
        sheet.name = name
        return sheet
    workbook = _calamine_workbook(raw, lang, limits)
    return RawSheet(name, _sheet_rows(workbook, name, raw, lang, None))


def _csv_sheet(raw: RawFile, lang: str, limits: ReadLimits | None) -> RawSheet:
    """``read_csv_sheet``, read once per language and bounds when the file is shared (its
    bounds are applied while it is read, and its warnings are worded in ``lang``)."""
    shared = raw.cache.get(_SHARED)
    if shared is None:
        return read_csv_sheet(raw, lang, limits)
    bounds = _limits_of(raw, limits)
    key = ("csv", lang, bounds.max_rows, bounds.max_columns, bounds.max_cells)
    if key not in shared:
        shared[key] = read_csv_sheet(raw, lang, limits)
    sheet = shared[key]
    return RawSheet(sheet.name, list(sheet.rows), list(sheet.warnings))


def _sheet_rows(workbook, name: str, raw: RawFile, lang: str, nrows: int | None) -> list[list[Any]]:
    """The grid of sheet ``name`` from A1 (its first ``nrows`` rows when given). A shared
    file parses the whole sheet once and serves each reader a list of its own over the same
    rows (calamine builds the whole sheet even for a preview, so nothing is lost)."""
    shared = raw.cache.get(_SHARED)
    if shared is None:
        return _parse_sheet_rows(workbook, name, raw, lang, nrows)
    sheets = shared.setdefault("sheets", {})
    if name not in sheets:
        sheets[name] = _parse_sheet_rows(workbook, name, raw, lang, None)
    rows = sheets[name]
    return rows[:nrows] if nrows is not None else list(rows)


def _parse_sheet_rows(
    workbook, name: str, raw: RawFile, lang: str, nrows: int | None
) -> list[list[Any]]:
    try:
        sheet = workbook.get_sheet_by_name(name)
        # skip_empty_area=False keeps the grid anchored at A1, so row i is Excel row i + 1
        if nrows is None:
            return sheet.to_python(skip_empty_area=False)
        return sheet.to_python(skip_empty_area=False, nrows=nrows)
    except BaseException as exc:
        _reraise_if_not_calamine(exc)
        raise LoadError(
            [
                make_problem(
                    "error", "corrupt_file", lang, file=raw.name, sheet=name, detail=str(exc)[:200]
                )
            ]
        ) from None


# --- CSV ------------------------------------------------------------------------------------

#: delimiters in order of preference when two split the lines equally well: a comma is the
#: decimal separator of French numbers, so it comes last
_CSV_DELIMITERS = "\t;|,"
#: characters of the start of the file looked at to choose the delimiter
_SNIFF_CHARS = 65536
_FALLBACK_ERRORS = "loaders-cp1252-fallback"
_fallback_state = threading.local()


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 is read as Windows-1252 (``\\xe9`` is
    ``é``), so one such byte does not turn the whole file into mojibake."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    offsets = getattr(_fallback_state, "offsets", None)
    if offsets is not None:
        offsets.append(error.start)
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error(_FALLBACK_ERRORS, _cp1252_fallback)


def _decode_with_offsets(data: bytes) -> tuple[str, list[int]]:
    """The text and the offsets of the bytes read as Windows-1252 inside a UTF-8 file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    _fallback_state.offsets = offsets = []
    try:
        text = data.decode("utf-8-sig", errors=_FALLBACK_ERRORS)
    finally:
        _fallback_state.offsets = None
    non_ascii = len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))
    if len(offsets) >= non_ascii:  # not one valid UTF-8 sequence: a plain Windows-1252 file
        return data.decode("cp1252", errors="replace"), []
    return text, offsets


def sniff_delimiter(text: str) -> str:
    """The delimiter whose field counts stay the same over the longest run of records.

    Title lines above the header ("Planning des travaux — Situation au 20/11/2026") split
    into one field whatever the delimiter, and commas inside task names, ``45,5 %`` or
    ``1 200,50 MAD`` vary from row to row: only the real delimiter gives the header and every
    data row the same count. Records are read with the csv module, so quoted fields count
    as one."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS:
        sample = sample[: max(sample.rfind("\n"), sample.rfind("\r"), 1)]
    best, best_score = ";", (0, 0)
    for rank, delimiter in enumerate(reversed(_CSV_DELIMITERS)):
        counts = _field_counts(sample, delimiter)
        score = (_longest_run(counts), rank)
        if score[0] and score > best_score:
            best, best_score = delimiter, score
    return best


def _field_counts(sample: str, delimiter: str, records: int = 200) -> list[int]:
    counts = []
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                counts.append(len(record))
            if len(counts) >= records:
                break
    except csv.Error:
        pass  # a sample cut inside a huge field: what was read is enough to choose
    return counts


def _longest_run(counts: list[int]) -> int:
    """Length of the longest run of equal counts of at least two fields."""
    best = run = 0
    previous = None
    for count in counts:
        run = run + 1 if count == previous else 1
        previous = count
        if count >= 2:
            best = max(best, run)
    return best


def read_csv_sheet(raw: RawFile, lang: str = "fr", limits: ReadLimits | None = None) -> RawSheet:
    """The CSV as one sheet, every record padded to the same width; record i is Excel row
    i + 1 (Excel opens a CSV so). Bounded while read: reading stops at ``max_rows + 1``
    records; a NUL byte, a field over the csv module's limit or a quote never closed is
    refused with its row."""
    limits = _limits_of(raw, limits)
    sheet_name = Path(raw.name).stem or "csv"
    text, fallback_offsets = _decode_with_offsets(raw.data)
    where = {"file": raw.name, "sheet": sheet_name}
    nul = text.find("\x00")
    if nul >= 0:
        line = _line_of(text, nul)
        raise LoadError([make_problem("error", "csv_nul_byte", lang, row=line, line=line, **where)])
    rows = _csv_records(text, sniff_delimiter(text), limits, lang, where)
    width = max((len(r) for r in rows), default=0)
    if len(rows) * width > limits.max_cells:
        extent = SheetExtent(len(rows), width)
        raise LoadError([_extent_problem(raw.name, sheet_name, extent, limits, lang)])
    grid = [row + [""] * (width - len(row)) for row in rows]
    warnings = _mixed_encoding_warning(raw.data, text, fallback_offsets, lang, where)
    return RawSheet(sheet_name, grid, warnings)


def _csv_records(
    text: str, delimiter: str, limits: ReadLimits, lang: str, where: dict[str, str]
) -> list[list[str]]:
    """Every record, refused as soon as one passes ``max_rows`` or ``max_columns``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    start_line = 1  # the line of the file where the record being read starts
    while True:
        try:
            record = next(reader, None)
        except csv.Error:  # "field larger than field limit": a huge field or an open quote
            problem = _csv_field_problem(text, start_line, len(rows) + 1, lang, where)
            raise LoadError([problem]) from None
        if record is None:
            break
        _check_csv_record(record, len(rows) + 1, start_line, limits, lang, where)
        rows.append(record)
        last_start, start_line = start_line, reader.line_num + 1
    if rows and reader.line_num > last_start and _left_open(text, rows[-1], last_start):
        # the last record runs from an opening quote to the end of the file
        raise LoadError(
            [
                make_problem(
                    "error", "csv_unclosed_quote", lang, row=len(rows), line=last_start, **where
                )
            ]
        )
    return rows


def _check_csv_record(
    record: list[str],
    row: int,
    line: int,
    limits: ReadLimits,
    lang: str,
    where: dict[str, str],
) -> None:
    if row > limits.max_rows:
        shown = {"limit": format_number(limits.max_rows, lang), "line": format_number(line, lang)}
        raise LoadError(
            [make_problem("error", "csv_too_many_rows", lang, row=row, **shown, **where)]
        )
    if len(record) > limits.max_columns:
        raise LoadError(
            [
                make_problem(
                    "error",
                    "csv_too_many_columns",
                    lang,
                    row=row,
                    line=line,
                    count=format_number(len(record), lang),
                    limit=format_number(limits.max_columns, lang),
                    **where,
                )
            ]
        )


def _csv_field_problem(text: str, line: int, row: int, lang: str, where: dict[str, str]) -> Problem:
    """A field over the csv module's limit: an unclosed quote when the quotes from the start
    of its record to the end of the file do not pair up, else a genuinely huge field."""
    offset = _line_offset(text, line)
    code = "csv_unclosed_quote" if text.count('"', offset) % 2 else "csv_field_too_large"
    limit = format_number(csv.field_size_limit(), lang)
    return make_problem("error", code, lang, row=row, line=line, limit=limit, **where)


def _left_open(text: str, record: list[str], line: int) -> bool:
    """Whether the last record was swallowed by a quote never closed: its last field holds
    line breaks and the quotes from its first line to the end of the file do not pair up."""
    last = record[-1] if record else ""
    if "\n" not in last and "\r" not in last:
        return False
    return text.count('"', _line_offset(text, line)) % 2 == 1


def _line_offset(text: str, line: int) -> int:
    """The offset where 1-based ``line`` starts (``\\r\\n``, ``\\n`` or a lone ``\\r`` end one)."""
    if line <= 1:
        return 0
    for number, match in enumerate(_LINE_BREAK.finditer(text), start=2):
        if number == line:
            return match.end()
    return len(text)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_of(text: str, offset: int) -> int:
    """The 1-based line of ``offset``, counting ``\\r\\n``, ``\\n`` and a lone ``\\r``."""
    before = text[:offset]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def _mixed_encoding_warning(
    data: bytes, text: str, offsets: list[int], lang: str, where: dict[str, str]
) -> list[Problem]:
    if not offsets:
        return []
    first = offsets[0]
    line = data.count(b"\n", 0, first) + 1
    shown = data[first : first + 1].decode("cp1252", errors="replace")
    return [
        make_problem(
            "warning",
            "csv_mixed_encoding",
            lang,
            row=line,
            value=shown,
            count=len(offsets),
            **where,
        )
    ]


# --- cell formats (xlsx only) ---------------------------------------------------------------


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: built-in number formats that show a percentage (0% and 0.00%)
_BUILTIN_PERCENT_FORMATS = {9, 10}
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def percent_formatted_columns(
    raw: RawFile, sheet: str, first_row: int, columns: list[int], max_rows: int = 200
) -> set[int]:
    """Which of ``columns`` (0-based) hold cells formatted as a percentage (``0%``).

    calamine gives values only, so the number formats are read from the xlsx parts directly:
    the styles, then the first ``max_rows`` data rows of the sheet, streamed and parsed with
    defusedxml (no entity expansion). Cheap even on a 100 000-row file.
    """
    if raw.format not in ("xlsx", "xlsm") or not columns:
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(raw.data)) as archive:
            sheet_path = _sheet_part(archive, sheet)
            percent_styles = _percent_styles(archive)
            if sheet_path is None or not percent_styles:
                return set()
            return _scan_percent_cells(
                archive, sheet_path, percent_styles, first_row, set(columns), max_rows
            )
    except Exception:  # formats are a hint; values still load without them
        return set()


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip path of the worksheet part of ``sheet`` (the first sheet of that name, as
    calamine takes it)."""
    workbook = SafeElementTree.fromstring(archive.read("xl/workbook.xml"))
    relation = None
    for node in workbook.iter(f"{_MAIN}sheet"):
        if node.get("name") == sheet:
            relation = node.get(f"{_REL}id")
            break
    if relation is None:
        return None
    rels = SafeElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for node in rels.iter(f"{_PKG_REL}Relationship"):
        if node.get("Id") == relation:
            target = node.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    styles = SafeElementTree.fromstring(archive.read("xl/styles.xml"))
    percent_formats = set(_BUILTIN_PERCENT_FORMATS)
    for node in styles.iter(f"{_MAIN}numFmt"):
        if "%" in node.get("formatCode", "").replace("\\%", ""):
            percent_formats.add(int(node.get("numFmtId", "-1")))
    cell_xfs = styles.find(f"{_MAIN}cellXfs")
    if cell_xfs is None:
        return set()
    return {
        index
        for index, xf in enumerate(cell_xfs.iter(f"{_MAIN}xf"))
        if int(xf.get("numFmtId", "0")) in percent_formats
    }


def _scan_percent_cells(
    archive: zipfile.ZipFile,
    sheet_path: str,
    percent_styles: set[int],
    first_row: int,
    columns: set[int],
    max_rows: int,
) -> set[int]:
    found: set[int] = set()
    last_row = first_row + max_rows
    with archive.open(sheet_path) as stream:
        for _event, node in SafeElementTree.iterparse(stream, events=("end",)):
            if node.tag != f"{_MAIN}c":
                if node.tag == f"{_MAIN}row":
                    if int(node.get("r", "0")) > last_row:
                        break
                    node.clear()
                continue
            match = _CELL_REF.match(node.get("r", ""))
            style = node.get("s")
            if match is None or style is None or int(style) not in percent_styles:
                continue
            row = int(match.group(2))
            column = _column_index(match.group(1))
            if row >= first_row and column in columns and node.find(f"{_MAIN}v") is not None:
                found.add(column)
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _column_number(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27."""
    return _column_index(letters) + 1


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
