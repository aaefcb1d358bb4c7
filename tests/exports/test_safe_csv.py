from __future__ import annotations

import csv
import io

import pandas as pd

from exports.safe_csv import to_csv_bytes


def test_formulas_from_imported_text_stay_text_and_figures_stay_french():
    frame = pd.DataFrame(
        {
            "Titulaire": [
                '=HYPERLINK("http://x","clic")',
                "+33 612",
                "-moins",
                "@SUM(A1)",
                "Atlas",
            ],
            "Montant": [1234.5, -10.0, 0.0, 1.0, 2.0],
            "Date": pd.to_datetime(["2026-11-20"] * 5),
        }
    ).astype({"Titulaire": "str"})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Titulaire", "Montant", "Date"]
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x","clic")',
        "'+33 612",
        "'-moins",
        "'@SUM(A1)",
        "Atlas",
    ]
    assert rows[1][1] == "1234,5" and rows[2][1] == "-10,0"  # numbers untouched
    assert rows[1][2] == "20/11/2026"
