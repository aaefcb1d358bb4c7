"""The Synthèse in figures and words, from ``views.briefing``: the financial progress says it
is émis / engagé, plurals by count, English days, and the ratings, late tasks and alerts the
workbook writes are the page's."""

from __future__ import annotations

import io
from html import escape as html_escape

import pytest

from exports.workbook import build_workbook
from tests.exports.test_workbook import sample_situation
from tests.views.readback import sheet_values, table_values, workbook_table
from tracking.rag import Rating
from views import briefing as view
from views.format import format_value

ISSUED, ENGAGED = 11_791_264.32, 14_289_823.42


@pytest.fixture(scope="module")
def situation():
    return sample_situation()


@pytest.mark.parametrize(
    ("lang", "label", "detail"),
    [
        ("fr", "Av. financier", "émis / engagé : 11,79 MDH sur 14,29 MDH"),
        ("en", "Financial", "issued / committed: 11.79 M MAD of 14.29 M MAD"),
    ],
)
def test_the_financial_progress_says_what_it_divides(situation, lang, label, detail):
    figure = {f.key: f for f in view.headline_figures(situation, lang)}["financial"]
    assert figure.label == label
    assert figure.detail == detail
    assert figure.value == pytest.approx(ISSUED / ENGAGED)  # 82,5 %
    assert format_value(figure.value, "percent", lang).startswith("82")


@pytest.mark.parametrize(
    ("lang", "count", "words"),
    [
        ("fr", 1, "mais 1 alerte rouge à traiter"),
        ("fr", 2, "mais 2 alertes rouges à traiter"),
        ("en", 1, "but 1 red alert to deal with"),
        ("en", 3, "but 3 red alerts to deal with"),
    ],
)
def test_the_cost_reason_counts_its_red_alerts(situation, lang, count, words):
    rating = Rating("cost", "amber", "cost_alerts", {"red_alerts": count})
    text = view.rating_reason(rating, situation, lang)
    assert words in text
    assert "(s)" not in text


def test_the_english_briefing_says_days_in_english(situation):
    figures = {f.key: f for f in view.headline_figures(situation, "en")}
    assert figures["forecast_finish"].detail == "+33 days against the contractual end"
    late = view.late_tasks_table(situation, "en")
    assert late.columns[-1].kind == "days"
    assert format_value(late.frame.iloc[0]["delay_calendar_days"], "days", "en") == "33 days"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_summary_sheet_writes_the_tables_of_the_page(situation, lang):
    content = build_workbook(situation, [], [], lang)
    for table in (
        view.ratings_table(situation, lang),
        view.late_tasks_table(situation, lang),
        view.alerts_table(situation, lang),
    ):
        sheet = workbook_table(content, table.key)
        assert list(sheet.columns) == table.labels, table.key
        assert sheet_values(sheet) == table_values(table), table.key
        assert len(sheet) > 0, table.key


def test_the_late_tasks_are_the_five_furthest_behind(situation):
    late = view.late_tasks_table(situation, "fr").frame
    assert late["task"].tolist()[:3] == [
        "T68 · Levée des réserves de l'OPR",
        "T69 · Réception provisoire",
        "T52 · Peinture intérieure",
    ]
    assert late["delay_calendar_days"].tolist() == [33, 33, 32, 31, 29]


def test_the_note_and_the_slides_list_the_same_decisions():
    """One definition of the decisions needed: each rating that is not green, worst first,
    with its sentence; the PDF note's section and the deck's last slide hold those texts."""
    from pptx import Presentation

    from exports.briefing_pdf import briefing_html
    from exports.briefing_pptx import build_briefing_pptx
    from i18n import strip_bidi
    from views.briefing import decisions_needed

    situation = sample_situation()
    decisions = decisions_needed(situation, "fr")
    colors = {r.dimension: r.color for r in situation.ratings}
    # time red, cost amber, scope green: one decision, the one the overall rating names
    assert [d.color for d in decisions] == ["red"] and colors["cost"] == "amber"
    assert decisions[0].text.startswith("Délais (rouge) : Fin prévue le 18/01/2027")
    overall = situation.rating("overall")
    assert view.rating_reason(overall, situation, "fr") == "Décision nécessaire : délais."
    html = briefing_html(situation, [], "fr")
    deck = Presentation(io.BytesIO(build_briefing_pptx(situation, [], "fr")))
    last = strip_bidi(deck.slides[5].placeholders[1].text_frame.text)
    for decision in decisions:
        assert html_escape(decision.text) in html
        assert decision.text in last
