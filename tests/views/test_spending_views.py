"""The Dépenses view on the bundled sample, in both languages: one name and one number per
idea (rates with their divisor, retention with its base, the cost-based SPI, the penalty to
the centime, DP6 over its lines), plural forms by count, no French in English, no None or
nan in a table."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.exports.test_workbook import sample_situation
from views.format import format_value
from views.spending import alert_message, line_decomptes_table, spending_view


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def situation():
    return sample_situation()


@pytest.fixture(scope="module", params=["fr", "en"])
def view(request, situation):
    return request.param, spending_view(situation.spending, situation.settings, request.param)


def figures(content) -> dict:
    return {f.key: f for f in [*content.amounts, *content.rates, *content.outlook, *content.terms]}


RATE_LABELS = {
    "fr": {
        "spending.engagement_rate": "Taux d'engagement (engagé / enveloppe)",
        "spending.issue_rate": "Taux d'émission (émis / engagé)",
        "spending.payment_rate": "Taux de paiement (payé / émis)",
    },
    "en": {
        "spending.engagement_rate": "Commitment rate (committed / envelope)",
        "spending.issue_rate": "Issue rate (issued / committed)",
        "spending.payment_rate": "Payment rate (paid / issued)",
    },
}


def test_each_rate_names_its_divisor_in_figures_and_tables(view):
    lang, content = view
    shown = figures(content)
    for key, label in RATE_LABELS[lang].items():
        assert shown[key].label == label
    assert shown["spending.issue_rate"].value == pytest.approx(0.82515, abs=1e-5)
    lines = {c.id: c.label for c in content.lines.columns}
    assert lines["issue_rate"] == RATE_LABELS[lang]["spending.issue_rate"]
    assert lines["payment_rate"] == RATE_LABELS[lang]["spending.payment_rate"]


def test_retention_held_and_constituted_are_named_by_their_base(view):
    lang, content = view
    held = figures(content)["spending.retention_held"]
    assert held.value == pytest.approx(674_824.60)
    assert (
        held.label
        == {"fr": "Retenue détenue (sur le payé)", "en": "Retention held (on paid)"}[lang]
    )
    assert "874" in held.help  # the retention constituted on the issued, in its help
    rules = {c.id: c.label for c in content.rules.columns}
    assert (
        rules["retention"]
        == {
            "fr": "Retenue constituée (sur l'émis)",
            "en": "Retention constituted (on issued)",
        }[lang]
    )
    works = content.rules.frame.set_index("contract_id").loc["07/2026/AREP-RSK"]
    assert works["retention"] == pytest.approx(874_203.64)
    assert works["retention_on_paid"] == pytest.approx(held.value)


def test_the_spi_is_the_cost_one(view):
    lang, content = view
    spi = figures(content)["spending.spi"]
    assert spi.label == {"fr": "SPI (coûts : EV / PV)", "en": "SPI (cost: EV / PV)"}[lang]
    assert spi.value == pytest.approx(0.9341, abs=1e-4)
    indicators = content.earned.frame["indicator"].tolist()
    assert any(i.startswith(spi.label) for i in indicators)
    assert any("SPI(t)" in line for line in content.meaning)


def test_the_penalty_is_one_amount_to_the_centime(view):
    lang, content = view
    penalty = figures(content)["spending.penalty"]
    assert penalty.value == pytest.approx(412_124.57)
    amount = plain(format_value(penalty.value, "money", lang))
    assert amount in plain(content.penalty)
    assert amount == {"fr": "412 124,57 MAD", "en": "412,124.57 MAD"}[lang]


def test_dp6_alert_says_it_spans_nine_lines_and_the_drill_down_shows_the_share(view, situation):
    lang, content = view
    texts = [plain(a.text) for a in content.alerts]
    (dp6,) = [t for t in texts if "DP6" in t]
    whole = plain(format_value(1_993_790.34, "money", lang))
    assert whole in dp6
    assert {"fr": "sur 9 lignes budgétaires", "en": "over 9 budget lines"}[lang] in dp6
    drill = line_decomptes_table(situation.spending, "TR-01", lang)
    row = drill.frame.set_index("reference").loc["DP6"]
    assert row["amount"] == pytest.approx(410_841.45)
    assert row["decompte_amount"] == pytest.approx(1_993_790.34)
    labels = {c.id: c.label for c in drill.columns}
    assert labels["amount"] == {"fr": "Montant sur la ligne", "en": "Amount on the line"}[lang]
    assert "TR-01" in drill.caption


def test_plurals_by_count_in_the_drill_down_titles(situation):
    one = line_decomptes_table(situation.spending, "EQ-02", "fr")
    assert one.title == "Ligne EQ-02 : 0 ligne de décompte"  # CLDR: 0 is singular in French
    many = line_decomptes_table(situation.spending, "TR-01", "fr")
    assert many.title == "Ligne TR-01 : 7 lignes de décomptes"
    assert line_decomptes_table(situation.spending, "TR-01", "en").title == (
        "Line TR-01: 7 certificate rows"
    )


FRENCH_IN_ENGLISH = re.compile(r"\b(DH|MDH|TTC|HT|décomptes?|engagé|émis|payé|jours?)\b")


def test_no_french_in_the_english_texts(situation):
    content = spending_view(situation.spending, situation.settings, "en")
    texts = [content.verdict.text, content.penalty, *content.meaning]
    texts += [a.text for a in content.alerts]
    for figure in figures(content).values():
        texts += [figure.label, figure.help, figure.detail]
    tables = [
        content.breakdown,
        content.lines,
        content.earned,
        content.earned_lines,
        content.excluded,
        content.rules,
        content.retention,
        content.overdue,
        content.ledger,
    ]
    for table in tables:
        texts += [table.title, table.caption, table.empty_text, *table.labels]
    found = sorted({m.group(0) for t in texts for m in FRENCH_IN_ENGLISH.finditer(t)})
    assert found == []


def test_no_none_or_nan_in_any_table(view):
    lang, content = view
    for table in (content.lines, content.rules, content.ledger, content.earned):
        for column in table.columns:
            for value in table.frame[column.id]:
                shown = format_value(value, column.kind, lang, missing=column.missing_text or "—")
                assert shown not in ("None", "nan", "NaN", "NaT", "<NA>"), (table.key, column.id)


def test_an_alert_text_formats_its_rows_only_when_drawn(situation):
    (alert,) = [a for a in situation.spending.alerts if a.code == "overdue_payment"]
    assert alert.source_rows == tuple(range(52, 61))
    assert "52–60" in alert_message(alert, "fr")
    assert isinstance(situation.spending.overdue["source_rows"].iloc[0], tuple)
    assert pd.api.types.is_float_dtype(situation.spending.overdue["amount"])


def test_the_csv_download_is_the_table_of_the_page(situation):
    """The lines table as CSV: the page's headers, numbers typed for French Excel."""
    from exports.safe_csv import table_csv_bytes

    content = spending_view(situation.spending, situation.settings, "fr")
    rows = table_csv_bytes(content.lines, "fr").decode("utf-8-sig").splitlines()
    assert rows[0].split(";")[:5] == ["Code", "Poste budgétaire", "Catégorie", "Budget", "Engagé"]
    tr01 = next(row for row in rows if row.startswith("TR-01;"))
    assert ";4340000,0;4745776,02;" in tr01
    ledger = table_csv_bytes(content.ledger, "fr").decode("utf-8-sig").splitlines()
    assert any(row.startswith("DP6;") and row.endswith(";52") for row in ledger)


def test_the_late_payments_table_gives_the_clock_and_the_interest(view, situation):
    """DP6, the only late décompte of the sample, counted from its issue date (the sample
    ledger has no service date, and the caption says so): due 13/11/2026, 7 days late,
    1 204,47 MAD of interest; the total is a figure of its own."""
    lang, content = view
    table = content.overdue
    assert {"clock_from_text", "clock_start", "due_date", "late_interest"} <= set(table.ids)
    (row,) = table.frame.to_dict("records")
    assert row["reference"] == "DP6" and row["clock_start"] == pd.Timestamp("2026-09-14")
    assert row["clock_from_text"] == {"fr": "émission du décompte", "en": "certificate issue"}[lang]
    assert row["late_status"] == {"fr": "non payé", "en": "unpaid"}[lang]
    assert row["late_interest"] == pytest.approx(1204.47) and row["days_late"] == 7
    issue_date_clause = {"fr": "le délai court ici de la date d'émission", "en": "issue date"}
    assert issue_date_clause[lang] in table.caption
    assert {"fr": "3,5", "en": "3.5"}[lang] in table.caption and "365" in table.caption
    figure = content.late_interest
    assert figure.key == "spending.late_interest" and figure.value == pytest.approx(1204.47)
    assert plain(figure.detail) == {"fr": "1 204,47 MAD", "en": "1,204.47 MAD"}[lang]


def test_the_late_payments_table_keeps_the_decomptes_paid_late():
    """At completion DP6 is paid (07/12/2026), 24 days late: not overdue any more, but its
    interest (4 129,60 MAD) is still owed and the table shows it as paid late."""
    from tests.tracking.stage_data import stage_situation

    situation = stage_situation("completion")
    content = spending_view(situation.spending, situation.settings, "fr")
    (row,) = content.overdue.frame.to_dict("records")
    assert row["reference"] == "DP6" and row["late_status"] == "payé en retard"
    assert row["paid_date"] == pd.Timestamp("2026-12-07")
    assert row["late_interest"] == pytest.approx(4129.60)
    assert content.late_interest.value == pytest.approx(4129.60)
    assert not any(content.overdue.highlight)  # paid: nothing left to pay
