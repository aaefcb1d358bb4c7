"""The briefing note: two A4 landscape pages for the governor's and the council's table, in
French, English or Arabic.

``build_briefing_pdf(situation, sources, lang) -> bytes`` lays out the Synthèse's view data
(``views.briefing``: the headline figures, the four ratings and their sentences, the late
tasks, the open alerts) and its three plotly charts in an HTML document, and has Debian's
Chromium print it (Playwright's ``page.pdf``). Chromium because it is installed and proven
here (the browser tests), shapes Arabic and lays out right-to-left text correctly, and
prints plotly's SVG charts as vectors; the charts are drawn by the plotly.js of the installed
plotly package, inline, so printing needs no network. Page 1: the project, the status date,
the headline figures, the ratings, the decisions needed; page 2: the charts, the tasks
furthest behind, the open alerts. The header holds the owner and the programme, the footer
the status date, the source files (name and SHA-256 prefix) and "page n / N".

Every text comes from ``views/`` and the translation files; imported text (a task name, a
payee) is escaped, so it prints as typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from charts.areas import areas_by_category_figure
from charts.progress import progress_figure
from charts.spending import envelope_bars_figure
from exports.chromium import CHROMIUM, CHROMIUM_ARGS
from exports.workbook import SourceInfo
from i18n import bidi_isolate, text_direction, translate
from i18n.format import format_date
from tracking.situation import ProjectSituation
from views import briefing as view
from views import governance as governance_view
from views.format import figure_text, format_value
from views.spec import Table

PACK = Path(__file__).with_name("pack")
#: the chart boxes' width in CSS pixels, three across the 277 mm (1047 px) of the printed
#: width: the S-curve wider, so that its month ticks stand level; all 74 mm high
PROGRESS_WIDTH, CHART_WIDTH, CHART_HEIGHT = 410, 300, 276
#: the height the Synthèse page draws its charts at: their compact form (three-monthly
#: ticks, notes wrapped short), enlarged for the printed box
SCREEN_HEIGHT = 185
#: how long Chromium may take to draw the charts and print (a print takes about 2 s)
PRINT_TIMEOUT_SECONDS = 60
SHA_PREFIX = 8
#: the number of alerts the second page holds beside the late tasks
MAX_ALERTS = 6


class PrintFailed(RuntimeError):
    """Chromium could not be started or could not print the note."""


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"pack.{key}", lang, **params)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _sentence(text: object, lang: str) -> str:
    """A sentence escaped, its contract numbers (``07/2026/AREP-RSK``) isolated left to right
    in a right-to-left note (``i18n.bidi_isolate``)."""
    return _e(bidi_isolate(str(text), lang))


def _bdi(text: object) -> str:
    """A figure, an id or a date isolated from the sentence around it (bidi)."""
    return f"<bdi>{_e(text)}</bdi>"


def project_names(settings, lang: str) -> dict[str, str]:
    """The project's name, owner and programme as the settings give them in ``lang``
    (``project.name_ar``…, when the settings hold them), else as typed in French."""
    return {field: settings.local_name(field, lang) for field in ("name", "owner", "programme")}


def source_files(sources: Iterable[SourceInfo]) -> list[tuple[str, str]]:
    """Each source file once (the finance workbook holds three tables), with the first
    ``SHA_PREFIX`` hex digits of its SHA-256."""
    seen: dict[tuple[str, str], None] = {}
    for source in sources:
        seen.setdefault((source.name, (source.sha256 or "")[:SHA_PREFIX]), None)
    return list(seen)


# -- page 1 --------------------------------------------------------------------------------


def _figures_html(situation: ProjectSituation, lang: str) -> str:
    figures = view.headline_figures(situation, lang)
    cells = "".join(
        f'<div class="figure"><div class="label">{_e(f.label)}</div>'
        f'<div class="value">{_bdi(figure_text(f, lang))}</div>'
        f'<div class="note">{_sentence(view.figure_note(f, lang), lang)}</div></div>'
        for f in figures
    )
    return (
        f'<section class="headline"><h2>{_e(_tr("figures_title", lang))}</h2>'
        f'<div class="figures" style="--count: {max(len(figures), 1)}">{cells}</div></section>'
    )


def _ratings_html(situation: ProjectSituation, lang: str) -> str:
    table = view.ratings_table(situation, lang)
    cards = "".join(
        f'<div class="rating" style="--color: {view.COLOR_HEX[r.color]}">'
        f'<div class="head">{_e(r.dimension)}<span class="badge">{_e(r.rating)}</span></div>'
        f'<div class="reason">{_sentence(r.reason, lang)}</div></div>'
        for r in table.frame.itertuples()
    )
    return f'<section><h2>{_e(table.title)}</h2><div class="ratings">{cards}</div></section>'


def _item(color: str, text: str, lang: str) -> str:
    return f'<li><span class="dot" style="--color: {view.COLOR_HEX[color]}">●</span> {_sentence(text, lang)}</li>'


def _items(entries: list[tuple[str, str]], lang: str) -> str:
    """(colour, sentence) entries as a list of at most ``MAX_ALERTS``, then how many more."""
    shown = "".join(_item(color, text, lang) for color, text in entries[:MAX_ALERTS])
    more = len(entries) - MAX_ALERTS
    if more > 0:
        shown += f'<li class="empty">{_e(_tr("more_alerts", lang, count=more))}</li>'
    return f'<ul class="items">{shown}</ul>'


def _decisions_html(situation: ProjectSituation, lang: str) -> str:
    """What needs a decision (``views.briefing.decisions_needed``: each rating that is not
    green, with why), the same list as the slides and the Synthèse."""
    entries = [(d.color, d.text) for d in view.decisions_needed(situation, lang)]
    body = _items(entries, lang) if entries else _empty(translate("views.decisions.none", lang))
    return f"<section><h2>{_e(_tr('decisions_title', lang))}</h2>{body}</section>"


def _governance_html(situation: ProjectSituation, lang: str) -> str:
    """Page 3, the COPIL's registers (``views.governance``, the Synthèse's tables): the
    decisions expected of it, the overdue actions, the top risks; no page without a register."""
    governance = situation.governance
    if governance is None:
        return ""
    parts = []
    for table in (
        governance_view.expected_table(governance, lang),
        governance_view.overdue_table(governance, lang),
        governance_view.top_risks_table(governance, lang),
    ):
        parts.append(f"<section><h2>{_e(table.title)}</h2>{_table_html(table, lang)}</section>")
    interest = view.late_interest_line(situation, lang)
    if interest:  # the owner's liability, under the overdue actions
        parts.insert(2, f'<p class="liability">{_e(interest)}</p>')
    title = translate("briefing.governance_title", lang)
    return (
        f'<div class="page governance" id="page-3"><h1 class="page-title">{_e(title)}</h1>'
        f"{''.join(parts)}</div>"
    )


def _empty(text: str) -> str:
    return f'<p class="empty">{_e(text)}</p>'


# -- page 2 --------------------------------------------------------------------------------


_ARABIC = re.compile("[\u0600-\u06ff]")
_RLI, _PDI = "\u2067", "\u2069"


def _rtl_line(text: str) -> str:
    """Each line of a plotly label that holds Arabic as a right-to-left isolate: in the chart's
    left-to-right box, ``94 % من الغلاف المالي`` would otherwise read from the end."""
    return "<br>".join(
        f"{_RLI}{line}{_PDI}" if _ARABIC.search(line) else line for line in text.split("<br>")
    )


def _right_to_left_labels(figure: go.Figure) -> None:
    """The Arabic labels inside a chart (bar texts, notes) read right to left."""
    for trace in figure.data:
        text = getattr(trace, "text", None)
        if isinstance(text, str):
            trace.text = _rtl_line(text)
        elif text is not None:
            trace.text = [_rtl_line(t) if isinstance(t, str) else t for t in text]
    for annotation in figure.layout.annotations:
        if isinstance(annotation.text, str):
            annotation.text = _rtl_line(annotation.text)


def briefing_figures(situation: ProjectSituation, lang: str) -> list[tuple[str, go.Figure]]:
    """The Synthèse page's three charts (same functions, same arguments), each with its
    title, sized for the printed box and static. Paper has no hover: the S-curve shows its
    legend (planned, actual)."""
    figures: list[tuple[str, go.Figure]] = []
    planning, spending, areas = situation.planning, situation.spending, situation.areas
    if planning is not None:
        figure = progress_figure(
            planning.planned_curve,
            planning.actual_curve,
            status_date=situation.status_date,
            actual_at_status=planning.actual_percent,
            planned_at_status=planning.planned_percent,
            lang=lang,
            height=SCREEN_HEIGHT,
        )
        figure.update_layout(width=PROGRESS_WIDTH, showlegend=True, margin_t=30)
        figures.append((translate("briefing.chart_progress", lang), figure))
    if spending is not None:
        figure = envelope_bars_figure(spending.totals, lang=lang, height=SCREEN_HEIGHT)
        figures.append((translate("briefing.chart_spending", lang), figure))
    if areas is not None:
        figure = areas_by_category_figure(areas.by_category, lang=lang, height=SCREEN_HEIGHT)
        figures.append((translate("briefing.chart_areas", lang), figure))
    for _, figure in figures:
        if text_direction(lang) == "rtl":
            _right_to_left_labels(figure)
        figure.update_layout(
            width=figure.layout.width or CHART_WIDTH,
            height=CHART_HEIGHT,
            font_family='"Noto Sans", "Noto Sans Arabic", sans-serif',
            hovermode=False,
        )
    return figures


def _chart_json(figure: go.Figure) -> str:
    # inside a <script>: a "</" in a label must not close it
    return figure.to_json().replace("</", "<\\/")


def _charts_html(figures: list[tuple[str, go.Figure]]) -> str:
    boxes = "".join(
        f'<div class="chart" style="width: {figure.layout.width}px"><h3>{_e(title)}</h3>'
        f'<div class="plot" dir="ltr" id="chart-{index}"></div>'
        f'<script type="application/json" id="chart-{index}-data">{_chart_json(figure)}</script>'
        "</div>"
        for index, (title, figure) in enumerate(figures)
    )
    return f'<section class="charts-row"><div class="charts">{boxes}</div></section>'


def _table_html(table: Table, lang: str) -> str:
    if len(table) == 0:
        return _empty(table.empty_text)
    numeric = {"date", "days", "money", "millions", "percent", "int", "count", "number"}
    head = "".join(
        f'<th class="{"number" if c.kind in numeric else ""}">{_e(c.label)}</th>'
        for c in table.columns
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"number" if c.kind in numeric else ""}">'
            f"{_bdi(format_value(row[c.id], c.kind, lang))}</td>"
            for c in table.columns
        )
        + "</tr>"
        for _, row in table.data().iterrows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _alerts_html(situation: ProjectSituation, lang: str) -> str:
    table = view.alerts_table(situation, lang)
    if len(table) == 0:
        return f"<div><h2>{_e(table.title)}</h2>{_empty(table.empty_text)}</div>"
    entries = list(zip(table.frame["color"], table.frame["message"], strict=True))
    return f"<div><h2>{_e(table.title)}</h2>{_items(entries, lang)}</div>"


def _lists_html(situation: ProjectSituation, lang: str) -> str:
    late = view.late_tasks_table(situation, lang)
    return (
        f'<section class="lists"><div><h2>{_e(late.title)}</h2>{_table_html(late, lang)}</div>'
        f"{_alerts_html(situation, lang)}</section>"
    )


# -- the document --------------------------------------------------------------------------


@cache
def _stylesheet() -> str:
    return (PACK / "briefing.css").read_text(encoding="utf-8")


#: plotly measures its labels in a hidden SVG it appends to the body; made here first inside a
#: left-to-right box, it measures them as the chart draws them, whatever the page's direction
_TESTER = (
    '<div dir="ltr"><svg id="js-plotly-tester" xmlns="http://www.w3.org/2000/svg"'
    ' style="position: absolute; left: -10000px; top: -10000px; width: 9000px;'
    ' height: 9000px; z-index: 1"></svg></div>'
)
_DRAW_SCRIPT = """
<script>
(function () {
  const boxes = document.querySelectorAll('.plot');
  const drawn = Array.from(boxes, (box) => {
    const figure = JSON.parse(document.getElementById(box.id + '-data').textContent);
    return Plotly.newPlot(box, figure.data, figure.layout,
      {staticPlot: true, displayModeBar: false, responsive: false});
  });
  Promise.all(drawn).then(() => { window.chartsDrawn = true; },
                          (error) => { window.chartsDrawn = String(error); });
})();
</script>
"""


def briefing_html(situation: ProjectSituation, sources: list[SourceInfo], lang: str = "fr") -> str:
    """The note as one HTML document (styles and plotly.js inline, no network)."""
    names = project_names(situation.settings, lang)
    date = format_date(situation.status_date, lang)
    figures = briefing_figures(situation, lang)
    title = _tr("title", lang, project=names["name"], date=date)
    page_one = (
        f'<div class="page" id="page-1"><h1>{_e(names["name"])}</h1>'
        f'<p class="subtitle">{_e(_tr("subtitle", lang, date=date))}</p>'
        f"{_figures_html(situation, lang)}{_ratings_html(situation, lang)}"
        f"{_decisions_html(situation, lang)}</div>"
    )
    page_two = (
        f'<div class="page" id="page-2">{_charts_html(figures)}{_lists_html(situation, lang)}</div>'
    )
    script = _TESTER + _DRAW_SCRIPT if figures else "<script>window.chartsDrawn = true;</script>"
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}" dir="{text_direction(lang)}"><head>'
        f'<meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{_stylesheet()}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script>'
        f"</head><body>{page_one}{page_two}{_governance_html(situation, lang)}{script}</body></html>"
    )


_MARGIN_STYLE = (
    "width: 100%; margin: 0 10mm; font-size: 7.5pt; color: #5b6673; display: flex;"
    " justify-content: space-between; gap: 4mm;"
    " font-family: 'Noto Sans', 'Noto Naskh Arabic', 'Noto Sans Arabic', sans-serif;"
)


def header_template(situation: ProjectSituation, lang: str) -> str:
    """The printed header: the owner and the programme."""
    names = project_names(situation.settings, lang)
    return (
        f'<div dir="{text_direction(lang)}" lang="{_e(lang)}" style="{_MARGIN_STYLE}">'
        f"<span>{_e(names['owner'])}</span><span>{_e(names['programme'])}</span></div>"
    )


def footer_template(situation: ProjectSituation, sources: list[SourceInfo], lang: str) -> str:
    """The printed footer: the status date, the sources and ``page n / N`` (Chromium fills
    the ``pageNumber`` and ``totalPages`` spans)."""
    date = format_date(situation.status_date, lang)
    files = ", ".join(
        f'<bdi dir="ltr">{_e(name)} ({_e(sha) or "—"})</bdi>' for name, sha in source_files(sources)
    )
    page = _e(_tr("page", lang, page="\x00", pages="\x01"))
    page = page.replace("\x00", '<span class="pageNumber"></span>').replace(
        "\x01", '<span class="totalPages"></span>'
    )
    return (
        f'<div dir="{text_direction(lang)}" lang="{_e(lang)}" style="{_MARGIN_STYLE}">'
        f"<span>{_e(_tr('status_date', lang, date=date))} · "
        f"{_e(_tr('sources', lang))} {files or '—'}</span>"
        f'<span style="white-space: nowrap">{page}</span></div>'
    )


def _print(document: str, header: str, footer: str) -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                # nothing is fetched: the document holds its styles, scripts and data
                page.route("**/*", lambda route: route.abort())
                page.set_content(document, wait_until="load")
                page.wait_for_function(
                    "window.chartsDrawn !== undefined", timeout=PRINT_TIMEOUT_SECONDS * 1000
                )
                drawn = page.evaluate("window.chartsDrawn")
                if drawn is not True:
                    raise PrintFailed(f"the charts were not drawn: {drawn}")
                page.evaluate("document.fonts.ready.then(() => true)")
                return page.pdf(
                    format="A4",
                    landscape=True,
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=footer,
                    prefer_css_page_size=True,
                )
            finally:
                browser.close()
    except PlaywrightError as error:
        raise PrintFailed(str(error)) from error


def print_pdf(document: str, header: str, footer: str) -> bytes:
    """``document`` printed by Chromium, A4 landscape. The print runs in a thread of its own:
    Playwright's sync API refuses a thread with a running asyncio loop, and the caller may
    be a Streamlit script thread; one browser is launched per document and closed after."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-pdf") as pool:
        return pool.submit(_print, document, header, footer).result(
            timeout=PRINT_TIMEOUT_SECONDS * 2
        )


def build_briefing_pdf(
    situation: ProjectSituation, sources: list[SourceInfo], lang: str = "fr"
) -> bytes:
    """The briefing note as PDF bytes (for the Synthèse page's download and
    ``python -m exports briefing --format pdf``)."""
    return print_pdf(
        briefing_html(situation, sources, lang),
        header_template(situation, lang),
        footer_template(situation, sources, lang),
    )
