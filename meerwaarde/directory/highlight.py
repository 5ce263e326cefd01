"""Matching words marked with ``<mark>``, computed on the server from the engine's stems.

The text is split into words and the rest, every piece is escaped, and only then are whole
words wrapped: a ``<mark>`` never lands inside markup, and the offer's own text can never
inject any. A word is marked when its stem (``meerwaarde.directory.text.stem``, the one both
backends use) is among the matched stems, so "schulden" lights up for the stem "schuld".
"""

import re
import unicodedata
from collections.abc import Collection
from html import escape

from django.utils.safestring import SafeString, mark_safe

from meerwaarde.directory.text import stem, stopwords

_PIECES = re.compile(r"([^\W_]+)", re.UNICODE)


def _is_match(word: str, stems: Collection[str]) -> bool:
    folded = word.casefold()
    return folded not in stopwords() and stem(folded) in stems


def highlight(text: str, stems: Collection[str]) -> SafeString:
    """``text`` escaped, with the words whose stem is in ``stems`` inside ``<mark>``.

    The standard library's ``html.escape`` escapes the same five characters as Django's,
    without the lazy-string wrapper that cost a page of results milliseconds."""
    text = unicodedata.normalize("NFC", text or "")
    if not stems:
        return mark_safe(escape(text))  # noqa: S308 - escaped on this line
    out = []
    for i, piece in enumerate(_PIECES.split(text)):
        if i % 2 and _is_match(piece, stems):
            out.append(f"<mark>{escape(piece)}</mark>")
        else:
            out.append(escape(piece))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def excerpt(text: str, stems: Collection[str], *, length: int = 260) -> str:
    """About ``length`` characters of ``text`` around its first matching word, cut at words.

    Returns plain text (highlight it afterwards); "…" marks what was left out.
    """
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if len(text) <= length:
        return text
    start = 0
    for match in _PIECES.finditer(text):
        if _is_match(match.group(0), stems):
            start = max(0, match.start() - length // 4)
            break
    if start and start + length > len(text):
        start = max(0, len(text) - length)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 40 else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")
