"""Free text typed by citizens, made safe to show in a chat, an e-mail or a page.

Control characters (C0/C1: escape sequences, NUL, bells) and the invisible format characters
that reorder or hide text (bidi overrides and isolates, zero-width marks) are removed, so a
comment cannot garble a chair's chat or disguise what it says. Line breaks are kept by
``printable`` and folded into spaces by ``one_line``.
"""

from __future__ import annotations

import unicodedata

KEEP = {"\n"}
# Format characters (category Cf) that do no harm and carry meaning: the zero-width joiner
# of composed emoji and the soft hyphen.
KEEP_FORMAT = {"\u200d", "\u00ad"}


def _allowed(char: str) -> bool:
    if char in KEEP:
        return True
    category = unicodedata.category(char)
    if category == "Cc":
        return False
    return not (category == "Cf" and char not in KEEP_FORMAT)


def printable(text: str) -> str:
    """``text`` without control and invisible format characters; tabs and CR become spaces or
    line breaks, so words stay apart."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(char for char in normal if _allowed(char))


def one_line(text: str) -> str:
    """``printable`` text on one line, runs of spaces folded."""
    return " ".join(printable(text).split())
