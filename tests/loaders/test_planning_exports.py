"""Spreadsheet exports of planning tools: MS Project's "Export to Excel" in French and English,
and Primavera P6's, built in code with openpyxl as the tools write them (text durations with
their unit, dates with a weekday, outline levels and WBS codes, summary flags, French link types,
constraint names).

Every expected value is read off the rows written here; the calendar facts used are that
16/02/2026 is a Monday (and so 13/03, 10/04, 08/05/2026 are Fridays, 13/04/2026 a Monday).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import LoadError, load_floor_areas, load_schedule
from loaders.limits import ReadLimits
from loaders.links import Link, parse_predecessors
from loaders.outline import outline_numbers
from loaders.values import (
    Duration,
    constraint_code,
    parse_duration_text,
    parse_number_column,
    read_date_text,
)
from tests.loaders.builders import xlsx_bytes

LIMITS = ReadLimits(today=dt.date(2026, 3, 1))

FRENCH_HEADER = [
    "ID",
    "Nom de la tâche",
    "Durée",
    "Début",
    "Fin",
    "Prédécesseurs",
    "Niveau hiérarchique",
    "N° hiérarchique",
    "Récapitulative",
    "% achevé",
    "Type de contrainte",
    "Date de contrainte",
    "Marge totale",
]
#: a French MS Project export with its project summary row (ID 0, level 0), two lots and four
#: tasks; the rows' Excel numbers are 2 (project) to 8 (Peinture)
FRENCH_ROWS = [
    FRENCH_HEADER,
    [0, "Projet Incubateur", "60 jours", "Lun 16/02/26", "Ven 08/05/26", "", 0, "0", "Oui",
     "10%", "Dès que possible", "ND", "0 jour"],
    [1, "Gros œuvre", "40 jours", "Lun 16/02/26", "Ven 10/04/26", "", 1, "1", "Oui",
     "15%", "Dès que possible", "ND", "0 jour"],
    [2, "Fondations", "20 jours", "Lun 16/02/26 08:00", "Ven 13/03/26 17:00", "", 2, "1.1",
     "Non", "50%", "Dès que possible", "ND", "0 jour"],
    [3, "Élévation", "20 jours?", "lun. 16/03/26 08:00", "Ven 10/04/26", "2", 2, "1.2", "Non",
     "0%", "Début au plus tôt le", "Lun 16/03/26", "0 jour"],
    [4, "Second œuvre", "20 jours", "Lun 13/04/26", "Ven 08/05/26", "", 1, "2", "Oui", "0%",
     "Dès que possible", "ND", "0 jour"],
    [5, "Cloisons", "2 sem", "Lun 13/04/26", "Ven 24/04/26", "3FD+2 j", 2, "2.1", "Non", "0%",
     "Fin au plus tard le", "Ven 08/05/26", "10 jours"],
    [6, "Peinture", "1 mois", "Lun 13/04/26", "Ven 08/05/26", "5FD+35 jours;3DD+2 j", 2, "2.2",
     "Non", "0%", "Doit finir le", "Ven 08/05/26", "0 jour"],
]  # fmt: skip


def french_export() -> pd.DataFrame:
    return load_schedule(xlsx_bytes(FRENCH_ROWS), lang="fr", limits=LIMITS).frame.set_index(
        "task_id"
    )


def test_french_ms_project_export_flags_its_summary_rows():
    """Rows 0 (the project, level 0), 1 and 4 (the lots, followed by deeper rows) are
    summaries; the four tasks are not, and is_summary is a plain bool."""
    frame = french_export()
    assert frame["is_summary"].dtype == bool
    assert frame.index[frame["is_summary"]].tolist() == ["0", "1", "4"]
    assert frame.index[~frame["is_summary"]].tolist() == ["2", "3", "5", "6"]


def test_french_ms_project_export_gives_parents_and_lots():
    """Each task's parent is the level-1 row above it; the lots are those rows' names (the
    file has no lot column), the project row has no lot."""
    frame = french_export()
    assert frame["summary_id"].fillna("-").tolist() == ["-", "0", "1", "1", "0", "4", "4"]
    assert frame.loc[["2", "3"], "lot"].tolist() == ["Gros œuvre", "Gros œuvre"]
    assert frame.loc[["5", "6"], "lot"].tolist() == ["Second œuvre", "Second œuvre"]
    assert frame.at["4", "lot"] == "Second œuvre"
    assert pd.isna(frame.at["0", "lot"])
    assert frame["outline_level"].tolist() == [0, 1, 2, 2, 1, 2, 2]
    assert frame.at["6", "wbs"] == "2.2"


def test_french_ms_project_export_reads_weekday_dates_and_text_durations():
    """``Lun 16/02/26 08:00`` is 16 February 2026 at 8:00; ``Ven 13/03/26 17:00`` its finish;
    ``20 jours?`` is 20 (estimated), ``2 sem`` 10, ``1 mois`` 20 working days; ``ND`` is no
    date; ``10 jours`` of total float is 10."""
    frame = french_export()
    assert frame.at["2", "start"] == pd.Timestamp(2026, 2, 16, 8)
    assert frame.at["2", "finish"] == pd.Timestamp(2026, 3, 13, 17)
    assert frame.at["4", "start"] == pd.Timestamp(2026, 4, 13)
    assert frame.loc[["0", "3", "5", "6"], "duration"].tolist() == [60.0, 20.0, 10.0, 20.0]
    assert frame.at["5", "file_total_float"] == 10.0
    assert pd.isna(frame.at["2", "constraint_date"])
    assert frame.at["2", "percent_complete"] == 50.0


def test_french_ms_project_export_reads_links_and_constraints():
    """``3FD+2 j`` is FS + 2 working days from task 3; ``5FD+35 jours;3DD+2 j`` two links;
    the French constraint names are the contract's codes, with their dates."""
    frame = french_export()
    assert parse_predecessors(frame.at["5", "predecessors"]).links == [Link("3", "FS", 2, "d")]
    assert parse_predecessors(frame.at["6", "predecessors"]).links == [
        Link("5", "FS", 35, "d"),
        Link("3", "SS", 2, "d"),
    ]
    assert frame["constraint_type"].tolist() == [
        "ASAP", "ASAP", "ASAP", "SNET", "ASAP", "FNLT", "MFO",
    ]  # fmt: skip
    assert frame.at["3", "constraint_date"] == pd.Timestamp(2026, 3, 16)
    assert frame.at["6", "constraint_date"] == pd.Timestamp(2026, 5, 8)


ENGLISH_ROWS = [
    ["ID", "Task Name", "Duration", "Start", "Finish", "Predecessors", "Outline Level",
     "Outline Number", "Summary", "% Complete", "Constraint Type", "Constraint Date"],
    [1, "Structure", "40 days", "Mon 2/16/26 8:00 AM", "Fri 4/10/26 5:00 PM", "", 1, "1", "Yes",
     "15%", "As Soon As Possible", "NA"],
    [2, "Foundations", "20 days", "Mon 2/16/26 8:00 AM", "Fri 3/13/26 5:00 PM", "", 2, "1.1",
     "No", "50%", "As Soon As Possible", "NA"],
    [3, "Walls", "160 hrs", "Mon 3/16/26 8:00 AM", "Fri 4/10/26 5:00 PM", "2FS+1 wk", 2, "1.2",
     "No", "0%", "Start No Earlier Than", "Mon 3/16/26"],
    [4, "Finishes", "4 wks", "Mon 4/13/26", "Fri 5/8/26", "", 1, "2", "Yes", "0%",
     "As Soon As Possible", "NA"],
    [5, "Roof", "5 edays", "Mon 4/13/26", "Fri 4/17/26", "3SS+2 days,2FS-1.5d", 2, "2.1", "No",
     "0%", "Must Finish On", "Fri 4/17/26"],
]  # fmt: skip


def test_english_ms_project_export():
    """Month-first dates said by the English weekday (``Fri 3/13/26 5:00 PM`` is 13 March at
    17:00), ``160 hrs`` = 20 days at 8 h a day, ``5 edays`` = 5 × 5/7 working days with a note,
    Yes/No summaries, the parent from the outline levels, English links and constraints."""
    result = load_schedule(xlsx_bytes(ENGLISH_ROWS), lang="en", limits=LIMITS)
    frame = result.frame.set_index("task_id")
    assert frame.at["2", "finish"] == pd.Timestamp(2026, 3, 13, 17)
    assert frame.at["4", "finish"] == pd.Timestamp(2026, 5, 8)
    assert frame.at["3", "duration"] == 20.0
    assert frame.at["4", "duration"] == 20.0
    assert frame.at["5", "duration"] == pytest.approx(25 / 7)
    assert [w.code for w in result.warnings] == ["elapsed_durations"]
    assert frame.index[frame["is_summary"]].tolist() == ["1", "4"]
    assert frame.loc[["2", "3", "5"], "summary_id"].tolist() == ["1", "1", "4"]
    assert frame.loc[["2", "5"], "lot"].tolist() == ["Structure", "Finishes"]
    assert parse_predecessors(frame.at["5", "predecessors"]).links == [
        Link("3", "SS", 2, "d"),
        Link("2", "FS", -1.5, "d"),
    ]
    assert frame["constraint_type"].tolist() == ["ASAP", "ASAP", "SNET", "ASAP", "MFO"]


def test_a_wbs_column_without_ids_names_the_tasks_and_gives_the_outline():
    """No id column: the WBS codes are the task ids (no generated ``L…`` ids, no warning);
    ``1`` and ``2`` are extended by other codes, so they are the summaries and the lots."""
    rows = [
        ["WBS", "Task Name", "Start", "Finish"],
        ["1", "Earthworks", "16/02/2026", "13/03/2026"],
        ["1.1", "Clearing", "16/02/2026", "20/02/2026"],
        ["1.2", "Excavation", "23/02/2026", "13/03/2026"],
        ["2", "Concrete", "16/03/2026", "10/04/2026"],
        ["2.1", "Footings", "16/03/2026", "10/04/2026"],
    ]
    result = load_schedule(xlsx_bytes(rows), lang="en", limits=LIMITS)
    frame = result.frame
    assert frame["task_id"].tolist() == ["1", "1.1", "1.2", "2", "2.1"]
    assert "generated_ids" not in {w.code for w in result.warnings}
    assert frame["is_summary"].tolist() == [True, False, False, True, False]
    assert frame["summary_id"].tolist()[1:3] == ["1", "1"]
    assert frame["outline_level"].tolist() == [1, 2, 2, 1, 2]
    assert frame["lot"].tolist() == ["Earthworks"] * 3 + ["Concrete"] * 2


def test_outline_inconsistencies_are_warnings_with_their_row_and_column():
    """Row 4 jumps from level 1 to level 3; in the WBS file, row 3's ``3.1`` has no ``3``."""
    levels = [
        ["ID", "Task Name", "Start", "Finish", "Outline Level"],
        [1, "Lot A", "16/02/2026", "13/03/2026", 1],
        [2, "Task", "16/02/2026", "13/03/2026", 2],
        [3, "Deep", "16/02/2026", "13/03/2026", 4],
    ]
    result = load_schedule(xlsx_bytes(levels), lang="fr", limits=LIMITS)
    jumps = [w for w in result.warnings if w.code == "outline_level_jump"]
    assert [(w.row, w.column) for w in jumps] == [(4, "Outline Level")]
    assert "niveau 4 suit un niveau 2" in jumps[0].message
    assert result.frame["summary_id"].tolist()[2] == "2"
    # no WBS column: the outline numbers MS Project would show, the deep row under row 3's
    assert result.frame["wbs"].tolist() == ["1", "1.1", "1.1.1"]

    codes = [
        ["WBS", "Task Name", "Start", "Finish"],
        ["1", "Lot A", "16/02/2026", "13/03/2026"],
        ["3.1", "Orphan", "16/02/2026", "13/03/2026"],
    ]
    result = load_schedule(xlsx_bytes(codes), lang="en", limits=LIMITS)
    missing = [w for w in result.warnings if w.code == "wbs_parent_missing"]
    assert [(w.row, w.column, w.value) for w in missing] == [(3, "WBS", "3.1")]
    assert '"3"' in missing[0].message


def test_a_schedule_without_outline_has_no_summary():
    rows = [["ID", "Tâche", "Début", "Fin"], ["T1", "A", "16/02/2026", "20/02/2026"]]
    frame = load_schedule(xlsx_bytes(rows), lang="fr", limits=LIMITS).frame
    assert frame["is_summary"].tolist() == [False]
    assert frame["is_summary"].dtype == bool


def test_p6_export_layout():
    """Activity ID / Activity Name / Original Duration / ``16-Feb-26`` dates (``A`` marks an
    actual date) / a WBS shared by activities (a node's code, not an outline), P6 constraints
    and the project-file link form."""
    rows = [
        ["Activity ID", "Activity Name", "Original Duration", "Start", "Finish", "WBS",
         "Activity % Complete", "Primary Constraint", "Primary Constraint Date", "Predecessors"],
        ["A1000", "Mobilisation", 5, "16-Feb-26 A", "20-Feb-26 A", "SP10.1", "100%", "", None, ""],
        ["A1010", "Excavation", 10, "23-Feb-26", "06-Mar-26", "SP10.1", "0%",
         "Start On or After", "23-Feb-26", "A1000 FS+16h"],
        ["A1020", "Footings", "15d", "09-Mar-26 08:00", "27-Mar-26", "SP10.2", "0%", "Finish On",
         "27-Mar-26", "A1010"],
    ]  # fmt: skip
    frame = load_schedule(xlsx_bytes(rows), lang="en", limits=LIMITS).frame.set_index("task_id")
    assert frame["name"].tolist() == ["Mobilisation", "Excavation", "Footings"]
    assert frame["duration"].tolist() == [5.0, 10.0, 15.0]
    assert frame.at["A1000", "start"] == pd.Timestamp(2026, 2, 16)
    assert frame.at["A1020", "start"] == pd.Timestamp(2026, 3, 9, 8)
    assert frame["wbs"].tolist() == ["SP10.1", "SP10.1", "SP10.2"]
    assert not frame["is_summary"].any()
    assert frame["percent_complete"].tolist() == [100.0, 0.0, 0.0]
    assert frame["constraint_type"].tolist()[1:] == ["SNET", "FO"]
    assert parse_predecessors(frame.at["A1010", "predecessors"]).links == [
        Link("A1000", "FS", 16, "h")
    ]


def test_export_problems_are_errors_with_row_and_column():
    """A weekday that is not the date's (row 2: 17/04/2026 is a Friday), an unknown constraint
    (row 3), a dated constraint without its date (row 4), a surface in the duration (row 5)."""
    rows = [
        ["ID", "Task Name", "Duration", "Start", "Finish", "Constraint Type", "Constraint Date"],
        [1, "A", "5 days", "Mon 4/13/26", "Tue 4/17/26", "", ""],
        [2, "B", "5 days", "Mon 4/13/26", "Fri 4/17/26", "Whenever", ""],
        [3, "C", "5 days", "Mon 4/13/26", "Fri 4/17/26", "Must Start On", "NA"],
        [4, "D", "40 m²", "Mon 4/13/26", "Fri 4/17/26", "", ""],
    ]
    with pytest.raises(LoadError) as raised:
        load_schedule(xlsx_bytes(rows), lang="en", limits=LIMITS)
    found = {(p.code, p.row, p.column) for p in raised.value.problems if p.is_error}
    assert found == {
        ("weekday_mismatch", 2, "Finish"),
        ("unknown_constraint", 3, "Constraint Type"),
        ("constraint_without_date", 4, "Constraint Type"),
        ("wrong_unit", 5, "Duration"),
    }
    mismatch = next(p for p in raised.value.problems if p.code == "weekday_mismatch")
    assert "17/04/2026 is a Friday" in mismatch.message


def test_floor_areas_accept_an_area_typed_with_its_unit():
    """``40,00 m²`` and ``15 m2`` are 40 and 15 m²; ``1 250 MAD`` in the area is an error
    naming the unit."""
    rows = [
        ["Désignation", "Type", "Surface"],
        ["Bureau 1", "Bureau", "40,00 m²"],
        ["Bureau 2", "Bureau", "15 m2"],
    ]
    frame = load_floor_areas(xlsx_bytes(rows), lang="fr", limits=LIMITS).frame
    assert frame["area_m2"].tolist() == [40.0, 15.0]
    rows.append(["Bureau 3", "Bureau", "1 250 MAD"])
    with pytest.raises(LoadError) as raised:
        load_floor_areas(xlsx_bytes(rows), lang="fr", limits=LIMITS)
    (problem,) = [p for p in raised.value.problems if p.is_error]
    assert (problem.code, problem.row) == ("wrong_unit", 4)
    assert "« MAD »" in problem.message and "surface" in problem.message


def test_outline_numbers_follow_the_parents():
    """``[0, 1, 2, 2, 1, 2]`` numbered as MS Project does; after a jump from 1 to 3, both
    level-3 rows are children of ``1`` (their parent in ``complete_outline``)."""
    assert outline_numbers([0, 1, 2, 2, 1, 2]) == ["0", "1", "1.1", "1.2", "2", "2.1"]
    assert outline_numbers([1, 3, 3, 2]) == ["1", "1.1", "1.2", "1.3"]


# --- the parsers, one value at a time ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lun 16/02/26", pd.Timestamp(2026, 2, 16)),
        ("lun. 16/02/26 08:00", pd.Timestamp(2026, 2, 16, 8)),
        ("Mon 2/16/26", pd.Timestamp(2026, 2, 16)),
        ("Mon 2/16/26 8:00 AM", pd.Timestamp(2026, 2, 16, 8)),
        ("Mon 2/16/26 12:30 PM", pd.Timestamp(2026, 2, 16, 12, 30)),
        ("lundi 16 février 2026", pd.Timestamp(2026, 2, 16)),
        ("Monday, February 16, 2026", pd.Timestamp(2026, 2, 16)),
        ("Mon 16/02/26", pd.Timestamp(2026, 2, 16)),  # British: only day first is a Monday
        ("Lun 3/2/26", pd.Timestamp(2026, 3, 2)),  # 3 Feb 2026 is a Tuesday, 2 March a Monday
        ("Di 07.01.03", pd.Timestamp(2003, 1, 7)),  # German Dienstag (MPX files)
        ("16-Feb-26", pd.Timestamp(2026, 2, 16)),
        ("mars 2026", pd.Timestamp(2026, 3, 1)),  # a month, not "mar" (mardi) + 2026
    ],
)
def test_dates_with_a_weekday(text, expected):
    assert read_date_text(text) == (expected, False)


def test_a_weekday_that_is_not_the_dates_is_flagged():
    """16/02/2026 is a Monday, 02/16 too: ``Mar`` (mardi) fits neither order."""
    assert read_date_text("Mar 16/02/26") == (pd.Timestamp(2026, 2, 16), True)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("20 jours", 20), ("0 jour", 0), ("5 j", 5), ("5 d", 5), ("5 days", 5),
        ("2 sem", 10), ("2 w", 10), ("1 mois", 20), ("16 h", 2), ("20,5 jours", 20.5),
        ("20 jours?", 20), ("12", 12), ("2 wks", 10), ("30 min", 30 / 480),
    ],
)  # fmt: skip
def test_durations_as_text(text, days):
    """A week is 5 working days, a month 20, a day 8 hours (MS Project's defaults)."""
    assert parse_duration_text(text) == Duration(pytest.approx(days), False)


def test_elapsed_durations_are_flagged():
    """5 elapsed days hold 5 × 5/7 working days on a five-day week."""
    assert parse_duration_text("5 jé") == Duration(pytest.approx(25 / 7), True)
    assert parse_duration_text("5 ed") == parse_duration_text("5 jé")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dès que possible", "ASAP"), ("Le plus tard possible", "ALAP"),
        ("Début au plus tôt le", "SNET"), ("Début au plus tard le", "SNLT"),
        ("Fin au plus tôt le", "FNET"), ("Fin au plus tard le", "FNLT"),
        ("Doit commencer le", "MSO"), ("Doit finir le", "MFO"),
        ("As Soon As Possible", "ASAP"), ("Start No Earlier Than", "SNET"),
        ("Finish No Later Than", "FNLT"), ("Must Start On", "MSO"),
        ("Start On or After", "SNET"), ("Finish On or Before", "FNLT"), ("Start On", "SO"),
        ("Finish On", "FO"), ("Mandatory Start", "MANDSTART"), ("CS_MEOA", "FNET"),
        ("  snet ", "SNET"),
    ],
)  # fmt: skip
def test_constraint_names(text, code):
    assert constraint_code(text) == code


def test_a_unit_that_does_not_fit_is_named():
    """``40 m²`` in an amount is refused with the unit; in an area it is 40."""
    cells = pd.Series(["40 m²", "1 250,00 MAD", "15 %"], dtype=object)
    money = parse_number_column(cells, units="money")
    assert money.values.tolist()[1] == 1250.0
    assert [(f.position, f.code, f.params["unit"]) for f in money.failures] == [
        (0, "wrong_unit", "m²"),
        (2, "wrong_unit", "%"),
    ]
    area = parse_number_column(cells, units="area")
    assert area.values.tolist()[0] == 40.0


# --- properties -------------------------------------------------------------------------------


@given(st.text(max_size=30))
def test_duration_parser_never_raises(text):
    read = parse_duration_text(text)
    assert read is None or isinstance(read, str | Duration)


@given(st.text(max_size=30))
def test_date_parser_never_raises(text):
    read = read_date_text(text)
    assert read.date is None or isinstance(read.date, pd.Timestamp)


@given(
    st.integers(min_value=0, max_value=9999),
    st.sampled_from([("jours", 1), ("j", 1), ("days", 1), ("sem", 5), ("w", 5), ("mois", 20)]),
)
def test_durations_read_back(number, unit):
    """``n unit`` is n × the unit's working days, whatever the spelling."""
    word, factor = unit
    assert parse_duration_text(f"{number} {word}") == Duration(number * factor)


@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)))
def test_weekday_dates_read_back(day):
    """A date written as MS Project does, in French and in English, reads back as itself."""
    french = ("Lun", "Mar", "Mer", "Jeu", "Ven", "Sam", "Dim")[day.weekday()]
    english = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]
    expected = pd.Timestamp(day)
    short = day.year % 100
    assert read_date_text(f"{french} {day.day:02d}/{day.month:02d}/{short:02d}").date == expected
    assert read_date_text(f"{english} {day.month}/{day.day}/{short:02d}").date == expected
    assert not read_date_text(f"{english} {day.month}/{day.day}/{short:02d}").weekday_mismatch


@given(st.text(alphabet="0123456789FSDjour+-.,; émwkh%", max_size=25))
def test_predecessor_items_never_raise(text):
    parsed = parse_predecessors(text)
    assert all(isinstance(link.lag, int | float) for link in parsed.links)
