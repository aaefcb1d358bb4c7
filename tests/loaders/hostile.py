"""Hostile and odd files, built in code, each named after the defect it holds.

Workbooks are written byte by byte (the zip parts of an xlsx, the content.xml of an ods, the
BIFF records and OLE container of an xls) because the defects are exactly what a library
writer would never produce: one cell at ``XFD1048576``, a row repeated a million times, a
``<dimension>`` that lies, a DIMENSIONS record that wraps, an encrypted package.
"""

from __future__ import annotations

import io
import math
import re
import struct
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

#: a schedule small enough to read by eye: the header is Excel row 1, tasks rows 2 to 4
SCHEDULE_HEADER = ["N°", "Tâche", "Début prévu", "Fin prévue", "% réalisé"]
SCHEDULE_TASKS = [
    ["T01", "Installation de chantier", "02/03/2026", "06/03/2026", 100],
    ["T02", "Terrassements généraux", "09/03/2026", "20/03/2026", 60],
    ["T03", "Fondations", "23/03/2026", "10/04/2026", 0],
]
SCHEDULE_ROWS = [SCHEDULE_HEADER, *SCHEDULE_TASKS]


# --- xlsx -------------------------------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def column_letters(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_xml(reference: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def grid_rows_xml(rows: Sequence[Sequence[object]]) -> str:
    """``<row>`` elements for ``rows`` from A1, as Excel writes them."""
    parts = []
    for index, row in enumerate(rows, start=1):
        cells = "".join(
            cell_xml(f"{column_letters(number)}{index}", value)
            for number, value in enumerate(row, start=1)
            if value is not None
        )
        parts.append(f'<row r="{index}">{cells}</row>')
    return "".join(parts)


def xlsx_from_sheet_data(
    sheet_data: str, *, dimension: str | None = None, sheet: str = "Planning", prefix: str = ""
) -> bytes:
    """A one-sheet xlsx whose ``<sheetData>`` content is ``sheet_data`` exactly.

    ``prefix="x:"`` writes the sheet with that namespace prefix, as the OpenXML SDK does."""
    # the x: prefix is declared in both cases, so cells written <x:c> may be mixed in
    declaration = f' xmlns:x="{_MAIN_NS}"' + ("" if prefix else f' xmlns="{_MAIN_NS}"')
    dimension_xml = f'<{prefix}dimension ref="{dimension}"/>' if dimension else ""
    worksheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<{prefix}worksheet{declaration}>{dimension_xml}"
        f"<{prefix}sheetData>{sheet_data}</{prefix}sheetData></{prefix}worksheet>"
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN_NS}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", worksheet)
    return buffer.getvalue()


def schedule_xlsx(extra_rows_xml: str = "", *, dimension: str | None = "A1:E4") -> bytes:
    """The small schedule, plus whatever ``extra_rows_xml`` adds after its last row."""
    return xlsx_from_sheet_data(grid_rows_xml(SCHEDULE_ROWS) + extra_rows_xml, dimension=dimension)


def far_cell_xlsx(reference: str, *, dimension: str | None = "A1:E4") -> bytes:
    """The schedule and one more cell far away (``XFD1048576``): a 5 KB file whose grid, as
    a reader that allocates from the farthest cell builds it, is the whole sheet."""
    row = re.fullmatch(r"[A-Z]+(\d+)", reference)
    assert row, reference
    return schedule_xlsx(
        f'<row r="{row.group(1)}">{cell_xml(reference, "x")}</row>', dimension=dimension
    )


def damaged_deflate_xlsx() -> bytes:
    """A large schedule whose worksheet part has 40 bytes of its deflate stream overwritten:
    the zip directory reads, the part does not inflate."""
    data = bytearray(xlsx_from_sheet_data(grid_rows_xml(SCHEDULE_ROWS * 3000)))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length + info.compress_size // 2
    data[start : start + 40] = b"\xff" * 40
    return bytes(data)


# --- ods --------------------------------------------------------------------------------------

_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods_cell(value: object, *, repeat: int | None = None) -> str:
    """A table cell as LibreOffice writes it (``None`` is an empty cell)."""
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat else ""
    if value is None:
        return f"<table:table-cell{repeated}/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell{repeated} office:value-type="float" office:value="{value}" '
            f'calcext:value-type="float"><text:p>{value}</text:p></table:table-cell>'
        )
    return (
        f'<table:table-cell{repeated} office:value-type="string" calcext:value-type="string">'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )


def ods_row(cells: Iterable[str], *, repeat: int | None = None) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat else ""
    return f'<table:table-row table:style-name="ro1"{repeated}>{"".join(cells)}</table:table-row>'


def ods_from_rows_xml(rows_xml: str, *, sheet: str = "Planning") -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{escape(sheet)}">'
        '<table:table-column table:number-columns-repeated="16384"/>'
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def schedule_ods_rows(width: int = 16384) -> str:
    """The schedule's rows, each ended like LibreOffice by an empty cell repeated to the edge."""
    return "".join(
        ods_row([*(ods_cell(v) for v in row), ods_cell(None, repeat=width - len(row))])
        for row in SCHEDULE_ROWS
    )


def libreoffice_style_ods() -> bytes:
    """The schedule as LibreOffice saves it: every row padded with 16 379 empty cells and the
    sheet closed by ``number-rows-repeated="1048572"`` empty rows. Its data is 4 × 5."""
    filler = ods_row([ods_cell(None, repeat=16384)], repeat=1_048_576 - len(SCHEDULE_ROWS))
    return ods_from_rows_xml(schedule_ods_rows() + filler)


def ods_rows_repeated_million() -> bytes:
    """Under 1 KB: the header, then one task row repeated 1 048 576 times."""
    header = ods_row(ods_cell(v) for v in SCHEDULE_HEADER)
    task = ods_row((ods_cell(v) for v in SCHEDULE_TASKS[0]), repeat=1_048_576)
    return ods_from_rows_xml(header + task)


def ods_columns_repeated() -> bytes:
    """The schedule, and one row whose value cell is repeated across all 16 384 columns."""
    wide = ods_row([ods_cell("T99"), ods_cell(1, repeat=16_383)])
    return ods_from_rows_xml(schedule_ods_rows() + wide)


def ods_empty_rows_then_content() -> bytes:
    """The schedule, a million empty rows (as repeats), then one more task: the empty rows
    are not trailing, so they are part of the sheet."""
    gap = ods_row([ods_cell(None, repeat=5)], repeat=1_000_000)
    last = ods_row(ods_cell(v) for v in ["T04", "Réception", "01/05/2026", "02/05/2026", 0])
    return ods_from_rows_xml(schedule_ods_rows() + gap + last)


# --- OLE compound files and xls (BIFF8) -------------------------------------------------------

_SECTOR = 512
_END_OF_CHAIN, _FAT_SECTOR, _FREE, _NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF


def ole_bytes(streams: dict[str, bytes], storages: Sequence[str] = ()) -> bytes:
    """An OLE compound file (version 3, 512-byte sectors) holding ``streams`` and empty
    ``storages``. Streams shorter than 4 096 bytes are padded with zeros so that none lives
    in the mini stream (readers then follow the FAT only)."""
    sectors: list[bytes] = []
    fat: list[int] = []
    entries = [("Root Entry", 5, _END_OF_CHAIN, 0)]

    def add_chain(content: bytes) -> int:
        start = len(sectors)
        pieces = [content[i : i + _SECTOR] for i in range(0, len(content), _SECTOR)] or [b""]
        for index, piece in enumerate(pieces):
            sectors.append(piece.ljust(_SECTOR, b"\0"))
            fat.append(start + index + 1 if index < len(pieces) - 1 else _END_OF_CHAIN)
        return start

    for name, content in streams.items():
        content = content.ljust(4096, b"\0")
        entries.append((name, 2, add_chain(content), len(content)))
    entries.extend((name, 1, _END_OF_CHAIN, 0) for name in storages)
    directory = b"".join(
        _directory_entry(index, *entry, count=len(entries)) for index, entry in enumerate(entries)
    )
    directory = directory.ljust(math.ceil(len(directory) / _SECTOR) * _SECTOR, b"\0")
    first_directory = add_chain(directory)
    fat_count = 1
    while (len(sectors) + fat_count) > fat_count * (_SECTOR // 4):
        fat_count += 1
    fat_start = len(sectors)
    fat.extend([_FAT_SECTOR] * fat_count)
    fat.extend([_FREE] * (fat_count * (_SECTOR // 4) - len(fat)))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    sectors.extend(fat_bytes[i : i + _SECTOR] for i in range(0, len(fat_bytes), _SECTOR))
    difat = [fat_start + i for i in range(fat_count)] + [_FREE] * (109 - fat_count)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII", 0, fat_count, first_directory, 0, 4096, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0
        )
        + struct.pack("<109I", *difat)
    )
    return header + b"".join(sectors)


def _directory_entry(
    index: int, name: str, kind: int, start: int, size: int, *, count: int
) -> bytes:
    encoded = name.encode("utf-16-le")
    sibling = index + 1 if 1 <= index < count - 1 else _NO_STREAM
    child = 1 if index == 0 and count > 1 else _NO_STREAM
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded) + 2, kind, 1)
        + struct.pack("<III", _NO_STREAM, sibling, child)
        + b"\0" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def _record(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def _bof(substream: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 0x0600))


def _label(row: int, column: int, text: str) -> bytes:
    encoded = text.encode("latin-1")
    return _record(0x0204, struct.pack("<HHHHB", row, column, 0, len(encoded), 0) + encoded)


def _number(row: int, column: int, value: float) -> bytes:
    return _record(0x0203, struct.pack("<HHHd", row, column, 0, value))


def xls_bytes(
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "Planning",
    extra_cells: Sequence[tuple[int, int, object]] = (),
    dimensions: tuple[int, int, int, int] | None = None,
    encrypted: bool = False,
) -> bytes:
    """A BIFF8 workbook (an Excel 97-2003 .xls) with one sheet holding ``rows`` from A1.

    ``extra_cells`` adds (0-based row, column, value) cells; ``dimensions`` overrides the
    DIMENSIONS record (first row, last row + 1, first column, last column + 1);
    ``encrypted`` adds the FILEPASS record Excel writes for a password-protected file."""
    cells = [
        (r, c, value)
        for r, row in enumerate(rows)
        for c, value in enumerate(row)
        if value is not None
    ]
    cells.extend(extra_cells)
    if dimensions is None:
        dimensions = (0, max(r for r, _, _ in cells) + 1, 0, max(c for _, c, _ in cells) + 1)
    body = b"".join(
        _number(r, c, float(v)) if isinstance(v, int | float) else _label(r, c, str(v))
        for r, c, v in cells
    )
    sheet_stream = (
        _bof(0x0010)
        + _record(0x0200, struct.pack("<IIHHH", *dimensions, 0))
        + body
        + _record(0x000A, b"")
    )
    name = sheet.encode("latin-1")
    filepass = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\0" * 48) if encrypted else b""

    def globals_stream(position: int) -> bytes:
        boundsheet = _record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(name), 0) + name)
        return (
            _bof(0x0005)
            + filepass
            + _record(0x0042, struct.pack("<H", 1200))
            + boundsheet
            + _record(0x000A, b"")
        )

    position = len(globals_stream(0))
    return ole_bytes({"Workbook": globals_stream(position) + sheet_stream})


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected xlsx: an OLE file with an EncryptionInfo
    stream and the encrypted zip in an EncryptedPackage stream (random bytes here)."""
    return ole_bytes(
        {
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00",
            "EncryptedPackage": bytes(range(256)) * 20,
        },
        storages=["\x06DataSpaces"],
    )


def project_mpp() -> bytes:
    """The OLE layout of an MS Project 2010+ file: a storage named "   114" and a Props stream."""
    return ole_bytes(
        {"Props14": b"\0" * 64, "\x05SummaryInformation": b"\0" * 64}, storages=["   114"]
    )


def word_doc() -> bytes:
    return ole_bytes({"WordDocument": b"\xec\xa5" + b"\0" * 510, "1Table": b"\0" * 64})


# --- CSV --------------------------------------------------------------------------------------


def csv_lines(rows: Sequence[Sequence[object]], delimiter: str = ";", end: str = "\r\n") -> str:
    return "".join(delimiter.join(str(c) for c in row) + end for row in rows)


def title_lines_semicolon_commas_csv() -> bytes:
    """A French ``;`` file under two title lines, with commas in task names, ``45,5 %`` and
    ``1 200,50 MAD``: commas outnumber semicolons on some lines."""
    text = (
        "Planning des travaux — Situation au 20/11/2026\r\n"
        "Maître d'ouvrage : AREP, Technopark de Khémisset\r\n"
        "\r\n"
        + csv_lines(
            [
                ["N°", "Tâche", "Début prévu", "Fin prévue", "% réalisé", "Montant (DH)"],
                [
                    "T05",
                    "Coulage dalle, niveau 1",
                    "16/03/2026",
                    "20/03/2026",
                    "45,5 %",
                    "1 200,50 MAD",
                ],
                [
                    "T06",
                    "Ferraillage, voiles, poteaux",
                    "17/03/2026",
                    "27/03/2026",
                    "30,0 %",
                    "8 500,75 MAD",
                ],
                ["T07", "Réservations", "18/03/2026", "19/03/2026", "100 %", "950,00 MAD"],
            ]
        )
    )
    return text.encode("utf-8")


def utf8_one_cp1252_byte_csv() -> bytes:
    """A UTF-8 schedule in which one task name was typed in a Windows tool: ``R\\xe9seaux``."""
    text = csv_lines(SCHEDULE_ROWS).encode("utf-8")
    return text.replace(b"Fondations", b"R\xe9seaux enterr\xc3\xa9s")


def unclosed_quote_csv() -> bytes:
    """Row 3 opens a quote that is never closed: the csv module swallows rows 3 to 6."""
    rows = [SCHEDULE_HEADER, SCHEDULE_TASKS[0]]
    broken = ["T02", '"Terrassements généraux', "09/03/2026", "20/03/2026", 60]
    after = [["T03", "Fondations", "23/03/2026", "10/04/2026", 0]] * 3
    return csv_lines([*rows, broken, *after]).encode("utf-8")


def unclosed_quote_long_csv() -> bytes:
    """The same open quote with more than the csv module's 131 072 characters after it."""
    rows = [SCHEDULE_HEADER, SCHEDULE_TASKS[0]]
    broken = ["T02", '"Terrassements généraux', "09/03/2026", "20/03/2026", 60]
    after = [["T03", "Fondations " + "x" * 60, "23/03/2026", "10/04/2026", 0]] * 2500
    return csv_lines([*rows, broken, *after]).encode("utf-8")


def csv_field_over_limit() -> bytes:
    """Row 4 holds a 200 000-character field (no quote at all)."""
    rows = [
        SCHEDULE_HEADER,
        *SCHEDULE_TASKS[:2],
        ["T03", "x" * 200_000, "23/03/2026", "10/04/2026", 0],
    ]
    return csv_lines(rows).encode("utf-8")


def csv_nul_byte() -> bytes:
    """A NUL byte on line 203, past the 4 KB a format sniffer looks at."""
    tasks = [[f"T{i:03d}", f"Tâche {i}", "02/03/2026", "06/03/2026", 0] for i in range(1, 300)]
    lines = csv_lines([SCHEDULE_HEADER, *tasks]).split("\r\n")
    lines[202] = lines[202].replace("Tâche", "T\x00che")
    return "\r\n".join(lines).encode("utf-8")


def cr_only_csv() -> bytes:
    """Old Mac line endings: a lone carriage return ends each line."""
    return csv_lines(SCHEDULE_ROWS, end="\r").encode("utf-8")


def utf16_csv() -> bytes:
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated."""
    return csv_lines(SCHEDULE_ROWS, delimiter="\t").encode("utf-16")


def csv_too_many_rows(rows: int) -> bytes:
    tasks = (f"T{i};Tâche {i};02/03/2026;06/03/2026;0\r\n" for i in range(1, rows + 1))
    return (";".join(SCHEDULE_HEADER) + "\r\n" + "".join(tasks)).encode("utf-8")


def csv_too_many_columns(columns: int) -> bytes:
    wide = ["T99", "Colonnes en trop", "02/03/2026", "06/03/2026", 0, *range(columns - 5)]
    return csv_lines([*SCHEDULE_ROWS, wide]).encode("utf-8")
