"""The staff pages' phrasebook, split by area so each module stays small; ``STAFF_WORDS`` is
the whole book that ``bot.web.staff.i18n.translator`` reads."""

from __future__ import annotations

from bot.web.staff.words import (
    accounts,
    common,
    complaints,
    daily,
    desk,
    desk_reports,
    flow_editor,
    flow_form,
    flows,
    integrity,
    qr_desks,
    reports,
    results,
    verification,
    zalo,
)
from flows.texts import Phrasebook


def _merged(*books: Phrasebook) -> Phrasebook:
    merged: Phrasebook = {}
    for book in books:
        twice = merged.keys() & book.keys()
        if twice:  # a key in two areas would silently hide one text
            raise ValueError(f"staff words defined twice: {sorted(twice)}")
        merged.update(book)
    return merged


STAFF_WORDS: Phrasebook = _merged(
    common.WORDS,
    desk.WORDS,
    accounts.WORDS,
    flows.WORDS,
    results.WORDS,
    zalo.WORDS,
    verification.WORDS,
    integrity.WORDS,
    complaints.WORDS,
    daily.WORDS,
    reports.WORDS,
    qr_desks.WORDS,
    desk_reports.WORDS,
    flow_editor.WORDS,
    flow_form.WORDS,
)
