"""Benchmark the spreadsheet loaders against pandas/openpyxl and a bare python-calamine read.

    .venv/bin/python scripts/bench_loaders.py [--runs 3] [--rebuild] [--no-profile]
        [--no-hostile] [--finance-rows 100000] [--finance-only]

Builds, once, two realistic workbooks in ``bench-out/`` (git-ignored): a 100 000-row French
payments ledger and a 4 000-task schedule, each with 4 title rows above the header (row 5),
real Excel dates and numbers. Then, for each file, it times the median of ``--runs`` runs of:

* ours: ``load_spending`` / ``load_schedule`` (values parsed, every row checked);
* openpyxl: ``pandas.read_excel(path, engine="openpyxl", header=4)`` (no checks at all);
* calamine: ``CalamineWorkbook.from_path(p).get_sheet_by_name(name).to_python()`` (the grid only).

Targets: openpyxl / ours >= 4 (we must be much faster than the usual pandas route) and
ours / calamine <= 1.5 (parsing and checking may cost at most half again the bare read).

In the same run, the finance import check: ``store.check_bytes("finance", …)`` (the three
loaders of the finance file, budget lines, contracts and spending, sharing one read) of the
sample finance workbook grown to ``--finance-rows`` décomptes (``tests.pages.test_cache_keys.
large_finance_workbook``, cached in ``bench-out/``), against a bare calamine read of every
sheet of the same bytes (``CalamineWorkbook.from_filelike`` then ``get_sheet_by_name(n).
to_python()`` for each sheet). Target: check / bare <= 2. ``--finance-rows 0`` skips it.

Then, each in a fresh child process: the peak memory (VmHWM) of our loader and of the
bare calamine read on those two files; and the time our loader takes to *refuse* three hostile
files (one cell at ``XFD1048576``, one at ``CV1048576``, an ods row repeated 1 048 576 times),
against the bare calamine read of the same file under a 3 GB address-space limit (where the
far cells end in an allocation abort). ``--no-hostile`` skips that part.
Finally our loader is profiled once per file with cProfile (top 15 cumulative entries).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import io
import json
import pstats
import random
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402
import xlsxwriter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from loaders import LoadResult, load_schedule, load_spending  # noqa: E402

#: bump when the generated files change, so cached copies are rebuilt
GENERATOR_VERSION = 1
LEDGER_ROWS = 100_000
SCHEDULE_TASKS = 4_000
TITLE_ROWS = 4  # the header is on Excel row 5 (pandas header=4)

OPENPYXL_TARGET = 4.0  # openpyxl / ours, at least
CALAMINE_TARGET = 1.5  # ours / calamine, at most
FINANCE_ROWS = 100_000
FINANCE_TARGET = 2.0  # check_bytes("finance") / bare calamine read of every sheet, at most
FINANCE_NAME = "suivi_financier.xlsx"
FINANCE_SAMPLE = REPO / "data" / FINANCE_NAME
#: address space of the children that read hostile files (the far cells would take 512 GiB)
CHILD_MEMORY_LIMIT = 3 * 1024**3
CHILD_TIMEOUT = 180

LEDGER_HEADERS = [
    "N° décompte",
    "N° marché",
    "Titulaire",
    "Ligne budgétaire",
    "Lot",
    "Objet",
    "Date d'émission",
    "Montant TTC (DH)",
    "Retenue de garantie (DH)",
    "Date de paiement",
]
SCHEDULE_HEADERS = [
    "N°",
    "Lot",
    "Tâche",
    "Début prévu",
    "Fin prévue",
    "% réalisé",
    "Prédécesseurs",
    "Jalon",
    "Poids",
    "Observations",
]
LOTS = [
    "Lot 01 - Terrassements",
    "Lot 02 - Gros œuvre",
    "Lot 03 - Étanchéité",
    "Lot 04 - Menuiseries extérieures",
    "Lot 05 - Électricité CFO/CFA",
    "Lot 06 - Plomberie sanitaire",
    "Lot 07 - CVC",
    "Lot 08 - Revêtements de sols",
    "Lot 09 - Peinture",
    "Lot 10 - VRD et aménagements extérieurs",
]
PAYEES = [
    "Sotrac SARL",
    "Atlas Bâtiment SA",
    "Électro Maghreb",
    "Hydro Plomberie",
    "Clim Froid Services",
    "Rif Menuiserie",
    "Zemmour Travaux Publics",
    "Bureau d'études Technique Rabat",
]
WORKS = [
    "Décompte provisoire n°{n}",
    "Avance forfaitaire",
    "Révision des prix n°{n}",
    "Travaux supplémentaires - avenant n°{n}",
    "Situation de travaux n°{n}",
]
TASKS = [
    "Installation de chantier",
    "Fouilles en pleine masse",
    "Semelles isolées",
    "Voiles et poteaux",
    "Dalle haute",
    "Chapes et ragréages",
    "Réseaux sous dallage",
    "Pose des menuiseries",
    "Câblage courants faibles",
    "Essais et réception",
]


# --- building the workbooks -----------------------------------------------------------------


def _title_rows(sheet, workbook, title: str) -> None:
    bold = workbook.add_format({"bold": True, "font_size": 14})
    sheet.write_string(0, 0, title, bold)
    sheet.write_string(1, 0, "Maître d'ouvrage : Technopark de Khémisset")
    sheet.write_string(2, 0, "Montants en dirhams (DH), dates au format jj/mm/aaaa")
    # row 4 (index 3) stays blank, as in most hand-made ledgers


def build_ledger(path: Path, rows: int = LEDGER_ROWS, seed: int = 7) -> None:
    rng = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Décomptes")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    money_format = workbook.add_format({"num_format": "#,##0.00"})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    _title_rows(sheet, workbook, "Registre des décomptes et paiements")
    sheet.write_row(TITLE_ROWS, 0, LEDGER_HEADERS, header_format)
    start = dt.datetime(2022, 1, 3)
    for i in range(rows):
        r = TITLE_ROWS + 1 + i
        lot = rng.randrange(len(LOTS))
        issued = start + dt.timedelta(days=rng.randrange(0, 4 * 365))
        amount = round(rng.uniform(5_000, 2_500_000), 2)
        sheet.write_string(r, 0, f"D-{i + 1:06d}")
        sheet.write_string(r, 1, f"M-{2022 + lot % 3}-{lot + 1:03d}")
        sheet.write_string(r, 2, PAYEES[lot % len(PAYEES)])
        sheet.write_string(r, 3, f"LB-{lot + 1:02d}")
        sheet.write_string(r, 4, LOTS[lot])
        sheet.write_string(r, 5, rng.choice(WORKS).format(n=rng.randrange(1, 40)))
        sheet.write_datetime(r, 6, issued, date_format)
        sheet.write_number(r, 7, amount, money_format)
        sheet.write_number(r, 8, round(amount * 0.07, 2), money_format)
        if rng.random() < 0.9:  # a tenth of the payments are not made yet
            paid = issued + dt.timedelta(days=rng.randrange(5, 120))
            sheet.write_datetime(r, 9, paid, date_format)
    workbook.close()


def build_schedule(path: Path, tasks: int = SCHEDULE_TASKS, seed: int = 11) -> None:
    rng = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Planning")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    percent_format = workbook.add_format({"num_format": "0%"})
    header_format = workbook.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1})
    _title_rows(sheet, workbook, "Planning directeur des travaux")
    sheet.write_row(TITLE_ROWS, 0, SCHEDULE_HEADERS, header_format)
    project_start = dt.datetime(2025, 9, 1)
    status_date = dt.datetime(2026, 6, 30)
    for i in range(tasks):
        r = TITLE_ROWS + 1 + i
        lot = i * len(LOTS) // tasks
        begin = project_start + dt.timedelta(days=rng.randrange(0, 900))
        milestone = rng.random() < 0.05
        end = begin if milestone else begin + dt.timedelta(days=rng.randrange(1, 120))
        if end <= status_date:
            done = 1.0
        elif begin >= status_date:
            done = 0.0
        else:
            done = round((status_date - begin) / (end - begin), 2)
        sheet.write_string(r, 0, f"T{i + 1:04d}")
        sheet.write_string(r, 1, LOTS[lot])
        sheet.write_string(r, 2, f"{rng.choice(TASKS)} - zone {rng.randrange(1, 30)}")
        sheet.write_datetime(r, 3, begin, date_format)
        sheet.write_datetime(r, 4, end, date_format)
        sheet.write_number(r, 5, done, percent_format)
        if i and rng.random() < 0.7:
            sheet.write_string(r, 6, f"T{rng.randrange(1, i + 1):04d}FD")
        sheet.write_string(r, 7, "Oui" if milestone else "Non")
        sheet.write_number(r, 8, rng.randrange(1, 10))
        if rng.random() < 0.1:
            sheet.write_string(r, 9, "Attente validation du BET")
    workbook.close()


@dataclass
class BenchFile:
    label: str
    path: Path
    sheet: str
    rows: int
    loader: Callable[..., LoadResult]


def prepare(out: Path, rebuild: bool) -> list[BenchFile]:
    out.mkdir(parents=True, exist_ok=True)
    files = [
        BenchFile(
            "ledger",
            out / f"ledger_{LEDGER_ROWS}_v{GENERATOR_VERSION}.xlsx",
            "Décomptes",
            LEDGER_ROWS,
            load_spending,
        ),
        BenchFile(
            "schedule",
            out / f"schedule_{SCHEDULE_TASKS}_v{GENERATOR_VERSION}.xlsx",
            "Planning",
            SCHEDULE_TASKS,
            load_schedule,
        ),
    ]
    builders = {"ledger": build_ledger, "schedule": build_schedule}
    for item in files:
        if rebuild or not item.path.exists():
            began = time.perf_counter()
            partial = item.path.with_suffix(".partial.xlsx")
            builders[item.label](partial)
            partial.replace(item.path)
            print(f"built {item.path} in {time.perf_counter() - began:.1f} s")
        else:
            print(f"cached {item.path}")
    return files


# --- timing ---------------------------------------------------------------------------------


def median_seconds(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        func()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def check_result(item: BenchFile) -> str:
    """Our loader's result must be the whole file with no error, else the timing means nothing."""
    result = item.loader(item.path)
    assert len(result.frame) == item.rows, (item.label, len(result.frame))
    assert result.header_row == TITLE_ROWS + 1, result.header_row
    assert not [p for p in result.warnings if p.is_error]
    return f"{item.label}: {len(result.frame)} rows, {len(result.warnings)} warning(s)"


def bench(files: list[BenchFile], runs: int) -> list[dict]:
    table = []
    for item in files:
        print(check_result(item))
        ours = median_seconds(lambda item=item: item.loader(item.path), runs)
        openpyxl = median_seconds(
            lambda item=item: pd.read_excel(item.path, engine="openpyxl", header=TITLE_ROWS),
            runs,
        )
        calamine = median_seconds(
            lambda item=item: (
                CalamineWorkbook.from_path(str(item.path)).get_sheet_by_name(item.sheet).to_python()
            ),
            runs,
        )
        table.append(
            {
                "file": item.label,
                "rows": item.rows,
                "ours": ours,
                "openpyxl": openpyxl,
                "calamine": calamine,
                "openpyxl/ours": openpyxl / ours,
                "ours/calamine": ours / calamine,
            }
        )
    return table


def print_table(table: list[dict], runs: int) -> bool:
    print()
    print(f"Median of {runs} run(s), seconds")
    head = (
        f"{'file':<10}{'rows':>9}{'ours':>9}{'openpyxl':>10}{'calamine':>10}"
        f"{'openpyxl/ours':>15}{'':>6}{'ours/calamine':>15}{'':>6}"
    )
    print(head)
    print("-" * len(head))
    all_pass = True
    for row in table:
        fast = row["openpyxl/ours"] >= OPENPYXL_TARGET
        lean = row["ours/calamine"] <= CALAMINE_TARGET
        all_pass &= fast and lean
        print(
            f"{row['file']:<10}{row['rows']:>9,}{row['ours']:>9.3f}{row['openpyxl']:>10.3f}"
            f"{row['calamine']:>10.3f}{row['openpyxl/ours']:>14.2f}x{_verdict(fast):>6}"
            f"{row['ours/calamine']:>14.2f}x{_verdict(lean):>6}"
        )
    print(f"targets: openpyxl/ours >= {OPENPYXL_TARGET:g}x, ours/calamine <= {CALAMINE_TARGET:g}x")
    return all_pass


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --- the finance import check: three loaders, one workbook --------------------------------


def prepare_finance(out: Path, rows: int, rebuild: bool) -> Path:
    """The sample finance workbook grown to ``rows`` décomptes, built once per version of the
    sample (its hash is in the file name)."""
    sample = hashlib.sha256(FINANCE_SAMPLE.read_bytes()).hexdigest()[:12]
    path = out / f"finance_{rows}_{sample}.xlsx"
    if rebuild or not path.exists():
        from tests.pages.test_cache_keys import large_finance_workbook

        began = time.perf_counter()
        partial = path.with_suffix(".partial.xlsx")
        partial.write_bytes(large_finance_workbook(rows))
        partial.replace(path)
        print(f"built {path} in {time.perf_counter() - began:.1f} s")
    else:
        print(f"cached {path}")
    return path


def bare_read_all_sheets(data: bytes) -> list[list]:
    """Every sheet's grid, as calamine alone gives it: no guard, no parsing, no check."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names]


def bench_finance(path: Path, rows: int, runs: int) -> dict:
    """The finance check and the bare read of the same bytes, run in turn (so that a machine
    busy with something else slows both alike); medians of ``runs``."""
    from store import check_bytes

    data = path.read_bytes()
    checked = check_bytes("finance", FINANCE_NAME, data, "fr")
    assert checked.accepted, [p.message for p in checked.problems[:3]]
    assert checked.rows["spending"] == rows, checked.rows
    print(f"finance: {checked.rows}, {len(checked.problems)} warning(s)")
    ours, bare = [], []
    for _ in range(runs):
        bare.append(median_seconds(lambda: bare_read_all_sheets(data), 1))
        ours.append(median_seconds(lambda: check_bytes("finance", FINANCE_NAME, data, "fr"), 1))
    check, calamine = statistics.median(ours), statistics.median(bare)
    return {"rows": rows, "check": check, "calamine": calamine, "ratio": check / calamine}


def print_finance(row: dict, runs: int) -> bool:
    ok = row["ratio"] <= FINANCE_TARGET
    print()
    print(f"Finance import check, median of {runs} run(s), seconds")
    head = f"{'décomptes':>10}{'check':>9}{'calamine':>10}{'check/calamine':>16}"
    print(head)
    print("-" * (len(head) + 6))
    print(
        f"{row['rows']:>10,}{row['check']:>9.3f}{row['calamine']:>10.3f}"
        f"{row['ratio']:>15.2f}x{_verdict(ok):>6}"
    )
    print(
        f"target: check/calamine <= {FINANCE_TARGET:g}x (check: store.check_bytes('finance'); "
        "calamine: every sheet, bare)"
    )
    return ok


# --- memory and hostile files, each in a child process -----------------------------------

#: run in a child: read the file (ours or bare calamine) and print seconds, rows, peak RSS
_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
how, path, sheet = sys.argv[1], sys.argv[2], sys.argv[3]
import loaders  # imports before the clock starts: the time is the read alone
from python_calamine import CalamineWorkbook

def kilobytes(field):  # VmHWM is reset by exec, unlike ru_maxrss (inherited from the parent)
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field))
    return int(line.split()[1])

baseline = kilobytes("VmRSS")
began = time.perf_counter()
outcome, rows = "read", 0
if how == "calamine":
    workbook = CalamineWorkbook.from_path(path)
    rows = len(workbook.get_sheet_by_name(sheet or workbook.sheet_names[0]).to_python())
else:
    try:
        rows = len(getattr(loaders, how)(path).frame)
    except loaders.LoadError as error:
        outcome = "refused: " + ", ".join(sorted({p.code for p in error.problems}))
seconds = time.perf_counter() - began
peak = kilobytes("VmHWM") * 1024
print(json.dumps({"outcome": outcome, "rows": rows, "seconds": seconds, "peak": peak,
                  "grown": peak - baseline * 1024}))
"""


def run_child(how: str, path: Path, sheet: str = "", limit: bool = False) -> dict:
    """One read in a fresh interpreter: its time, rows and peak memory, or how it died."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_LIMIT, CHILD_MEMORY_LIMIT))

    began = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, how, str(path), sheet, str(REPO)],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            preexec_fn=limit_memory if limit else None,
        )
    except subprocess.TimeoutExpired:
        return {"outcome": f"timeout after {CHILD_TIMEOUT} s", "seconds": CHILD_TIMEOUT}
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1][:40]
        died = "allocation abort" if "memory allocation" in done.stderr else last
        return {"outcome": f"{died} (exit {done.returncode})", "seconds": seconds}
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_memory(files: list[BenchFile]) -> None:
    print()
    print("Peak memory of a fresh child (VmHWM), and its growth over the imports (+MB)")
    print(
        f"{'file':<10}{'ours s':>9}{'ours MB':>9}{'+MB':>7}"
        f"{'calamine s':>12}{'calamine MB':>13}{'+MB':>7}{'+MB ratio':>11}"
    )
    for item in files:
        ours = run_child(item.loader.__name__, item.path)
        bare = run_child("calamine", item.path, item.sheet)
        print(
            f"{item.label:<10}{ours['seconds']:>9.3f}{ours['peak'] / 2**20:>9.0f}"
            f"{ours['grown'] / 2**20:>7.0f}{bare['seconds']:>12.3f}{bare['peak'] / 2**20:>13.0f}"
            f"{bare['grown'] / 2**20:>7.0f}{ours['grown'] / max(bare['grown'], 1):>10.2f}x"
        )


def build_far_cell(path: Path, cell: tuple[int, int]) -> None:
    """A small schedule and one more cell far away: a few KB on disk."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Planning")
    sheet.write_row(0, 0, SCHEDULE_HEADERS[:5])
    sheet.write_row(1, 0, ["T0001", LOTS[0], TASKS[0], "02/03/2026", "06/03/2026"])
    sheet.write_string(*cell, "x")
    workbook.close()


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def build_repeated_rows_ods(path: Path, repeat: int = 1_048_576) -> None:
    """Under 1 KB: a header and one task row repeated ``repeat`` times (table:number-rows-repeated)."""

    def cell(text: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    header = "".join(cell(h) for h in ["N°", "Tâche", "Début prévu", "Fin prévue"])
    task = "".join(cell(v) for v in ["T0001", TASKS[0], "02/03/2026", "06/03/2026"])
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Planning">'
        f"<table:table-row>{header}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="{repeat}">{task}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", content)


def bench_hostile(out: Path) -> None:
    hostile = [
        ("far-cell-XFD1048576.xlsx", lambda p: build_far_cell(p, (1_048_575, 16_383))),
        ("far-cell-CV1048576.xlsx", lambda p: build_far_cell(p, (1_048_575, 99))),
        ("ods-rows-repeated-million.ods", build_repeated_rows_ods),
    ]
    print()
    print(
        f"Hostile files: our refusal against the bare calamine read (child limited to {CHILD_MEMORY_LIMIT // 2**30} GB)"
    )
    print(f"{'file':<32}{'KB':>6}{'ours s':>9}{'ours +MB':>9}  {'ours':<24}calamine")
    for name, build in hostile:
        path = out / name
        build(path)
        ours = run_child("load_schedule", path, limit=True)
        bare = run_child("calamine", path, "Planning", limit=True)
        bare_text = bare["outcome"]
        if "peak" in bare:
            bare_text = (
                f"{bare['rows']:,} rows, {bare['seconds']:.2f} s, +{bare['grown'] / 2**20:,.0f} MB"
            )
        ours_mb = f"{ours['grown'] / 2**20:>9.0f}" if "grown" in ours else f"{'—':>9}"
        print(
            f"{name:<32}{path.stat().st_size / 1024:>6.1f}{ours['seconds']:>9.3f}{ours_mb}  "
            f"{ours['outcome']:<24}{bare_text}"
        )


def profile(item: BenchFile, top: int = 15) -> None:
    profile_call(lambda: item.loader(item.path), f"{item.loader.__name__}({item.path.name})", top)


def profile_call(call: Callable[[], object], label: str, top: int = 15) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    print()
    print(f"=== cProfile: {label}, top {top} by cumulative time")
    lines = buffer.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    print("\n".join(line for line in lines[start:] if line.strip()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--out", type=Path, default=REPO / "bench-out", help="cache folder")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the workbooks")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument(
        "--no-hostile", action="store_true", help="skip memory and hostile-file measures"
    )
    parser.add_argument(
        "--finance-rows",
        type=int,
        default=FINANCE_ROWS,
        help="décomptes of the finance workbook checked (0: skip the finance check)",
    )
    parser.add_argument(
        "--finance-only", action="store_true", help="only the finance check against calamine"
    )
    args = parser.parse_args(argv)

    files = [] if args.finance_only else prepare(args.out, args.rebuild)
    finance = (
        prepare_finance(args.out, args.finance_rows, args.rebuild) if args.finance_rows else None
    )
    all_pass = True
    if files:
        all_pass = print_table(bench(files, args.runs), args.runs)
    if finance is not None:
        all_pass &= print_finance(bench_finance(finance, args.finance_rows, args.runs), args.runs)
    if files and not args.no_hostile:
        bench_memory(files)
        bench_hostile(args.out)
    if not args.no_profile:
        for item in files:
            profile(item)
        if finance is not None:
            from store import check_bytes

            data = finance.read_bytes()
            profile_call(
                lambda: check_bytes("finance", FINANCE_NAME, data, "fr"),
                f"check_bytes('finance', {finance.name})",
            )
    return 0 if all_pass else 1


if __name__ == "__main__":
    sys.exit(main())
