"""Where the respondent was served, in a flow's wording: ``{place}``.

Flow files say ``{place}`` where the official forms say "Bộ phận Một cửa", because since
Nghị định 118/2025 some communes serve people at a "Trung tâm Phục vụ hành chính công". Each
unit names its own place; the engine keeps the placeholder, and whatever shows a question to
a person (a chat, the paper-form page, a report) fills it here.
"""

from __future__ import annotations

PLACE = "{place}"
DEFAULT_PLACE = "Bộ phận Một cửa"


def with_place(text: str, place: str | None) -> str:
    """``text`` with the unit's place name (the one-stop desk when the unit named none)."""
    return text.replace(PLACE, place or DEFAULT_PLACE) if PLACE in text else text
