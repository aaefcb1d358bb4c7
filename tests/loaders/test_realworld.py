"""Real files from public repositories (``../shared/realworld``, see its SOURCES.md).

Each one either loads with the values it really holds, read here independently with openpyxl
or the csv module, or is rejected with a precise problem (code, sheet, row, column). Files that
are not spreadsheets at all (Primavera XER, MS Project XML, MPX, GanttProject) must be refused
cleanly: a ``LoadError`` with a ``not_a_spreadsheet`` or ``no_header`` problem, never another
exception and never a flood of row-level errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import warnings
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from i18n import translate
from loaders import LoadError, load_schedule, load_spending

pytestmark = pytest.mark.realworld


def sheet_values(path: Path, sheet: str) -> list[tuple]:
    """Every row of ``sheet`` as openpyxl reads it (cached values, not formulas)."""
    with warnings.catch_warnings():
        # "Conditional Formatting extension is not supported": formats only, values unaffected
        warnings.simplefilter("ignore", UserWarning)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return list(workbook[sheet].iter_rows(values_only=True))
        finally:
            workbook.close()


def csv_records(path: Path, delimiter: str) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def comma_decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def errors_of(error: LoadError) -> list:
    return [p for p in error.problems if p.is_error]


def label(name: str) -> str:
    return translate(f"column.{name}", "en")


# --- files that load ------------------------------------------------------------------------


def test_pmo_planning_loads_as_a_schedule_with_iso_text_dates(realworld):
    path = realworld("pmo_planning.xlsx")
    header, *rows = sheet_values(path, "Sheet")
    assert header[:3] == ("Task Name", "Start Date", "End Date")
    assert all(isinstance(r[1], str) for r in rows)  # the trap: dates stored as ISO text

    result = load_schedule(path, lang="en")

    assert (result.kind, result.sheet, result.header_row) == ("schedule", "Sheet", 1)
    frame = result.frame
    assert len(frame) == 5
    assert frame.loc[0, "name"] == "Project Kickoff"
    assert frame.loc[0, "start"] == pd.Timestamp(2025, 5, 1)
    assert frame.loc[0, "finish"] == pd.Timestamp(2025, 5, 2)
    assert frame["name"].tolist() == [r[0] for r in rows]
    assert frame["start"].tolist() == [pd.Timestamp(dt.date.fromisoformat(r[1])) for r in rows]
    assert frame["finish"].tolist() == [pd.Timestamp(dt.date.fromisoformat(r[2])) for r in rows]
    assert frame["source_row"].tolist() == [2, 3, 4, 5, 6]
    assert (frame["percent_complete"] == 0).all()
    assert "no_progress_column" in {w.code for w in result.warnings}
    assert not [w for w in result.warnings if w.is_error]


def test_upradata_semicolon_csv_with_comma_decimals_and_yyyymmdd_dates(realworld):
    path = realworld("upradata_depenses.csv")
    records = csv_records(path, ";")
    assert len(records) == 49

    result = load_spending(path, lang="en")

    frame = result.frame
    assert result.kind == "spending"
    assert result.columns_found["amount"] == "Montant TTC"
    assert result.columns_found["date"] == "Date"
    assert len(frame) == 49
    # every row, against the csv module's reading
    expected_dates = [pd.Timestamp(dt.datetime.strptime(r["Date"], "%Y%m%d")) for r in records]
    assert frame["date"].tolist() == expected_dates
    expected_amounts = [float(comma_decimal(r["Montant TTC"])) for r in records]
    assert frame["amount"].tolist() == pytest.approx(expected_amounts, abs=1e-9)
    # the total of Montant TTC, computed exactly
    total = sum(comma_decimal(r["Montant TTC"]) for r in records)
    assert total == Decimal("6022.24")
    assert round(frame["amount"].sum(), 2) == pytest.approx(float(total), abs=1e-9)
    # specific rows, by their line number in the file (Id 38 is missing, so Id 39 is on line 39)
    by_row = frame.set_index("source_row")
    assert by_row.loc[2, "amount"] == pytest.approx(1.2)  # written "1,2"
    assert by_row.loc[2, "date"] == pd.Timestamp(2018, 2, 6)  # written 20180206
    assert by_row.loc[27, "amount"] == pytest.approx(33.34)  # AGIOS 2eme
    assert by_row.loc[27, "date"] == pd.Timestamp(2018, 12, 31)
    assert by_row.loc[37, "amount"] == pytest.approx(3200.0)  # Reduction de capital
    assert by_row.loc[37, "date"] == pd.Timestamp(2018, 7, 3)
    assert by_row.loc[39, "description"] == "Extrait Kbis"
    assert "\u2013" in by_row.loc[40, "description"]  # en-dash kept
    assert not [w for w in result.warnings if w.is_error]


def test_etalab_comma_decimal_inside_quotes_in_a_comma_delimited_file(realworld):
    path = realworld("etalab_subventions_exemple.csv")
    records = csv_records(path, ",")
    assert [r["montant"] for r in records] == ["22000,80", "5500,20"]

    result = load_spending(path, lang="en")

    frame = result.frame
    assert len(frame) == 2
    assert frame["amount"].tolist() == pytest.approx([22000.80, 5500.20], abs=1e-9)
    assert frame["payee"].tolist() == ["Rodriguez SA", "Bellandier SAS"]
    assert frame["date"].tolist() == [pd.Timestamp(2017, 6, 27)] * 2
    assert frame["description"].tolist() == ["Aide à l'embauche"] * 2
    assert frame["source_row"].tolist() == [2, 3]


@pytest.mark.parametrize("sheet", [None, "Raw_Data"], ids=["sheet-detected", "sheet-given"])
def test_construction_cost_tracker_raw_data_with_month_year_text(realworld, sheet):
    path = realworld("Construction_Cost_Tracker-Solution.xlsx")
    header, *rows = sheet_values(path, "Raw_Data")
    month, actual, status = (header.index(c) for c in ("Month", "Actual_Cost", "Status"))
    assert len(rows) == 686
    assert rows[0][month] == "Jan-24"
    openpyxl_total = sum(Decimal(str(r[actual])) for r in rows)

    result = load_spending(path, sheet, lang="en")

    frame = result.frame
    assert (result.kind, result.sheet, result.header_row) == ("spending", "Raw_Data", 1)
    assert result.columns_found["amount"] == "Actual_Cost"  # not Planned_Cost
    assert result.columns_found["date"] == "Month"
    assert len(frame) == 686
    assert frame["source_row"].tolist() == list(range(2, 688))
    # "Jan-24" is January 2024 (the 1st), not 24 January of this year
    assert frame.loc[0, "date"] == pd.Timestamp(2024, 1, 1)
    expected_dates = [pd.Timestamp(dt.datetime.strptime(r[month], "%b-%y")) for r in rows]
    assert frame["date"].tolist() == expected_dates
    assert frame["amount"].tolist() == pytest.approx([float(r[actual]) for r in rows], abs=1e-9)
    assert round(frame["amount"].sum(), 2) == pytest.approx(float(openpyxl_total), abs=1e-6)
    assert openpyxl_total == Decimal("94971163.71")
    forecast = [i for i, r in enumerate(rows) if r[status] == "Forecast"]
    assert len(forecast) == 243
    assert (frame.loc[forecast, "amount"] == 0).all()
    assert "month_first_dates" not in {w.code for w in result.warnings}


# --- files that are rejected with a precise problem -----------------------------------------


def test_metro_boq_is_not_a_schedule(realworld):
    path = realworld("metro_BOQ.xlsx")
    with pytest.raises(LoadError) as info:
        load_schedule(path, lang="en")
    errors = errors_of(info.value)
    assert errors
    assert {p.code for p in errors} <= {"no_header", "missing_column"}
    assert {p.sheet for p in errors} == {"Sheet1"}
    assert all("Sheet1" in p.message or p.code == "missing_column" for p in errors)


def test_march_dt_mt_is_not_a_spending_ledger(realworld):
    path = realworld("marchDtMt.csv")
    with pytest.raises(LoadError) as info:
        load_spending(path, lang="en")
    errors = errors_of(info.value)
    # its only known header is "Marché": no row looks like a ledger's header row, and the
    # problem names the sheet and the columns a ledger needs
    assert [p.code for p in errors] == ["no_header"]
    assert errors[0].sheet == "marchDtMt"
    assert label("date") in errors[0].message and label("amount") in errors[0].message


def test_dcwater_capital_projects_is_not_a_schedule(realworld):
    path = realworld("dcwater_capital_projects.csv")
    with pytest.raises(LoadError) as info:
        load_schedule(path, lang="en")
    errors = errors_of(info.value)
    assert {p.code for p in errors} == {"missing_column"}
    assert sorted(p.column for p in errors) == sorted([label("start"), label("finish")])
    assert {(p.sheet, p.row) for p in errors} == {("dcwater_capital_projects", 1)}


# --- schedule exchange formats: schedules, read through MPXJ --------------------------------

PROJECT_FILES = [
    "SP10 - COST LOADED.xer.gz",
    "percent-complete-8.4.xer",
    "mpxj_sample1.xml",
    "task-baselines-project2016-mspdi.xml",
    "mspditimephased.xml",
    "sample.de.mpx",
    "HouseBuildingSample.gan",
]


@pytest.mark.parametrize("name", PROJECT_FILES, ids=PROJECT_FILES)
def test_schedule_exchange_files_are_schedules_and_nothing_else(realworld, name):
    """Each planning-software file loads as a schedule (its values are checked in
    tests/loaders/test_project_files.py); the spending loader refuses it naming the tool."""
    path = realworld(name)
    source = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path
    result = load_schedule(source, lang="en")
    assert len(result.frame) > 0 and result.frame["name"].notna().all()
    with pytest.raises(LoadError) as info:
        load_spending(source, lang="en")
    assert [p.code for p in info.value.problems] == ["project_file_is_schedule"]


def test_check_recognises_an_ms_project_xml_as_a_schedule_and_counts_its_tasks(realworld):
    """``python -m loaders check FILE --json`` without ``--kind``: the MSPDI file is a schedule,
    ``rows`` counts its tasks and ``summary_rows`` its summaries, both counted here from the XML
    (the project's own summary task, outline level 0, is no row)."""
    import json
    import xml.etree.ElementTree as ET

    from loaders.detect import detect_kind
    from tests.loaders.test_cli import run_check

    path = realworld("mpxj_sample1.xml")
    ns = {"p": "http://schemas.microsoft.com/project"}
    tasks = [
        task
        for task in ET.parse(path).getroot().findall("p:Tasks/p:Task", ns)
        if task.findtext("p:OutlineLevel", namespaces=ns) != "0"
    ]
    summaries = sum(task.findtext("p:Summary", namespaces=ns) == "1" for task in tasks)
    assert detect_kind(path, lang="en") == "schedule"
    done = run_check(path, "--json", "--lang", "en")
    report = json.loads(done.stdout)
    assert (report["kind"], report["ok"]) == ("schedule", True)
    assert (report["rows"], report["summary_rows"]) == (len(tasks) - summaries, summaries)
