"""What the Planning page and the workbook say about time, from ``views.planning``: the two
floats named apart, the schedule checks as one table, SPI(t) named as the time index, plurals
by count, and no None / nan in any table at any stage of the works."""

from __future__ import annotations

import pandas as pd
import pytest

from exports.safe_csv import table_csv_bytes
from exports.workbook import build_workbook
from i18n import catalogue, translate
from tests.exports.test_workbook import sample_situation
from tests.tracking.stage_data import STAGES, stage_situation
from tests.views.readback import sheet_values, table_values, workbook_table
from tracking.cpm import CPM
from tracking.forecast import FLOAT_TO_CONTRACT
from views import planning as view
from views.format import format_value

UNTRUE = ("None", "nan", "NaN", "NaT", "<NA>", "inf")


@pytest.fixture(scope="module")
def situation():
    return sample_situation()


def tables_of(situation, lang: str):
    planning, schedule = situation.planning, situation.schedule
    return [
        view.late_tasks_table(schedule, planning, lang),
        view.milestones_table(schedule, planning, lang),
        view.checks_table(planning, situation.settings.high_float_days, lang),
        view.tasks_table(schedule, planning, lang),
    ]


@pytest.mark.parametrize(
    ("lang", "network", "contract"),
    [
        ("fr", "Marge sur le réseau", "Marge sur la fin contractuelle"),
        ("en", "Float on the network", "Float to the contractual end"),
    ],
)
def test_the_two_floats_have_two_names_wherever_they_appear(situation, lang, network, contract):
    for table in tables_of(situation, lang):
        labels = {column.id: column.label for column in table.columns}
        if CPM.total_float in labels:
            assert labels[CPM.total_float] == network, table.key
        if FLOAT_TO_CONTRACT in labels:
            assert labels[FLOAT_TO_CONTRACT] == contract, table.key
    # no screen, sheet or hover says "total float" for either of them any more; only what is
    # read beside the planning tool keeps the tool's word: its own float ("Marge totale
    # (outil…)") and the command line's table a planner compares with his tool
    words = ("marge totale", "total float")
    named = {k for k, v in catalogue(lang).items() if any(w in v.lower() for w in words)}
    assert named <= {"column.file_total_float", "cpm.cli.column.total_float"}
    tool = "(outil" if lang == "fr" else "(tool"
    assert tool in translate("column.file_total_float", lang).lower()


def test_the_negative_float_check_and_the_late_table_agree(situation):
    """The check measures against the contractual end: every task it lists has a negative
    float to the contractual end in the late table, whatever its float on the network (T66:
    12 working days on the network, −8 to the contractual end)."""
    check = next(c for c in situation.planning.checks if c.code == "negative_float")
    late = view.late_tasks_table(situation.schedule, situation.planning, "fr").frame
    late = late.set_index("task_id")
    assert set(check.task_ids) <= set(late.index)
    assert (late.loc[list(check.task_ids), FLOAT_TO_CONTRACT] < 0).all()
    assert (late.loc[list(check.task_ids), CPM.total_float] >= 0).all()
    assert (late.loc["T66", CPM.total_float], late.loc["T66", FLOAT_TO_CONTRACT]) == (12, -8)
    name = translate("checks.name.negative_float", "fr")
    assert name == "Marges négatives sur la fin contractuelle"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_schedule_checks_are_one_table_on_screen_and_in_the_workbook(situation, lang):
    table = view.checks_table(situation.planning, situation.settings.high_float_days, lang)
    sheet = workbook_table(build_workbook(situation, [], [], lang), table.key)
    assert list(sheet.columns) == table.labels
    assert sheet_values(sheet) == table_values(table)
    rows = table.frame.set_index("check")
    # 38 of the 109 links have a positive lag: 34,9 % against a 5 % maximum
    lags = rows.loc[translate("checks.name.lags", lang)]
    assert (lags["count"], lags["population"]) == (38, 109)
    assert lags["value"] == pytest.approx(38 / 109)
    assert lags["threshold"] == "≤ " + format_value(0.05, "percent", lang)
    # a count rule has no share to show: its bound is said in words
    leads = rows.loc[translate("checks.name.leads", lang)]
    assert pd.isna(leads["value"]) and leads["threshold"] == ("aucun" if lang == "fr" else "none")


def test_the_high_float_check_names_the_setting(situation):
    days = situation.settings.high_float_days
    table = view.checks_table(situation.planning, days, "en")
    assert f"High float to the contractual end (> {days} working days)" in set(table.frame["check"])


@pytest.mark.parametrize(
    ("lang", "passed", "total", "text"),
    [
        ("fr", 1, 1, "1 contrôle réussi sur 1 applicable."),
        ("fr", 4, 12, "4 contrôles réussis sur 12 applicables."),
        ("en", 1, 1, "1 of 1 applicable check passed."),
        ("en", 4, 12, "4 of 12 applicable checks passed."),
    ],
)
def test_the_checks_caption_chooses_its_plurals_by_count(lang, passed, total, text):
    assert translate("planning.checks_passed", lang, passed=passed, total=total) == text


def test_spi_t_is_named_as_the_time_index(situation):
    figures = {f.key: f for f in view.planning_figures(situation.planning, "fr")}
    assert figures["spi_t"].label == "SPI(t) (délais, durée acquise)"
    assert figures["spi_t"].value == pytest.approx(171.52285714 / 188)  # ES / AT
    english = {f.key: f for f in view.planning_figures(situation.planning, "en")}
    assert english["spi_t"].label == "SPI(t) (time, earned schedule)"
    assert "SPI (cost)" in english["spi_t"].help


def test_the_english_figures_say_days_in_english(situation):
    figures = {f.key: f for f in view.planning_figures(situation.planning, "en")}
    assert figures["delay"].shown == "+33 days"
    penalty = figures["penalty"]
    # 12 488 623,42 × 1/1000 × 33 days = 412 124,57, below the 8 % cap reached after 80 days
    assert penalty.value == pytest.approx(412_124.57)
    assert "a cap reached after 80 days of delay" in penalty.help
    assert format_value(33, "days", "en") == "33 days"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("stage", ["mid-course", *STAGES])
def test_no_table_says_none_or_nan(stage, lang):
    situation = sample_situation() if stage == "mid-course" else stage_situation(stage)
    for table in tables_of(situation, lang):
        cells = [
            format_value(value, column.kind, lang, missing=column.missing_text or "—")
            for column in table.columns
            for value in table.frame[column.id].tolist()
        ]
        assert [c for c in cells if any(word in c.split() for word in UNTRUE)] == [], table.key
        csv = table_csv_bytes(table, lang).decode("utf-8-sig")
        assert not any(f";{word};" in csv or f";{word}\r" in csv for word in UNTRUE), table.key
    texts = [f.label for f in view.planning_figures(situation.planning, lang)]
    texts += [f.help for f in view.planning_figures(situation.planning, lang)]
    texts += [view.planning_verdict(situation.planning, lang).text]
    texts += [view.earned_schedule_text(situation.planning, lang)]
    assert [t for t in texts if any(word in t.split() for word in UNTRUE)] == []
