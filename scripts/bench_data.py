"""A large programme for the benchmarks (not a test): the sample project repeated.

At scale ``s`` (16 is the size issue 16 names) the schedule has 250·s tasks, the finance
workbook about 19·s budget lines, 125·s contracts and avenants and 6 250·s décomptes, the room
schedule about 312·s spaces. Each table is the sample's (``scripts/make_sample_data.py``, built
at the week's status date) copied as many times as needed, each copy with its own ids
(``B03-T05``, ``ET-01-3``…) and its references kept inside the copies (a task's predecessors
are tasks of its copy; a décompte's contract and budget line exist); amounts are divided by the
number of copies, so the totals stay those of the sample and the ratings stay plausible.

The files are written with xlsxwriter in the sample's layout (title rows with « Situation au »,
French headers on row 5, data from row 6), so they go through the same loaders as a user's
file. ``weekly_files`` gives a year of weekly situations.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xlsxwriter

from scripts import make_sample_data as sample

#: the sample's counts a scale of 1 stands for (4 000 tasks, 100 000 décomptes… at 16)
PER_SCALE = {"tasks": 250, "budget": 19, "contracts": 125, "decomptes": 6_250, "spaces": 312}
#: a fixed document date: identical tables give identical bytes (a duplicate, not stored twice)
_DOCUMENT_DATE = dt.datetime(2026, 1, 1)


def copies_for(frame: pd.DataFrame, wanted: int) -> int:
    return max(1, math.ceil(wanted / max(len(frame), 1)))


def _suffixed(series: pd.Series, copy: int) -> pd.Series:
    return series.where(series.isna(), series.astype("str") + f"-{copy}")


def grown_budget(budget: pd.DataFrame, copies: int) -> pd.DataFrame:
    parts = []
    for copy in range(copies):
        parts.append(
            budget.assign(
                line_id=_suffixed(budget["line_id"], copy), amount=budget["amount"] / copies
            )
        )
    return pd.concat(parts, ignore_index=True)


def grown_contracts(contracts: pd.DataFrame, copies: int, lines: int) -> pd.DataFrame:
    parts = []
    for copy in range(copies):
        parts.append(
            contracts.assign(
                contract_id=_suffixed(contracts["contract_id"], copy),
                parent_id=_suffixed(contracts["parent_id"], copy),
                budget_line=_suffixed(contracts["budget_line"], copy % lines),
                amount=contracts["amount"] / copies,
            )
        )
    return pd.concat(parts, ignore_index=True)


def grown_decomptes(
    decomptes: pd.DataFrame, wanted: int, contract_copies: int, lines: int
) -> pd.DataFrame:
    copies = copies_for(decomptes, wanted)
    per_contract = max(1, math.ceil(copies / contract_copies))
    parts = []
    for copy in range(copies):
        contract = copy % contract_copies
        parts.append(
            decomptes.assign(
                reference=_suffixed(decomptes["reference"], copy),
                contract_id=_suffixed(decomptes["contract_id"], contract),
                budget_line=_suffixed(decomptes["budget_line"], contract % lines),
                amount=decomptes["amount"] / contract_copies / per_contract,
                retention=decomptes["retention"] / contract_copies / per_contract,
            )
        )
    return pd.concat(parts, ignore_index=True).head(wanted)


def grown_schedule(schedule: pd.DataFrame, wanted: int, lines: int) -> pd.DataFrame:
    copies = copies_for(schedule, wanted)
    parts = []
    for copy in range(copies):
        prefix = f"B{copy:02d}-"

        def renamed(text, prefix=prefix):
            if not isinstance(text, str):
                return text
            return ";".join(prefix + item.strip() for item in text.split(";") if item.strip())

        parts.append(
            schedule.assign(
                task_id=prefix + schedule["task_id"].astype("str"),
                name=schedule["name"].astype("str") + f" (bâtiment {copy + 1})",
                predecessors=schedule["predecessors"].map(renamed),
                budget_line=_suffixed(schedule["budget_line"], copy % lines),
            )
        )
    return pd.concat(parts, ignore_index=True).head(wanted)


def grown_floor_areas(floor: pd.DataFrame, wanted: int) -> pd.DataFrame:
    copies = copies_for(floor, wanted)
    parts = [floor.assign(space_id=_suffixed(floor["space_id"], copy)) for copy in range(copies)]
    return pd.concat(parts, ignore_index=True).head(wanted)


@dataclass(frozen=True)
class Programme:
    schedule: pd.DataFrame
    budget: pd.DataFrame
    contracts: pd.DataFrame
    decomptes: pd.DataFrame
    floor_areas: pd.DataFrame


def programme_at(status: dt.date, scale: float) -> Programme:
    """The sample at ``status`` grown to ``scale``."""
    budget = sample.build_budget_lines()
    contracts = sample.build_contracts(status)
    lines = copies_for(budget, round(PER_SCALE["budget"] * scale))
    contract_copies = copies_for(contracts, round(PER_SCALE["contracts"] * scale))
    return Programme(
        schedule=grown_schedule(
            sample.build_schedule(status), round(PER_SCALE["tasks"] * scale), lines
        ),
        budget=grown_budget(budget, lines),
        contracts=grown_contracts(contracts, contract_copies, lines),
        decomptes=grown_decomptes(
            sample.build_decomptes(status),
            round(PER_SCALE["decomptes"] * scale),
            contract_copies,
            lines,
        ),
        floor_areas=grown_floor_areas(
            sample.build_floor_areas(), round(PER_SCALE["spaces"] * scale)
        ),
    )


def _cell(value, kind: str):
    """The sample's cell value (``make_sample_data._cell_value``), a date as a datetime for
    xlsxwriter."""
    value = sample._cell_value(value, kind)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def _write_sheet(book, name: str, title: str, status: dt.date, columns, frame: pd.DataFrame):
    sheet = book.add_worksheet(name)
    formats = {
        "date": book.add_format({"num_format": sample.FMT_DATE}),
        "money": book.add_format({"num_format": sample.FMT_MONEY}),
        "percent": book.add_format({"num_format": sample.FMT_PERCENT}),
        "area": book.add_format({"num_format": sample.FMT_AREA}),
        "int": book.add_format({"num_format": sample.FMT_INT}),
    }
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, f"{sample.load_settings().name} — {title}", bold)
    sheet.write_string(1, 0, f"Maître d'ouvrage délégué : {sample.load_settings().owner}")
    sheet.write_string(2, 0, f"Situation au {status:%d/%m/%Y}", bold)
    header = sample.HEADER_ROW - 1
    for j, col in enumerate(columns):
        sheet.write_string(header, j, col.header, bold)
        sheet.set_column(j, j, col.width)
    values = [[_cell(v, col.kind) for v in frame[col.key].tolist()] for col in columns]
    for i, row in enumerate(zip(*values, strict=True), start=header + 1):
        for j, (value, col) in enumerate(zip(row, columns, strict=True)):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(i, j, value)
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(i, j, value, formats["date"])
            else:
                sheet.write_number(i, j, value, formats.get(col.kind))


def _workbook(sheets) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    book.set_properties({"created": _DOCUMENT_DATE})
    for arguments in sheets:
        _write_sheet(book, *arguments)
    book.close()
    return buffer.getvalue()


def schedule_file(programme: Programme, status: dt.date) -> bytes:
    return _workbook(
        [("Planning", "Planning des travaux", status, sample.SCHEDULE_COLUMNS, programme.schedule)]
    )


def finance_file(programme: Programme, status: dt.date) -> bytes:
    return _workbook(
        [
            ("Budget", "Budget de l'opération", status, sample.BUDGET_COLUMNS, programme.budget),
            ("Marchés", "Marchés et engagements", status, sample.CONTRACT_COLUMNS, programme.contracts),
            ("Décomptes", "Décomptes et paiements", status, sample.DECOMPTE_COLUMNS, programme.decomptes),
        ]
    )  # fmt: skip


def floor_file(programme: Programme, status: dt.date) -> bytes:
    return _workbook(
        [("Surfaces", "Programme des surfaces", status, sample.FLOOR_AREA_COLUMNS, programme.floor_areas)]
    )  # fmt: skip


def weekly_dates(last: dt.date, weeks: int) -> list[dt.date]:
    return [last - dt.timedelta(weeks=weeks - 1 - n) for n in range(weeks)]


def write_programme(folder: Path, status: dt.date, scale: float) -> dict[str, Path]:
    """The three files of the programme at ``status`` into ``folder`` (for a look by hand)."""
    programme = programme_at(status, scale)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "schedule": (sample.SCHEDULE_FILE, schedule_file(programme, status)),
        "finance": (sample.SPENDING_FILE, finance_file(programme, status)),
        "floor-areas": ("programme_surfaces.xlsx", floor_file(programme, status)),
    }
    for name, data in files.values():
        (folder / name).write_bytes(data)
    return {kind: folder / name for kind, (name, _data) in files.items()}
