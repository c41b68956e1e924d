"""Words of the results cut by desk: the report page's "Theo quầy" section and a desk's page."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "desk_report_section": {"vi": "Theo quầy", "en": "By desk"},
    "desk_report_intro": {
        "vi": "Đánh giá nhanh bằng mã QR tại từng quầy của đơn vị này. Các phiếu này không "
        "tính vào chỉ số SIPAS ở trên; mỗi quầy cần ít nhất {required} phiếu trong kỳ mới "
        "được xếp hạng.",
        "en": "Quick ratings by the QR code at each desk of this unit. They are not part of "
        "the SIPAS index above; a desk needs at least {required} ratings in the period to be "
        "ranked.",
    },
    "desk_report_title": {"vi": "Kết quả đánh giá tại quầy", "en": "Desk rating results"},
    "desk_report_desk": {"vi": "Quầy", "en": "Desk"},
    "desk_report_index": {"vi": "Chỉ số hài lòng", "en": "Satisfaction index"},
    "desk_report_comments": {"vi": "Góp ý", "en": "Comments"},
    "desk_report_counted": {
        "vi": "Phiếu được tính: {counted} (không tính {excluded} phiếu cần xem xét). Góp ý: "
        "{comments}.",
        "en": "Ratings counted: {counted} ({excluded} awaiting review left out). Comments: "
        "{comments}.",
    },
    "desk_report_rank": {
        "vi": "Xếp hạng giữa các quầy của đơn vị: {rank}/{of}",
        "en": "Rank among the unit's desks: {rank} of {of}",
    },
    "desk_report_not_enough": {
        "vi": "Chưa đủ phiếu: có {counted}, cần ít nhất {required} phiếu trong kỳ. Số liệu chỉ "
        "để tham khảo và quầy không được xếp hạng.",
        "en": "Not enough responses: {counted} of the {required} the period needs. The "
        "figures are for reference only and the desk is not ranked.",
    },
    "desk_report_question": {"vi": "Câu hỏi", "en": "Question"},
    "desk_report_satisfied": {"vi": "Tỷ lệ hài lòng", "en": "Share satisfied"},
    "desk_report_answers": {"vi": "Các câu trả lời", "en": "Answers"},
    "desk_report_too_few": {"vi": "chưa đủ phiếu", "en": "not enough responses"},
    "desk_report_skipped": {"vi": "Bỏ qua", "en": "Skipped"},
    "desk_report_na": {"vi": "Không có ý kiến", "en": "No opinion"},
    "desk_report_open": {"vi": "Xem chi tiết", "en": "Details"},
    "desk_report_back": {"vi": "Về báo cáo của đơn vị", "en": "Back to the unit's report"},
    "desk_report_none": {
        "vi": "Chưa có phiếu nào được tính trong kỳ này.",
        "en": "No rating was counted in this period.",
    },
}
