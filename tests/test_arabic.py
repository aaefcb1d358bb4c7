"""The briefing in Arabic: every text the Synthèse's views give a document (headline figures,
the sentence behind each rating, late tasks, alerts, the colour scale) comes from the Arabic
catalogue at the three stages of the works (no French fallback), in Moroccan Arabic figures."""

from __future__ import annotations

import re

import pytest

import i18n
from tests.exports.test_workbook import sample_situation
from tests.tracking.stage_data import stage_situation
from tracking.rag import Rating
from views import briefing as view
from views.format import format_value

ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
#: the families of keys the documents draw on, all of them translated
DOCUMENT_FAMILIES = (
    "briefing.",
    "rag.",
    "stages.reason.",
    "stages.figure.",
    "stages.detail.",
    "spending.alert.",
    "format.",
    "severity.",
    "export.col.",
    "surfaces.type.",
)


class _Recording(dict):
    """The Arabic catalogue, noting each key asked for that it does not hold (a key
    ``i18n.translate`` then takes from French)."""

    def __init__(self, data: dict[str, str]):
        super().__init__(data)
        self.fallbacks: set[str] = set()

    def get(self, key, default=None):
        if key not in self:
            self.fallbacks.add(key)
        return super().get(key, default)


@pytest.fixture
def recorded(monkeypatch):
    """Every Arabic look-up of ``i18n.translate`` goes through a ``_Recording``."""
    original = i18n.catalogue
    recording = _Recording(original("ar"))
    monkeypatch.setattr(
        i18n, "catalogue", lambda lang: recording if lang == "ar" else original(lang)
    )
    return recording


SITUATIONS = {
    "launch": lambda: stage_situation("launch"),
    "mid": sample_situation,
    "completion": lambda: stage_situation("completion"),
}


def briefing_texts(situation, lang: str = "ar") -> list[str]:
    """Every text a briefing document writes: figure labels, values and notes, the three
    tables' titles, headers and cells as ``format_value`` shows them, the colour scale."""
    texts: list[str] = []
    for figure in view.headline_figures(situation, lang):
        shown = figure.shown or format_value(figure.value, figure.kind, lang)
        texts += [figure.label, shown, view.figure_note(figure, lang)]
    for table in (
        view.ratings_table(situation, lang),
        view.late_tasks_table(situation, lang),
        view.alerts_table(situation, lang),
    ):
        texts += [table.title, table.empty_text or ""]
        for column in table.columns:
            texts += [column.label, column.help]
            texts += [format_value(v, column.kind, lang) for v in table.frame[column.id]]
    texts.append(view.colour_scale_text(situation.settings.alerts, lang))
    return [text for text in texts if text]


@pytest.mark.parametrize("stage", list(SITUATIONS))
def test_the_arabic_briefing_falls_back_to_french_nowhere(recorded, stage):
    texts = briefing_texts(SITUATIONS[stage]())
    assert recorded.fallbacks == set()
    assert len(texts) > 30
    assert not [t for t in texts if re.search(r"\b(briefing|rag|stages|spending)\.\w", t)]
    assert not [t for t in texts if "{" in t or "#" in t]


def test_every_document_key_has_its_arabic_translation():
    arabic = i18n.catalogue("ar")
    missing = sorted(
        key
        for key in i18n.catalogue("fr")
        if key.startswith(DOCUMENT_FAMILIES) and key not in arabic
    )
    assert missing == []


@pytest.fixture(scope="module")
def mid():
    return sample_situation()


def test_the_headline_figures_in_arabic(mid):
    figures = {f.key: f for f in view.headline_figures(mid, "ar")}
    assert figures["physical"].label == "الإنجاز المادي"
    assert format_value(figures["physical"].value, "percent", "ar") == "87,2\u00a0%"
    assert figures["physical"].detail == "المتوقع: 96,1\u00a0%"
    assert figures["financial"].detail == (
        "المبالغ المصدرة / الالتزامات: 11,79 مليون درهم من أصل 14,29 مليون درهم"
    )
    assert figures["engaged"].detail == "14.289.823\u00a0MAD من أصل 15,2 مليون درهم"
    assert figures["time_elapsed"].detail == "من 16/02/2026 إلى 16/12/2026"
    assert format_value(figures["forecast_finish"].value, "date", "ar") == "18/01/2027"
    assert figures["forecast_finish"].detail == "+33 يومًا مقارنة بتاريخ الانتهاء التعاقدي"
    assert figures["forecast_cost"].shown == "14,77 مليون درهم"


def test_the_ratings_in_arabic(mid):
    table = view.ratings_table(mid, "ar")
    rows = {row["code"]: row for row in table.frame.to_dict("records")}
    assert [c.label for c in table.columns] == ["المجال", "التقييم", "السبب"]
    assert rows["time"]["dimension"] == "الآجال" and rows["time"]["rating"] == "أحمر"
    # the red time rating quotes the COPIL's decision (the decision's text as typed, cut)
    assert rows["time"]["reason"] == (
        "الانتهاء متوقع في 18/01/2027، أي بعد 33 يومًا من تاريخ الانتهاء التعاقدي 16/12/2026؛ "
        "نسبة الإنجاز الفعلي 87,2\u00a0% مقابل 96,1\u00a0% متوقعة. "
        "قرار متخذ في 16/10/2026 (COPIL): Deuxième équipe de gros œuvre et…."
    )
    assert "يوجد تنبيهان أحمران يستوجبان المعالجة" in rows["cost"]["reason"]
    assert rows["overall"]["reason"] == "يستلزم اتخاذ قرار: الآجال."


@pytest.mark.parametrize(
    ("count", "words"),
    [(1, "يوجد تنبيه أحمر واحد"), (2, "يوجد تنبيهان أحمران"), (3, "توجد 3 تنبيهات حمراء")],
)
def test_the_arabic_cost_reason_counts_its_red_alerts(mid, count, words):
    rating = Rating("cost", "amber", "cost_alerts", {"red_alerts": count})
    assert words in view.rating_reason(rating, mid, "ar")


def test_the_late_tasks_and_alerts_in_arabic(mid):
    late = view.late_tasks_table(mid, "ar")
    assert late.title == "المهام الأكثر تأخرًا"
    assert format_value(late.frame.iloc[0]["delay_calendar_days"], "days", "ar") == "33 يومًا"
    alerts = view.alerts_table(mid, "ar")
    assert list(alerts.frame["level"]) == ["أحمر", "أحمر"]
    overdue = alerts.frame["message"].iloc[1]
    assert overdue.startswith("كشف الحساب DP6 للصفقة 07/2026/AREP-RSK")
    assert "مبلغ 1.993.790,34\u00a0MAD غير مؤدى موزع على 9 بنود من الميزانية" in overdue
    assert "منذ 67 يومًا، بتأخير قدره 7 أيام عن أجل الأداء المحدد في 60 يومًا" in overdue
    assert overdue.endswith("أسطر Excel: 52–60.")


def test_the_completion_in_arabic():
    figures = {f.key: f for f in view.headline_figures(stage_situation("completion"), "ar")}
    assert figures["reception"].label == "التسلم المؤقت"
    assert figures["final_cost"].label == "الكلفة النهائية"
    assert figures["retention"].detail == "عند التسلم النهائي، بتاريخ 18/01/2028"


def test_the_launch_says_why_a_figure_is_missing_in_arabic():
    figures = {f.key: f for f in view.headline_figures(stage_situation("launch"), "ar")}
    assert (
        view.figure_note(figures["forecast_finish"], "ar") == "متاح بعد أول تقرير عن تقدم الأشغال"
    )
    assert format_value(figures["forecast_cost"].value, "money", "ar") == "—"


@pytest.mark.parametrize("stage", list(SITUATIONS))
def test_every_arabic_text_of_the_briefing_is_arabic(stage):
    """Every label, note and sentence holds Arabic letters; only values (figures, dates, task
    names and budget lines as typed in the workbooks) may not."""
    situation = SITUATIONS[stage]()
    figures = view.headline_figures(situation, "ar")
    words = [f.label for f in figures] + [view.figure_note(f, "ar") for f in figures]
    for table in (view.ratings_table(situation, "ar"), view.alerts_table(situation, "ar")):
        words += [table.title] + [c.label for c in table.columns]
        words += [str(v) for c in table.columns if c.kind == "text" for v in table.frame[c.id]]
    assert [w for w in words if not ARABIC_LETTER.search(w)] == []


def test_lists_in_sentences_use_the_languages_separator():
    from views.format import join_list

    assert join_list(["TR-01", "TR-02"], "fr") == "TR-01, TR-02"
    assert join_list(["TR-01", "TR-02"], "ar") == "TR-01، TR-02"
