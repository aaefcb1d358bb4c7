"""One named case per value that cannot be true: each is refused with the row, the
column as written in the file and the sentence the user reads. Then the empty tables (refused
or a valid "nothing yet"), and the cap on a report's length.

"Today" is fixed at 02/12/2026 (the samples stand at 20/11/2026); the window is the default
01/01/1990 – 31/12/2100, amounts up to 10¹² MAD, areas up to 10⁶ m², other numbers up to 10⁹,
lags up to 3 650 working days.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pytest

import store
from loaders import (
    LoadError,
    load_budget_lines,
    load_contracts,
    load_floor_areas,
    load_schedule,
    load_spending,
)
from loaders.limits import ReadLimits
from tests.loaders.builders import csv_text, with_raw_cells, xlsx_bytes

TODAY = dt.date(2026, 12, 2)
LIMITS = ReadLimits(today=TODAY)

SCHEDULE_HEADER = [
    "N°",
    "Tâche",
    "Début prévu",
    "Fin prévue",
    "% réalisé",
    "Prédécesseurs",
    "Début réel",
    "Fin réelle",
    "Poids",
]
LEDGER_HEADER = ["Date d'émission", "N° décompte", "N° marché", "Montant TTC", "Date de paiement"]
BUDGET_HEADER = ["Code", "Désignation", "Budget TTC"]
CONTRACTS_HEADER = [
    "N° marché",
    "Type",
    "Titulaire",
    "Ligne budgétaire",
    "Montant TTC",
    "Date d'approbation",
]
AREAS_HEADER = ["N°", "Désignation", "Type de local", "Surface (m²)", "Postes de travail"]


def task(task_id="T01", **cells) -> list:
    """A schedule row; ``cells`` override the defaults by canonical name."""
    row = {
        "start": "02/03/2026",
        "finish": "06/03/2026",
        "percent": "0",
        "predecessors": "",
        "actual_start": "",
        "actual_finish": "",
        "weight": "",
        **cells,
    }
    keys = ("start", "finish", "percent", "predecessors", "actual_start", "actual_finish", "weight")
    return [task_id, f"Tâche {task_id}", *(row[key] for key in keys)]


def schedule_csv(*rows: list, title: tuple[list, ...] = ()) -> bytes:
    return csv_text([*title, SCHEDULE_HEADER, *rows]).encode("utf-8")


def ledger_csv(*rows: list) -> bytes:
    return csv_text([LEDGER_HEADER, *rows]).encode("utf-8")


def decompte(amount="1 000,00", issued="20/11/2026", paid="") -> list:
    return [issued, "D1", "M-01", amount, paid]


def budget_xlsx(*amounts) -> bytes:
    return xlsx_bytes([BUDGET_HEADER, *[[f"L{i}", "Travaux", a] for i, a in enumerate(amounts)]])


def shown(message: str) -> str:
    """A message with the no-break spaces of French number formats as plain spaces."""
    return message.replace("\u202f", " ").replace("\u00a0", " ")


def one(problems, code):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"{code!r} in {[(p.code, p.row) for p in problems]}"
    return found[0]


def refusal(loader, data: bytes, lang: str = "fr", limits: ReadLimits = LIMITS):
    with pytest.raises(LoadError) as caught:
        loader(io.BytesIO(data), lang=lang, limits=limits)
    return caught.value.problems


@dataclass(frozen=True)
class Refused:
    """A file holding one impossible value, and the problem a user reads about it."""

    loader: Callable
    data: bytes
    code: str
    row: int | None
    column: str | None
    french: str
    english: str | None = None


HUGE = "1" + "0" * 400
HUGE_SHOWN = HUGE[:77] + "…"

CASES = [
    # --- numbers ------------------------------------------------------------------------------
    pytest.param(
        Refused(
            load_spending,
            ledger_csv(decompte("1e309")),
            "not_finite",
            2,
            "Montant TTC",
            "Ligne 2, colonne « Montant TTC » : « 1e309 » n'est pas un nombre réel (infini, NaN "
            "ou trop grand pour être lu).",
            'Row 2, column "Montant TTC": "1e309" is not a real number (infinite, NaN or too '
            "large to read).",
        ),
        id="amount-1e309",
    ),
    pytest.param(
        Refused(
            load_budget_lines,
            with_raw_cells(budget_xlsx(1), {"C2": '<c r="C2" t="n"><v>1e309</v></c>'}),
            "not_finite",
            2,
            "Budget TTC",
            "Ligne 2, colonne « Budget TTC » : « inf » n'est pas un nombre réel (infini, NaN ou "
            "trop grand pour être lu).",
        ),
        id="amount-1e309-typed-cell",
    ),
    pytest.param(
        Refused(
            load_spending,
            ledger_csv(decompte(HUGE)),
            "not_finite",
            2,
            "Montant TTC",
            f"Ligne 2, colonne « Montant TTC » : « {HUGE_SHOWN} » n'est pas un nombre réel "
            "(infini, NaN ou trop grand pour être lu).",
        ),
        id="amount-400-digits",
    ),
    pytest.param(
        Refused(
            load_budget_lines,
            with_raw_cells(budget_xlsx(1), {"C2": f'<c r="C2"><v>{HUGE}</v></c>'}),
            "not_finite",
            2,
            "Budget TTC",
            "Ligne 2, colonne « Budget TTC » : « inf » n'est pas un nombre réel (infini, NaN ou "
            "trop grand pour être lu).",
        ),
        id="amount-400-digits-typed-cell",
    ),
    pytest.param(
        Refused(
            load_spending,
            ledger_csv(decompte("-Infinity")),
            "not_finite",
            2,
            "Montant TTC",
            "Ligne 2, colonne « Montant TTC » : « -Infinity » n'est pas un nombre réel (infini, "
            "NaN ou trop grand pour être lu).",
        ),
        id="amount-minus-infinity",
    ),
    pytest.param(
        Refused(
            load_spending,
            ledger_csv(decompte("inf")),
            "not_finite",
            2,
            "Montant TTC",
            "Ligne 2, colonne « Montant TTC » : « inf » n'est pas un nombre réel (infini, NaN ou "
            "trop grand pour être lu).",
        ),
        id="amount-inf",
    ),
    pytest.param(
        Refused(
            load_spending,
            ledger_csv(decompte("NaN")),
            "not_finite",
            2,
            "Montant TTC",
            "Ligne 2, colonne « Montant TTC » : « NaN » n'est pas un nombre réel (infini, NaN ou "
            "trop grand pour être lu).",
            'Row 2, column "Montant TTC": "NaN" is not a real number (infinite, NaN or too '
            "large to read).",
        ),
        id="amount-nan-text",
    ),
    pytest.param(
        Refused(
            load_spending,
            ledger_csv(decompte("2 000 000 000 000,00")),
            "number_too_large",
            2,
            "Montant TTC",
            "Ligne 2, colonne « Montant TTC » : 2 000 000 000 000,00 dépasse la limite de "
            "1 000 000 000 000 en valeur absolue (réglage limits.max_amount).",
            'Row 2, column "Montant TTC": 2 000 000 000 000,00 exceeds the limit of '
            "1,000,000,000,000 either way (setting limits.max_amount).",
        ),
        id="amount-beyond-max-amount",
    ),
    pytest.param(
        Refused(
            load_budget_lines,
            budget_xlsx(-1.5e12),
            "number_too_large",
            2,
            "Budget TTC",
            "Ligne 2, colonne « Budget TTC » : -1500000000000 dépasse la limite de "
            "1 000 000 000 000 en valeur absolue (réglage limits.max_amount).",
        ),
        id="amount-beyond-max-amount-negative",
    ),
    pytest.param(
        Refused(
            load_floor_areas,
            xlsx_bytes([AREAS_HEADER, ["R0-01", "Accueil", "Accueil", 2_000_000, 2]]),
            "number_too_large",
            2,
            "Surface (m²)",
            "Ligne 2, colonne « Surface (m²) » : 2000000 dépasse la limite de 1 000 000 en "
            "valeur absolue (réglage limits.max_area_m2).",
        ),
        id="area-beyond-max-area",
    ),
    pytest.param(
        Refused(
            load_floor_areas,
            xlsx_bytes([AREAS_HEADER, ["R0-01", "Accueil", "Accueil", 80, 5e9]]),
            "number_too_large",
            2,
            "Postes de travail",
            "Ligne 2, colonne « Postes de travail » : 5000000000 dépasse la limite de "
            "1 000 000 000 en valeur absolue (réglage limits.max_number).",
        ),
        id="seats-beyond-max-number",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(weight="1e12")),
            "number_too_large",
            2,
            "Poids",
            "Ligne 2, colonne « Poids » : 1e12 dépasse la limite de 1 000 000 000 en valeur "
            "absolue (réglage limits.max_number).",
        ),
        id="weight-beyond-max-number",
    ),
    # --- Excel errors -------------------------------------------------------------------------
    pytest.param(
        Refused(
            load_budget_lines,
            budget_xlsx("#DIV/0!"),  # openpyxl writes it as an error cell (t="e")
            "excel_error",
            2,
            "Budget TTC",
            "Ligne 2, colonne « Budget TTC » : la cellule contient l'erreur Excel #DIV/0! (une "
            "formule qui n'aboutit pas) ; corrigez la formule ou saisissez la valeur.",
            'Row 2, column "Budget TTC": the cell holds the Excel error #DIV/0! (a formula that '
            "fails); fix the formula or type the value.",
        ),
        id="div0-cell",
    ),
    pytest.param(
        Refused(
            load_budget_lines,
            with_raw_cells(
                budget_xlsx(1), {"C2": '<c r="C2" s="0" t="e"><f>1/0</f><v>#DIV/0!</v></c>'}
            ),
            "excel_error",
            2,
            "Budget TTC",
            "Ligne 2, colonne « Budget TTC » : la cellule contient l'erreur Excel #DIV/0! (une "
            "formule qui n'aboutit pas) ; corrigez la formule ou saisissez la valeur.",
        ),
        id="div0-formula-with-cached-error",
    ),
    pytest.param(
        Refused(
            load_spending,
            ledger_csv(decompte("#N/A")),
            "excel_error",
            2,
            "Montant TTC",
            "Ligne 2, colonne « Montant TTC » : la cellule contient l'erreur Excel #N/A (une "
            "formule qui n'aboutit pas) ; corrigez la formule ou saisissez la valeur.",
        ),
        id="na-text-in-csv",
    ),
    pytest.param(
        Refused(
            load_schedule,
            xlsx_bytes([SCHEDULE_HEADER[:4], ["T01", "#REF!", "02/03/2026", "06/03/2026"]]),
            "excel_error",
            2,
            "Tâche",
            "Ligne 2, colonne « Tâche » : la cellule contient l'erreur Excel #REF! (une formule "
            "qui n'aboutit pas) ; corrigez la formule ou saisissez la valeur.",
        ),
        id="ref-error-in-a-task-name",
    ),
    # --- dates --------------------------------------------------------------------------------
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(finish="31/12/9999")),
            "date_out_of_window",
            2,
            "Fin prévue",
            "Ligne 2, colonne « Fin prévue » : la date 31/12/9999 est hors de la période admise, "
            "du 01/01/1990 au 31/12/2100 (réglages limits.min_year et limits.max_year).",
            'Row 2, column "Fin prévue": the date 31/12/9999 is outside the accepted period, '
            "01/01/1990 to 31/12/2100 (settings limits.min_year and limits.max_year).",
        ),
        id="date-31-12-9999",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(start="01/01/0001")),
            "date_out_of_window",
            2,
            "Début prévu",
            "Ligne 2, colonne « Début prévu » : la date 01/01/0001 est hors de la période "
            "admise, du 01/01/1990 au 31/12/2100 (réglages limits.min_year et limits.max_year).",
        ),
        id="date-01-01-0001",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(start="01.01.0001")),  # once read as 2001
            "date_out_of_window",
            2,
            "Début prévu",
            "Ligne 2, colonne « Début prévu » : la date 01/01/0001 est hors de la période "
            "admise, du 01/01/1990 au 31/12/2100 (réglages limits.min_year et limits.max_year).",
        ),
        id="date-01.01.0001-dots",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(start="1/1/1")),
            "date_out_of_window",
            2,
            "Début prévu",
            "Ligne 2, colonne « Début prévu » : la date 01/01/0001 est hors de la période "
            "admise, du 01/01/1990 au 31/12/2100 (réglages limits.min_year et limits.max_year).",
        ),
        id="date-1-1-1",
    ),
    pytest.param(
        Refused(
            load_spending,
            xlsx_bytes([LEDGER_HEADER, [2958465, "D1", "M-01", 1000, None]]),
            "date_out_of_window",
            2,
            "Date d'émission",
            "Ligne 2, colonne « Date d'émission » : la date 31/12/9999 est hors de la période "
            "admise, du 01/01/1990 au 31/12/2100 (réglages limits.min_year et limits.max_year).",
        ),
        id="serial-2958465",
    ),
    pytest.param(
        Refused(
            load_spending,
            xlsx_bytes([LEDGER_HEADER, [1, "D1", "M-01", 1000, None]]),
            "date_out_of_window",
            2,
            "Date d'émission",
            "Ligne 2, colonne « Date d'émission » : la date 01/01/1900 est hors de la période "
            "admise, du 01/01/1990 au 31/12/2100 (réglages limits.min_year et limits.max_year).",
        ),
        id="serial-1",
    ),
    pytest.param(
        Refused(
            load_spending,
            xlsx_bytes([LEDGER_HEADER, [dt.datetime(9999, 12, 31), "D1", "M-01", 1000, None]]),
            "date_out_of_window",
            2,
            "Date d'émission",
            "Ligne 2, colonne « Date d'émission » : la date 31/12/9999 est hors de la période "
            "admise, du 01/01/1990 au 31/12/2100 (réglages limits.min_year et limits.max_year).",
        ),
        id="typed-date-9999",
    ),
    pytest.param(
        Refused(
            load_spending,
            xlsx_bytes([LEDGER_HEADER, [99991231, "D1", "M-01", 1000, None]]),
            "date_out_of_window",
            2,
            "Date d'émission",
            "Ligne 2, colonne « Date d'émission » : la date 31/12/9999 est hors de la période "
            "admise, du 01/01/1990 au 31/12/2100 (réglages limits.min_year et limits.max_year).",
        ),
        id="yyyymmdd-99991231",
    ),
    # --- status date and actual dates ---------------------------------------------------------
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(), title=(["Planning des travaux"], ["Situation au 31/12/2099"])),
            "status_date_in_future",
            2,
            None,
            "Ligne 2 : la date de situation 31/12/2099 (« Situation au 31/12/2099 ») est "
            "postérieure à aujourd'hui (02/12/2026) : une situation ne peut pas être datée du "
            "futur.",
            'Row 2: the status date 31/12/2099 ("Situation au 31/12/2099") is after today '
            "(02/12/2026): a situation cannot be dated in the future.",
        ),
        id="situation-au-2099",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(), title=(["Situation au 01/01/0001"],)),
            "status_date_out_of_window",
            1,
            None,
            "Ligne 1 : la date de situation 01/01/0001 (« Situation au 01/01/0001 ») est hors "
            "de la période admise, du 01/01/1990 au 31/12/2100 (réglages limits.min_year et "
            "limits.max_year).",
        ),
        id="situation-au-0001",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(actual_start="02/03/2026", actual_finish="10/12/2026")),
            "future_actual_date",
            2,
            "Fin réelle",
            "Ligne 2, colonne « Fin réelle » : une date réelle ne peut pas être dans le futur "
            "(10/12/2026, après aujourd'hui 02/12/2026).",
            'Row 2, column "Fin réelle": an actual date cannot be in the future (10/12/2026, '
            "after today 02/12/2026).",
        ),
        id="actual-finish-in-future",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(actual_start="03/12/2026")),
            "future_actual_date",
            2,
            "Début réel",
            "Ligne 2, colonne « Début réel » : une date réelle ne peut pas être dans le futur "
            "(03/12/2026, après aujourd'hui 02/12/2026).",
        ),
        id="actual-start-tomorrow",
    ),
    pytest.param(
        Refused(
            load_spending,
            ledger_csv(decompte(paid="15/12/2026")),
            "future_actual_date",
            2,
            "Date de paiement",
            "Ligne 2, colonne « Date de paiement » : une date réelle ne peut pas être dans le "
            "futur (15/12/2026, après aujourd'hui 02/12/2026).",
        ),
        id="paid-date-in-future",
    ),
    # --- percentages --------------------------------------------------------------------------
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(percent="%")),
            "bad_percent",
            2,
            "% réalisé",
            "Ligne 2, colonne « % réalisé » : pourcentage illisible « % » (attendu par ex. 45, "
            "45 % ou 0,45).",
            'Row 2, column "% réalisé": unreadable percentage "%" (expected e.g. 45, 45 % or '
            "0.45).",
        ),
        id="percent-sign-alone",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(percent="50%%")),
            "bad_percent",
            2,
            "% réalisé",
            "Ligne 2, colonne « % réalisé » : pourcentage illisible « 50%% » (attendu par ex. "
            "45, 45 % ou 0,45).",
        ),
        id="percent-50-double-sign",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(percent="NaN")),
            "not_finite",
            2,
            "% réalisé",
            "Ligne 2, colonne « % réalisé » : « NaN » n'est pas un nombre réel (infini, NaN ou "
            "trop grand pour être lu).",
        ),
        id="percent-nan",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task(percent="--")),
            "bad_percent",
            2,
            "% réalisé",
            "Ligne 2, colonne « % réalisé » : pourcentage illisible « -- » (attendu par ex. 45, "
            "45 % ou 0,45).",
        ),
        id="percent-dashes",
    ),
    # --- links --------------------------------------------------------------------------------
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task("T01"), task("T04", predecessors="T01FS+99999999")),
            "lag_too_large",
            3,
            "Prédécesseurs",
            "Ligne 3, colonne « Prédécesseurs » : le décalage de « T01FS+99999999 » (99 999 999 "
            "jours ouvrés) dépasse la limite de 3 650 jours (réglage limits.max_lag_days).",
            'Row 3, column "Prédécesseurs": the lag of "T01FS+99999999" (99,999,999 working '
            "days) exceeds the limit of 3,650 days (setting limits.max_lag_days).",
        ),
        id="lag-99999999",
    ),
    pytest.param(
        Refused(
            load_schedule,
            schedule_csv(task("T01"), task("T02", predecessors="T01, ??")),
            "bad_link",
            3,
            "Prédécesseurs",
            "Ligne 3, colonne « Prédécesseurs » : prédécesseur illisible « ?? » (attendu par ex. "
            "T05, T07DD+5, 12FS-2).",
        ),
        id="link-unreadable",
    ),
    # --- empty tables that cannot be empty ----------------------------------------------------
    pytest.param(
        Refused(
            load_schedule,
            xlsx_bytes(
                [["Planning des travaux"], ["Situation au 20/11/2026"], [], SCHEDULE_HEADER]
            ),
            "no_task",
            4,
            None,
            "Le planning ne contient aucune tâche : aucune ligne sous l'en-tête (ligne 4).",
            "The schedule holds no task: no row under the header (row 4).",
        ),
        id="schedule-header-only",
    ),
    pytest.param(
        Refused(
            load_budget_lines,
            xlsx_bytes([BUDGET_HEADER]),
            "no_budget_line",
            1,
            None,
            "Le tableau ne contient aucune ligne budgétaire : aucune ligne sous l'en-tête "
            "(ligne 1).",
        ),
        id="budget-header-only",
    ),
    pytest.param(
        Refused(
            load_floor_areas,
            xlsx_bytes([AREAS_HEADER, ["Total", None, None, None, None]]),
            "no_space",
            1,
            None,
            "Le programme des surfaces ne contient aucun local : aucune ligne sous l'en-tête "
            "(ligne 1).",
        ),
        id="floor-areas-totals-row-only",
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_impossible_value_is_refused_with_row_column_and_message(case: Refused):
    problem = one(refusal(case.loader, case.data), case.code)
    assert problem.severity == "error"
    assert (problem.row, problem.column) == (case.row, case.column)
    assert shown(problem.message) == case.french
    if case.english is not None:
        english = one(refusal(case.loader, case.data, lang="en"), case.code)
        assert shown(english.message) == case.english


@pytest.mark.parametrize(
    "error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
)
def test_every_excel_error_cell_is_named_not_taken_for_a_blank(error):
    """A required date holding an error is the error, not "missing value"."""
    data = xlsx_bytes([LEDGER_HEADER, [error, "D1", "M-01", 1000, None]])
    problems = refusal(load_spending, data)
    assert [(p.code, p.row, p.column) for p in problems] == [("excel_error", 2, "Date d'émission")]
    assert f"l'erreur Excel {error} " in problems[0].message


def test_an_error_formula_saved_by_libreoffice_is_named(tmp_path):
    """The cached error of a formula cell (``<f>`` then ``<v>``), prefixed tags and extra
    attributes as LibreOffice writes them."""
    data = with_raw_cells(
        budget_xlsx(1, 2),
        {
            "C2": '<c r="C2" s="0" t="e"><f aca="false">NA()</f><v>#N/A</v></c>',
            "C3": '<c r="C3" s="0" t="e"><f aca="false">&quot;a&quot;+1</f><v>#VALUE!</v></c>',
        },
    )
    problems = refusal(load_budget_lines, data)
    assert [(p.code, p.row, p.params["error"]) for p in problems] == [
        ("excel_error", 2, "#N/A"),
        ("excel_error", 3, "#VALUE!"),
    ]


# --- accepted, and only warned about ---------------------------------------------------------


def test_dates_on_the_edges_of_the_window_and_a_status_date_of_today_are_accepted():
    data = schedule_csv(
        task("T01", start="01/01/1990", finish="31/12/2100"),
        title=(["Situation au 02/12/2026"],),
    )
    result = load_schedule(io.BytesIO(data), limits=LIMITS)
    assert result.declared_date == pd.Timestamp("2026-12-02")
    assert list(result.frame["start"]) == [pd.Timestamp("1990-01-01")]
    assert list(result.frame["finish"]) == [pd.Timestamp("2100-12-31")]


def test_a_wider_window_from_the_settings_accepts_an_older_date():
    data = schedule_csv(task(start="15/06/1985", finish="20/06/1985"))
    with pytest.raises(LoadError):
        load_schedule(io.BytesIO(data), limits=LIMITS)
    wider = ReadLimits(today=TODAY, min_year=1980)
    result = load_schedule(io.BytesIO(data), limits=wider)
    assert result.frame.loc[0, "start"] == pd.Timestamp("1985-06-15")


def test_an_issue_date_after_today_is_only_a_warning():
    """A décompte is drafted and dated before the day it is issued (see load_spending)."""
    result = load_spending(io.BytesIO(ledger_csv(decompte(issued="10/12/2026"))), limits=LIMITS)
    warning = one(result.warnings, "future_issue_date")
    assert (warning.severity, warning.row, warning.column) == ("warning", 2, "Date d'émission")
    assert shown(warning.message) == (
        "Ligne 2, colonne « Date d'émission » : la date d'émission 10/12/2026 est postérieure "
        "à aujourd'hui (02/12/2026) ; décompte préparé à l'avance ?"
    )
    assert result.frame.loc[0, "date"] == pd.Timestamp("2026-12-10")


def test_a_lag_at_the_limit_and_an_unknown_predecessor_load():
    """3 650 working days is the bound itself; an id naming no task stays the critical path
    method's report (``unknown_predecessor`` on the Planning page), not a refusal."""
    data = schedule_csv(task("T01"), task("T02", predecessors="T01FS+3650, T99"))
    result = load_schedule(io.BytesIO(data), limits=LIMITS)
    assert result.frame.loc[1, "predecessors"] == "T01FS+3650, T99"
    assert result.warnings == []


def test_percentages_in_every_accepted_form_still_load():
    data = xlsx_bytes(
        [
            SCHEDULE_HEADER[:5],
            ["T01", "A", "02/03/2026", "06/03/2026", 45],
            ["T02", "B", "02/03/2026", "06/03/2026", "45 %"],
            ["T03", "C", "02/03/2026", "06/03/2026", "45,5 %"],
            ["T04", "D", "02/03/2026", "06/03/2026", "100%"],
        ]
    )
    result = load_schedule(io.BytesIO(data), limits=LIMITS)
    assert list(result.frame["percent_complete"]) == [45.0, 45.0, 45.5, 100.0]
    formatted = xlsx_bytes(
        [SCHEDULE_HEADER[:5], ["T01", "A", "02/03/2026", "06/03/2026", 0.45]], formats={"E": "0%"}
    )
    assert list(load_schedule(io.BytesIO(formatted)).frame["percent_complete"]) == [45.0]
    fractions = xlsx_bytes(
        [
            SCHEDULE_HEADER[:5],
            ["T01", "A", "02/03/2026", "06/03/2026", 0.25],
            ["T02", "B", "02/03/2026", "06/03/2026", 1],
        ]
    )
    result = load_schedule(io.BytesIO(fractions), limits=LIMITS)
    assert list(result.frame["percent_complete"]) == [25.0, 100.0]
    assert one(result.warnings, "fractions_as_percent").row == 1


# --- tables with only their header that are a valid "nothing yet" ----------------------------


@pytest.mark.parametrize(
    ("loader", "header", "filled_row"),
    [
        pytest.param(
            load_contracts,
            CONTRACTS_HEADER,
            ["M-01", "Marché", "Sté Atlas", "TR-01", 1000, "01/03/2026"],
            id="contracts-header-only",
        ),
        pytest.param(
            load_spending,
            LEDGER_HEADER,
            ["20/11/2026", "D1", "M-01", 1000, "25/11/2026"],
            id="decomptes-header-only",
        ),
    ],
)
def test_a_header_with_no_row_is_nothing_yet_with_the_right_types(loader, header, filled_row):
    empty = loader(io.BytesIO(xlsx_bytes([header])), limits=LIMITS)
    filled = loader(io.BytesIO(xlsx_bytes([header, filled_row])), limits=LIMITS)
    assert len(empty.frame) == 0 and len(filled.frame) == 1
    assert empty.warnings == []
    assert empty.frame.dtypes.to_dict() == filled.frame.dtypes.to_dict()


def test_contracts_without_a_type_column_and_blank_types_load():
    """The amendment test on a column that is all blank (``str`` dtype, every value NA)."""
    data = xlsx_bytes(
        [
            ["N° marché", "Ligne budgétaire", "Montant TTC", "Type"],
            ["M-01", "TR-01", 1000, None],
            ["M-02", "TR-02", 2000, None],
        ]
    )
    result = load_contracts(io.BytesIO(data), limits=LIMITS)
    assert list(result.frame["is_amendment"]) == [False, False]


def finance_workbook(*, contracts: list[list], decomptes: list[list]) -> bytes:
    return xlsx_bytes(
        [["Situation au 20/02/2026"], [], BUDGET_HEADER, ["TR-01", "Gros œuvre", 4_340_000]],
        sheet="Budget",
        extra_sheets={
            "Marchés": [CONTRACTS_HEADER, *contracts],
            "Décomptes": [LEDGER_HEADER, *decomptes],
        },
    )


def test_finance_no_contract_yet_is_accepted_by_the_store():
    """The launch of works: the budget is set, no contract signed, no décompte issued. This
    workbook was refused with "erreur inattendue" (a TypeError in the contracts loader)."""
    data = finance_workbook(contracts=[], decomptes=[])
    checked = store.check_bytes("finance", "suivi_financier.xlsx", data, limits=LIMITS)
    assert checked.accepted, [p.message for p in checked.problems]
    assert checked.rows == {"budget": 1, "contracts": 0, "spending": 0}
    assert checked.problems == []
    assert checked.status_date == dt.date(2026, 2, 20)
    assert checked.results["contracts"].frame["is_amendment"].dtype == bool


def test_finance_with_a_future_payment_is_refused_by_the_store():
    data = finance_workbook(
        contracts=[["M-01", "Marché", "Sté Atlas", "TR-01", 1000, "01/03/2026"]],
        decomptes=[["20/11/2026", "D1", "M-01", 1000, "24/12/2026"]],
    )
    checked = store.check_bytes("finance", "suivi_financier.xlsx", data, limits=LIMITS)
    assert not checked.accepted
    problem = one(checked.problems, "future_actual_date")
    assert (problem.sheet, problem.row, problem.column) == ("Décomptes", 2, "Date de paiement")


# --- the cap on a report ---------------------------------------------------------------------


def test_a_report_lists_the_first_problems_errors_first_and_counts_the_rest():
    """25 totals rows (warnings) come first in the file, then 40 rows whose date is missing
    and whose amount cannot be read (80 errors). With a cap of 10, the first 10 errors found
    are listed (columns are read left to right: the missing dates of rows 27 to 36), then one
    line for the 70 other errors and the 25 warnings."""
    totals = [["Total", "", "", "", ""]] * 25
    bad = [["", f"D{i}", "M-01", "beaucoup", ""] for i in range(40)]
    capped = ReadLimits(today=TODAY, max_problems=10)
    problems = refusal(load_spending, ledger_csv(*totals, *bad), limits=capped)
    assert len(problems) == 11
    assert [(p.code, p.row, p.column) for p in problems[:10]] == [
        ("missing_value", row, "Date d'émission") for row in range(27, 37)
    ]
    summary = problems[-1]
    assert (summary.code, summary.severity, summary.row) == ("more_problems", "error", None)
    assert shown(summary.message) == (
        "… et 95 autres problèmes de la feuille « upload » non listés (seuls les 10 premiers le "
        "sont, réglage limits.max_problems)."
    )


def test_a_capped_report_of_warnings_only_keeps_the_file():
    totals = [["Total", "", "", "", ""]] * 12
    capped = ReadLimits(today=TODAY, max_problems=5)
    result = load_spending(io.BytesIO(ledger_csv(decompte(), *totals)), limits=capped)
    assert len(result.frame) == 1
    assert [p.code for p in result.warnings] == ["totals_row"] * 5 + ["more_problems"]
    assert result.warnings[-1].severity == "warning"
    assert result.warnings[-1].params["count"] == "7"


def test_an_all_bad_ledger_of_20_000_rows_is_reported_in_500_lines():
    rows = [[f"pas une date {i % 7}", f"D{i}", "M-01", "x", ""] for i in range(20_000)]
    problems = refusal(load_spending, ledger_csv(*rows))
    assert len(problems) == LIMITS.max_problems + 1
    assert shown(problems[-1].message).startswith("… et 39 500 autres problèmes")
