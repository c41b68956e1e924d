"""Text cells that a spreadsheet must never run as a formula.

A unit's name, a flow's wording or a period label is typed by people; Excel and LibreOffice
evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and tab or carriage return start
the DDE tricks), so such text is prefixed with an apostrophe, the spreadsheet's own "this is
text" mark. Numbers are never passed through here: they stay numbers.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` made safe to put in a spreadsheet cell."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
