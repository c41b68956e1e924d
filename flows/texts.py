"""The engine's own phrases (progress, reprompts, buttons), in every supported locale.

Flow files hold the survey's wording; these are the generic conversational bits around it,
kept neutral in address so that they fit both Mẫu 01 and Mẫu 02.
"""

from __future__ import annotations

import unicodedata

Phrasebook = dict[str, dict[str, str]]
LOCALES = ("vi", "en")  # every phrasebook entry has both; tests/test_phrasebooks.py checks

PHRASES: Phrasebook = {
    "progress": {"vi": "Câu {n}/{total}", "en": "Question {n}/{total}"},
    "back": {"vi": "↩ Quay lại", "en": "↩ Back"},
    "agree": {"vi": "Đồng ý", "en": "I agree"},
    "disagree": {"vi": "Không đồng ý", "en": "I do not agree"},
    "yes": {"vi": "Có", "en": "Yes"},
    "no": {"vi": "Không", "en": "No"},
    "skip": {"vi": "Bỏ qua", "en": "Skip"},
    "skip_send": {"vi": "Bỏ qua, gửi phiếu", "en": "Skip and send"},
    "send": {"vi": "Gửi phiếu", "en": "Send my answers"},
    "send_complaint": {"vi": "Gửi phản ánh, kiến nghị", "en": "Send a report / petition"},
    "done": {"vi": "✔ Xong", "en": "✔ Done"},
    "choose_many": {
        "vi": 'Xin bấm để chọn một hoặc nhiều ý rồi bấm "Xong", hoặc gõ các số cách nhau'
        " bằng dấu phẩy, ví dụ 1,3.",
        "en": 'Press to tick one or more, then "Done"; or type the numbers separated by'
        " commas, e.g. 1,3.",
    },
    "need_one": {
        "vi": 'Xin chọn ít nhất một ý trước khi bấm "Xong".',
        "en": 'Please tick at least one before pressing "Done".',
    },
    "enter_number": {
        "vi": "Xin gõ một số từ {low} đến {high}.",
        "en": "Please type a number from {low} to {high}.",
    },
    "enter_text": {
        "vi": "Xin gõ câu trả lời ngắn (tối đa {limit} ký tự).",
        "en": "Please type a short answer (at most {limit} characters).",
    },
    "text_received": {"vi": "✓ Đã ghi nhận", "en": "✓ Recorded"},
    "choose_scale": {
        "vi": "Xin vui lòng bấm một nút bên dưới, hoặc gõ một số từ 1 đến 5{na}.",
        "en": "Please press one of the buttons below, or type a number from 1 to 5{na}.",
    },
    "choose_scale_na": {"vi": " (0 nếu không có ý kiến)", "en": " (0 for no opinion)"},
    "choose_option": {
        "vi": "Xin vui lòng bấm một nút bên dưới, hoặc gõ số {keys}.",
        "en": "Please press one of the buttons below, or type {keys}.",
    },
    "unsupported": {
        "vi": "Xin lỗi, khảo sát chỉ nhận câu trả lời bằng nút bấm hoặc chữ số.",
        "en": "Sorry, the survey only takes answers by button or by typing a number.",
    },
    "too_long": {
        "vi": "Nội dung dài quá {limit} ký tự. Xin vui lòng viết ngắn gọn hơn.",
        "en": "That is longer than {limit} characters. Please make it shorter.",
    },
    "stale": {
        "vi": "Câu đó đã qua. Mời trả lời câu hiện tại:",
        "en": "That question has already passed. Please answer the current one:",
    },
    "first_question": {
        "vi": "Đây là câu hỏi đầu tiên.",
        "en": "This is the first question.",
    },
    "current_answer": {
        "vi": "Câu trả lời trước đây: {label}. Xin chọn lại:",
        "en": "Your earlier answer: {label}. Please choose again:",
    },
    "chosen": {"vi": "✓ Đã chọn: {label}", "en": "✓ Chosen: {label}"},
    "welcome_back": {
        "vi": "Chào mừng trở lại! Mời tiếp tục khảo sát từ câu đang dở.",
        "en": "Welcome back! Let us continue where you stopped.",
    },
    "already_done": {
        "vi": "Khảo sát này đã hoàn thành. Xin cảm ơn!",
        "en": "This survey has already been completed. Thank you!",
    },
    "comment_received": {"vi": "Đã ghi nhận góp ý.", "en": "Your comment has been recorded."},
    "complaint_received": {
        "vi": "Đã ghi nhận phản ánh, kiến nghị.",
        "en": "Your report / petition has been recorded.",
    },
}


def lookup(book: Phrasebook, key: str, locale: str, /, **values: object) -> str:
    """Text ``key`` of a phrasebook in ``locale`` (Vietnamese when the locale is unknown);
    every room's phrasebook (engine, product messages, digests) is read through this.
    """
    table = book[key]
    text = table.get(locale, table["vi"])
    # Without values the text is returned as written, so a page can show a text that has a
    # placeholder for another use (``t("expire_days_hint")``) without formatting it.
    return text.format(**values) if values else text


def texts_in(book: Phrasebook, locale: str) -> dict[str, str]:
    """Every text of a phrasebook in ``locale`` (Vietnamese when unknown), unformatted: what a
    page template reads as ``ui.key``."""
    return {key: table.get(locale, table["vi"]) for key, table in book.items()}


def phrase(key: str, locale: str, **values: object) -> str:
    """The engine's phrase ``key`` in ``locale``."""
    return lookup(PHRASES, key, locale, **values)


# Invisible format characters (Unicode category Cf: bidi overrides and isolates, zero-width
# marks) can reorder or hide what a reader sees; these two do no harm and carry meaning: the
# zero-width joiner of composed emoji and the soft hyphen.
_HARMLESS_FORMAT = frozenset("\u200d\u00ad")


def _allowed(char: str, kept: str) -> bool:
    if char in kept:
        return True
    category = unicodedata.category(char)
    return category != "Cc" and (category != "Cf" or char in _HARMLESS_FORMAT)


def without_controls(text: str, *, keep_lines: bool = False) -> str:
    """``text`` without control characters (C0 such as NUL and ESC, DEL, C1) and invisible
    format characters: a respondent's words are stored and shown to staff as plain text,
    never as terminal escapes, hidden or reordered text (and PostgreSQL refuses NUL in text).
    Tabs and line breaks are kept with ``keep_lines``, else they become spaces."""
    if text.isprintable():  # no Cc or Cf character (nor tab or line break): nothing to do
        return text
    kept = "\t\n\r"
    return "".join(c if keep_lines or c not in kept else " " for c in text if _allowed(c, kept))
