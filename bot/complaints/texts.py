"""What the complaint work sends: the alert to the unit's chairs and the answer to the citizen.

"Report / petition" in English, "phản ánh, kiến nghị" in Vietnamese (the seeds' wording);
the citizen is addressed as Ông/Bà. Read through ``flows.texts.lookup``.
"""

from __future__ import annotations

from flows.texts import Phrasebook, lookup

TEXTS: Phrasebook = {
    "alert": {
        "vi": "📮 Phản ánh, kiến nghị mới gửi {unit}:\n«{text}»\n\nHạn trả lời: {due}.\n"
        "Xem, phân công và trả lời: {url}",
        "en": "📮 New report / petition to {unit}:\n“{text}”\n\nAnswer by: {due}.\n"
        "Read, assign and answer: {url}",
    },
    "alert_subject": {
        "vi": "Phản ánh, kiến nghị mới — {unit}",
        "en": "New report / petition — {unit}",
    },
    "answer": {
        "vi": "✉️ {unit} trả lời phản ánh, kiến nghị của Ông/Bà:\n«{text}»\n\n{answer}",
        "en": "✉️ {unit} answers your report / petition:\n“{text}”\n\n{answer}",
    },
}


def say(key: str, locale: str, **values: object) -> str:
    return lookup(TEXTS, key, locale, **values)
