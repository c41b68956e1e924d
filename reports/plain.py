"""Free text typed by citizens, made safe to show in a chat, an e-mail or a page.

Control and invisible format characters go (``flows.texts.without_controls``, the one rule
for typed text), so a comment cannot garble a chair's chat or disguise what it says. Line
breaks are kept by ``printable`` and folded into spaces by ``one_line``.
"""

from __future__ import annotations

from flows.texts import without_controls


def printable(text: str) -> str:
    """``text`` without control and invisible format characters; tabs and CR become spaces or
    line breaks, so words stay apart."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return without_controls(normal, keep_lines=True)


def one_line(text: str) -> str:
    """``printable`` text on one line, runs of spaces folded."""
    return " ".join(printable(text).split())
