"""The shared reading layer: bytes in, a grid of cell values per sheet out.

Files are untrusted: the size is capped before anything is parsed, zip containers are checked
for decompression bombs, the format is recognised from the bytes (a PDF renamed ``.xlsx`` is
refused), and XML is parsed by calamine (Rust, no entity expansion) or openpyxl with defusedxml.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from defusedxml import ElementTree as SafeElementTree

from loaders.limits import DEFAULT_MAX_BYTES, ReadLimits, resolve_limits
from loaders.problems import LoadError, Problem, make_problem

__all__ = ["DEFAULT_MAX_BYTES", "RawFile", "RawSheet", "open_raw", "iter_sheets", "read_sheet"]
#: an xlsx whose parts inflate to more than this many bytes is refused (zip bomb)
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

SPREADSHEET_FORMATS = ("xlsx", "xlsm", "xls", "ods", "csv")


@dataclass(frozen=True)
class RawFile:
    """The bytes of one file, its name as the user gave it and the format found in the bytes."""

    data: bytes
    name: str
    format: str  # one of SPREADSHEET_FORMATS


@dataclass
class RawSheet:
    """A sheet as a grid; ``rows[i][j]`` is Excel row ``i + 1``, column ``j`` (A = 0)."""

    name: str
    rows: list[list[Any]]


def read_source(
    source: str | Path | IO[bytes] | bytes,
    max_bytes: int | None = None,
    lang: str = "fr",
    limits: ReadLimits | None = None,
) -> tuple[bytes, str]:
    """Bytes and display name of a path, a bytes object or a binary file-like (UploadedFile)."""
    limit = resolve_limits(limits, max_bytes).max_bytes
    if isinstance(source, bytes | bytearray):
        data, name = bytes(source), "upload"
    elif isinstance(source, str | Path):
        path = Path(source)
        name = path.name
        if not path.exists():
            raise LoadError(
                [make_problem("error", "file_not_found", lang, file=name, path=str(path))]
            )
        size = path.stat().st_size
        if size > limit:
            raise LoadError([_too_large(name, size, limit, lang)])
        data = path.read_bytes()
    else:
        name = Path(getattr(source, "name", "upload") or "upload").name
        if hasattr(source, "getvalue"):
            data = source.getvalue()
        else:
            if hasattr(source, "seek"):
                source.seek(0)
            data = source.read(limit + 1)
    if len(data) > limit:
        raise LoadError([_too_large(name, len(data), limit, lang)])
    return data, name


def _too_large(name: str, size: int, limit: int, lang: str) -> Problem:
    return make_problem(
        "error",
        "file_too_large",
        lang,
        file=name,
        size_mb=f"{size / 1_048_576:.1f}",
        limit_mb=f"{limit / 1_048_576:.0f}",
    )


def sniff_format(data: bytes, name: str, lang: str = "fr") -> str:
    """The spreadsheet format of ``data`` from its first bytes, whatever its extension says."""
    if not data.strip():
        raise LoadError([make_problem("error", "empty_file", lang, file=name)])
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, name, lang)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"%PDF"):
        raise LoadError(
            [make_problem("error", "not_a_spreadsheet", lang, file=name, detected="PDF")]
        )
    detected = _known_text_format(data)
    if detected:
        raise LoadError(
            [make_problem("error", "not_a_spreadsheet", lang, file=name, detected=detected)]
        )
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            [make_problem("error", "not_a_spreadsheet", lang, file=name, detected="binaire")]
        )
    return "csv"


def _known_text_format(data: bytes) -> str | None:
    """Schedule exchange formats that are text but not tables: read them as CSV and a line
    like ``%F task_id task_name`` would pass for a header."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"ERMHDR"):
        return "Primavera P6 XER"
    if head.startswith(b"MPX"):
        return "MPX (MS Project)"
    if head.startswith(b"<"):
        if b"schemas.microsoft.com/project" in data[:4096]:
            return "MS Project XML"
        if b"<project" in data[:4096] and b"ganttproject" in data[:4096].lower():
            return "GanttProject"
        return "XML/HTML"
    return None


def _sniff_zip(data: bytes, name: str, lang: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise LoadError(
            [make_problem("error", "corrupt_file", lang, file=name, detail=str(exc))]
        ) from None
    inflated = sum(info.file_size for info in infos)
    if inflated > MAX_UNCOMPRESSED_BYTES or inflated > MAX_COMPRESSION_RATIO * max(len(data), 1):
        raise LoadError([make_problem("error", "zip_bomb", lang, file=name)])
    names = {info.filename for info in infos}
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    is_ods = "content.xml" in names and "mimetype" in names
    if is_ods and archive.read("mimetype").startswith(
        b"application/vnd.oasis.opendocument.spreadsheet"
    ):
        return "ods"
    detected = "Word" if "word/document.xml" in names else "ZIP"
    raise LoadError(
        [make_problem("error", "not_a_spreadsheet", lang, file=name, detected=detected)]
    )


def open_raw(
    source, max_bytes: int | None = None, lang: str = "fr", limits: ReadLimits | None = None
) -> RawFile:
    data, name = read_source(source, max_bytes, lang, limits)
    return RawFile(data=data, name=name, format=sniff_format(data, name, lang))


# --- workbooks ------------------------------------------------------------------------------


def _calamine_workbook(raw: RawFile, lang: str):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(raw.data))
    except Exception as exc:  # calamine raises several error types for damaged files
        raise LoadError(
            [make_problem("error", "corrupt_file", lang, file=raw.name, detail=str(exc)[:200])]
        ) from None


def sheet_names(raw: RawFile, lang: str = "fr") -> list[str]:
    if raw.format == "csv":
        return [Path(raw.name).stem or "csv"]
    workbook = _calamine_workbook(raw, lang)
    return [meta.name for meta in workbook.sheets_metadata if str(meta.typ).endswith("WorkSheet")]


def iter_sheets(
    raw: RawFile, lang: str = "fr", nrows: int | None = None, limits: ReadLimits | None = None
) -> Iterator[RawSheet]:
    """Every worksheet (or the CSV as one sheet), optionally only its first ``nrows`` rows."""
    if raw.format == "csv":
        rows = read_csv_rows(raw, lang)
        yield RawSheet(Path(raw.name).stem or "csv", rows[:nrows] if nrows else rows)
        return
    workbook = _calamine_workbook(raw, lang)
    for name in sheet_names(raw, lang):
        yield RawSheet(name, _sheet_rows(workbook, name, raw, lang, nrows))


def read_sheet(
    raw: RawFile, name: str, lang: str = "fr", limits: ReadLimits | None = None
) -> RawSheet:
    if raw.format == "csv":
        return RawSheet(name, read_csv_rows(raw, lang))
    workbook = _calamine_workbook(raw, lang)
    return RawSheet(name, _sheet_rows(workbook, name, raw, lang, None))


def _sheet_rows(workbook, name: str, raw: RawFile, lang: str, nrows: int | None) -> list[list[Any]]:
    try:
        sheet = workbook.get_sheet_by_name(name)
        # skip_empty_area=False keeps the grid anchored at A1, so row i is Excel row i + 1
        if nrows is None:
            return sheet.to_python(skip_empty_area=False)
        return sheet.to_python(skip_empty_area=False, nrows=nrows)
    except Exception as exc:
        raise LoadError(
            [
                make_problem(
                    "error", "corrupt_file", lang, file=raw.name, sheet=name, detail=str(exc)[:200]
                )
            ]
        ) from None


# --- CSV ------------------------------------------------------------------------------------

_CSV_DELIMITERS = ";,\t|"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 (French Excel on Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ";", (-1, -1)
    for delimiter in _CSV_DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_rows(raw: RawFile, lang: str = "fr") -> list[list[Any]]:
    text = decode_text(raw.data)
    delimiter = sniff_delimiter(text)
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    width = max((len(r) for r in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


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
    workbook = SafeElementTree.fromstring(archive.read("xl/workbook.xml"))
    relation = None
    for node in workbook.iter(f"{_MAIN}sheet"):
        if node.get("name") == sheet:
            relation = node.get(f"{_REL}id")
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


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
