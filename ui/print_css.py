"""The Synthèse page's own style, on screen and printed (Ctrl+P, A4 landscape): two pages laid
out as the briefing note — page 1 the headline figures and the ratings with the decisions
needed, page 2 the late tasks, the alerts and the three charts side by side — with nothing
interactive printed (sidebar, help icons, buttons, the expander, the grid's toolbar).

Constant CSS written here, never imported text: the one place the page hands HTML to
Streamlit."""

from __future__ import annotations

import streamlit as st

#: the printable width of an A4 landscape page (297 mm less two 8 mm margins) in CSS pixels:
#: the page's content is laid out at this width when printed, so that the charts, which
#: plotly sizes to their column, fit their column on paper as they do on the print preview
PRINT_WIDTH_PX = 1060

SCREEN_CSS = """
.block-container {padding-top: 1.6rem; padding-bottom: 1rem;}
[data-testid="stMetricValue"] {font-size: 1.45rem;}
[data-testid="stMetricLabel"] p {font-size: 0.8rem;}
.st-key-briefing-figures [data-testid="stCaptionContainer"] p,
[class*="st-key-briefing-rating"] [data-testid="stCaptionContainer"] p {
  font-size: 0.72rem; line-height: 1.25;
}
.st-key-briefing-lists p, .st-key-briefing-lists li {font-size: 0.82rem; margin-bottom: 0.1rem;}
.st-key-briefing-print-late {display: none;}
"""

PRINT_CSS = f"""
@media print {{
  @page {{size: A4 landscape; margin: 8mm;}}
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
    background: #fff !important; height: auto !important; overflow: visible !important;
  }}
  /* nothing interactive on paper */
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stHeaderActionElements"], [data-testid="stTooltipIcon"],
  [data-testid="stElementToolbar"], [data-testid="stExpander"], [data-testid="stButton"],
  [data-testid="stDownloadButton"], [data-testid="stSkipToContent"], .st-key-briefing-pack,
  .st-key-briefing-late-grid {{
    display: none !important;
  }}
  /* the late tasks as text (the grid is a canvas): readable and searchable on paper */
  .st-key-briefing-print-late {{display: block !important;}}
  .st-key-briefing-print-late table {{font-size: 0.78rem;}}
  .st-key-briefing-print-late td, .st-key-briefing-print-late th {{padding: 0.15rem 0.5rem;}}
  [data-testid="stMainBlockContainer"], .block-container {{
    width: {PRINT_WIDTH_PX}px !important; max-width: {PRINT_WIDTH_PX}px !important;
    min-width: 0 !important; padding: 0 !important; margin: 0 !important;
  }}
  /* columns stay side by side as on screen (Streamlit stacks those holding a chart or a grid
     for print, its .stPrintGraphic rule) */
  [data-testid="stHorizontalBlock"] {{
    display: flex !important; flex-wrap: nowrap !important; gap: 1rem !important;
  }}
  [data-testid="stColumn"] {{
    flex: 1 1 0 !important; min-width: 0 !important; width: auto !important;
  }}
  /* page 1 has the room for larger type: it is read across a table */
  [data-testid="stMetricValue"] {{font-size: 2rem !important;}}
  [data-testid="stMetricLabel"] p {{font-size: 0.95rem !important;}}
  .st-key-briefing-figures [data-testid="stCaptionContainer"] p,
  [class*="st-key-briefing-rating"] [data-testid="stCaptionContainer"] p {{
    font-size: 0.9rem !important; line-height: 1.35 !important;
  }}
  [class*="st-key-briefing-rating"] p {{font-size: 1.05rem;}}
  .st-key-briefing-figures {{margin: 1rem 0 1.5rem 0;}}
  /* page 2: the late tasks, the alerts and the charts, as the briefing note */
  .st-key-briefing-lists {{break-before: page; page-break-before: always;}}
  .st-key-briefing-figures, [class*="st-key-briefing-rating"], .st-key-briefing-lists,
  .st-key-briefing-charts, [data-testid="stPlotlyChart"], .stPlotlyChart, .js-plotly-plot,
  [data-testid="stVerticalBlockBorderWrapper"] {{
    break-inside: avoid; page-break-inside: avoid;
  }}
  .st-key-briefing-charts {{margin-top: 0.8rem;}}
  /* page 3: the decisions expected, the overdue actions and the top risks (the COPIL's) */
  .st-key-briefing-governance {{break-before: page; page-break-before: always;}}
  .st-key-briefing-governance table {{font-size: 0.78rem;}}
  .st-key-briefing-governance td, .st-key-briefing-governance th {{padding: 0.15rem 0.4rem;}}
}}
"""


def briefing_style() -> None:
    """The Synthèse's screen and print style (our constant CSS, no imported text)."""
    st.html(f"<style>{SCREEN_CSS}{PRINT_CSS}</style>")
