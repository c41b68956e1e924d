"""The staff pages' words about Zalo: the result notice on a link, the OA token banner and
the form that stores a fresh refresh token. Merged into the phrasebook (bot.web.staff.i18n)."""

from __future__ import annotations

VI: dict[str, str] = {
    "oa_trouble_title": "Zalo OA cần một refresh token mới",
    "oa_trouble_how": "Hiện không gửi được tin qua Zalo OA và ZNS. Quản trị viên cấp lại quyền "
    "cho ứng dụng trên Zalo for Developers, rồi lưu refresh token mới bằng lệnh",
    "oa_trouble_page": "hoặc dán vào trang",
    "oa_trouble_reason": "Chi tiết",
    "oa_token_title": "Zalo Official Account: refresh token",
    "oa_token_state_ok": "Mã truy cập đang hoạt động bình thường. Chỉ dán mã mới khi cần.",
    "oa_token_state_bad": "Không làm mới được mã truy cập: cần một refresh token mới.",
    "oa_token_label": "Refresh token mới",
    "oa_token_hint": "Lấy trên Zalo for Developers sau khi cấp lại quyền cho ứng dụng. "
    "Mã được lưu lại và không bao giờ hiển thị lại.",
    "oa_token_save": "Lưu refresh token",
    "oa_token_saved": "Đã lưu refresh token mới. Lần gửi tiếp theo sẽ dùng mã này.",
    "oa_token_missing": "Bạn chưa dán refresh token.",
    "oa_token_invalid": "Nội dung này không phải refresh token của Zalo (một dòng, không có "
    "khoảng trắng).",
    "notice_title": "Thông báo kết quả qua Zalo (ZNS)",
    "notice_column": "Thông báo Zalo",
    "notice_pending": "Đang gửi",
    "notice_sent": "Đã gửi",
    "notice_waiting": "Chờ gửi",
    "notice_failed": "Không gửi được",
    "notice_next_try": "sẽ gửi lúc {when}",
    "notice_error": "Lỗi",
    "notice_code": "mã",
    "notice_zalo_said": "Chi tiết kỹ thuật",
    "notice_reason_phone": "Zalo báo số điện thoại không hợp lệ. Xin kiểm tra số điện thoại "
    "của hồ sơ và gửi đường liên kết cho người dân bằng cách khác (phiếu in, tin nhắn).",
    "notice_reason_night": "Zalo không gửi ZNS từ 22:00 đến 06:00; thông báo sẽ tự gửi vào "
    "buổi sáng.",
    "notice_reason_too_long": "Một nội dung dài hơn mức mẫu ZNS cho phép (ví dụ tên đơn vị). "
    "Quản trị viên cần kiểm tra lại mẫu ZNS.",
    "notice_reason_retry": "Chưa gửi được; hệ thống sẽ tự thử lại.",
    "notice_reason_failed": "Không gửi được. Xin gửi đường liên kết cho người dân bằng cách "
    "khác (phiếu in, tin nhắn).",
}

EN: dict[str, str] = {
    "oa_trouble_title": "The Zalo OA needs a fresh refresh token",
    "oa_trouble_how": "Messages through the Zalo OA and ZNS cannot be sent. An admin grants the "
    "app access again in Zalo for Developers, then stores the new refresh token with",
    "oa_trouble_page": "or pastes it on the page",
    "oa_trouble_reason": "Details",
    "oa_token_title": "Zalo Official Account: refresh token",
    "oa_token_state_ok": "The tokens work. Paste a new one only when needed.",
    "oa_token_state_bad": "The access token could not be refreshed: a fresh refresh token is "
    "needed.",
    "oa_token_label": "New refresh token",
    "oa_token_hint": "From Zalo for Developers, after granting the app access again. It is "
    "stored and never shown again.",
    "oa_token_save": "Store the refresh token",
    "oa_token_saved": "The new refresh token is stored; the next send uses it.",
    "oa_token_missing": "No refresh token was pasted.",
    "oa_token_invalid": "That does not look like a Zalo refresh token (one line, no spaces).",
    "notice_title": "Result notice by Zalo (ZNS)",
    "notice_column": "Zalo notice",
    "notice_pending": "Sending",
    "notice_sent": "Sent",
    "notice_waiting": "Waiting",
    "notice_failed": "Not sent",
    "notice_next_try": "will be sent at {when}",
    "notice_error": "Error",
    "notice_code": "code",
    "notice_zalo_said": "Technical detail",
    "notice_reason_phone": "Zalo says the phone number is invalid. Check the dossier's phone "
    "and hand the link over another way (printed slip, message).",
    "notice_reason_night": "Zalo sends no ZNS between 22:00 and 06:00; the notice goes out in "
    "the morning by itself.",
    "notice_reason_too_long": "A value is longer than the ZNS template allows (e.g. the unit's "
    "name). An admin must check the ZNS template.",
    "notice_reason_retry": "Not sent yet; it is tried again automatically.",
    "notice_reason_failed": "Could not be sent. Hand the link over another way (printed slip, "
    "message).",
}
