"""Words of the flow editor's guidance: what changed, the publish confirmation, the question
list to jump from, preview from a question, and where a problem is."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "changes_title": {
        "vi": "Những thay đổi so với phiên bản {version} đang dùng",
        "en": "What changes against version {version} in use",
    },
    "no_changes": {
        "vi": "Chưa có thay đổi nào so với phiên bản đang dùng.",
        "en": "Nothing changed against the version in use.",
    },
    "changed_lines": {"vi": "Các dòng thay đổi trong tệp", "en": "Changed lines of the file"},
    "old_line": {"vi": "Dòng cũ", "en": "Old line"},
    "new_line": {"vi": "Dòng mới", "en": "New line"},
    "content": {"vi": "Nội dung", "en": "Content"},
    "diff_removed": {"vi": "bỏ đi", "en": "removed"},
    "diff_added": {"vi": "thêm vào", "en": "added"},
    "qc_added": {"vi": "Câu {id}: câu mới", "en": "Question {id}: new"},
    "qc_removed": {"vi": "Câu {id}: bỏ đi", "en": "Question {id}: removed"},
    "qc_kind": {"vi": "Câu {id}: đổi loại câu hỏi", "en": "Question {id}: kind changed"},
    "qc_rule": {
        "vi": "Câu {id}: đổi điều kiện hiển thị",
        "en": "Question {id}: when it is asked changed",
    },
    "qc_choices": {
        "vi": "Câu {id}: đổi các lựa chọn (thêm, bớt, thứ tự hoặc cách tính)",
        "en": "Question {id}: choices changed (added, removed, order or how they count)",
    },
    "qc_section": {"vi": "Câu {id}: chuyển sang phần khác", "en": "Question {id}: moved part"},
    "qc_required": {
        "vi": "Câu {id}: đổi bắt buộc / không bắt buộc",
        "en": "Question {id}: required or optional changed",
    },
    "qc_scored": {
        "vi": "Câu {id}: đổi nhóm tiêu chí chấm điểm",
        "en": "Question {id}: scored under another factor",
    },
    "qc_limits": {
        "vi": "Câu {id}: đổi giới hạn câu trả lời (số nhỏ nhất, lớn nhất, độ dài)",
        "en": "Question {id}: answer limits changed (smallest, largest, length)",
    },
    "in_question": {"vi": "câu {id} (câu thứ {n})", "en": "question {id} (number {n})"},
    "preview_start": {"vi": "Xem thử bắt đầu từ", "en": "Start the preview at"},
    "preview_from_greeting": {"vi": "Lời chào (đầu khảo sát)", "en": "The greeting (start)"},
    "question_n": {"vi": "Câu {id}", "en": "Question {id}"},
    "confirm_publish_title": {
        "vi": "Xác nhận công bố phiên bản mới của {key}",
        "en": "Confirm publishing a new version of {key}",
    },
    "who_gets_it": {"vi": "Ai sẽ dùng phiên bản mới", "en": "Who gets the new version"},
    "following_get_it": {
        "vi": "Các đơn vị chọn \u201cphiên bản mới nhất\u201d sẽ dùng phiên bản mới ngay.",
        "en": "Units that follow \u201cthe newest version\u201d use the new version at once.",
    },
    "staying_intro": {
        "vi": "Các đơn vị sau đã chọn cố định một phiên bản và vẫn dùng phiên bản cũ:",
        "en": "These units chose a fixed version and stay on the old one:",
    },
    "stays_on": {"vi": "{unit}: phiên bản {version}", "en": "{unit}: version {version}"},
    "nobody_stays": {
        "vi": "Không đơn vị nào chọn cố định phiên bản cũ.",
        "en": "No unit chose a fixed older version.",
    },
    "started_keep_old": {
        "vi": "Người đang trả lời dở vẫn tiếp tục với câu chữ cũ.",
        "en": "People in the middle of a survey keep the old wording.",
    },
    "confirm_publish": {"vi": "Xác nhận công bố", "en": "Confirm and publish"},
    "jump_to": {"vi": "Đi đến câu hỏi", "en": "Go to a question"},
    "general_texts": {
        "vi": "Lời chào, lời mời và lời cảm ơn",
        "en": "Greeting, invitations, thanks",
    },
    "questions_heading": {"vi": "Các câu hỏi", "en": "The questions"},
    "number_of": {"vi": "câu {n}/{total}", "en": "{n} of {total}"},
    "preview_this": {"vi": "Xem thử từ câu {id}", "en": "Preview from question {id}"},
    "back_to_list": {"vi": "Về danh sách câu hỏi", "en": "Back to the question list"},
}
