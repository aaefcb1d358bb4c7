"""Imported text shown as text: every Streamlit element that takes a string (markdown,
captions, alerts, metric and expander labels, tooltips) renders it as Markdown, so a payee
typed ``![x](http://…)`` would make every viewer's browser fetch that address, ``[phish](…)``
would become a link, and ``**``, ``:red[…]``, ``:material/…:`` or ``$…$`` would be
interpreted. ``plain`` makes any text literal; ``visible`` is what a reader then sees.

Backslash escapes alone are not enough: Streamlit turns bare addresses (``http://…``,
``www.…``, ``a@b.c``) into links after parsing, so a word joiner (U+2060, invisible, zero
width) is put inside ``://``, after ``www`` and before ``@``: the text reads and prints the
same, but no link pattern survives. Only what can start a construct is escaped, so that a
file name or a time (``planning_S48.xlsx``, ``17:00``) stays readable in the source too.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
#: characters that open or close an inline construct anywhere in a line
_INLINE = re.compile(r"([\\`*_\[\]<>~$&])")
#: a colon that opens a directive (``:red[``), an icon (``:material/x:``) or a scheme (``://``)
_COLON = re.compile(r":(?=[A-Za-z/])")
#: what opens a block only at the start of a line: heading, quote, list item, numbered item
_LINE_START = re.compile(r"^(\s*)([#>+\-=|])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])")
_WWW = re.compile(r"(?i)\b(www)\.")


def plain(value: object) -> str:
    """``value`` as literal text for any Streamlit element (line breaks become spaces)."""
    text = " ".join(str(value).splitlines())
    text = _INLINE.sub(r"\\\1", text)
    text = _COLON.sub("\\:" + WORD_JOINER, text)
    text = _WWW.sub(r"\1" + WORD_JOINER + ".", text)
    text = text.replace("@", WORD_JOINER + "@")
    text = _NUMBERED.sub(r"\1\\\2", text)
    return _LINE_START.sub(r"\1\\\2", text)


def escape_params(params: dict[str, object]) -> dict[str, object]:
    """Template parameters made literal: text from a file cannot add Markdown to a sentence.
    Numbers keep their type so that a template's format spec (``{count:d}``) still applies."""
    return {
        key: value if isinstance(value, int | float) else plain(value)
        for key, value in params.items()
    }


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def visible(markdown: str) -> str:
    """The text a reader sees of Markdown source written with ``plain`` (escapes and word
    joiners removed; emphasis markers kept): what tests compare against."""
    return _ESCAPED.sub(r"\1", markdown).replace(WORD_JOINER, "")
