"""The briefing pack's downloads on the Synthèse page: the note (PDF) and the deck (PPTX) in
French, English or Arabic (the page's language by default). A document is built only when asked ("Préparer la note (PDF)"), never on
a page view: printing the note starts Chromium. It is then kept in the session on the data's
key and the language, and offered for download until the data or the language change."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st

from exports.workbook import workbook_sources
from i18n import translate
from i18n.format import format_date
from ui.access import download_button
from ui.domain import data_key, week_digest_of
from ui.shared import lang, settings, situations, tr

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Document:
    """One document of the pack: its key in the session, its extension and type."""

    kind: str  # "pdf" or "pptx", the translation keys' and the widgets' suffix
    mime: str


#: the documents' languages, each named in its own language
DOCUMENT_LANGUAGES = {"fr": "Français", "en": "English", "ar": "العربية"}

NOTE = Document("pdf", "application/pdf")
DECK = Document("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")


def pack_key(data, language: str) -> tuple:
    """What a prepared document depends on: the data in use (``ui.domain.data_key``: its
    snapshot ids, the registers' included) and the language."""
    return (data_key(data), language)


def build_document(document: Document, situation, data, language: str) -> bytes:
    """The note or the deck as bytes, from the same situation and sources as the workbook
    (the builders are imported here: they load Chromium's driver and python-pptx)."""
    sources = workbook_sources(data.results, getattr(data, "snapshots", {}) or {}, data.sources)
    if document is NOTE:
        from exports.briefing_pdf import build_briefing_pdf

        return build_briefing_pdf(situation, sources, language)
    from exports.briefing_pptx import build_briefing_pptx

    return build_briefing_pptx(situation, sources, language, history=earlier_situations(data))


def earlier_situations(data) -> list:
    """The weekly situations before the one in use, oldest first, as the weekly review reads
    them (their digests: key figures and milestone forecasts, ``ui.domain.week_digest_of``):
    the deck's milestone trend has the review's points, as the command line's."""
    return [week_digest_of(week) for week in situations() if week.status_date < data.status_date]


def file_name(document: Document, data, language: str) -> str:
    date = format_date(data.status_date, language).replace("/", "-")
    project = settings().local_name("name", language)
    stem = translate(f"briefing.pack.file_{document.kind}", language, project=project, date=date)
    return f"{stem}.{document.kind}"


def document_button(document: Document, situation, data, language: str) -> None:
    """ "Préparer …" until the document is built for the data and language in use, then the
    download of its bytes."""
    key = pack_key(data, language)
    slot = f"briefing.pack.{document.kind}"
    prepared = st.session_state.get(slot)
    if prepared is None or prepared[0] != key:
        # the click is recorded by the button's callback, which runs before the script: a
        # rerun on the way (the navigation's) does not lose it as it loses a button's value
        if not st.session_state.pop(f"{slot}.asked", False):
            st.button(
                tr(f"briefing.pack.prepare_{document.kind}"),
                help=tr(f"briefing.pack.prepare_{document.kind}_help"),
                icon=":material/description:",
                key=f"{slot}.prepare",
                width="stretch",
                on_click=_ask,
                args=(slot,),
            )
            return
        with st.spinner(tr("briefing.pack.preparing")):
            try:
                content = build_document(document, situation, data, language)
            except Exception:  # a user never sees a traceback: say it, log the detail
                logger.exception("briefing pack: the %s could not be built", document.kind)
                st.error(tr("briefing.pack.failed"), icon=":material/report:")
                return
        st.session_state[slot] = prepared = (key, content)
    download_button(
        tr(f"briefing.pack.download_{document.kind}"),
        document=tr(f"briefing.pack.download_{document.kind}"),
        data=prepared[1],
        file_name=file_name(document, data, language),
        mime=document.mime,
        icon=":material/download:",
        key=f"{slot}.download",
        width="stretch",
    )


def _ask(slot: str) -> None:
    st.session_state[f"{slot}.asked"] = True


def briefing_pack(situation, data) -> None:
    """The note's and the deck's buttons side by side (hidden when printing)."""
    with st.container(key="briefing-pack"):
        page_language = lang()
        choice = st.segmented_control(
            tr("briefing.pack.language"),
            options=list(DOCUMENT_LANGUAGES),
            format_func=DOCUMENT_LANGUAGES.get,
            default=page_language,
            key=f"briefing.pack.language.{page_language}",
        )
        language = choice or page_language
        note, deck = st.columns(2)
        with note:
            document_button(NOTE, situation, data, language)
        with deck:
            document_button(DECK, situation, data, language)
