"""What the scheduler itself says to respondents (reminders), in Vietnamese and English.

The digests' wording lives with the figures, in ``reports.texts``.
"""

from __future__ import annotations

from flows.texts import Phrasebook, lookup

PHRASES: Phrasebook = {
    "reminder": {
        "vi": "Xin chào! {unit} kính mời Ông/Bà hoàn thành phiếu khảo sát sự hài lòng. "
        "Ông/Bà đã trả lời {answered}/{total} câu. {rest}",
        "en": "Hello! {unit} kindly invites you to finish the satisfaction survey. "
        "You have answered {answered}/{total} questions. {rest}",
    },
    "reminder_rest": {
        "vi": "Chỉ còn {left} câu. Xin chọn “Tiếp tục khảo sát” để làm tiếp từ chỗ đang dở.",
        "en": "Only {left} to go: choose “Continue the survey” to go on where you stopped.",
    },
    "reminder_last_step": {
        "vi": "Chỉ còn bước cuối. Xin chọn “Tiếp tục khảo sát” để làm tiếp.",
        "en": "Only the last step is left: choose “Continue the survey” to go on.",
    },
    "continue": {"vi": "Tiếp tục khảo sát", "en": "Continue the survey"},
}


def phrase(key: str, locale: str, **values: object) -> str:
    return lookup(PHRASES, key, locale, **values)
