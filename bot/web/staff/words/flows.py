"""Words of the admin pages for question flows (edit, check, preview, publish,
wording) and the run-time channel settings.

One phrasebook entry per key, ``{"vi": ..., "en": ...}``, read through
``flows.texts.lookup`` like every other user-facing text.
"""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "flows_title": {"vi": "Bộ câu hỏi", "en": "Question flows"},
    "version": {"vi": "Phiên bản", "en": "Version"},
    "published_at": {"vi": "Ngày công bố", "en": "Published"},
    "published_by": {"vi": "Người công bố", "en": "Published by"},
    "answered": {"vi": "Đã có người trả lời", "en": "Answered by respondents"},
    "pinned_units": {"vi": "Đơn vị sử dụng", "en": "Used by"},
    "newest_note": {
        "vi": "các đơn vị chọn phiên bản mới nhất",
        "en": "units that follow the newest version",
    },
    "not_answered": {"vi": "Chưa có người trả lời", "en": "Not answered yet"},
    "view": {"vi": "Xem", "en": "View"},
    "download": {"vi": "Tải tệp", "en": "Download"},
    "edit_new_version": {"vi": "Sửa để tạo phiên bản mới", "en": "Edit into a new version"},
    "upload_flow": {"vi": "Tải lên tệp bộ câu hỏi (.toml)", "en": "Upload a flow file (.toml)"},
    "edit_title": {"vi": "Sửa bộ câu hỏi {key}", "en": "Edit the flow {key}"},
    "edit_help": {
        "vi": (
            'Sửa câu chữ trong khung dưới đây (ví dụ nội dung sau vi = "..."), rồi bấm Kiểm '
            "tra hoặc Xem thử. Phiên bản đã công bố không bao giờ bị thay đổi: Công bố tạo "
            "phiên bản mới."
        ),
        "en": (
            'Change the wording below (e.g. the text after vi = "..."), then press Check or '
            "Preview. Published versions never change: Publish creates a new version."
        ),
    },
    "source": {"vi": "Nội dung tệp bộ câu hỏi", "en": "Flow file"},
    "check": {"vi": "Kiểm tra", "en": "Check"},
    "preview": {"vi": "Xem thử như người trả lời", "en": "Preview as a respondent"},
    "publish": {"vi": "Công bố phiên bản mới", "en": "Publish a new version"},
    "valid": {"vi": "Bộ câu hỏi hợp lệ: {n} câu hỏi.", "en": "The flow is valid: {n} questions."},
    "problems": {"vi": "Có {n} lỗi cần sửa", "en": "{n} problems to fix"},
    "line": {"vi": "Dòng {line}", "en": "Line {line}"},
    "published": {
        "vi": "Đã công bố {key} phiên bản {version}.",
        "en": "Published {key} version {version}.",
    },
    "unchanged": {
        "vi": "Nội dung không đổi so với phiên bản {version}; không tạo phiên bản mới.",
        "en": "Nothing changed since version {version}; no new version was created.",
    },
    "key_mismatch": {
        "vi": "Khóa bộ câu hỏi trong tệp là {found}, không phải {key}.",
        "en": "The flow key in the file is {found}, not {key}.",
    },
    "preview_title": {"vi": "Xem thử: {title}", "en": "Preview: {title}"},
    "preview_note": {
        "vi": "Đây là bản xem thử, không lưu câu trả lời nào.",
        "en": "This is a preview; no answer is stored.",
    },
    "back_to_edit": {"vi": "Quay lại sửa", "en": "Back to editing"},
    "restart_preview": {"vi": "Bắt đầu lại", "en": "Start again"},
    "publish_forbidden": {
        "vi": "Chỉ quản trị cấp tỉnh được công bố bộ câu hỏi.",
        "en": "Only a province admin may publish question flows.",
    },
    "assigned": {
        "vi": "Đã chọn bộ câu hỏi cho đơn vị.",
        "en": "Question flows of the unit chosen.",
    },
    "immutable": {
        "vi": "Phiên bản đã công bố không thể sửa hoặc xóa; sửa sẽ tạo phiên bản mới.",
        "en": ("Published versions cannot be changed or deleted; editing creates a new version."),
    },
    "settings_title": {
        "vi": "Cài đặt kênh có thể đổi khi đang chạy",
        "en": "Channel settings safe to change at run time",
    },
    "show_channel": {
        "vi": "Hiển thị đường liên kết {channel} cho cán bộ",
        "en": "Show the {channel} link to clerks",
    },
    "wording": {"vi": "Sửa câu chữ", "en": "Fix the wording"},
    "wording_title": {
        "vi": "Sửa câu chữ của bộ câu hỏi {key}",
        "en": "Fix the wording of the flow {key}",
    },
    "wording_help": {
        "vi": (
            "Sửa trực tiếp nội dung các câu (dựa trên phiên bản {version}), rồi bấm Tiếp tục "
            "để kiểm tra, xem thử và công bố."
        ),
        "en": (
            "Change the texts directly (starting from version {version}), then press Continue "
            "to check, preview and publish."
        ),
    },
    "wording_failed": {
        "vi": "Không sửa được: {what}. Xin sửa trong khung nội dung tệp.",
        "en": "Could not change it: {what}. Please use the flow file editor.",
    },
    "wording_continue": {
        "vi": "Tiếp tục: kiểm tra và xem thử",
        "en": "Continue: check and preview",
    },
    "lang_vi": {"vi": "Tiếng Việt", "en": "Vietnamese"},
    "lang_en": {"vi": "Tiếng Anh", "en": "English"},
    "edit_toml": {"vi": "Sửa nội dung tệp (nâng cao)", "en": "Edit the flow file (advanced)"},
    "expire_days": {
        "vi": "Số ngày đường liên kết mới còn hiệu lực",
        "en": "Days a new link stays valid",
    },
    "expire_days_hint": {
        "vi": "Để trống: dùng giá trị trong tệp cài đặt ({n} ngày).",
        "en": "Empty: the settings file's value ({n} days).",
    },
    "invalid_days": {
        "vi": "Số ngày phải từ 1 đến {n}.",
        "en": "The number of days must be from 1 to {n}.",
    },
}
