"""The staff pages' words about Zalo: the result notice on a link, the OA token banner and
the form that stores a fresh refresh token."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "oa_trouble_title": {
        "vi": "Zalo OA cần một refresh token mới",
        "en": "The Zalo OA needs a fresh refresh token",
    },
    "oa_trouble_how": {
        "vi": (
            "Hiện không gửi được tin qua Zalo OA và ZNS. Quản trị viên cấp lại quyền "
            "cho ứng dụng trên Zalo for Developers, rồi lưu refresh token mới bằng "
            "lệnh"
        ),
        "en": (
            "Messages through the Zalo OA and ZNS cannot be sent. An admin grants the"
            " app access again in Zalo for Developers, then stores the new refresh "
            "token with"
        ),
    },
    "oa_trouble_page": {
        "vi": "hoặc dán vào trang",
        "en": "or pastes it on the page",
    },
    "oa_trouble_reason": {
        "vi": "Chi tiết",
        "en": "Details",
    },
    "oa_token_title": {
        "vi": "Zalo Official Account: refresh token",
        "en": "Zalo Official Account: refresh token",
    },
    "oa_token_state_ok": {
        "vi": "Mã truy cập đang hoạt động bình thường. Chỉ dán mã mới khi cần.",
        "en": "The tokens work. Paste a new one only when needed.",
    },
    "oa_token_state_bad": {
        "vi": "Không làm mới được mã truy cập: cần một refresh token mới.",
        "en": ("The access token could not be refreshed: a fresh refresh token is needed."),
    },
    "oa_token_label": {
        "vi": "Refresh token mới",
        "en": "New refresh token",
    },
    "oa_token_hint": {
        "vi": (
            "Lấy trên Zalo for Developers sau khi cấp lại quyền cho ứng dụng. Mã được"
            " lưu lại và không bao giờ hiển thị lại."
        ),
        "en": (
            "From Zalo for Developers, after granting the app access again. It is "
            "stored and never shown again."
        ),
    },
    "oa_token_save": {
        "vi": "Lưu refresh token",
        "en": "Store the refresh token",
    },
    "oa_token_saved": {
        "vi": "Đã lưu refresh token mới. Lần gửi tiếp theo sẽ dùng mã này.",
        "en": "The new refresh token is stored; the next send uses it.",
    },
    "oa_token_missing": {
        "vi": "Bạn chưa dán refresh token.",
        "en": "No refresh token was pasted.",
    },
    "oa_token_invalid": {
        "vi": ("Nội dung này không phải refresh token của Zalo (một dòng, không có khoảng trắng)."),
        "en": "That does not look like a Zalo refresh token (one line, no spaces).",
    },
    "notice_title": {
        "vi": "Thông báo kết quả qua Zalo (ZNS)",
        "en": "Result notice by Zalo (ZNS)",
    },
    "notice_column": {
        "vi": "Thông báo Zalo",
        "en": "Zalo notice",
    },
    "notice_pending": {
        "vi": "Đang gửi",
        "en": "Sending",
    },
    "notice_sent": {
        "vi": "Đã gửi",
        "en": "Sent",
    },
    "notice_waiting": {
        "vi": "Chờ gửi",
        "en": "Waiting",
    },
    "notice_failed": {
        "vi": "Không gửi được",
        "en": "Not sent",
    },
    "notice_next_try": {
        "vi": "sẽ gửi lúc {when}",
        "en": "will be sent at {when}",
    },
    "notice_error": {
        "vi": "Lỗi",
        "en": "Error",
    },
    "notice_code": {
        "vi": "mã",
        "en": "code",
    },
    "notice_zalo_said": {
        "vi": "Chi tiết kỹ thuật",
        "en": "Technical detail",
    },
    "notice_reason_phone": {
        "vi": (
            "Zalo báo số điện thoại không hợp lệ. Xin kiểm tra số điện thoại của hồ "
            "sơ và gửi đường liên kết cho người dân bằng cách khác (phiếu in, tin "
            "nhắn)."
        ),
        "en": (
            "Zalo says the phone number is invalid. Check the dossier's phone and "
            "hand the link over another way (printed slip, message)."
        ),
    },
    "notice_reason_night": {
        "vi": ("Zalo không gửi ZNS từ 22:00 đến 06:00; thông báo sẽ tự gửi vào buổi sáng."),
        "en": (
            "Zalo sends no ZNS between 22:00 and 06:00; the notice goes out in the "
            "morning by itself."
        ),
    },
    "notice_reason_too_long": {
        "vi": (
            "Một nội dung dài hơn mức mẫu ZNS cho phép (ví dụ tên đơn vị). Quản trị "
            "viên cần kiểm tra lại mẫu ZNS."
        ),
        "en": (
            "A value is longer than the ZNS template allows (e.g. the unit's name). "
            "An admin must check the ZNS template."
        ),
    },
    "notice_reason_retry": {
        "vi": "Chưa gửi được; hệ thống sẽ tự thử lại.",
        "en": "Not sent yet; it is tried again automatically.",
    },
    "notice_reason_failed": {
        "vi": (
            "Không gửi được. Xin gửi đường liên kết cho người dân bằng cách khác "
            "(phiếu in, tin nhắn)."
        ),
        "en": ("Could not be sent. Hand the link over another way (printed slip, message)."),
    },
}
