"""Words of the reports / petitions (phản ánh, kiến nghị) work list and the staff home
dashboard."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "complaints_title": {"vi": "Phản ánh, kiến nghị", "en": "Reports / petitions"},
    "complaints_intro": {
        "vi": "Phản ánh, kiến nghị người dân gửi cuối phiếu khảo sát, không kèm danh tính "
        "người gửi. Hạn trả lời: {days} ngày kể từ khi nhận.",
        "en": "Reports / petitions written at the end of a survey, without the sender's "
        "identity. Answer within {days} days of receipt.",
    },
    "complaint_title": {"vi": "Phản ánh, kiến nghị số {id}", "en": "Report / petition no. {id}"},
    "complaint_status_new": {"vi": "mới", "en": "new"},
    "complaint_status_in_progress": {"vi": "đang xử lý", "en": "in progress"},
    "complaint_status_answered": {"vi": "đã trả lời", "en": "answered"},
    "complaint_any_status": {"vi": "Mọi trạng thái", "en": "Any status"},
    "complaint_overdue": {"vi": "quá hạn", "en": "overdue"},
    "complaint_overdue_only": {"vi": "Chỉ những phản ánh quá hạn", "en": "Overdue only"},
    "complaint_filter": {"vi": "Lọc", "en": "Filter"},
    "complaint_text": {"vi": "Nội dung", "en": "Text"},
    "complaint_received": {"vi": "Nhận lúc", "en": "Received"},
    "complaint_due": {"vi": "Hạn trả lời", "en": "Due"},
    "complaint_assignee": {"vi": "Người xử lý", "en": "Assigned to"},
    "complaint_nobody": {"vi": "chưa phân công", "en": "not assigned"},
    "complaint_none": {"vi": "Không có phản ánh, kiến nghị nào.", "en": "No reports / petitions."},
    "complaint_open": {"vi": "Xem", "en": "Open"},
    "complaint_assign": {"vi": "Phân công", "en": "Assign"},
    "complaint_assign_to": {"vi": "Giao cho", "en": "Assign to"},
    "complaint_start": {"vi": "Bắt đầu xử lý", "en": "Start handling"},
    "complaint_answer": {"vi": "Trả lời", "en": "Answer"},
    "complaint_answer_hint": {
        "vi": "Câu trả lời được gửi lại vào cuộc trò chuyện của người gửi (hoặc hiện trên "
        "trang khảo sát của họ), không ai biết danh tính người gửi.",
        "en": "The answer goes back to the sender's chat (or shows on their survey page); "
        "nobody learns who the sender is.",
    },
    "complaint_send_answer": {"vi": "Gửi câu trả lời", "en": "Send the answer"},
    "complaint_answered_by": {
        "vi": "Đã trả lời lúc {at} ({user})",
        "en": "Answered at {at} ({user})",
    },
    "complaint_route_chat": {
        "vi": "Đã gửi vào cuộc trò chuyện của người gửi.",
        "en": "Sent to the sender's chat.",
    },
    "complaint_route_web": {
        "vi": "Hiện trên trang khảo sát của người gửi khi họ mở lại đường liên kết.",
        "en": "Shown on the sender's survey page when they open their link again.",
    },
    "complaint_route_none": {
        "vi": "Không còn cách liên lạc với người gửi (dữ liệu đã xóa); chỉ công khai được.",
        "en": "The sender can no longer be reached (data deleted); it can only be published.",
    },
    "complaint_public": {"vi": "Công khai", "en": "Public"},
    "complaint_public_hint": {
        "vi": "Nội dung phản ánh sẽ hiện trên trang kết quả công khai cùng câu trả lời. Có "
        "thể rút gọn hoặc bỏ những chi tiết không nên công khai (tên người, số điện thoại).",
        "en": "The text shown with the answer on the public results page. You may shorten it "
        "or remove details that should not be public (names, phone numbers).",
    },
    "complaint_public_text": {"vi": "Nội dung công khai", "en": "Text to publish"},
    "complaint_publish": {"vi": "Công khai câu trả lời", "en": "Publish the answer"},
    "complaint_withdraw": {"vi": "Thôi công khai", "en": "Withdraw from the public page"},
    "complaint_is_public": {
        "vi": "Đang công khai trên trang kết quả.",
        "en": "Shown on the public results page.",
    },
    "complaint_history": {"vi": "Lịch sử xử lý", "en": "History"},
    "complaint_did_assign": {"vi": "phân công", "en": "assigned"},
    "complaint_did_start": {"vi": "bắt đầu xử lý", "en": "started handling"},
    "complaint_did_answer": {"vi": "trả lời", "en": "answered"},
    "complaint_did_publish": {"vi": "công khai", "en": "published"},
    "complaint_did_withdraw": {"vi": "thôi công khai", "en": "withdrew from the public page"},
    "complaint_assigned": {"vi": "Đã phân công.", "en": "Assigned."},
    "complaint_started": {"vi": "Đã chuyển sang đang xử lý.", "en": "Marked in progress."},
    "complaint_answered": {"vi": "Đã gửi câu trả lời.", "en": "The answer was sent."},
    "complaint_published": {"vi": "Đã công khai.", "en": "Published."},
    "complaint_withdrawn": {"vi": "Đã thôi công khai.", "en": "Withdrawn."},
    "complaint_answer_empty": {
        "vi": "Xin nhập nội dung câu trả lời.",
        "en": "Please write the answer.",
    },
    "complaint_already_answered": {
        "vi": "Phản ánh này đã được trả lời.",
        "en": "This report / petition was already answered.",
    },
    "complaint_public_empty": {
        "vi": "Xin nhập nội dung công khai (có thể rút gọn).",
        "en": "Please write the text to publish (it may be shortened).",
    },
    "complaint_not_answered": {
        "vi": "Chỉ công khai được sau khi đã trả lời.",
        "en": "Only an answered report / petition can be published.",
    },
    "complaint_bad_assignee": {
        "vi": "Chỉ giao được cho cán bộ của đơn vị.",
        "en": "Only the unit's staff can be assigned.",
    },
    "page_of": {"vi": "Trang {page}/{pages}", "en": "Page {page} of {pages}"},
    "page_previous": {"vi": "Trang trước", "en": "Previous page"},
    "page_next": {"vi": "Trang sau", "en": "Next page"},
    "dashboard_title": {"vi": "Tình hình tháng này", "en": "This month"},
    "dashboard_responses": {"vi": "Phiếu hoàn thành", "en": "Completed responses"},
    "dashboard_index": {"vi": "Chỉ số SIPAS", "en": "SIPAS index"},
    "dashboard_open": {"vi": "Phản ánh đang chờ", "en": "Open reports / petitions"},
    "dashboard_overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "dashboard_report": {"vi": "Báo cáo", "en": "Report"},
    "dashboard_not_enough": {"vi": "chưa đủ phiếu", "en": "not enough responses"},
    "dashboard_trend": {"vi": "So với tháng trước", "en": "Against last month"},
    "dashboard_rank": {
        "vi": "Xếp hạng (chỉ đơn vị đủ phiếu)",
        "en": "Rank (units with enough responses only)",
    },
    "trend_rise": {"vi": "↑ tăng rõ rệt", "en": "↑ clear rise"},
    "trend_fall": {"vi": "↓ giảm rõ rệt", "en": "↓ clear fall"},
    "trend_steady": {"vi": "→ chưa khác biệt rõ", "en": "→ no clear change"},
}
