"""The same table saved as xlsx, xlsm-like, xls and ods by LibreOffice loads to the same values."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest

from loaders import LoadError, load_spending
from loaders.limits import ReadLimits
from loaders.reading import open_raw, sheet_extents, sheet_names
from tests.loaders.builders import write, xlsx_bytes

ROWS = [
    ["Suivi des décomptes — Technopark de Khémisset"],
    [],
    ["N° décompte", "Date d'émission", "Montant TTC (DH)", "Titulaire"],
    ["DP1", dt.datetime(2026, 3, 31), 412_000.5, "Sté Atlas Bâtiment"],
    ["DP2", dt.datetime(2026, 4, 30), 1_250_300.0, "Sté Atlas Bâtiment"],
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The fixture workbook converted by LibreOffice to xls and ods (real files, not mocks)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: .ci/run installs it"
    folder = tmp_path_factory.mktemp("formats")
    source = write(folder, "decomptes.xlsx", xlsx_bytes(ROWS, formats={"B": "dd/mm/yyyy"}))
    paths = {"xlsx": source}
    for target in ("xls", "ods"):
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
             "--convert-to", target, "--outdir", str(folder), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        paths[target] = folder / f"decomptes.{target}"
    return paths


@pytest.mark.parametrize("file_format", ["xlsx", "xls", "ods"])
def test_each_format_gives_the_same_values(converted, file_format):
    result = load_spending(converted[file_format])
    assert result.header_row == 3
    assert list(result.frame["reference"]) == ["DP1", "DP2"]
    assert list(result.frame["date"]) == [pd.Timestamp("2026-03-31"), pd.Timestamp("2026-04-30")]
    assert result.frame["amount"].sum() == pytest.approx(1_662_300.5)
    assert list(result.frame["source_row"]) == [4, 5]


def test_format_is_taken_from_the_bytes_not_the_extension(converted, tmp_path):
    renamed = tmp_path / "decomptes.xlsx"
    renamed.write_bytes(converted["ods"].read_bytes())
    result = load_spending(renamed)
    assert result.frame["amount"].sum() == pytest.approx(1_662_300.5)


@pytest.mark.parametrize("file_format", ["xlsx", "xls", "ods"])
def test_each_format_is_bounded_by_its_data(converted, file_format):
    """The size check finds the table's own extent in every format (5 rows × 4 columns),
    whatever padding the writer adds: LibreOffice's ods repeats empty rows to the sheet's
    last row, its xls declares a DIMENSIONS record. A file twice as long as ``max_rows``
    allows is refused, naming its last cell."""
    raw = open_raw(converted[file_format])
    extent = sheet_extents(raw)[sheet_names(raw)[0]]
    assert (extent.rows, extent.columns) == (5, 4)
    with pytest.raises(LoadError) as caught:
        load_spending(converted[file_format], limits=ReadLimits(max_rows=4))
    problem = caught.value.problems[0]
    assert (problem.code, problem.row) == ("too_many_rows", 5)
    assert "D5" in problem.message
