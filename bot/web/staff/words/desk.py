"""Words of the one-stop desk's pages: creating a survey link, its slip, recent links
and the dossier list import.

One phrasebook entry per key, ``{"vi": ..., "en": ...}``, read through
``flows.texts.lookup`` like every other user-facing text.
"""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "new_link": {
        "vi": "Tạo đường liên kết khảo sát cho một hồ sơ",
        "en": "Create a survey link for a dossier",
    },
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "dossier_code": {"vi": "Mã hồ sơ", "en": "Dossier code"},
    "dossier_hint": {"vi": "Ví dụ: HS-2026-000123", "en": "For example: HS-2026-000123"},
    "procedure": {
        "vi": "Thủ tục hoặc lĩnh vực (không bắt buộc)",
        "en": "Procedure or field (optional)",
    },
    "respondent": {"vi": "Người đánh giá", "en": "Respondent"},
    "form_citizen": {"vi": "Công dân (Mẫu 01)", "en": "Citizen (Form 01)"},
    "form_organization": {"vi": "Tổ chức, doanh nghiệp (Mẫu 02)", "en": "Organisation (Form 02)"},
    "form_desk": {"vi": "Đánh giá tại quầy (mã QR)", "en": "Desk rating (QR code)"},
    "phone": {"vi": "Số điện thoại (không bắt buộc)", "en": "Phone number (optional)"},
    "create_link": {"vi": "Tạo đường liên kết", "en": "Create the link"},
    "link_created": {
        "vi": "Đã tạo đường liên kết cho hồ sơ {dossier}.",
        "en": "Link created for dossier {dossier}.",
    },
    "link_existing": {
        "vi": "Hồ sơ {dossier} đã có đường liên kết; đây là đường liên kết đó.",
        "en": "Dossier {dossier} already has a link; here it is.",
    },
    "qr_alt": {
        "vi": "Mã QR khảo sát cho hồ sơ {dossier}",
        "en": "Survey QR code for dossier {dossier}",
    },
    "channel_links": {"vi": "Đường liên kết theo kênh", "en": "Links per channel"},
    "channel_web": {"vi": "Trang web", "en": "Web page"},
    "ready_text": {"vi": "Tin nhắn gửi qua SMS/Zalo", "en": "Text for SMS/Zalo"},
    "print_slip": {"vi": "In phiếu A6", "en": "Print an A6 slip"},
    "another_link": {"vi": "Tạo đường liên kết khác", "en": "Create another link"},
    "expires": {"vi": "Hết hạn", "en": "Expires"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "created_at": {"vi": "Thời điểm tạo", "en": "Created"},
    "status_created": {"vi": "đã tạo", "en": "created"},
    "status_opened": {"vi": "đã mở", "en": "opened"},
    "status_in_progress": {"vi": "đang trả lời", "en": "in progress"},
    "status_completed": {"vi": "đã hoàn thành", "en": "completed"},
    "status_expired": {"vi": "đã hết hạn", "en": "expired"},
    "today": {"vi": "Hôm nay", "en": "Today"},
    "earlier": {"vi": "Trước đó", "en": "Earlier"},
    "no_links": {"vi": "Chưa có đường liên kết nào.", "en": "No links yet."},
    "status_only": {
        "vi": "Chỉ hiển thị trạng thái, không bao giờ hiển thị câu trả lời.",
        "en": "Only the status is shown, never the answers.",
    },
    "invalid_dossier": {
        "vi": "Mã hồ sơ chỉ gồm chữ, số và các dấu . _ / - (tối đa 64 ký tự).",
        "en": "A dossier code has letters, digits and . _ / - only (at most 64).",
    },
    "invalid_phone": {"vi": "Số điện thoại không hợp lệ.", "en": "The phone number is not valid."},
    "invalid_form": {"vi": "Xin chọn người đánh giá.", "en": "Please choose the respondent."},
    "flow": {"vi": "Bộ câu hỏi", "en": "Question set"},
    "flow_default": {
        "vi": "Theo mặc định của đơn vị (theo người đánh giá)",
        "en": "The unit's default (by respondent)",
    },
    "flow_hint": {
        "vi": "Chỉ chọn khi cần một bộ câu hỏi khác, ví dụ phiếu theo Quyết định 1001.",
        "en": "Only when another question set is needed, e.g. the Decision 1001 form.",
    },
    "invalid_flow": {
        "vi": "Bộ câu hỏi này chưa được công bố.",
        "en": "This question set is not published.",
    },
    "invalid_unit": {
        "vi": "Xin chọn một đơn vị của bạn.",
        "en": "Please choose one of your units.",
    },
    "slip_title": {"vi": "Phiếu khảo sát sự hài lòng", "en": "Satisfaction survey"},
    "slip_line1": {
        "vi": "1. Mở camera hoặc Zalo trên điện thoại, quét mã QR này.",
        "en": "1. Open the camera or Zalo on your phone and scan this QR code.",
    },
    "slip_line2": {
        "vi": "2. Trả lời 22 câu hỏi ngắn, mất khoảng 3 phút.",
        "en": "2. Answer 22 short questions; it takes about 3 minutes.",
    },
    "slip_line3": {
        "vi": "3. Ý kiến của Ông/Bà được giữ bí mật. Xin cảm ơn!",
        "en": "3. Your answers are confidential. Thank you!",
    },
    "slip_dossier": {"vi": "Hồ sơ: {dossier}", "en": "Dossier: {dossier}"},
    "import_title": {
        "vi": "Nhập danh sách hồ sơ đã giải quyết",
        "en": "Import the day's resolved dossiers",
    },
    "import_help": {
        "vi": (
            "Chọn tệp CSV hoặc XLSX xuất từ phần mềm một cửa (cột Mã hồ sơ, Đối tượng, Thủ "
            "tục, Số điện thoại). Mỗi dòng hợp lệ được tạo một đường liên kết; tải lại cùng "
            "một tệp không tạo trùng."
        ),
        "en": (
            "Choose a CSV or XLSX file exported from the one-stop software. Every valid row "
            "gets a link; uploading the same file again creates no duplicates."
        ),
    },
    "file": {"vi": "Tệp danh sách", "en": "File"},
    "upload": {"vi": "Nhập tệp", "en": "Import"},
    "import_done": {
        "vi": (
            "Đã xử lý tệp {file}: {created} đường liên kết mới, {existing} đã có từ trước, "
            "{errors} dòng lỗi."
        ),
        "en": (
            "File {file} processed: {created} new links, {existing} already existing, {errors} "
            "rows with errors."
        ),
    },
    "import_errors": {"vi": "Các dòng không nhập được", "en": "Rows not imported"},
    "import_first": {
        "vi": "Trên đây là {shown} dòng đầu trong số {count}; tệp kết quả (CSV) có đủ tất cả.",
        "en": "These are the first {shown} of {count}; the result file (CSV) has them all.",
    },
    "row": {"vi": "Dòng", "en": "Row"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "download_csv": {"vi": "Tải kết quả (CSV)", "en": "Download the result (CSV)"},
    "import_too_big": {
        "vi": "Tệp quá lớn (tối đa {mb} MB).",
        "en": "The file is too big (at most {mb} MB).",
    },
    "import_no_file": {"vi": "Xin chọn một tệp.", "en": "Please choose a file."},
    "import_gone": {
        "vi": "Kết quả này không còn trong bộ nhớ; xin nhập lại tệp (không tạo trùng).",
        "en": (
            "This result is no longer kept; please import the file again (no duplicates are "
            "created)."
        ),
    },
}
