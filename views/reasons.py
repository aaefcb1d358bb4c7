"""Why a figure is not available, in words: the sentence of a ``tracking.unavailable`` code."""

from __future__ import annotations

from i18n import translate
from tracking.unavailable import reason_key


def reason_text(code: str | None, lang: str = "fr", embedded: bool = False) -> str:
    """The sentence of a reason code (``stages.reason.<code>``); ``embedded`` lowers its first
    letter, for a sentence that goes on after a colon. Empty for no code."""
    if not code:
        return ""
    text = translate(reason_key(code), lang)
    return text[:1].lower() + text[1:] if embedded and text else text
