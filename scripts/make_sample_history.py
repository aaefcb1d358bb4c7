"""Write the weekly sample situations: ``data/history/<yyyy-mm-dd>/`` for each past week.

Usage::

    python scripts/make_sample_history.py [--out data/history] [--check]

Each folder holds the schedule (``planning_travaux.xlsx``) and the finance workbook
(``suivi_financier.xlsx``) as kept at that status date, written by the functions of
``scripts/make_sample_data.py`` (deterministic in the status date). The last week is the
sample of ``data/`` itself: it is written to history only if ``data/``'s files differ from the
generator's cell for cell (they should not: regenerate ``data/`` then). Floor areas do not
change week to week; the store seeds them once, from ``data/programme_surfaces.xlsx``.

The files are made byte-for-byte reproducible (fixed zip timestamps and document dates), so
regenerating them changes nothing in git and their SHA-256 stay stable. ``--check`` regenerates
into a temporary folder and exits 1 when a committed file differs cell for cell.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from scripts import make_sample_data as sample  # noqa: E402

HISTORY_DATES = tuple(
    dt.date.fromisoformat(day)
    for day in ("2026-10-16", "2026-10-23", "2026-10-30", "2026-11-06", "2026-11-13", "2026-11-20")
)
DEFAULT_OUT = ROOT / "data" / "history"
DATA = ROOT / "data"
FILES = (sample.SCHEDULE_FILE, sample.SPENDING_FILE)

#: fixed zip entry times and document dates (defined with the generator, which uses it for
#: the stages of the works too)
make_reproducible = sample.make_reproducible


def write_situation(folder: Path, status: dt.date) -> list[Path]:
    """The schedule and finance workbook at ``status``, into ``folder``, reproducible."""
    paths = [
        sample.write_schedule(sample.build_schedule(status), folder / sample.SCHEDULE_FILE, status),
        sample.write_spending(
            sample.build_budget_lines(),
            sample.build_contracts(status),
            sample.build_decomptes(status),
            folder / sample.SPENDING_FILE,
            status,
        ),
    ]
    for path in paths:
        make_reproducible(path, dt.datetime.combine(status, dt.time(17, 0)))
    return paths


def cell_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def same_cells(first: Path, second: Path) -> bool:
    """Both workbooks hold the same sheets with the same values in every cell."""
    return cell_values(first) == cell_values(second)


def differences(out: Path, data: Path = DATA) -> list[str]:
    """Committed files that differ from the generator cell for cell (or are missing)."""
    found = []
    with tempfile.TemporaryDirectory() as temp:
        for status in HISTORY_DATES:
            folder = Path(temp) / status.isoformat()
            write_situation(folder, status)
            for name in FILES:
                generated = folder / name
                committed = out / status.isoformat() / name
                if status == HISTORY_DATES[-1] and not committed.exists():
                    committed = data / name  # the current week is seeded from data/
                if not committed.exists() or not same_cells(generated, committed):
                    found.append(str(committed))
    return found


def generate(out: Path = DEFAULT_OUT, data: Path = DATA) -> list[Path]:
    """Write every past week into ``out``; the last week only if ``data/`` differs from it."""
    written = []
    for status in HISTORY_DATES:
        folder = out / status.isoformat()
        paths = write_situation(folder, status)
        if status == HISTORY_DATES[-1] and all(
            same_cells(path, data / path.name) for path in paths
        ):
            shutil.rmtree(folder)  # identical to data/: seeded from there, not stored twice
            continue
        written.extend(paths)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="data/history")
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        found = differences(args.out)
        for path in found:
            print(f"differs from the generator: {path}")
        return 1 if found else 0
    for path in generate(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
