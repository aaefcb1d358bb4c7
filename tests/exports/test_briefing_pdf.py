"""The briefing note as the governor's office prints it: at most two A4 landscape pages, in
French, English and Arabic, the headline figures in the PDF's text exactly as the Synthèse
page shows them, the sources' fingerprints in the footer, imported text printed as typed."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest

from exports.briefing_pdf import (
    SHA_PREFIX,
    briefing_html,
    build_briefing_pdf,
    source_files,
)
from exports.workbook import workbook_sources
from i18n import translate
from loaders import load_project
from store.current import current_tables, open_seeded_store
from views import briefing as view
from views import governance as governance_view
from views.format import figure_text
from views.situation import situation_of

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("fr", "en", "ar")
#: the marks pdftotext puts around right-to-left runs, and the spaces it moves with them
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Arabic short vowels and tanwin: pdftotext may write them after the next letter
HARAKAT = re.compile("[\u064b-\u065f]")
HOSTILE = "<script>alert('x')</script> & Fils"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The seeded sample's situation (20/11/2026) and its sources."""
    settings = load_project(ROOT / "data" / "project.toml")
    store = open_seeded_store(settings, tmp_path_factory.mktemp("store") / "store.sqlite")
    current = current_tables(store)
    situation = situation_of(settings, current.status_date, current.frames)
    return current, situation, workbook_sources(current.results, current.snapshots)


@pytest.fixture(scope="module")
def notes(sample, tmp_path_factory):
    """The note printed once per language: language -> PDF path."""
    _, situation, sources = sample
    folder = tmp_path_factory.mktemp("notes")
    paths = {}
    for lang in LANGS:
        paths[lang] = folder / f"note-{lang}.pdf"
        paths[lang].write_bytes(build_briefing_pdf(situation, sources, lang))
    return paths


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def spaced(text: str) -> str:
    """No-break and thin spaces as plain spaces: pdftotext writes either."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def squeezed(text: str) -> str:
    """The characters in reading order, without bidi marks, short vowels or spaces
    (pdftotext moves the spaces around a number inside an Arabic sentence)."""
    return re.sub(r"\s+", "", HARAKAT.sub("", BIDI_MARKS.sub("", text)))


@pytest.mark.parametrize("lang", LANGS)
def test_the_note_is_three_a4_landscape_pages(notes, lang):
    """Two pages of the briefing, and the COPIL's registers on a third (the sample has one)."""
    assert page_count(notes[lang]) == 3
    info = subprocess.run(["pdfinfo", str(notes[lang])], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", ["87,2 %", "82,5 %", "94,0 %", "91 %", "18/01/2027", "14,77 MDH"]),
        ("en", ["87.2 %", "82.5 %", "94.0 %", "91 %", "18/01/2027", "14.77 M MAD"]),
    ],
)
def test_the_headline_figures_read_as_on_screen(sample, notes, lang, expected):
    _, situation, _ = sample
    shown = [spaced(figure_text(f, lang)) for f in view.headline_figures(situation, lang)]
    assert shown == expected
    text = spaced(pdf_text(notes[lang], 1))
    for figure in shown:
        assert figure in text
    for figure in view.headline_figures(situation, lang):
        assert spaced(figure.label) in text


def test_the_arabic_note_is_arabic_and_right_to_left(sample, notes):
    _, situation, sources = sample
    document = briefing_html(situation, sources, "ar")
    assert '<html lang="ar" dir="rtl">' in document
    text = pdf_text(notes["ar"])
    arabic = [c for c in text if "\u0600" <= c <= "\u06ff"]
    latin = [c for c in text if c.isascii() and c.isalpha()]
    assert len(arabic) > len(latin)  # the Latin left: task names, payees, file names
    figures = view.headline_figures(situation, "ar")
    assert [figure_text(f, "ar") for f in figures][-1] == "14,77 مليون درهم"
    for figure in figures:
        assert squeezed(figure_text(figure, "ar")) in squeezed(text)
        assert squeezed(figure.label) in squeezed(text)
    assert squeezed("تكنوبارك الخميسات") in squeezed(text)  # project.name_ar


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_footer_names_the_sources_and_its_page(sample, notes, lang):
    _, _, sources = sample
    files = source_files(sources)
    assert [name for name, _ in files] == [
        "planning_travaux.xlsx",
        "suivi_financier.xlsx",
        "programme_surfaces.xlsx",
        "registres_copil.xlsx",
    ]
    for page in (1, 2, 3):
        text = squeezed(pdf_text(notes[lang], page))
        for name, sha in files:
            assert len(sha) == SHA_PREFIX and f"{name}({sha})" in text
        # an Arabic footer reads « الصفحة 3 / 1 » right to left
        assert f"{page}/3" in text or (lang == "ar" and f"3/{page}" in text)


@pytest.mark.parametrize("lang", LANGS)
def test_page_three_holds_the_decisions_expected_the_overdue_actions_and_top_risks(
    sample, notes, lang
):
    """The Synthèse's tables (``views.governance``), and the late-payment interest owed."""
    _, situation, _ = sample
    text = squeezed(pdf_text(notes[lang], 3))
    governance = situation.governance
    for table in (
        governance_view.expected_table(governance, lang),
        governance_view.overdue_table(governance, lang),
        governance_view.top_risks_table(governance, lang),
    ):
        assert squeezed(table.title) in text
        first_id = table.frame[table.columns[0].id].iloc[0]
        assert squeezed(str(first_id)) in text
    assert [*governance.expected["decision_id"]] == ["D-04", "D-03"]
    interest = view.late_interest_line(situation, lang)
    if lang == "ar":  # pdftotext moves a number out of its Arabic sentence: its words only
        assert squeezed(interest.split(":")[0]) in text
    else:
        assert squeezed(interest) in text


@pytest.mark.parametrize("lang", LANGS)
def test_page_two_holds_the_charts_late_tasks_and_alerts(sample, notes, lang):
    _, situation, _ = sample
    text = squeezed(pdf_text(notes[lang], 2))
    late = view.late_tasks_table(situation, lang)
    assert squeezed(late.title) in text
    for task in late.frame["task"]:
        # in the Arabic note pdftotext moves the ")" of "(OPR)" out of its Latin run (the
        # page shows it in place): the brackets are left out of the comparison
        assert re.sub(r"[()]", "", squeezed(task)) in re.sub(r"[()]", "", text)
    assert squeezed(view.alerts_table(situation, lang).title) in text
    for key in ("chart_progress", "chart_spending", "chart_areas"):
        assert squeezed(translate(f"briefing.{key}", lang)) in text


def test_the_charts_are_vectors_and_nothing_is_interactive(sample, notes):
    images = subprocess.run(
        ["pdfimages", "-list", str(notes["fr"])], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(images) == 2  # the header lines only: no raster image
    _, situation, sources = sample
    document = briefing_html(situation, sources, "fr")
    assert "staticPlot: true" in document and "displayModeBar: false" in document
    assert "cdn.plot.ly" not in document.split("<script")[0]


def test_a_hostile_payee_prints_literally(sample, tmp_path):
    current, situation, sources = sample
    frames = dict(current.frames)
    for table in ("contracts", "spending"):  # the payee as the contract and the décomptes give it
        payee = frames[table]["payee"]
        frames[table] = frames[table].assign(
            payee=payee.where(payee != "Sté Atlas Bâtiment SARL", HOSTILE)
        )
    changed = situation_of(situation.settings, current.status_date, frames)
    document = briefing_html(changed, sources, "fr")
    assert "<script>alert" not in document
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Fils" in document
    out = tmp_path / "hostile.pdf"
    out.write_bytes(build_briefing_pdf(changed, sources, "fr"))
    assert HOSTILE in pdf_text(out).replace("\n", " ")


def test_printed_from_a_thread_with_a_running_event_loop(sample):
    """A Streamlit script thread may run an asyncio loop: Playwright's sync API refuses such
    a thread, so the print runs in a worker thread of its own."""
    _, situation, sources = sample
    results = {}

    async def in_a_loop():
        return build_briefing_pdf(situation, sources, "en")

    thread = threading.Thread(target=lambda: results.update(pdf=asyncio.run(in_a_loop())))
    thread.start()
    thread.join(timeout=120)
    assert results["pdf"].startswith(b"%PDF")


def _download_script(db: str) -> None:
    """A Streamlit script that prints the note, as the Synthèse page's download does."""
    import streamlit as st

    from exports.briefing_pdf import build_briefing_pdf
    from exports.workbook import workbook_sources
    from loaders import load_project
    from store.current import current_tables, open_seeded_store
    from views.situation import situation_of

    settings = load_project("data/project.toml")
    current = current_tables(open_seeded_store(settings, db))
    situation = situation_of(settings, current.status_date, current.frames)
    pdf = build_briefing_pdf(situation, workbook_sources(current.results, current.snapshots))
    st.text(pdf[:5].decode())


def test_printed_inside_a_streamlit_script(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(ROOT)
    app = AppTest.from_function(_download_script, args=(str(tmp_path / "store.sqlite"),))
    app.run(timeout=120)
    assert not app.exception
    assert app.text[0].value == "%PDF-"


def chart_data(document: str) -> list[dict]:
    """The plotly figures the note draws, as embedded in its HTML."""
    found = re.findall(
        r'<script type="application/json" id="chart-\d+-data">(.*?)</script>', document
    )
    return [json.loads(text.replace("<\\/", "</")) for text in found]


def test_the_charts_draw_the_synthese_figures(sample):
    """The spending chart's bars are the chain's totals; in the Arabic note its two-line
    labels are right-to-left isolates (the box itself stays left to right)."""
    _, situation, sources = sample
    totals = situation.spending.totals
    for lang in LANGS:
        document = briefing_html(situation, sources, lang)
        progress, spending, areas = chart_data(document)
        bars = spending["data"][0]
        assert bars["x"] == [totals.envelope, totals.engaged, totals.issued, totals.paid]
        assert document.count('class="plot" dir="ltr"') == 3
        if lang == "ar":
            assert (
                bars["text"][0]
                == "\u206715,20 مليون درهم\u2069<br>\u2067100\u00a0% من الغلاف المالي\u2069"
            )
        else:
            assert not any("\u2067" in text for text in bars["text"])
        assert [t["name"] for t in progress["data"]][:2] == [
            translate("scurve.planned", lang),
            translate("scurve.actual", lang),
        ]
        assert progress["layout"]["showlegend"] is True
