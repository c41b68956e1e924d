"""What the scheduler itself says to respondents (reminders), in Vietnamese and English.

The digests' wording lives with the figures, in ``reports.texts``.
"""

from __future__ import annotations

from flows.texts import Phrasebook, lookup

PHRASES: Phrasebook = {
    "reminder": {
        "vi": "Xin chào! {unit} kính mời Ông/Bà hoàn thành phiếu khảo sát sự hài lòng. "
        "Bạn đã trả lời {answered}/{total} câu. {rest}",
        "en": "Hello! {unit} kindly invites you to finish the satisfaction survey. "
        "You have answered {answered}/{total} questions. {rest}",
    },
    "reminder_rest": {
        "vi": "Chỉ còn {left} câu, bấm nút bên dưới để tiếp tục từ chỗ đang dở.",
        "en": "Only {left} to go: press the button below to continue where you stopped.",
    },
    "reminder_last_step": {
        "vi": "Chỉ còn bước cuối, bấm nút bên dưới để tiếp tục.",
        "en": "Only the last step is left: press the button below to continue.",
    },
    "continue": {"vi": "Tiếp tục khảo sát", "en": "Continue the survey"},
}


def phrase(key: str, locale: str, **values: object) -> str:
    return lookup(PHRASES, key, locale, **values)
