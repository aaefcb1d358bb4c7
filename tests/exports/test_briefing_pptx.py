"""The meeting deck, read back with python-pptx and converted by LibreOffice: seven 16:9 slides,
native charts whose series are the views' numbers, the headline figures as the screen writes
them, fonts of 12 pt or more, nothing off the slide or over the footer, and the Arabic deck
right to left and in Arabic."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches

import i18n
from exports.briefing_pptx import build_briefing_pptx, excel_serial
from i18n import strip_bidi, translate
from loaders import load_project
from store import DB_ENV
from store.current import open_seeded_store, tables_of, weekly_situations
from tests.exports.test_workbook import SOURCES, sample_situation
from tracking.situation import compute_situation
from views import briefing
from views import governance as governance_view
from views.format import format_value
from views.situation import situation_of
from views.trend import milestone_trend_lines

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("fr", "en", "ar")
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
#: the footer's top edge (inches from the slide's top): nothing else may reach below it
FOOTER_TOP = 6.98


@pytest.fixture(scope="module")
def situation():
    return sample_situation()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The sample history's six weekly situations (16/10 → 20/11/2026), as the review page
    computes them; the last one is the data in use."""
    settings = load_project(ROOT / "data" / "project.toml")
    path = tmp_path_factory.mktemp("deck") / "history.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DB_ENV, raising=False)
        store = open_seeded_store(settings, path)
    return [
        situation_of(settings, week.status_date, tables_of(store, week).frames)
        for week in weekly_situations(store)
    ]


@pytest.fixture(scope="module")
def decks(situation, history):
    """Each language's deck without history (the S-curve) and with the five earlier weeks
    (the milestone trend)."""
    return {
        (lang, trend): build_briefing_pptx(
            situation if not trend else history[-1],
            SOURCES,
            lang,
            history=history[:-1] if trend else None,
        )
        for lang in LANGS
        for trend in (False, True)
    }


def screen_text(figure, lang: str) -> str:
    """A headline figure's text as the Synthèse page shows it (``ui.render.figure_text``)."""
    if figure.shown is not None:
        return figure.shown
    return format_value(figure.value, figure.kind, lang)


def read(data: bytes):
    return Presentation(io.BytesIO(data))


def shape_named(slide, name: str):
    found = [shape for shape in slide.shapes if shape.name == name]
    assert len(found) == 1, (name, [shape.name for shape in slide.shapes])
    return found[0]


def paragraphs(presentation):
    """Every ``a:p`` of the slides: text frames, table cells, and the charts' text."""
    for slide in presentation.slides:
        yield from slide.shapes._spTree.iter(qn("a:p"))
        for shape in slide.shapes:
            if shape.has_chart:
                yield from shape.chart._chartSpace.iter(qn("a:p"))


def deck_text(presentation) -> str:
    return strip_bidi(
        "\n".join(
            "".join(t.text or "" for t in p.iter(qn("a:t"))) for p in paragraphs(presentation)
        )
    )


def convert(tmp_path: Path, data: bytes, name: str) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice Impress is required: ./scripts/run_tests.sh installs it"
    source = tmp_path / f"{name}.pptx"
    source.write_bytes(data)
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / f"{name}.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr.decode(errors="replace")
    return pdf


# --- the slides -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("trend", [False, True])
def test_seven_widescreen_slides_titled_in_their_placeholders(decks, lang, trend):
    """Six slides, and the COPIL's registers on a seventh (the sample has a register)."""
    presentation = read(decks[lang, trend])
    assert len(presentation.slides) == 7
    assert presentation.slide_width == 12_192_000  # 13.333 in: PowerPoint's widescreen
    assert presentation.slide_height == Inches(7.5)
    titles = [strip_bidi(slide.shapes.title.text) for slide in presentation.slides]
    settings = load_project(ROOT / "data" / "project.toml")
    assert titles[0] == settings.local_name("name", lang)
    for key, title in zip(
        ("standing_title", "schedule_title", "money_title", "surfaces_title", "decisions_title"),
        titles[1:6],
        strict=True,
    ):
        assert title == translate(f"slides.{key}", lang)
    assert titles[6] == translate("briefing.governance_title", lang)
    for number, slide in enumerate(presentation.slides, start=1):
        assert slide.shapes.title.is_placeholder
        page = slide.placeholders[12]
        assert strip_bidi(page.text) == translate("slides.page", lang, page=number, pages=7)


@pytest.mark.parametrize("lang", LANGS)
def test_the_seventh_slide_lists_the_decisions_expected_and_the_top_risks(decks, situation, lang):
    slide = read(decks[lang, False]).slides[6]
    text = strip_bidi(" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame))
    governance = situation.governance
    for _, line in governance_view.expected_lines(governance, lang):
        assert strip_bidi(line) in text
    for _, line in governance_view.top_risk_lines(governance, lang, limit=5):
        assert strip_bidi(line) in text
    assert strip_bidi(governance_view.overdue_line(governance, lang)) in text
    assert strip_bidi(briefing.late_interest_line(situation, lang)) in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_headline_figures_read_as_on_screen(decks, situation, lang):
    """Each card's value is the Synthèse's text of that figure (``shown``, else its kind's
    format), its label and note the view's."""
    slide = read(decks[lang, False]).slides[1]
    figures = briefing.headline_figures(situation, lang)
    assert len(figures) == 6
    for figure in figures:
        value = strip_bidi(shape_named(slide, f"figure.{figure.key}.value").text_frame.text)
        assert value == screen_text(figure, lang)
        assert strip_bidi(shape_named(slide, f"figure.{figure.key}.label").text) == figure.label
        note = shape_named(slide, f"figure.{figure.key}.note").text
        assert strip_bidi(note) == briefing.figure_note(figure, lang)
    if lang == "fr":  # as the Synthèse page shows them at 20/11/2026
        values = {
            f.key: strip_bidi(shape_named(slide, f"figure.{f.key}.value").text) for f in figures
        }
        assert values == {
            "physical": "87,2\u00a0%",
            "financial": "82,5\u00a0%",
            "engaged": "94,0\u00a0%",
            "time_elapsed": "91\u00a0%",
            "forecast_finish": "18/01/2027",
            "forecast_cost": "14,77 MDH",
        }


@pytest.mark.parametrize("lang", LANGS)
def test_the_ratings_table_holds_each_colour_and_its_sentence(decks, situation, lang):
    slide = read(decks[lang, False]).slides[1]
    table = shape_named(slide, "briefing.ratings").table
    spec = briefing.ratings_table(situation, lang)
    rows = [[strip_bidi(cell.text) for cell in row.cells] for row in table.rows]
    assert rows[0] == spec.labels
    assert rows[1:] == spec.data().astype(str).values.tolist()
    colours = [
        str(row.cells[1].fill.fore_color.rgb) for row in list(table.rows)[1:]
    ]  # the rating cell painted in its colour: red, amber, green, red at 20/11/2026
    assert colours == ["C0392B", "E69F00", "2E8B57", "C0392B"]


# --- the charts -----------------------------------------------------------------------------


def charts(presentation) -> dict[str, object]:
    found = {}
    for slide in presentation.slides:
        for shape in slide.shapes:
            assert shape.shape_type != MSO_SHAPE_TYPE.PICTURE, "a chart drawn as a picture"
            if shape.name.startswith("chart."):
                assert shape.has_chart, shape.name
                found[shape.name] = shape.chart
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_money_chart_is_the_spending_totals(decks, situation, lang):
    chart = charts(read(decks[lang, False]))["chart.money"]
    (series,) = chart.plots[0].series
    totals = situation.spending.totals
    assert list(series.values) == pytest.approx(
        [totals.envelope, totals.engaged, totals.issued, totals.paid], abs=0.005
    )
    # the sample at 20/11/2026, as the Dépenses page gives it
    assert list(series.values) == pytest.approx(
        [15_200_000.00, 14_289_823.42, 11_791_264.32, 8_369_960.77], abs=0.005
    )
    categories = list(chart.plots[0].categories)
    assert categories == [
        translate("export.col.envelope", lang),
        translate("spending.col.engaged", lang),
        translate("spending.col.issued", lang),
        translate("spending.col.paid", lang),
    ]
    labels = [
        strip_bidi(point.data_label.text_frame.text).split("\n")[0] for point in series.points
    ]
    assert labels == [i18n.format.format_millions(v, lang, 2) for v in series.values]


@pytest.mark.parametrize("lang", LANGS)
def test_the_programme_chart_is_required_against_found(decks, lang):
    """34 offices, 3 coworking spaces, 1 meeting room, 2 local-services spaces and 58 places,
    all found in the room schedule."""
    chart = charts(read(decks[lang, False]))["chart.programme"]
    required, found = chart.plots[0].series
    assert list(required.values) == [34, 3, 1, 2, 58]
    assert list(found.values) == [34, 3, 1, 2, 58]
    assert required.name == translate("surfaces.col.required", lang)
    assert found.name == translate("surfaces.col.found", lang)
    categories = list(chart.plots[0].categories)
    assert categories[-1] == translate("surfaces.capacity_line", lang)
    assert categories[0] == translate("surfaces.type.office", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_without_history_the_schedule_shows_the_s_curve_and_says_why(decks, situation, lang):
    presentation = read(decks[lang, False])
    chart = charts(presentation)["chart.schedule"]
    planned, actual = chart.plots[0].series
    curve = situation.planning.planned_curve
    assert list(planned.values) == pytest.approx(list(curve.values), abs=1e-3)
    done = [v for v in actual.values if v is not None]
    assert done[-1] == pytest.approx(situation.planning.actual_percent, abs=1e-3)
    note = shape_named(presentation.slides[2], "note.trend").text
    assert strip_bidi(note) == translate("slides.trend_needs_two", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_with_history_the_schedule_shows_the_milestone_trend(decks, history, lang):
    presentation = read(decks[lang, True])
    chart = charts(presentation)["chart.schedule"]
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    trend = milestone_trend_lines(history, lang)
    for line in trend.lines:
        assert series[line.label] == [excel_serial(v) for v in line.values]
    # T01, T22 and T25 were forecast before 16/10/2026: left out, as on the review page
    assert list(series) == [
        translate("review.chart.project_finish", lang),
        "T29 Bâtiment hors d'air",
        "T62 Fin des essais",
        "T69 Réception provisoire",
        translate("slides.contractual_end_line", lang),
    ]
    # the réception provisoire slipped from 07/01/2027 to 18/01/2027 on 06/11/2026
    reception = series["T69 Réception provisoire"]
    assert (
        reception
        == [excel_serial(dt.date(2027, 1, 7))] * 3 + [excel_serial(dt.date(2027, 1, 18))] * 3
    )
    end = series[translate("slides.contractual_end_line", lang)]
    assert end == [excel_serial(dt.date(2026, 12, 16))] * 6
    weeks = [dt.date(2026, 10, 16) + dt.timedelta(days=7 * week) for week in range(6)]
    categories = [float(c) for c in chart.plots[0].categories]  # a date axis: serial days
    assert categories == [excel_serial(week) for week in weeks]
    # a history that holds the situation itself (every week of the store) gives it once
    again = read(build_briefing_pptx(history[-1], SOURCES, lang, history=history))
    repeated = charts(again)["chart.schedule"].plots[0].categories
    assert [float(c) for c in repeated] == categories
    assert not any(s.name == "note.trend" for s in presentation.slides[2].shapes)


@pytest.mark.parametrize("lang", LANGS)
def test_the_last_slide_lists_the_decisions_the_alerts_and_the_late_tasks(decks, situation, lang):
    slide = read(decks[lang, False]).slides[5]
    text = strip_bidi(slide.placeholders[1].text_frame.text)
    for rating in situation.ratings:
        reason = briefing.rating_reason(rating, situation, lang)
        if rating.dimension != "overall":
            assert (reason in text) == (rating.color == "red"), rating.dimension
    for message in briefing.alerts_table(situation, lang).frame[briefing.MESSAGE]:
        assert message in text
    table = shape_named(slide, "briefing.late").table
    late = briefing.late_tasks_table(situation, lang)
    cells = [[strip_bidi(cell.text) for cell in row.cells] for row in table.rows]
    assert cells[0] == late.labels
    assert [row[0] for row in cells[1:]] == list(late.frame[briefing.TASK])
    assert cells[1][0] == "T68 · Levée des réserves de l'OPR"


# --- the page: fonts, bounds, direction -----------------------------------------------------


def _font_sizes(element) -> list[int]:
    """The ``sz`` (hundredths of a point) of every run, default and end-of-paragraph font."""
    tags = (qn("a:rPr"), qn("a:defRPr"), qn("a:endParaRPr"))
    return [int(e.get("sz")) for e in element.iter(*tags) if e.get("sz") is not None]


@pytest.mark.parametrize("lang", LANGS)
def test_every_font_is_at_least_12_points_and_every_shape_on_the_slide(decks, lang):
    presentation = read(decks[lang, True])
    width, height = presentation.slide_width, presentation.slide_height
    sizes = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= width, shape.name
            assert shape.top + shape.height <= height, shape.name
            if shape.has_chart:
                sizes += _font_sizes(shape.chart._chartSpace)
        sizes += _font_sizes(slide.shapes._spTree)
    assert sizes and min(sizes) >= 1200


def test_the_arabic_deck_is_right_to_left_and_in_arabic(decks):
    presentation = read(decks["ar", True])
    count = 0
    for paragraph in paragraphs(presentation):
        properties = paragraph.find(qn("a:pPr"))
        assert properties is not None and properties.get("rtl") == "1"
        if paragraph.find(qn("a:r")) is not None:
            assert properties.get("algn") in ("r", "ctr")
            for run in paragraph.iter(qn("a:rPr")):
                cs = run.find(qn("a:cs"))
                assert cs is not None and cs.get("typeface") == "Noto Naskh Arabic"
        count += 1
    assert count > 60
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_table:
                assert shape.table._tbl.tblPr.get("rtl") == "1"
            if shape.has_chart:
                categories = [str(c) for c in shape.chart.plots[0].categories]
                if shape.name != "chart.schedule":  # the trend's categories are dates
                    assert all(ARABIC_LETTER.search(c) for c in categories), categories
    text = deck_text(presentation)
    assert len(ARABIC_LETTER.findall(text)) > 1000
    assert "تكنوبارك" in text  # project.name_ar
    assert "07/2026/AREP-RSK" in text and "18/01/2027" in text


def test_the_arabic_deck_shows_no_french_fallback(situation, history, monkeypatch):
    """A key missing from the Arabic catalogue falls back to French: no words of such a
    message are on an Arabic slide (the views also word texts a slide does not draw, such as
    the surfaces figures' help and the figures the slide leaves out)."""
    original = i18n.catalogue
    arabic, french = dict(original("ar")), original("fr")
    asked: set[str] = set()

    class Recording(dict):
        def get(self, key, default=None):
            asked.add(key)
            return super().get(key, default)

    recording = Recording(arabic)
    monkeypatch.setattr(
        i18n, "catalogue", lambda lang: recording if lang == "ar" else original(lang)
    )
    texts = [
        deck_text(read(build_briefing_pptx(history[-1], SOURCES, "ar", history=history[:-1]))),
        deck_text(read(build_briefing_pptx(situation, SOURCES, "ar"))),
    ]
    fallbacks = {key for key in asked if key not in arabic and key in french}
    shown = []
    for key in sorted(fallbacks):
        for fragment in re.split(r"[{}]", french[key]):
            words = fragment.strip(" .,:;()")
            if len(words) >= 6 and re.search("[a-zé]{4}", words) and " " in words:
                shown += [(key, words) for text in texts if words in text]
    assert shown == []
    assert "slides.standing_title" in asked and "slides.standing_title" in arabic


# --- LibreOffice ----------------------------------------------------------------------------


def spaced(text: str) -> str:
    """pdftotext writes the no-break spaces of ``87,2 %`` and ``14 289 823`` as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, top, bottom, word) of every word of the PDF (pdftotext -bbox), in points."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>', line)
        if match:
            words.append((page, float(match.group(1)), float(match.group(2)), match.group(3)))
    return words


@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_converts_seven_pages_with_nothing_over_the_footer(
    decks, situation, tmp_path, lang
):
    pdf = convert(tmp_path, decks[lang, True], f"deck_{lang}")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    assert re.search(r"^Pages:\s+7$", info.stdout, re.M)
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout, re.M)
    assert (float(size[1]), float(size[2])) == pytest.approx((960, 540), abs=0.1)  # 16:9
    footer_top = FOOTER_TOP * 72
    words = _words(pdf)
    assert {page for page, *_ in words} == set(range(1, 8))
    crossing = [w for w in words if w[1] < footer_top - 1 and w[2] > footer_top + 1]
    assert crossing == []
    for page in range(1, 8):
        below = [w for w in words if w[0] == page and w[1] >= footer_top - 1]
        assert below, f"page {page} has no footer"
        assert max(w[2] for w in words if w[0] == page) <= 540
    if lang != "ar":  # Latin text comes out of pdftotext in reading order
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
        for figure in briefing.headline_figures(situation, lang):
            assert spaced(screen_text(figure, lang)) in spaced(text), figure.key


@pytest.mark.parametrize("lang", LANGS)
def test_a_deck_of_the_schedule_alone_says_what_is_not_loaded(situation, lang):
    """Only the works schedule imported: still six slides, the money and surfaces slides
    saying which file is missing instead of an empty chart."""
    alone = compute_situation(
        situation.settings, situation.status_date, schedule=situation.schedule
    )
    presentation = read(build_briefing_pptx(alone, [], lang))
    assert len(presentation.slides) == 6
    money, surfaces = presentation.slides[3], presentation.slides[4]
    assert strip_bidi(money.placeholders[1].text) == translate("slides.no_spending", lang)
    assert strip_bidi(surfaces.placeholders[1].text) == translate("slides.no_areas", lang)
    assert set(charts(presentation)) == {"chart.schedule"}
    assert translate("slides.no_sources", lang) in strip_bidi(
        presentation.slides[0].placeholders[1].text
    )
