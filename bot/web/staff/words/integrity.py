"""Words of the integrity pages: flagged responses to review, reissuing a link, erasing a
dossier's personal data. Each flag's label says what happened, in plain words."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "reviews": {"vi": "Phiếu cần xem xét", "en": "Responses to review"},
    "reviews_waiting": {"vi": "{count} phiếu chờ xem xét", "en": "{count} waiting"},
    "reviews_intro": {
        "vi": "Các phiếu dưới đây có dấu hiệu không khách quan. Phiếu vẫn được lưu nhưng không "
        "được tính vào kết quả cho đến khi được xem xét và giữ lại. Trang này không hiển thị "
        "câu trả lời.",
        "en": "The responses below show signs that they may not be genuine. They are kept but "
        "left out of every figure until someone reviews and keeps them. This page never shows "
        "answers.",
    },
    "flag_too_fast": {"vi": "Trả lời quá nhanh", "en": "Answered too fast"},
    "flag_staff_chat": {
        "vi": "Trả lời từ tài khoản Telegram/Zalo của cán bộ",
        "en": "Answered from a staff member's Telegram/Zalo account",
    },
    "flag_staff_browser": {
        "vi": "Trả lời trên trình duyệt đang đăng nhập tài khoản cán bộ",
        "en": "Answered in a browser logged in to a staff account",
    },
    "flag_staff_network": {
        "vi": "Trả lời từ mạng nội bộ của cơ quan",
        "en": "Answered from the office network",
    },
    "flag_repeat_chat": {
        "vi": "Một tài khoản trả lời cho nhiều hồ sơ",
        "en": "One chat answered for many dossiers",
    },
    "flag_denied_on_recheck": {
        "vi": "Người dân cho biết không trả lời phiếu này (phúc tra)",
        "en": "The respondent said they did not answer (phone re-check)",
    },
    "evidence_too_fast": {
        "vi": "trung bình (trung vị) {median_seconds} giây mỗi câu, {answers} câu",
        "en": "median {median_seconds} seconds per answer, {answers} answers",
    },
    "evidence_staff_chat": {"vi": "kênh {channel}", "en": "channel {channel}"},
    "evidence_staff_network": {"vi": "dải mạng {network}", "en": "network {network}"},
    "evidence_repeat_chat": {
        "vi": "{responses} phiếu trong {days} ngày",
        "en": "{responses} responses within {days} days",
    },
    "all_flags": {"vi": "Tất cả dấu hiệu", "en": "All flags"},
    "all_my_units": {"vi": "Tất cả đơn vị", "en": "All units"},
    "flag": {"vi": "Dấu hiệu", "en": "Flag"},
    "date_from": {"vi": "Từ ngày", "en": "From"},
    "date_to": {"vi": "Đến ngày", "en": "To"},
    "state_filter": {"vi": "Tình trạng", "en": "State"},
    "state_pending": {"vi": "Chờ xem xét", "en": "Waiting for review"},
    "state_all": {"vi": "Tất cả", "en": "All"},
    "filter": {"vi": "Lọc", "en": "Filter"},
    "counts_by_flag": {"vi": "Số phiếu theo dấu hiệu", "en": "Responses per flag"},
    "no_flagged": {
        "vi": "Không có phiếu nào cần xem xét.",
        "en": "No response needs a review.",
    },
    "response_no": {"vi": "Phiếu số", "en": "Response"},
    "flags_and_evidence": {"vi": "Dấu hiệu và căn cứ", "en": "Flags and evidence"},
    "decision": {"vi": "Quyết định", "en": "Decision"},
    "decision_none": {"vi": "Chờ xem xét — chưa tính", "en": "Waiting — not counted"},
    "decision_keep": {"vi": "Đã giữ lại — được tính", "en": "Kept — counted"},
    "decision_exclude": {"vi": "Đã loại — không tính", "en": "Excluded — not counted"},
    "reviewed_by": {
        "vi": "{user} lúc {when}: {reason}",
        "en": "{user} at {when}: {reason}",
    },
    "review_reason": {"vi": "Lý do (bắt buộc)", "en": "Reason (required)"},
    "keep": {"vi": "Giữ lại, tính vào kết quả", "en": "Keep and count it"},
    "exclude": {"vi": "Loại, không tính", "en": "Exclude it"},
    "review_saved_keep": {
        "vi": "Đã giữ lại phiếu số {number}; phiếu được tính khi không còn dấu hiệu chờ xem xét.",
        "en": "Response {number} kept; it counts once no flag is waiting.",
    },
    "review_saved_exclude": {
        "vi": "Đã loại phiếu số {number} khỏi kết quả.",
        "en": "Response {number} excluded from the figures.",
    },
    "reason_required": {
        "vi": "Xin ghi lý do của quyết định.",
        "en": "Please give the reason for the decision.",
    },
    "invalid_dates": {
        "vi": "Ngày không hợp lệ (dạng 24/11/2026 hoặc 2026-11-24).",
        "en": "Invalid date (24/11/2026 or 2026-11-24).",
    },
    "reissue": {"vi": "Cấp lại đường liên kết", "en": "Reissue the link"},
    "reissue_hint": {
        "vi": "Dùng khi người dân báo phiếu đang được trả lời trên thiết bị khác: đường liên kết "
        "và mã cũ hết hiệu lực ngay, phần trả lời dở dang (nếu có) bị hủy.",
        "en": "Use it when the respondent says the survey is being answered on another "
        "device: the old link and code stop working at once and an unfinished response is "
        "discarded.",
    },
    "reissued": {
        "vi": "Đã cấp đường liên kết mới cho hồ sơ {dossier}; đường liên kết cũ không còn dùng "
        "được.",
        "en": "A new link was issued for dossier {dossier}; the old one no longer works.",
    },
    "reissue_refused": {
        "vi": "Phiếu của hồ sơ này đã hoàn thành nên không cấp lại đường liên kết.",
        "en": "This dossier's survey is completed, so its link is not reissued.",
    },
    "erase_title": {
        "vi": "Xóa dữ liệu cá nhân của một hồ sơ",
        "en": "Erase a dossier's personal data",
    },
    "erase_hint": {
        "vi": "Xóa số điện thoại và định danh tài khoản trò chuyện gắn với hồ sơ. Câu trả lời "
        "đã hoàn thành được giữ ẩn danh và vẫn được tính một lần.",
        "en": "Removes the phone number and the chat identifiers of the dossier. A completed "
        "response's answers stay, anonymous, and are still counted once.",
    },
    "erase": {"vi": "Xóa dữ liệu cá nhân", "en": "Erase personal data"},
    "erased": {
        "vi": "Đã xóa dữ liệu cá nhân của hồ sơ {dossier}.",
        "en": "Personal data of dossier {dossier} erased.",
    },
    "dossier_unknown": {
        "vi": "Không tìm thấy hồ sơ {dossier} ở đơn vị này.",
        "en": "No dossier {dossier} in this unit.",
    },
}
