"""Benchmark the spreadsheet loaders against pandas/openpyxl and a bare python-calamine read.

    .venv/bin/python scripts/bench_loaders.py [--runs 3] [--rebuild] [--no-profile]

Builds, once, two realistic workbooks in ``bench-out/`` (git-ignored): a 100 000-row French
payments ledger and a 4 000-task schedule, each with 4 title rows above the header (row 5),
real Excel dates and numbers. Then, for each file, it times the median of ``--runs`` runs of:

* ours: ``load_spending`` / ``load_schedule`` (values parsed, every row checked);
* openpyxl: ``pandas.read_excel(path, engine="openpyxl", header=4)`` (no checks at all);
* calamine: ``CalamineWorkbook.from_path(p).get_sheet_by_name(name).to_python()`` (the grid only).

Targets: openpyxl / ours >= 4 (we must be much faster than the usual pandas route) and
ours / calamine <= 1.5 (parsing and checking may cost at most half again the bare read).
Finally our loader is profiled once per file with cProfile (top 15 cumulative entries).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import random
import statistics
import sys
import time
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


def profile(item: BenchFile, top: int = 15) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    item.loader(item.path)
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    print()
    print(f"=== cProfile: {item.loader.__name__}({item.path.name}), top {top} by cumulative time")
    lines = buffer.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    print("\n".join(line for line in lines[start:] if line.strip()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--out", type=Path, default=REPO / "bench-out", help="cache folder")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the workbooks")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    args = parser.parse_args(argv)

    files = prepare(args.out, args.rebuild)
    table = bench(files, args.runs)
    all_pass = print_table(table, args.runs)
    if not args.no_profile:
        for item in files:
            profile(item)
    return 0 if all_pass else 1


if __name__ == "__main__":
    sys.exit(main())
