"""The meeting deck: six 16:9 slides for the governor's and the council's projected screen,
in French, English or Arabic (right to left).

``build_briefing_pptx(situation, sources, lang, history=...) -> bytes`` draws the same view
data as the Synthèse page and the workbook: the headline figures with their screen texts
(``views.briefing.headline_figures``), the ratings and their sentences, the alerts, the tasks
furthest behind, the spending chain's totals, the programme of the brief. Nothing is computed
or worded here. Charts are native PowerPoint charts (python-pptx chart objects: the chief of
staff can restyle them and read their data), titles and running text sit in the placeholders
of the default template's layouts, every font is at least 12 pt.

The Arabic deck sets ``rtl="1"`` and right alignment on every paragraph, an Arabic typeface for
the complex-script runs (``a:cs``), mirrors the layout (text panels on the right, tables read
from the right) and runs the charts' categories from the right; dates and time axes keep their
``dd/mm/yyyy`` order, as the figures keep their Latin digits (``ar_MA``)."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.chart import XL_MARKER_STYLE as MARKER
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from i18n import bidi_isolate, text_direction, translate
from i18n.format import format_date, format_millions, format_percent
from tracking.areas import PROGRAMME
from tracking.situation import ProjectSituation
from views import briefing
from views import governance as governance_view
from views.format import DASH, figure_text, format_value
from views.spec import Figure, Table
from views.surfaces import LABEL, programme_table, surfaces_figures
from views.trend import PROJECT_FINISH, MilestoneTrend, milestone_trend_lines

#: the slide, 16:9 (PowerPoint's "widescreen")
WIDTH, HEIGHT = 40 / 3, 7.5
MARGIN = 0.5
CONTENT_TOP, CONTENT_BOTTOM = 1.3, 6.85
#: layouts of python-pptx's default template
TITLE_SLIDE, TITLE_AND_CONTENT, TITLE_ONLY = 0, 1, 5
FOOTER_IDX, NUMBER_IDX = 11, 12
SLIDES = 6
#: the COPIL's slide, after the decisions, when a register is in force
GOVERNANCE_SLIDES = 1

INK, MUTED, TEAL, CARD = "1F2933", "52606D", "0F5E63", "EEF2F5"
WHITE = "FFFFFF"
RATING_HEX = {name: code.lstrip("#").upper() for name, code in briefing.COLOR_HEX.items()}
#: the Synthèse's envelope bars: the envelope pale red, engagé and émis blue, payé green
MONEY_COLORS = ("E9BAB5", "1F6F8B", "4C8CA2", "2E8B57")
PLANNED, ACTUAL, REQUIRED, FOUND = "7F8896", "1F6F8B", "9AA5B1", "1F6F8B"
TREND_COLORS = ("1F6F8B", "E67E22", "2E8B57", "8E44AD", "C0392B", "B7950B", "16A085", "34495E")
PROJECT_GREY, CONTRACT_RED = "2C3E50", "C0392B"

#: the typeface of Arabic runs (``a:cs``): installed with fonts-noto-core; PowerPoint without
#: it falls back to its own Arabic face
ARABIC_FONT = "Noto Naskh Arabic"
#: the typeface of Latin runs: on every Windows and Mac, and metric-compatible with Liberation
#: Sans where LibreOffice converts the deck, so the measured layout holds in both
LATIN_FONT = "Arial"
ARABIC_LINE_SPACING = 0.85
LANG_TAG = {"fr": "fr-FR", "en": "en-GB", "ar": "ar-MA"}
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
LRI, PDI = "\u2066", "\u2069"
#: alerts listed on the last slide; the others are counted
MAX_ALERTS = 3
#: Excel's day 0 (chart values are serial dates, as in a workbook)
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"slides.{key}", lang, **params)


def fitted_size(text: str, width: float, largest: float, smallest: float = 16) -> float:
    """The largest size (pt, at most ``largest``) at which ``text`` fits ``width`` inches on
    one line, by Arial bold's average advance (0.6 em): a date is never broken."""
    fits = width * 72 / (0.6 * max(len(text), 1))
    return max(smallest, min(largest, int(fits)))


def table_size(
    texts: Sequence[str], width: float, height: float, row_height: float, sizes=(14, 13, 12)
) -> float:
    """The largest text size (pt) at which rows holding ``texts`` wrapped in ``width`` inches
    (0.5 em a character, 1.2 lines, a cell's margins) stay within ``height`` inches: a reason
    that grew (a decision quoted, a longer language) shrinks the table, never crosses the
    footer."""
    for size in sizes:
        per_line = max(1, int(width * 72 / (0.5 * size)))
        total = sum(
            max(row_height, math.ceil(len(text) / per_line) * size * 1.2 / 72 + 0.12)
            for text in texts
        )
        if total + row_height <= height:  # the header row
            return size
    return sizes[-1]


def excel_serial(value) -> float | None:
    """A date as a chart value: days since Excel's epoch (``None`` stays a gap)."""
    if value is None:
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    return float((day - EXCEL_EPOCH).days)


@dataclass(frozen=True)
class Line:
    """One paragraph of a text frame."""

    text: str
    size: float = 14
    bold: bool = False
    color: str = INK
    space_before: float = 0
    italic: bool = False
    #: a bullet of this colour (``None``: no bullet)
    bullet: str | None = None


class Deck:
    """The presentation and the reader's language: every shape goes through ``box`` (mirrored
    for a right-to-left deck) and every paragraph through ``write``."""

    def __init__(self, situation: ProjectSituation, lang: str):
        self.presentation = Presentation()
        self.presentation.slide_width = Inches(WIDTH)
        self.presentation.slide_height = Inches(HEIGHT)
        self.lang = lang
        self.rtl = text_direction(lang) == "rtl"
        self.settings = situation.settings
        self.project = self.local("name")
        self.status = format_date(situation.status_date, lang)
        self.footer = _tr("footer", lang, project=self.project, date=self.status)
        self.pages = SLIDES + (GOVERNANCE_SLIDES if situation.governance is not None else 0)

    def local(self, name: str) -> str:
        """A name of the settings as the deck's language writes it (``project.name_ar``…)."""
        return self.settings.local_name(name, self.lang) or ""

    # --- geometry ---------------------------------------------------------------------------

    def box(self, x: float, y: float, w: float, h: float) -> tuple[Emu, Emu, Emu, Emu]:
        """Left, top, width, height (inches, as laid out left to right) in EMU; mirrored
        about the slide's middle in a right-to-left deck."""
        if self.rtl:
            x = WIDTH - x - w
        return Inches(x), Inches(y), Inches(w), Inches(h)

    def place(self, shape, x: float, y: float, w: float, h: float) -> None:
        shape.left, shape.top, shape.width, shape.height = self.box(x, y, w, h)

    # --- slides -----------------------------------------------------------------------------

    def slide(self, layout: int, title: str, number: int):
        """A new slide of ``layout`` with its title in the title placeholder, the footer and
        the page number in the layout's footer and slide-number placeholders."""
        layout_ = self.presentation.slide_layouts[layout]
        slide = self.presentation.slides.add_slide(layout_)
        heading = slide.shapes.title
        if layout == TITLE_SLIDE:
            self.place(heading, 0.8, 1.5, WIDTH - 1.6, 1.5)
            self.write(heading.text_frame, [Line(title, 40, True, TEAL)], anchor=MSO_ANCHOR.BOTTOM)
        else:
            self.place(heading, MARGIN, 0.3, WIDTH - 2 * MARGIN, 0.85)
            self.write(heading.text_frame, [Line(title, 30, True, TEAL)], anchor=MSO_ANCHOR.MIDDLE)
        for placeholder in layout_.placeholders:
            if placeholder.placeholder_format.idx in (FOOTER_IDX, NUMBER_IDX):
                slide.shapes.clone_placeholder(placeholder)
        footer = slide.placeholders[FOOTER_IDX]
        self.place(footer, MARGIN, 6.98, WIDTH - 2 * MARGIN - 1.3, 0.4)
        self.write(
            footer.text_frame, [Line(self.footer, 12, color=MUTED)], anchor=MSO_ANCHOR.MIDDLE
        )
        page = slide.placeholders[NUMBER_IDX]
        self.place(page, WIDTH - MARGIN - 1.2, 6.98, 1.2, 0.4)
        text = _tr("page", self.lang, page=number, pages=self.pages)
        self.write(
            page.text_frame, [Line(text, 12, color=MUTED)], anchor=MSO_ANCHOR.MIDDLE, end=True
        )
        return slide

    def body(self, slide, x: float, y: float, w: float, h: float):
        """The slide's content placeholder, moved to the panel (x, y, w, h)."""
        placeholder = slide.placeholders[1]
        self.place(placeholder, x, y, w, h)
        return placeholder

    def text_box(self, slide, x: float, y: float, w: float, h: float, lines, name: str, **kwargs):
        shape = slide.shapes.add_textbox(*self.box(x, y, w, h))
        shape.name = name
        frame = shape.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        self.write(shape.text_frame, lines, **kwargs)
        return shape

    # --- text -------------------------------------------------------------------------------

    def write(
        self,
        frame,
        lines: Sequence[Line],
        *,
        anchor=MSO_ANCHOR.TOP,
        center: bool = False,
        end: bool = False,
    ) -> None:
        """``lines`` as the paragraphs of ``frame``: no autofit (the layout is measured, the
        text never shrinks under 12 pt), wrapped, aligned to the reading side (``end``: the
        other side; ``center``: centred)."""
        frame.clear()
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = anchor
        if not lines:  # an empty shape's paragraph takes the deck's direction too
            self.orient(frame.paragraphs[0], center=center, end=end)
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            if self.rtl:
                # Naskh's tall ascenders and descenders: the Latin line height at 85 %
                paragraph.line_spacing = ARABIC_LINE_SPACING
            if line.space_before:
                paragraph.space_before = Pt(line.space_before)
            run = paragraph.add_run()
            run.text = bidi_isolate(line.text, self.lang)
            self.font(run.font, line.size, line.bold, line.color, line.italic)
            self.orient(paragraph, center=center, end=end, bullet=line.bullet)

    def value(self, text: str) -> str:
        """A figure standing alone (``87,2 %``, ``18/01/2027``) kept in its left-to-right
        order in an Arabic paragraph (a left-to-right isolate), as the screen shows it; a
        value with Arabic words (``14,77 مليون درهم``) reads right to left."""
        if not self.rtl or ARABIC_LETTER.search(text):
            return text
        return f"{LRI}{text}{PDI}"

    def orient(self, paragraph, *, center=False, end=False, bullet: str | None = None) -> None:
        """Direction, alignment and bullet of a paragraph: ``rtl="1"`` and right alignment in
        the Arabic deck."""
        pPr = paragraph._p.get_or_add_pPr()
        # the far end (the page number) is the left in a left-to-right deck; an Arabic deck
        # aligns every paragraph right, its page number in a box at the left edge
        align = "ctr" if center else "r" if self.rtl or end else "l"
        pPr.set("algn", align)
        if self.rtl:
            pPr.set("rtl", "1")
        for name in ("a:buClr", "a:buFont", "a:buChar", "a:buNone"):
            for old in pPr.findall(qn(name)):
                pPr.remove(old)
        if bullet is None:
            pPr.set("marL", "0")
            pPr.set("indent", "0")
            marks = [etree.Element(qn("a:buNone"))]
        else:
            pPr.set("marL", str(Inches(0.25)))
            pPr.set("indent", str(-Inches(0.25)))
            colour = etree.Element(qn("a:buClr"))
            etree.SubElement(colour, qn("a:srgbClr"), val=bullet)
            marks = [
                colour,
                etree.Element(qn("a:buFont"), typeface="Arial"),
                etree.Element(qn("a:buChar"), char="●"),
            ]
        for mark in marks:
            _insert_in_order(pPr, mark)

    def font(self, font, size: float, bold=False, color: str = INK, italic=False) -> None:
        font.name = LATIN_FONT
        font.size = Pt(size)
        font.bold = bold
        font.italic = italic
        font.color.rgb = RGBColor.from_string(color)
        rPr = font._rPr
        rPr.set("lang", LANG_TAG.get(self.lang, "fr-FR"))
        if self.rtl:
            _set_complex_font(rPr, ARABIC_FONT)

    # --- tables -----------------------------------------------------------------------------

    def table(
        self,
        slide,
        spec: Table,
        x: float,
        y: float,
        widths: Sequence[float],
        *,
        row_height: float = 0.5,
        fills: Sequence[str | None] | None = None,
        fill_column: str | None = None,
        size: float = 12,
    ):
        """A ``views`` table spec as a native table: its column labels as the header row, each
        cell as the screen shows it (``format_value`` by the column's kind); ``fills`` colour
        the ``fill_column`` cell of each row (the ratings)."""
        frame = spec.data()
        rows, columns = len(frame) + 1, len(spec.columns)
        shape = slide.shapes.add_table(
            rows, columns, *self.box(x, y, sum(widths), row_height * rows)
        )
        shape.name = spec.key
        grid = shape.table
        tblPr = grid._tbl.tblPr
        tblPr.set("bandRow", "0")
        if self.rtl:
            tblPr.set("rtl", "1")
        for index, width in enumerate(widths):
            grid.columns[index].width = Inches(width)
        for row in range(rows):
            grid.rows[row].height = Inches(row_height)
        for col, column in enumerate(spec.columns):
            self._cell(grid.cell(0, col), column.label, size, True, WHITE, TEAL)
            for row, value in enumerate(frame[column.id]):
                text = format_value(
                    value,
                    column.kind,
                    self.lang,
                    missing=column.missing_text or DASH,
                    yes_no=spec.yes_no,
                )
                if column.kind != "text":
                    text = self.value(text)
                fill = fills[row] if fills is not None and column.id == fill_column else None
                background = fill or (CARD if row % 2 else WHITE)
                self._cell(
                    grid.cell(row + 1, col),
                    text,
                    size,
                    bool(fill),
                    WHITE if fill else INK,
                    background,
                )
        return shape

    def _cell(self, cell, text: str, size: float, bold: bool, color: str, fill: str) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill)
        cell.margin_left = cell.margin_right = Inches(0.08)
        cell.margin_top = cell.margin_bottom = Inches(0.04)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        self.write(cell.text_frame, [Line(text, size, bold, color)], anchor=MSO_ANCHOR.MIDDLE)

    # --- charts -----------------------------------------------------------------------------

    def chart(self, slide, kind, data, x, y, w, h, name: str, title: str):
        """A native chart: 12 pt text (the Arabic typeface and direction in the Arabic deck),
        its title, the legend at the bottom."""
        frame = slide.shapes.add_chart(kind, *self.box(x, y, w, h), data)
        frame.name = name
        chart = frame.chart
        chart.font.name = LATIN_FONT
        chart.font.size = Pt(12)
        chart.font.color.rgb = RGBColor.from_string(INK)
        defRPr = chart._chartSpace.find(".//" + qn("a:defRPr"))
        defRPr.set("lang", LANG_TAG.get(self.lang, "fr-FR"))
        if self.rtl:
            _set_complex_font(defRPr, ARABIC_FONT)
            defRPr.getparent().set("rtl", "1")
        chart.has_title = True
        self.write(chart.chart_title.text_frame, [Line(title, 16, True, INK)], center=True)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
        return chart

    def chart_direction(self) -> None:
        """Every paragraph of every chart (title, legend, axes, data labels) right to left,
        its runs in the Arabic typeface: python-pptx writes each text body as it is first
        styled, so this pass runs once the charts are finished."""
        for slide in self.presentation.slides:
            for shape in slide.shapes:
                if not shape.has_chart:
                    continue
                for paragraph in shape.chart._chartSpace.iter(qn("a:p")):
                    pPr = paragraph.find(qn("a:pPr"))
                    if pPr is None:
                        pPr = etree.Element(qn("a:pPr"))
                        paragraph.insert(0, pPr)
                    pPr.set("rtl", "1")
                    for tag in ("a:defRPr", "a:rPr", "a:endParaRPr"):
                        for properties in paragraph.iter(qn(tag)):
                            _set_complex_font(properties, ARABIC_FONT)

    def save(self) -> bytes:
        if self.rtl:
            self.chart_direction()
        buffer = io.BytesIO()
        self.presentation.save(buffer)
        return buffer.getvalue()


def _insert_in_order(pPr, element) -> None:
    """Keep ``a:pPr``'s children in schema order: bullets go before ``a:tabLst`` /
    ``a:defRPr`` / ``a:extLst``."""
    for tag in ("a:tabLst", "a:defRPr", "a:extLst"):
        later = pPr.find(qn(tag))
        if later is not None:
            later.addprevious(element)
            return
    pPr.append(element)


def _set_complex_font(rPr, typeface: str) -> None:
    """``<a:cs typeface=…>`` in its schema place (after ``a:latin`` / ``a:ea``)."""
    for old in rPr.findall(qn("a:cs")):
        rPr.remove(old)
    cs = etree.Element(qn("a:cs"), typeface=typeface)
    for child in rPr:
        if child.tag in {
            qn(t) for t in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")
        }:
            child.addprevious(cs)
            return
    rPr.append(cs)


def _line_style(series, color: str, width: float, dash=None, marker=None) -> None:
    series.smooth = False
    line = series.format.line
    line.color.rgb = RGBColor.from_string(color)
    line.width = Pt(width)
    if dash is not None:
        line.dash_style = dash
    if marker is None:
        series.marker.style = MARKER.NONE
    else:
        series.marker.style = marker
        series.marker.size = 8
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = RGBColor.from_string(color)
        series.marker.format.line.color.rgb = RGBColor.from_string(color)


def _transparent(line, opacity: float) -> None:
    """A line's colour at ``opacity`` (``a:alpha``; python-pptx has no property for it)."""
    colour = line._ln.find(".//" + qn("a:srgbClr"))
    etree.SubElement(colour, qn("a:alpha"), val=str(int(opacity * 100000)))


def _date_axis_unit(axis, every: int = 1, unit: str = "months") -> None:
    """A date axis labelled every ``every`` ``unit`` (days or months) from its first date."""
    element = axis._element
    for tag in ("c:baseTimeUnit", "c:majorUnit", "c:majorTimeUnit"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    anchor = element.find(qn("c:lblOffset"))
    new = [
        etree.Element(qn("c:baseTimeUnit"), val="days"),
        etree.Element(qn("c:majorUnit"), val=str(every)),
        etree.Element(qn("c:majorTimeUnit"), val=unit),
    ]
    for item in reversed(new):
        anchor.addnext(item)


def _value_axis(axis, number_format: str, *, minimum=None, maximum=None, unit=None) -> None:
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(12)
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("E4E7EB")
    if minimum is not None:
        axis.minimum_scale = minimum
    if maximum is not None:
        axis.maximum_scale = maximum
    if unit is not None:
        axis.major_unit = unit


# --- the slides -----------------------------------------------------------------------------


def _figure_lines(deck: Deck, figure: Figure, value_size: float = 28) -> list[Line]:
    """A figure in a text panel: its label, its value as on screen, its note."""
    lang = deck.lang
    lines = [
        Line(figure.label, 14, color=MUTED, space_before=8),
        Line(deck.value(figure_text(figure, lang)), value_size, True, TEAL),
    ]
    note = briefing.figure_note(figure, lang)
    if note:
        lines.append(Line(note, 13, color=INK))
    return lines


def _rating_lines(situation: ProjectSituation, dimension: str, lang: str) -> list[Line]:
    rating = situation.rating(dimension)
    if rating is None:
        return []
    heading = (
        f"{translate(f'rag.dimension.{dimension}', lang)} — "
        f"{translate(f'rag.color.{rating.color}', lang)}"
    )
    return [
        Line(heading, 16, True, RATING_HEX[rating.color], space_before=14),
        Line(briefing.rating_reason(rating, situation, lang), 14),
    ]


def _sources_text(sources, lang: str) -> str:
    files: dict[str, str] = {}
    for source in sources:
        if source.name and source.name not in files:
            sha = (source.sha256 or "")[:8]
            files[source.name] = (
                _tr("source", lang, name=source.name, sha=sha) if sha else source.name
            )
    if not files:
        return _tr("no_sources", lang)
    return _tr("sources", lang, files=" · ".join(files.values()))


def title_slide(deck: Deck, situation: ProjectSituation, sources) -> None:
    lang = deck.lang
    slide = deck.slide(TITLE_SLIDE, deck.project, 1)
    subtitle = slide.placeholders[1]
    deck.place(subtitle, 0.8, 3.25, WIDTH - 1.6, 3.4)
    lines = [Line(_tr("status", lang, date=deck.status), 26, True, INK)]
    owner = deck.local("owner")
    if owner:
        lines.append(Line(_tr("owner", lang, owner=owner), 18, space_before=10))
    programme = deck.local("programme")
    if programme:
        lines.append(Line(programme, 18, space_before=4))
    lines.append(Line(_sources_text(sources, lang), 12, color=MUTED, space_before=28))
    deck.write(subtitle.text_frame, lines)


def standing_slide(deck: Deck, situation: ProjectSituation) -> None:
    """The headline figures as cards, then the four ratings with their sentences."""
    lang = deck.lang
    slide = deck.slide(TITLE_ONLY, _tr("standing_title", lang), 2)
    figures = briefing.headline_figures(situation, lang)
    gap, top, inner, height = 0.14, 1.22, 0.12, 1.25
    if figures:
        per_row = 3 if len(figures) <= 6 else 4
        width = (WIDTH - 2 * MARGIN - gap * (per_row - 1)) / per_row
        texts = [figure_text(figure, lang) for figure in figures]
        size = min(fitted_size(text, width - 2 * inner, 28) for text in texts)
        for index, (figure, text) in enumerate(zip(figures, texts, strict=True)):
            x = MARGIN + (index % per_row) * (width + gap)
            y = top + (index // per_row) * (height + gap)
            card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *deck.box(x, y, width, height))
            card.name = f"figure.{figure.key}"
            card.fill.solid()
            card.fill.fore_color.rgb = RGBColor.from_string(CARD)
            card.line.fill.background()
            card.shadow.inherit = False
            deck.write(card.text_frame, [])
            # the label, the value and the note in boxes of their own: the values of a row
            # stand on one line whatever the length of the labels and notes
            x, w = x + inner, width - 2 * inner
            label = [Line(figure.label, 14, color=MUTED)]
            deck.text_box(slide, x, y + 0.07, w, 0.3, label, f"{card.name}.label")
            value = [Line(deck.value(text), size, True, TEAL)]
            deck.text_box(slide, x, y + 0.36, w, 0.5, value, f"{card.name}.value")
            note = briefing.figure_note(figure, lang)
            if note:
                lines = [Line(note, 12)]
                deck.text_box(slide, x, y + 0.84, w, 0.38, lines, f"{card.name}.note")
    ratings = briefing.ratings_table(situation, lang)
    reason_width = WIDTH - 2 * MARGIN - 4.2
    deck.table(
        slide,
        ratings,
        MARGIN,
        3.98,
        (2.45, 1.75, reason_width),
        row_height=0.57,
        fills=[RATING_HEX[c] for c in ratings.frame[briefing.COLOR]],
        fill_column=briefing.RATING,
        size=table_size(
            ratings.frame[briefing.REASON].tolist(), reason_width, CONTENT_BOTTOM - 3.98, 0.57
        ),
    )


def _trend_chart(deck: Deck, slide, trend: MilestoneTrend, x, y, w, h, contractual_end):
    data = CategoryChartData(number_format="dd/mm/yyyy")
    data.categories = list(trend.status_dates)
    for line in trend.lines:
        data.add_series(line.label, [excel_serial(v) for v in line.values], "dd/mm/yyyy")
    end = excel_serial(contractual_end) if contractual_end is not None else None
    if end is not None:
        data.add_series(
            _tr("contractual_end_line", deck.lang), [end] * len(trend.status_dates), "dd/mm/yyyy"
        )
    title = translate("review.trend_title", deck.lang)
    chart = deck.chart(slide, XL_CHART_TYPE.LINE_MARKERS, data, x, y, w, h, "chart.schedule", title)
    plot_series = list(chart.plots[0].series)
    colours = iter(TREND_COLORS)
    for line, series in zip(trend.lines, plot_series, strict=False):
        if line.key == PROJECT_FINISH:
            _line_style(series, PROJECT_GREY, 7, MSO_LINE_DASH_STYLE.DASH, None)
            _transparent(series.format.line, 0.35)
        else:
            _line_style(series, next(colours), 2.5, None, MARKER.CIRCLE)
    if end is not None:
        _line_style(plot_series[-1], CONTRACT_RED, 1.5, MSO_LINE_DASH_STYLE.DASH, None)
    dates = [excel_serial(d) for d in trend.dates] + ([end] if end is not None else [])
    low, high = min(dates), max(dates)
    span = max(high - low, 30)
    unit = 7 if span <= 70 else 14 if span <= 140 else 30 if span <= 300 else 61
    minimum = (low - span * 0.05) // unit * unit
    maximum = minimum + ((high + span * 0.05 - minimum) // unit + 1) * unit
    _value_axis(chart.value_axis, "dd/mm/yyyy", minimum=minimum, maximum=maximum, unit=unit)
    axis = chart.category_axis
    axis.tick_labels.number_format = "dd/mm/yyyy"
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(12)
    days = (trend.status_dates[-1] - trend.status_dates[0]).days
    if days <= 91:
        _date_axis_unit(axis, 7 if days > 14 else 1, "days")
    else:
        _date_axis_unit(axis, 1 if days <= 200 else 2)
    return chart


def _progress_chart(deck: Deck, slide, planning, x, y, w, h):
    planned, actual = (
        planning.planned_curve,
        planning.actual_curve.reindex(planning.planned_curve.index),
    )
    data = CategoryChartData(number_format="dd/mm/yyyy")
    data.categories = [stamp.date() for stamp in planned.index]
    data.add_series(
        translate("scurve.planned", deck.lang), [round(float(v), 4) for v in planned], '0" %"'
    )
    data.add_series(
        translate("scurve.actual", deck.lang),
        [None if v != v else round(float(v), 4) for v in actual],
        '0" %"',
    )
    title = translate("briefing.chart_progress", deck.lang)
    chart = deck.chart(slide, XL_CHART_TYPE.LINE, data, x, y, w, h, "chart.schedule", title)
    planned_series, actual_series = chart.plots[0].series
    _line_style(planned_series, PLANNED, 2.25, MSO_LINE_DASH_STYLE.SQUARE_DOT)
    _line_style(actual_series, ACTUAL, 3.5)
    _value_axis(chart.value_axis, '0"\u00a0%"', minimum=0, maximum=100, unit=20)
    axis = chart.category_axis
    axis.tick_labels.number_format = "mm/yyyy"
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(12)
    span = (planned.index.max() - planned.index.min()).days
    _date_axis_unit(axis, 1 if span <= 200 else 2)
    return chart


def schedule_slide(deck: Deck, situation: ProjectSituation, history) -> None:
    """The forecast finish, the delay, the contract time; the milestone trend over the
    situations given, else the physical progress S-curve (the trend needs two situations)."""
    lang = deck.lang
    slide = deck.slide(TITLE_AND_CONTENT, _tr("schedule_title", lang), 3)
    panel = deck.body(slide, MARGIN, CONTENT_TOP, 4.1, CONTENT_BOTTOM - CONTENT_TOP)
    planning = situation.planning
    if planning is None:
        deck.write(panel.text_frame, [Line(_tr("no_schedule", lang), 18)])
        return
    figures = {f.key: f for f in briefing.headline_figures(situation, lang)}
    finish = figures.get("forecast_finish") or figures.get("reception")
    lines: list[Line] = []
    if finish is not None:
        lines += _figure_lines(deck, finish, 32)
    end = format_date(planning.forecast.contractual_end, lang)
    lines.append(Line(_tr("contractual_end", lang, date=end), 14, space_before=4))
    for key in ("physical", "time_elapsed"):
        if key in figures:
            lines += _figure_lines(deck, figures[key], 20)
    lines += _rating_lines(situation, "time", lang)
    deck.write(panel.text_frame, lines)
    # the situations before this one (a history that holds this date too gives it once)
    earlier = [h for h in history or [] if h.status_date < situation.status_date]
    trend = milestone_trend_lines([*earlier, situation], lang) if earlier else None
    x, w = 4.85, WIDTH - MARGIN - 4.85
    if trend is not None:
        _trend_chart(deck, slide, trend, x, CONTENT_TOP, w, 5.55, planning.forecast.contractual_end)
    else:
        _progress_chart(deck, slide, planning, x, CONTENT_TOP, w, 4.75)
        deck.text_box(
            slide,
            x,
            6.1,
            w,
            0.75,
            [Line(_tr("trend_needs_two", lang), 12, color=MUTED, italic=True)],
            "note.trend",
        )


def money_values(situation: ProjectSituation) -> list[float]:
    """Envelope, engagé, émis, payé: the spending overview's totals (the Synthèse's bars)."""
    totals = situation.spending.totals
    return [totals.envelope, totals.engaged, totals.issued, totals.paid]


def money_slide(deck: Deck, situation: ProjectSituation) -> None:
    lang = deck.lang
    slide = deck.slide(TITLE_AND_CONTENT, _tr("money_title", lang), 4)
    panel = deck.body(slide, MARGIN, CONTENT_TOP, 4.1, CONTENT_BOTTOM - CONTENT_TOP)
    spending = situation.spending
    if spending is None:
        deck.write(panel.text_frame, [Line(_tr("no_spending", lang), 18)])
        return
    figures = {f.key: f for f in briefing.headline_figures(situation, lang)}
    lines: list[Line] = []
    cost = figures.get("forecast_cost") or figures.get("final_cost")
    if cost is not None:
        lines += _figure_lines(deck, cost, 32)
    for key in ("engaged", "financial"):
        if key in figures:
            lines += _figure_lines(deck, figures[key], 20)
    lines += _rating_lines(situation, "cost", lang)
    deck.write(panel.text_frame, lines)

    totals = spending.totals
    labels = [
        translate("export.col.envelope", lang),
        translate("spending.col.engaged", lang),
        translate("spending.col.issued", lang),
        translate("spending.col.paid", lang),
    ]
    values = money_values(situation)
    data = CategoryChartData()
    data.categories = labels
    data.add_series(translate("spending.col.amount", lang), values, "#,##0.00")
    x, w = 4.85, WIDTH - MARGIN - 4.85
    title = translate("briefing.chart_spending", lang)
    chart = deck.chart(
        slide, XL_CHART_TYPE.COLUMN_CLUSTERED, data, x, CONTENT_TOP, w, 5.55, "chart.money", title
    )
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 60
    series = plot.series[0]
    for index, (point_colour, value) in enumerate(zip(MONEY_COLORS, values, strict=True)):
        point = series.points[index]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = RGBColor.from_string(point_colour)
        share = format_percent(value / totals.envelope if totals.envelope else None, lang, 0)
        text = translate(
            "spending_chart.envelope_bars.text",
            lang,
            amount=format_millions(value, lang, 2),
            share=share,
        )
        label = point.data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        amount, *rest = text.split("\n")
        parts = [Line(amount, 13, True)] + [Line(part, 12, color=MUTED) for part in rest]
        deck.write(label.text_frame, parts, center=True)
    top = max(values) if max(values) > 0 else 1.0
    suffix = "" if deck.rtl else translate("spending_chart.millions_suffix", lang)
    millions = f'#,##0,,"{suffix}"'.replace(" ", "\u00a0") if suffix else "#,##0,,"
    _value_axis(chart.value_axis, millions, minimum=0, maximum=_nice_top(top * 1.18))
    chart.category_axis.tick_labels.font.size = Pt(14)
    if deck.rtl:
        chart.category_axis.reverse_order = True


def _nice_top(value: float) -> float:
    """The next round number above ``value`` (1, 2, 2.5 or 5 × a power of ten)."""
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def programme_values(
    situation: ProjectSituation, lang: str
) -> tuple[list[str], list[int], list[int]]:
    """The programme table's rows (space types, then the start-up places): names, required,
    found — the Surfaces page's conformity table."""
    table = programme_table(situation.areas, lang).frame
    return (
        list(table[LABEL]),
        [int(v) for v in table[PROGRAMME.required]],
        [int(v) for v in table[PROGRAMME.found]],
    )


def surfaces_slide(deck: Deck, situation: ProjectSituation) -> None:
    lang = deck.lang
    slide = deck.slide(TITLE_AND_CONTENT, _tr("surfaces_title", lang), 5)
    panel = deck.body(slide, MARGIN, CONTENT_TOP, 4.1, CONTENT_BOTTOM - CONTENT_TOP)
    areas = situation.areas
    if areas is None:
        deck.write(panel.text_frame, [Line(_tr("no_areas", lang), 18)])
        return
    figures = {f.key: f for f in surfaces_figures(areas, lang)}
    lines: list[Line] = []
    for key in ("surfaces.gross", "surfaces.programme", "surfaces.places"):
        if key in figures:
            lines += _figure_lines(deck, figures[key], 24)
    lines += _rating_lines(situation, "scope", lang)
    deck.write(panel.text_frame, lines)

    table = programme_table(areas, lang)
    names, required, found = programme_values(situation, lang)
    data = CategoryChartData()
    data.categories = names
    labels = {c.id: c.label for c in table.columns}
    data.add_series(labels[PROGRAMME.required], required, "0")
    data.add_series(labels[PROGRAMME.found], found, "0")
    x, w = 4.85, WIDTH - MARGIN - 4.85
    chart = deck.chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        data,
        x,
        CONTENT_TOP,
        w,
        5.55,
        "chart.programme",
        table.title,
    )
    plot = chart.plots[0]
    plot.gap_width = 70
    plot.overlap = -10
    for series, colour in zip(plot.series, (REQUIRED, FOUND), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    plot.has_data_labels = True
    labels_ = plot.data_labels
    labels_.number_format = "0"
    labels_.number_format_is_linked = False
    labels_.position = XL_LABEL_POSITION.OUTSIDE_END
    labels_.font.size = Pt(12)
    labels_.font.bold = True
    top = max(required + found + [1])
    _value_axis(chart.value_axis, "0", minimum=0, maximum=_nice_top(top * 1.15))
    chart.category_axis.tick_labels.font.size = Pt(12)
    if deck.rtl:
        chart.category_axis.reverse_order = True


def decisions_slide(deck: Deck, situation: ProjectSituation) -> None:
    """The red and amber ratings (the decisions they call for), the open alerts, and the tasks
    furthest behind."""
    lang = deck.lang
    slide = deck.slide(TITLE_AND_CONTENT, _tr("decisions_title", lang), 6)
    panel = deck.body(slide, MARGIN, CONTENT_TOP, 6.9, CONTENT_BOTTOM - CONTENT_TOP)
    lines = [Line(_tr("decisions_heading", lang), 18, True, TEAL)]
    pending = briefing.decisions_needed(situation, lang)
    for decision in pending:
        lines.append(Line(decision.text, 14, bullet=RATING_HEX[decision.color], space_before=6))
    if not pending:
        lines.append(Line(translate("views.decisions.none", lang), 14, space_before=6))
    alerts = briefing.alerts_table(situation, lang)
    lines.append(Line(alerts.title, 18, True, TEAL, space_before=16))
    if len(alerts) == 0:
        lines.append(Line(alerts.empty_text, 14, space_before=6))
    for alert in alerts.frame.head(MAX_ALERTS).itertuples():
        colour = RATING_HEX["red" if alert.color == "red" else "amber"]
        lines.append(Line(alert.message, 13, bullet=colour, space_before=6))
    if len(alerts) > MAX_ALERTS:
        more = _tr("more_alerts", lang, count=len(alerts) - MAX_ALERTS)
        lines.append(Line(more, 13, color=MUTED, space_before=6))
    deck.write(panel.text_frame, lines)

    late = briefing.late_tasks_table(situation, lang)
    x = MARGIN + 6.9 + 0.35
    w = WIDTH - MARGIN - x
    deck.text_box(
        slide, x, CONTENT_TOP, w, 0.45, [Line(late.title, 18, True, TEAL)], "heading.late"
    )
    if len(late) == 0:
        deck.text_box(
            slide, x, CONTENT_TOP + 0.5, w, 0.5, [Line(late.empty_text, 14)], "late.empty"
        )
        return
    deck.table(slide, late, x, CONTENT_TOP + 0.55, (w - 2.35, 1.35, 1.0), row_height=0.62)


def governance_slide(deck: Deck, situation: ProjectSituation) -> None:
    """The COPIL's registers (``views.governance``): the decisions expected of it and the
    overdue actions on the left, the top risks on the right."""
    governance = situation.governance
    if governance is None:
        return
    lang = deck.lang
    slide = deck.slide(TITLE_AND_CONTENT, translate("briefing.governance_title", lang), 7)
    half = (WIDTH - 2 * MARGIN - 0.35) / 2
    panel = deck.body(slide, MARGIN, CONTENT_TOP, half, CONTENT_BOTTOM - CONTENT_TOP)
    lines = [Line(translate("registers.expected_title", lang), 18, True, TEAL)]
    expected = governance_view.expected_lines(governance, lang, limit=4)
    for color, text in expected:
        lines.append(Line(text, 13, bullet=RATING_HEX[color], space_before=6))
    if not expected:
        lines.append(Line(translate("registers.expected_empty", lang), 13, space_before=6))
    lines.append(Line(translate("registers.overdue_title", lang), 18, True, TEAL, space_before=14))
    lines.append(Line(governance_view.overdue_line(governance, lang), 13, space_before=6))
    interest = briefing.late_interest_line(situation, lang)
    if interest:
        lines.append(Line(interest, 13, bullet=RATING_HEX["red"], space_before=10))
    deck.write(panel.text_frame, lines)
    risks = [Line(translate("registers.top_risks_title", lang), 18, True, TEAL)]
    top = governance_view.top_risk_lines(governance, lang, limit=5)
    for color, text in top:
        risks.append(Line(text, 13, bullet=RATING_HEX[color], space_before=6))
    if not top:
        risks.append(Line(translate("registers.top_risks_empty", lang), 13, space_before=6))
    x = MARGIN + half + 0.35
    deck.text_box(slide, x, CONTENT_TOP, half, CONTENT_BOTTOM - CONTENT_TOP, risks, "risks")


def build_briefing_pptx(
    situation: ProjectSituation,
    sources,
    lang: str,
    *,
    history: Sequence[ProjectSituation] | None = None,
) -> bytes:
    """The six slides as ``.pptx`` bytes: title; where we stand (headline figures, ratings);
    schedule (forecast finish, delay, the milestone trend over ``history`` — earlier
    situations, oldest first — or the S-curve without it); money (engagé / émis / payé against
    the envelope, forecast final cost); the programme and its places; decisions and next
    steps. ``sources`` are ``exports.workbook.SourceInfo`` (file names and SHA-256 on the
    title slide)."""
    deck = Deck(situation, lang)
    core = deck.presentation.core_properties
    core.title = _tr("file_title", lang, project=deck.project, date=deck.status)
    core.author = situation.settings.owner
    core.language = LANG_TAG.get(lang, "fr-FR")
    title_slide(deck, situation, sources)
    standing_slide(deck, situation)
    schedule_slide(deck, situation, history)
    money_slide(deck, situation)
    surfaces_slide(deck, situation)
    decisions_slide(deck, situation)
    governance_slide(deck, situation)
    return deck.save()
