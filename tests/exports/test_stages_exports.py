"""The stakeholders' workbook and the review workbook of each stage of the works
(``data/stages/``), in French and English, read back with openpyxl as a reader would: no cell
says ``nan``, ``None`` or ``inf``, and the launch and completion say what they must.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections import defaultdict

import openpyxl
import pandas as pd
import pytest

from exports.review_workbook import review_summary_rows, review_workbook
from exports.workbook import build_workbook, load_warnings, workbook_sources
from i18n import translate
from tests.tracking.stage_data import STAGES, STAGES_DIR, load_stage, stage_situation
from tracking.situation import compute_situation
from views.briefing import headline_figures, rating_reason
from views.format import signed_days
from views.reasons import reason_text

LANGS = ("fr", "en")
#: what must never reach a reader: Python's and numpy's words for a missing or infinite number
UNSAYABLE = re.compile(r"\b(nan|NaN|None|inf|NaT)\b")
GENERATED = dt.datetime(2027, 2, 19, 17, 0)


def stage_workbook(stage: str, lang: str) -> openpyxl.Workbook:
    tables = load_stage(stage)
    content = build_workbook(
        stage_situation(stage),
        workbook_sources(tables.results, {}, tables.names),
        load_warnings(tables.results, lang),
        lang,
        generated_at=GENERATED,
    )
    return openpyxl.load_workbook(io.BytesIO(content))


def unsayable_cells(book: openpyxl.Workbook) -> list[str]:
    """Every cell holding NaN, an infinity or a word for a missing value."""
    found = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, float) and not math.isfinite(value):
                    found.append(f"{sheet.title}!{cell.coordinate}={value}")
                elif isinstance(value, str) and UNSAYABLE.search(value):
                    found.append(f"{sheet.title}!{cell.coordinate}={value!r}")
    return found


def rows_of(sheet) -> dict[str, tuple]:
    """Label in column A -> the rest of its first row."""
    rows: dict[str, tuple] = {}
    for row in sheet.iter_rows(values_only=True):
        if isinstance(row[0], str) and row[0] not in rows:
            rows[row[0]] = row[1:]
    return rows


def tr(key: str, lang: str, **params) -> str:
    return translate(key, lang, **params)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stage", STAGES)
def test_no_cell_says_nan_none_or_inf(stage, lang):
    book = stage_workbook(stage, lang)
    assert unsayable_cells(book) == []
    assert len(book.sheetnames) == 7  # Synthèse … the chart data: every sheet is written


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stage", STAGES)
def test_no_sentence_of_the_briefing_says_nan_none_or_inf(stage, lang):
    situation = stage_situation(stage)
    sentences = [rating_reason(r, situation, lang) for r in situation.ratings]
    for figure in headline_figures(situation, lang):
        sentences += [figure.label, figure.detail, figure.help]
    assert [s for s in sentences if UNSAYABLE.search(s)] == []
    assert all(s == s.strip() for s in sentences)


@pytest.mark.parametrize("lang", LANGS)
def test_launch_workbook_says_no_decompte_yet(lang):
    book = stage_workbook("launch", lang)
    summary = rows_of(book[book.sheetnames[0]])
    physical = summary[tr("briefing.figure.physical", lang)]
    assert physical[0] == 0  # 0 % physical progress, a number
    finish = summary[tr("briefing.figure.forecast_finish", lang)]
    assert finish[0] == reason_text("no_progress", lang)
    cost = summary[tr("briefing.figure.forecast_cost", lang)]
    assert cost[0] == reason_text("no_works_decompte", lang)
    assert summary[tr("briefing.figure.financial", lang)][1] == tr(
        "briefing.detail.financial_nothing", lang
    )

    spending = book[book.sheetnames[2]]
    texts = [row[0] for row in spending.iter_rows(values_only=True)]
    assert tr("stages.workbook.no_decompte", lang) in texts
    total = next(row for row in spending.iter_rows(values_only=True) if row[1] == "Total")
    assert total[3] == 15_200_000  # budget
    assert total[4] == 18_600 + 39_000 + 540_000 + 288_000 + 138_000 + 91_200  # the studies
    assert total[5] == 0  # issued
    lines = rows_of(spending)
    assert lines["CPI"][0] == reason_text("no_works_decompte", lang)
    assert lines[tr("stages.workbook.works_contract", lang)][0] == reason_text(
        "no_works_contract", lang
    )
    # a works line with nothing signed says so instead of an issue rate
    works = next(row for row in spending.iter_rows(values_only=True) if row[0] == "TR-01")
    assert works[11] == reason_text("no_contract", lang)


def committed_works_and_retention() -> tuple[float, float]:
    """From the completion finance workbook itself: the works contract with its avenant (rows
    whose N° marché or Marché initial is 07/2026/AREP-RSK) and the retention column of the
    décomptes."""
    book = openpyxl.load_workbook(STAGES_DIR / "completion" / "suivi_financier.xlsx")
    contract = 0.0
    for row in book["Marchés"].iter_rows(min_row=6, values_only=True):
        if "07/2026/AREP-RSK" in (row[0], row[2]):
            contract += row[6]
    retention = defaultdict(float)
    for row in book["Décomptes"].iter_rows(min_row=6, values_only=True):
        if row[0] != "Total" and row[0] is not None:
            retention[row[1]] += row[8] or 0.0
    return round(contract, 2), round(retention["07/2026/AREP-RSK"], 2)


@pytest.mark.parametrize("lang", LANGS)
def test_completion_workbook_shows_the_reception_and_the_retention_to_release(lang):
    """The works contract of the generated workbook: 14 chapter rows (11 916 625,40) and the
    avenant (571 998,02) = 12 488 623,42; its retention is 10 % of each DP until the cap of
    7 %: 0,07 × 12 488 623,42 = 874 203,64, all of it to release at the réception définitive,
    12 months after the réception provisoire of 18/01/2027."""
    contract, retention = committed_works_and_retention()
    assert contract == 12_488_623.42
    assert retention == round(0.07 * contract, 2) == 874_203.64

    book = stage_workbook("completion", lang)
    summary = rows_of(book[book.sheetnames[0]])
    assert summary[tr("briefing.figure.physical", lang)][0] == 1  # 100 %
    reception = summary[tr("stages.figure.reception", lang)]
    assert reception[0] == dt.datetime(2027, 1, 18)
    assert reception[1] == tr(
        "stages.detail.delay_at_reception", lang, delay=signed_days(33, lang), end="16/12/2026"
    )
    released = summary[tr("stages.figure.retention", lang)]
    assert released[0] == pytest.approx(retention)
    assert "18/01/2028" in released[1]
    final = summary[tr("stages.figure.final_cost", lang)]
    assert final[0] == pytest.approx(14_741_023.42)

    spending = rows_of(book[book.sheetnames[2]])
    assert spending[tr("stages.workbook.retention_constituted", lang)][0] == pytest.approx(
        retention
    )
    assert spending[tr("stages.workbook.reception", lang)][0] == dt.datetime(2027, 1, 18)
    assert spending[tr("stages.workbook.release_date", lang)][0] == dt.datetime(2028, 1, 18)
    assert spending[tr("stages.workbook.penalty", lang)][0] == pytest.approx(412_124.57)
    tcpi = next(row for label, row in spending.items() if label.startswith("TCPI"))
    assert tcpi[3] == reason_text("works_complete", lang)  # its reading says why
    assert spending[tr("stages.figure.final_cost", lang)][0] == pytest.approx(14_741_023.42)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("before", "after"), [(None, "launch"), ("launch", "completion")])
def test_review_workbook_of_the_stages(before, after, lang):
    earlier = stage_situation(before) if before else None
    book = openpyxl.load_workbook(
        io.BytesIO(review_workbook(earlier, stage_situation(after), lang))
    )
    assert unsayable_cells(book) == []
    summary = book[book.sheetnames[0]]
    header = [cell.value for cell in summary[4]]
    if before is None:
        assert header[1] == tr("stages.review.no_before", lang)
        assert summary["A2"].value == tr("stages.review.first", lang, after=header[2])
    tasks = book[book.sheetnames[1]]
    assert tasks.max_row >= 5  # the schedule's tasks, new or changed


def test_review_summary_notes_say_why_a_figure_is_blank():
    rows = {r.label: r for r in review_summary_rows(None, stage_situation("launch"), "fr")}
    finish = rows[translate("review.metric.forecast_finish", "fr")]
    assert finish.after is None and finish.note == reason_text("no_progress", "fr")
    later = review_summary_rows(stage_situation("launch"), stage_situation("completion"), "fr")
    finish = {r.label: r for r in later}[translate("review.metric.forecast_finish", "fr")]
    assert finish.after == pd.Timestamp("2027-01-18") and finish.change is None
    assert finish.note == "Au 20/02/2026 : disponible après le premier rapport d'avancement"


def test_workbook_with_nothing_signed_nothing_issued_and_no_links():
    """The launch's budget with no contract, no décompte and a schedule without links: every
    sheet written, no NaN, the contract rules and the ledger say why they are empty."""
    tables = load_stage("launch")
    situation = compute_situation(
        tables.settings,
        tables.settings.status_date,
        schedule=tables.frame("schedule").assign(predecessors=pd.NA),
        budget=tables.frame("budget"),
        contracts=tables.frame("contracts").iloc[:0],
        spending=tables.frame("spending"),
        floor_areas=tables.frame("floor-areas"),
    )
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(situation, [], [], "en")))
    assert unsayable_cells(book) == []
    texts = [row[0] for row in book["Spending"].iter_rows(values_only=True)]
    assert tr("stages.workbook.no_contract", "en") in texts
    assert tr("stages.workbook.no_decompte", "en") in texts
    summary = rows_of(book["Summary"])
    assert summary[tr("briefing.figure.financial", "en")][0] == reason_text("no_contract", "en")


def edge_situation(case: str):
    """A stage's tables bent into one edge case of the brief."""
    stage = "launch" if case.startswith("launch") else "completion"
    tables = load_stage(stage)
    frames = {
        "schedule": tables.frame("schedule"),
        "budget": tables.frame("budget"),
        "contracts": tables.frame("contracts"),
        "spending": tables.frame("spending"),
        "floor_areas": tables.frame("floor-areas"),
    }
    schedule = frames["schedule"]
    if case.endswith("single_task"):
        frames["schedule"] = schedule[schedule["task_id"] == "T11"].assign(predecessors=pd.NA)
    elif case == "completion_zero_percent":
        frames["schedule"] = schedule.assign(
            percent_complete=0.0, actual_start=pd.NaT, actual_finish=pd.NaT
        )
    elif case == "completion_no_links":
        frames["schedule"] = schedule.assign(predecessors=pd.NA)
    elif case == "completion_budget_only":
        frames.update(contracts=None, spending=None)
    return compute_situation(tables.settings, tables.settings.status_date, **frames)


EDGE_CASES = (
    "launch_single_task",
    "completion_single_task",
    "completion_zero_percent",
    "completion_no_links",
    "completion_budget_only",
)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", EDGE_CASES)
def test_edge_case_workbooks_say_nothing_untrue(case, lang):
    situation = edge_situation(case)
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(situation, [], [], lang)))
    assert unsayable_cells(book) == []
    summary = rows_of(book[book.sheetnames[0]])
    for figure in headline_figures(situation, lang):
        cell = summary[figure.label][0]
        if figure.value is None:
            assert cell == reason_text(figure.reason, lang), figure.key
        else:
            assert cell is not None and cell != "", figure.key
    review = review_workbook(None, situation, lang)
    assert unsayable_cells(openpyxl.load_workbook(io.BytesIO(review))) == []
