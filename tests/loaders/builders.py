"""Fixtures built in code: small workbooks and CSV files, each holding one defect."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl


def xlsx_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    sheet: str = "Feuil1",
    formats: dict[str, str] | None = None,
    merges: Sequence[str] = (),
    extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> bytes:
    """An xlsx whose first sheet holds ``rows`` from A1; ``formats`` maps a cell or column
    letter (``"F"``) to a number format applied to every cell of that column."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    for target, number_format in (formats or {}).items():
        if target.isalpha():
            for cell in worksheet[target]:
                cell.number_format = number_format
        else:
            worksheet[target].number_format = number_format
    for cell_range in merges:
        worksheet.merge_cells(cell_range)
    for name, other_rows in (extra_sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def csv_text(rows: Sequence[Sequence[Any]], delimiter: str = ";") -> str:
    return "\r\n".join(delimiter.join(str(c) for c in row) for row in rows) + "\r\n"


def with_raw_cells(data: bytes, cells: dict[str, str], sheet_part: str = "sheet1") -> bytes:
    """An xlsx with some cells' XML replaced as written: a value no library would write
    (``<v>1e309</v>``, 400 digits) or a formula with its cached error
    (``<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>``, as Excel and LibreOffice save it).
    Each ``cells`` key (``"C2"``) must be a cell the workbook already holds."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == f"xl/worksheets/{sheet_part}.xml":
                text = content.decode("utf-8")
                for reference, xml in cells.items():
                    pattern = rf'<c r="{reference}"[^>]*?(?:/>|>.*?</c>)'
                    text, count = re.subn(pattern, lambda _match, xml=xml: xml, text, count=1)
                    assert count == 1, f"no cell {reference} in {info.filename}"
                content = text.encode("utf-8")
            target.writestr(info, content)
    return buffer.getvalue()
