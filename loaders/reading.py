"""The shared reading layer: bytes in, a grid of cell values per sheet out.

Files are untrusted: the size is capped before anything is parsed, zip containers are checked
for decompression bombs, the format is recognised from the bytes (a PDF renamed ``.xlsx`` is
refused), and XML is parsed by calamine (Rust, no entity expansion) or openpyxl with defusedxml.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from loaders.problems import LoadError, Problem, make_problem

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
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
    source: str | Path | IO[bytes] | bytes, max_bytes: int | None = None, lang: str = "fr"
) -> tuple[bytes, str]:
    """Bytes and display name of a path, a bytes object or a binary file-like (UploadedFile)."""
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
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
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            [make_problem("error", "not_a_spreadsheet", lang, file=name, detected="binaire")]
        )
    return "csv"


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


def open_raw(source, max_bytes: int | None = None, lang: str = "fr") -> RawFile:
    data, name = read_source(source, max_bytes, lang)
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


def iter_sheets(raw: RawFile, lang: str = "fr", nrows: int | None = None) -> Iterator[RawSheet]:
    """Every worksheet (or the CSV as one sheet), optionally only its first ``nrows`` rows."""
    if raw.format == "csv":
        rows = read_csv_rows(raw, lang)
        yield RawSheet(Path(raw.name).stem or "csv", rows[:nrows] if nrows else rows)
        return
    workbook = _calamine_workbook(raw, lang)
    for name in sheet_names(raw, lang):
        yield RawSheet(name, _sheet_rows(workbook, name, raw, lang, nrows))


def read_sheet(raw: RawFile, name: str, lang: str = "fr") -> RawSheet:
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


def percent_formatted_columns(
    raw: RawFile, sheet: str, first_row: int, columns: list[int], max_rows: int = 200
) -> set[int]:
    """Which of ``columns`` (0-based) hold cells formatted as a percentage (``0%``).

    calamine gives values only; openpyxl (read-only, streaming) sees number formats. Only the
    first ``max_rows`` data rows are looked at, which keeps this cheap on large files.
    """
    if raw.format not in ("xlsx", "xlsm") or not columns:
        return set()
    import openpyxl

    found: set[int] = set()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw.data), read_only=True, data_only=True)
        worksheet = workbook[sheet]
        min_col, max_col = min(columns) + 1, max(columns) + 1
        for row in worksheet.iter_rows(
            min_row=first_row, max_row=first_row + max_rows, min_col=min_col, max_col=max_col
        ):
            for cell in row:
                index = getattr(cell, "column", None)
                if index is None or index - 1 not in columns:
                    continue
                if cell.value is not None and "%" in str(cell.number_format or ""):
                    found.add(index - 1)
        workbook.close()
    except Exception:  # formats are a hint; values still load without them
        return found
    return found


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
