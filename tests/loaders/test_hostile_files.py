"""Hostile and odd files through the public loaders, each in a child process under a memory
limit and a timeout: the child must exit normally and report a ``LoadError`` naming what is
wrong and where (sheet, row, farthest cell, limit), in French and in English.

Without the reading layer's checks, ``far-cell-XFD1048576.xlsx`` (5 KB) makes calamine
allocate 512 GiB and abort the process, ``ods-rows-repeated-million.ods`` (1 KB) becomes a
million tasks, a FIFO blocks the reader for ever: a timeout or a killed child fails the test.
Fixtures are built in code (``tests/loaders/hostile.py``), named after the defect they hold.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import LoadError, load_schedule, load_spending
from loaders.limits import ReadLimits
from loaders.reading import open_raw, read_csv_sheet, read_sheet, sheet_extents
from tests.conftest import realworld_path
from tests.loaders import hostile
from tests.loaders.builders import xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
#: address space allowed to a child: the interpreter with pandas takes ~400 MB; the hostile
#: files would take from 1.2 GB (a million ods rows) to 512 GiB (a cell at XFD1048576)
MEMORY_LIMIT = 2_500 * 1024 * 1024
TIMEOUT_SECONDS = 60

#: run in the child: load the file with each language and print what a user would see
CHILD = r"""
import json, os, sys
mode, path, unprivileged = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
import loaders, store
from i18n import catalogue
for lang in ("fr", "en"):
    catalogue(lang)
if unprivileged and os.getuid() == 0:  # root reads every file: become nobody to be refused
    os.setgid(65534)
    os.setuid(65534)

def shown(problems):
    return [
        {"code": p.code, "sheet": p.sheet, "row": p.row, "message": p.message}
        for p in problems
    ]

report = {}
for lang in ("fr", "en"):
    if mode == "check_bytes":
        with open(path, "rb") as handle:
            data = handle.read()
        checked = store.check_bytes(None, os.path.basename(path), data, lang=lang)
        report[lang] = {"accepted": checked.accepted, "problems": shown(checked.problems)}
        continue
    try:
        result = getattr(loaders, mode)(path, lang=lang)
    except loaders.LoadError as error:
        report[lang] = {"accepted": False, "problems": shown(error.problems)}
    else:
        names = [str(v) for v in result.frame["name"]] if "name" in result.frame else []
        report[lang] = {"accepted": True, "rows": len(result.frame), "names": names}
print(json.dumps(report))
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_child(mode: str, path: Path, *, unprivileged: bool = False) -> dict:
    """The child's report; a crash (abort, MemoryError traceback) or a timeout fails here."""
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), "1" if unprivileged else "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limit_memory,
    )
    assert completed.returncode == 0, (
        f"child exited with {completed.returncode}: {completed.stderr[-3000:]}"
    )
    assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def plain(text: str) -> str:
    """Messages use narrow no-break spaces in French numbers (200 000): compare plainly."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@dataclass(frozen=True)
class Refusal:
    """A file that must be refused: its fixture, the problem and what the message names."""

    name: str
    build: Callable[[], bytes]
    code: str
    sheet: str | None = "Planning"
    row: int | None = None
    french: tuple[str, ...] = ()
    english: tuple[str, ...] = ()
    loader: str = "load_schedule"
    other_codes: frozenset[str] = field(default_factory=frozenset)


def _xlsx(rows_xml: str, dimension: str | None = "A1:E4", prefix: str = "") -> Callable[[], bytes]:
    def build() -> bytes:
        data = hostile.grid_rows_xml(hostile.SCHEDULE_ROWS) + rows_xml
        if prefix:
            data = re.sub(r"<(/?)(row|c|v|is|t)\b", rf"<\1{prefix}\2", data)
        return hostile.xlsx_from_sheet_data(data, dimension=dimension, prefix=prefix)

    return build


FAR = '<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'
REFUSALS = [
    # xlsx: a far cell is a grid from A1 to it
    Refusal(
        "far-cell-XFD1048576.xlsx",
        lambda: hostile.far_cell_xlsx("XFD1048576", dimension="A1:XFD1048576"),
        "too_many_rows",
        row=1_048_576,
        french=("XFD1048576", "ligne 1 048 576", "200 000 lignes", "limits.max_rows"),
        english=("XFD1048576", "row 1,048,576", "200,000 rows", "limits.max_rows"),
    ),
    Refusal(
        "far-cell-CV1048576.xlsx",
        lambda: hostile.far_cell_xlsx("CV1048576", dimension="A1:CV1048576"),
        "too_many_rows",
        row=1_048_576,
        french=("CV1048576", "200 000 lignes"),
        english=("CV1048576", "200,000 rows"),
    ),
    Refusal(
        "dimension-lies-small-far-cell.xlsx",
        lambda: hostile.far_cell_xlsx("CV1048576", dimension="A1:E4"),
        "too_many_rows",
        row=1_048_576,
        french=("CV1048576",),
        english=("CV1048576",),
    ),
    Refusal(
        "far-cell-XFD5.xlsx",
        _xlsx('<row r="5">' + FAR.format(ref="XFD5") + "</row>"),
        "too_many_columns",
        row=5,
        french=("XFD5", "colonne XFD", "16 384 colonnes", "200 colonnes", "limits.max_columns"),
        english=("XFD5", "column XFD", "16,384 columns", "200 columns", "limits.max_columns"),
    ),
    Refusal(
        "used-range-GR30000.xlsx",
        _xlsx('<row r="30000">' + FAR.format(ref="GR30000") + "</row>", dimension=None),
        "too_many_cells",
        row=30_000,
        french=("A1 à GR30000", "6 000 000 cellules", "5 000 000 cellules", "limits.max_cells"),
        english=("A1 to GR30000", "6,000,000 cells", "5,000,000 cells", "limits.max_cells"),
    ),
    # xlsx: what calamine reads that a plain pattern would not
    Refusal(
        "cell-reference-lowercase.xlsx",
        _xlsx('<row r="5"><c r="xfd1048576" t="inlineStr"><is><t>x</t></is></c></row>'),
        "too_many_rows",
        row=1_048_576,
        french=("XFD1048576",),
        english=("XFD1048576",),
    ),
    Refusal(
        "cell-attributes-single-quoted.xlsx",
        _xlsx("<row r='5'><c t='inlineStr' r = 'XFD1048576'><is><t>x</t></is></c></row>"),
        "too_many_rows",
        row=1_048_576,
        french=("XFD1048576",),
        english=("XFD1048576",),
    ),
    Refusal(
        "cells-without-reference-20001-wide.xlsx",
        _xlsx('<row r="5">' + "<c/>" * 20_000 + '<c t="inlineStr"><is><t>x</t></is></c></row>'),
        "too_many_columns",
        row=5,
        french=("ACOG5", "20 001 colonnes"),
        english=("ACOG5", "20,001 columns"),
    ),
    Refusal(
        "prefixed-elements-far-cell.xlsx",
        _xlsx('<row r="5">' + FAR.format(ref="XFD1048576") + "</row>", prefix="x:"),
        "too_many_rows",
        row=1_048_576,
        french=("XFD1048576",),
        english=("XFD1048576",),
    ),
    Refusal(
        "cell-reference-twice.xlsx",  # calamine keeps the last r: XFD1048576
        _xlsx('<row r="5"><c r="A5" r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'),
        "sheet_xml_malformed",
        sheet=None,
        french=("xl/worksheets/sheet1.xml", "endommagé"),
        english=("xl/worksheets/sheet1.xml", "damaged"),
    ),
    Refusal(
        "damaged-deflate-stream.xlsx",
        hostile.damaged_deflate_xlsx,
        "sheet_xml_malformed",
        sheet=None,
        french=("xl/worksheets/sheet1.xml", "endommagé"),
        english=("xl/worksheets/sheet1.xml", "damaged"),
    ),
    # ods: repeat counts are multiplied, never expanded
    Refusal(
        "ods-rows-repeated-million.ods",
        hostile.ods_rows_repeated_million,
        "too_many_rows",
        row=1_048_577,
        french=("E1048577", "200 000 lignes"),
        english=("E1048577", "200,000 rows"),
    ),
    Refusal(
        "ods-columns-repeated-16384.ods",
        hostile.ods_columns_repeated,
        "too_many_columns",
        row=5,
        french=("XFD5", "16 384 colonnes"),
        english=("XFD5", "16,384 columns"),
    ),
    Refusal(
        "ods-empty-rows-then-content.ods",
        hostile.ods_empty_rows_then_content,
        "too_many_rows",
        row=1_000_005,
        french=("E1000005",),
        english=("E1000005",),
    ),
    # xls: cell records and the DIMENSIONS record calamine reserves from
    Refusal(
        "xls-far-cell-IV65536.xls",
        lambda: hostile.xls_bytes(hostile.SCHEDULE_ROWS, extra_cells=[(65_535, 255, "x")]),
        "too_many_columns",
        row=65_536,
        french=("IV65536", "256 colonnes"),
        english=("IV65536", "256 columns"),
    ),
    Refusal(
        "xls-column-beyond-biff8-XFD4.xls",
        lambda: hostile.xls_bytes(hostile.SCHEDULE_ROWS, extra_cells=[(3, 16_383, "x")]),
        "too_many_columns",
        row=4,
        french=("XFD4",),
        english=("XFD4",),
    ),
    Refusal(
        "xls-dimensions-record-lies.xls",
        lambda: hostile.xls_bytes(hostile.SCHEDULE_ROWS, dimensions=(0, 0xFFFF_FFF0, 0, 5)),
        "too_many_rows",
        row=0xFFFF_FFF0,
        french=("200 000 lignes",),
        english=("200,000 rows",),
    ),
    Refusal(
        "xls-dimensions-record-wraps.xls",
        lambda: hostile.xls_bytes(hostile.SCHEDULE_ROWS, dimensions=(100, 50, 0, 5)),
        "too_many_rows",
        french=("limits.max_rows",),
        english=("limits.max_rows",),
    ),
    # protected and other OLE files
    Refusal(
        "encrypted.xlsx",
        hostile.encrypted_xlsx,
        "password_protected",
        sheet=None,
        french=("mot de passe", "retirez le mot de passe"),
        english=("password", "remove the password"),
    ),
    Refusal(
        "xls-filepass-encrypted.xls",
        lambda: hostile.xls_bytes(hostile.SCHEDULE_ROWS, encrypted=True),
        "password_protected",
        sheet=None,
        french=("mot de passe",),
        english=("password",),
    ),
    Refusal(  # the OLE layout of an MS Project file with no project inside: read by MPXJ
        "project-2010.mpp",
        hostile.project_mpp,
        "project_file_unsupported",
        sheet=None,
        french=("MS Project", "variante"),
        english=("MS Project", "variant"),
    ),
    Refusal(  # a project file is a schedule: the other kinds say so
        "project-2010-as-spending.mpp",
        hostile.project_mpp,
        "project_file_is_schedule",
        sheet=None,
        french=("MS Project", "importez-le comme planning"),
        english=("schedule from MS Project", "import it as the works schedule"),
        loader="load_spending",
    ),
    Refusal(
        "word-document.doc",
        hostile.word_doc,
        "not_a_spreadsheet",
        sheet=None,
        french=("Word",),
        english=("Word",),
    ),
    # CSV
    Refusal(
        "unclosed-quote.csv",
        hostile.unclosed_quote_csv,
        "csv_unclosed_quote",
        sheet="unclosed-quote",
        row=3,
        french=("Ligne 3", "guillemet", "jamais refermé"),
        english=("Line 3", "quote", "never closed"),
    ),
    Refusal(
        "unclosed-quote-over-field-limit.csv",
        hostile.unclosed_quote_long_csv,
        "csv_unclosed_quote",
        sheet="unclosed-quote-over-field-limit",
        row=3,
        french=("Ligne 3",),
        english=("Line 3",),
    ),
    Refusal(
        "csv-field-over-limit.csv",
        hostile.csv_field_over_limit,
        "csv_field_too_large",
        sheet="csv-field-over-limit",
        row=4,
        french=("Ligne 4", "131 072 caractères"),
        english=("Line 4", "131,072 characters"),
    ),
    Refusal(
        "csv-nul-byte.csv",
        hostile.csv_nul_byte,
        "csv_nul_byte",
        sheet="csv-nul-byte",
        row=203,
        french=("Ligne 203", "caractère nul"),
        english=("Line 203", "NUL character"),
    ),
    Refusal(
        "csv-200001-rows.csv",
        lambda: hostile.csv_too_many_rows(200_001),
        "csv_too_many_rows",
        sheet="csv-200001-rows",
        row=200_001,
        french=("plus de 200 000 lignes", "limits.max_rows"),
        english=("more than 200,000 lines", "limits.max_rows"),
    ),
    Refusal(
        "csv-300-columns.csv",
        lambda: hostile.csv_too_many_columns(300),
        "csv_too_many_columns",
        sheet="csv-300-columns",
        row=5,
        french=("Ligne 5", "300 champs", "200 colonnes"),
        english=("Line 5", "300 fields", "200 columns"),
    ),
]


def _assert_refused(report: dict, case: Refusal) -> None:
    for lang, fragments in (("fr", case.french), ("en", case.english)):
        seen = report[lang]
        assert not seen["accepted"], (lang, seen)
        errors = [p for p in seen["problems"] if p["code"] == case.code]
        assert errors, (lang, [p["code"] for p in seen["problems"]])
        problem = errors[0]
        assert problem["sheet"] == case.sheet, (lang, problem)
        if case.row is not None:
            assert problem["row"] == case.row, (lang, problem)
        message = plain(problem["message"])
        for fragment in fragments:
            assert fragment in message, (lang, fragment, message)


@pytest.mark.parametrize("case", REFUSALS, ids=[case.name for case in REFUSALS])
def test_hostile_file_is_refused_with_its_problem(tmp_path, case):
    path = tmp_path / case.name
    path.write_bytes(case.build())
    _assert_refused(run_child(case.loader, path), case)


CHECKED = ["far-cell-XFD1048576.xlsx", "ods-rows-repeated-million.ods",
           "xls-dimensions-record-lies.xls", "encrypted.xlsx", "unclosed-quote.csv"]  # fmt: skip


@pytest.mark.parametrize("name", CHECKED)
def test_upload_check_refuses_the_hostile_file(tmp_path, name):
    """``store.check_bytes`` (the upload page's check, kind detected from the headers)."""
    case = next(case for case in REFUSALS if case.name == name)
    path = tmp_path / case.name
    path.write_bytes(case.build())
    _assert_refused(run_child("check_bytes", path), case)


# --- paths that are not regular files ------------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


def _symlink_dev_zero(tmp_path: Path) -> Path:
    path = tmp_path / "symlink-dev-zero.xlsx"
    path.symlink_to("/dev/zero")
    return path


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "directory.xlsx"
    path.mkdir()
    return path


PATHS = [
    ("fifo", _fifo, "not_a_regular_file", ("tube nommé",), ("named pipe",)),
    ("symlink-dev-zero", _symlink_dev_zero, "not_a_regular_file", ("périphérique",), ("device",)),
    ("directory", _directory, "not_a_regular_file", ("dossier",), ("folder",)),
    (
        "missing",
        lambda tmp: tmp / "missing.xlsx",
        "file_not_found",
        ("introuvable",),
        ("not found",),
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "code", "french", "english"), PATHS, ids=[p[0] for p in PATHS]
)
def test_path_that_is_not_a_regular_file_is_refused_at_once(
    tmp_path, name, make, code, french, english
):
    path = make(tmp_path)
    report = run_child("load_schedule", path)
    for lang, fragments in (("fr", french), ("en", english)):
        problems = report[lang]["problems"]
        assert [p["code"] for p in problems] == [code], (lang, problems)
        message = problems[0]["message"]
        assert all(fragment in message for fragment in fragments), (lang, message)


def test_unreadable_file_is_refused_as_permission_denied(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    tmp_path.chmod(0o755)
    path = folder / "planning.xlsx"
    path.write_bytes(hostile.schedule_xlsx())
    path.chmod(0o000)
    report = run_child("load_schedule", path, unprivileged=True)
    for lang, fragment in (("fr", "accès refusé"), ("en", "permission denied")):
        problems = report[lang]["problems"]
        assert [p["code"] for p in problems] == ["file_permission_denied"], (lang, problems)
        assert "planning.xlsx" in problems[0]["message"] and fragment in problems[0]["message"]


class EndlessUpload(io.RawIOBase):
    """A file-like that never ends (an upload stream fed from ``/dev/zero``)."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"\0" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def test_file_like_is_read_at_most_one_byte_past_the_limit():
    endless = EndlessUpload()
    with pytest.raises(LoadError) as caught:
        load_schedule(endless, limits=ReadLimits(max_bytes=1_000_000))
    assert [p.code for p in caught.value.problems] == ["file_too_large"]
    assert endless.given == 1_000_001


# --- odd files that must load as they are --------------------------------------------------


def _load_bytes(data: bytes, name: str, **kwargs):
    source = io.BytesIO(data)
    source.name = name
    return load_schedule(source, **kwargs)


EXPECTED_NAMES = [task[1] for task in hostile.SCHEDULE_TASKS]


def test_libreoffice_trailing_repeated_empty_rows_and_columns_load(tmp_path):
    """LibreOffice pads each row with 16 379 empty cells and ends the sheet with 1 048 572
    empty rows, all as repeat counts: the sheet is its 4 × 5 cells, and calamine's grid too."""
    data = hostile.libreoffice_style_ods()
    path = tmp_path / "ods-libreoffice-trailing-empty.ods"
    path.write_bytes(data)
    report = run_child("load_schedule", path)
    assert report["fr"]["accepted"] and report["fr"]["names"] == EXPECTED_NAMES
    raw = open_raw(data)
    grid = read_sheet(raw, "Planning").rows
    assert (len(grid), max(len(row) for row in grid)) == (4, 5)
    assert sheet_extents(raw)["Planning"].cells == 20


def test_dimension_that_lies_huge_with_few_cells_loads(tmp_path):
    """calamine ignores ``<dimension ref="A1:XFD1048576"/>`` and builds the grid from the
    cells: so must the check, or an honest file with a stale dimension would be refused."""
    data = hostile.schedule_xlsx(dimension="A1:XFD1048576")
    path = tmp_path / "dimension-lies-huge-few-cells.xlsx"
    path.write_bytes(data)
    report = run_child("load_schedule", path)
    assert report["en"]["accepted"] and report["en"]["names"] == EXPECTED_NAMES
    assert len(read_sheet(open_raw(data), "Planning").rows) == 4


def test_prefixed_workbook_without_far_cell_loads():
    """The OpenXML SDK writes ``<x:row>``, ``<x:c>``: read exactly, loaded as any other."""
    result = _load_bytes(_xlsx("", prefix="x:")(), "prefixed-elements.xlsx")
    assert list(result.frame["name"]) == EXPECTED_NAMES


def test_xls_built_by_hand_loads():
    """The BIFF8 writer of the hostile fixtures makes a workbook calamine reads: the refusals
    of its variants are the checks', not a broken fixture."""
    result = _load_bytes(hostile.xls_bytes(hostile.SCHEDULE_ROWS), "planning.xls")
    assert list(result.frame["name"]) == EXPECTED_NAMES
    assert list(result.frame["source_row"]) == [2, 3, 4]


def test_semicolon_file_with_title_lines_and_commas_in_values():
    """Two title lines, then ``T05;Coulage dalle, niveau 1;…;45,5 %;1 200,50 MAD``: more
    commas than semicolons on some lines, yet ``;`` is the delimiter of every row."""
    result = _load_bytes(
        hostile.title_lines_semicolon_commas_csv(), "title-lines-semicolon-commas.csv"
    )
    assert list(result.frame["name"]) == [
        "Coulage dalle, niveau 1",
        "Ferraillage, voiles, poteaux",
        "Réservations",
    ]
    # 45,5 % and 30,0 % as written; the header is on line 4, so tasks are rows 5 to 7
    assert list(result.frame["percent_complete"]) == pytest.approx([45.5, 30.0, 100.0])
    assert list(result.frame["source_row"]) == [5, 6, 7]


def test_one_cp1252_byte_in_utf8_file_keeps_the_utf8_headers():
    """``R\\xe9seaux`` typed in a Windows tool, in a file whose headers ``Tâche``, ``Début
    prévu``… are UTF-8: the headers are found, both spellings of é read right, one warning."""
    data = hostile.utf8_one_cp1252_byte_csv()
    result = _load_bytes(data, "utf8-one-cp1252-byte.csv")
    assert list(result.frame["name"]) == [*EXPECTED_NAMES[:2], "Réseaux enterrés"]
    sheet = read_csv_sheet(open_raw(data), "en")
    assert [(w.code, w.row, w.value) for w in sheet.warnings] == [("csv_mixed_encoding", 4, "é")]
    assert "Windows-1252" in sheet.warnings[0].message


def test_plain_cp1252_file_reads_without_warning():
    data = hostile.csv_lines(hostile.SCHEDULE_ROWS).encode("cp1252")
    sheet = read_csv_sheet(open_raw(data))
    assert sheet.rows[0][1:3] == ["Tâche", "Début prévu"] and sheet.warnings == []


@pytest.mark.parametrize(
    ("name", "build"),
    [("cr-only-line-endings.csv", hostile.cr_only_csv), ("utf16-bom-tab.csv", hostile.utf16_csv)],
)
def test_old_mac_and_utf16_csv_load(name, build):
    result = _load_bytes(build(), name)
    assert list(result.frame["name"]) == EXPECTED_NAMES
    assert list(result.frame["source_row"]) == [2, 3, 4]


@pytest.mark.realworld
@pytest.mark.parametrize("name", ["mpxj_sample.mpp", "task-links-project2016-mpp14.mpp"])
def test_real_ms_project_files_are_named_as_such(name):
    """A real .mpp is a schedule (read by ``loaders.project_files``); a loader of another kind
    refuses it naming MS Project, rather than "not a spreadsheet"."""
    path = realworld_path(name)
    for lang, fragment in (("fr", "MS Project"), ("en", "schedule from MS Project")):
        with pytest.raises(LoadError) as caught:
            load_spending(path, lang=lang)
        assert [p.code for p in caught.value.problems] == ["project_file_is_schedule"]
        assert fragment in caught.value.problems[0].message


def test_libreoffice_converted_ods_keeps_its_trailing_repeats_and_loads(tmp_path):
    """A real LibreOffice conversion of a schedule with one formatted cell further down (J40,
    as when a user formats a column): LibreOffice then pads every row with empty cells and
    ends the sheet with a repeat of about a million empty rows."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: scripts/run_tests.sh installs it"
    source = tmp_path / "planning.xlsx"
    source.write_bytes(xlsx_bytes(hostile.SCHEDULE_ROWS, sheet="Planning", formats={"J40": "0%"}))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "ods", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = tmp_path / "planning.ods"
    with zipfile.ZipFile(converted) as archive:
        content = archive.read("content.xml")
    repeats = [int(n) for n in re.findall(rb'number-rows-repeated="(\d+)"', content)]
    assert max(repeats) > 1_000_000
    assert list(load_schedule(converted).frame["name"]) == EXPECTED_NAMES


# --- the extent found is never smaller than the grid calamine builds -----------------------

_REFERENCE_STYLES = ("plain", "lowercase", "missing", "styled-first", "prefixed")


def _variant_cell(row: int, column: int, style: str) -> str:
    reference = f"{hostile.column_letters(column)}{row}"
    value = "<v>1</v>"
    if style == "lowercase":
        return f'<c r="{reference.lower()}">{value}</c>'
    if style == "missing":
        return f"<c>{value}</c>"
    if style == "styled-first":
        return f'<c s="0" r="{reference}">{value}</c>'
    if style == "prefixed":
        return f'<x:c r="{reference}"><x:v>1</x:v></x:c>'
    return f'<c r="{reference}">{value}</c>'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(
        st.tuples(
            st.integers(1, 400),
            st.integers(1, 60),
            st.sampled_from(_REFERENCE_STYLES),
        ),
        min_size=1,
        max_size=25,
    ),
    dimension=st.sampled_from([None, "A1:B2", "A1:XFD1048576", "A1:BH400"]),
)
def test_extent_covers_the_grid_calamine_builds(cells, dimension):
    """Random cells written in every way calamine accepts (lowercase, no reference,
    attributes reordered, prefixed), under honest or lying dimensions: the extent the check
    finds is at least calamine's grid, so nothing it lets through can be larger."""
    from python_calamine import CalamineWorkbook

    rows: dict[int, list[str]] = {}
    for row, column, style in sorted(cells):
        rows.setdefault(row, []).append(_variant_cell(row, column, style))
    sheet_data = "".join(f'<row r="{row}">{"".join(c)}</row>' for row, c in sorted(rows.items()))
    data = hostile.xlsx_from_sheet_data(sheet_data, dimension=dimension)
    limits = ReadLimits(max_rows=1_048_576, max_columns=16_384, max_cells=10**12)
    extent = sheet_extents(open_raw(data, limits=limits), limits)["Planning"]
    end = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Planning").end
    if end is not None:
        assert extent.rows >= end[0] + 1 and extent.columns >= end[1] + 1, (extent, end)


# --- damaged containers: only LoadError, whatever byte is wrong ------------------------------

FUZZ_CHILD = r"""
import io, json, random, sys
from tests.loaders import hostile
from loaders import LoadError, load_schedule

seeds = {
    "xlsx": hostile.schedule_xlsx(),
    "ods": hostile.libreoffice_style_ods(),
    "xls": hostile.xls_bytes(hostile.SCHEDULE_ROWS),
    "encrypted.xlsx": hostile.encrypted_xlsx(),
    "mpp": hostile.project_mpp(),
    "csv": hostile.title_lines_semicolon_commas_csv(),
}
rng = random.Random(int(sys.argv[1]))
escapes, codes = [], set()
for case in range(int(sys.argv[2])):
    name, data = rng.choice(sorted(seeds.items()))
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        where = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.6:
            data[where] = rng.randrange(256)
        elif choice < 0.8 and where:
            del data[where:]
        else:
            data[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    source = io.BytesIO(bytes(data))
    source.name = "damaged." + name.rsplit(".", 1)[-1]
    try:
        load_schedule(source)
    except LoadError as error:
        codes.add(error.problems[0].code)
    except BaseException as error:
        escapes.append(f"{case} {name}: {type(error).__name__}: {str(error)[:120]}")
print(json.dumps({"escapes": escapes, "codes": sorted(codes)}))
"""


def test_damaged_containers_only_raise_load_error():
    """600 copies of the fixtures with random bytes overwritten, cut or inserted (seeded, so
    a failure replays): each is loaded or refused with a LoadError, never another exception,
    a Rust panic escaping, an allocation abort or a hang."""
    completed = subprocess.run(
        [sys.executable, "-c", FUZZ_CHILD, "20261120", "600"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS * 3,
        preexec_fn=_limit_memory,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["escapes"] == []
    assert {"corrupt_file", "sheet_xml_malformed"} <= set(report["codes"])
