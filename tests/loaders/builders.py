"""Fixtures built in code: small workbooks and CSV files, each holding one defect."""

from __future__ import annotations

import io
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
