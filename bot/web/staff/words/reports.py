"""Words of the report page (any unit, any period) and the weekly digest page."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "report_period": {
        "vi": "Kỳ báo cáo (2026-W49, 2026-12, 2026-Q4, 2026 hoặc 2026-10-01..2026-12-31)",
        "en": "Period (2026-W49, 2026-12, 2026-Q4, 2026 or 2026-10-01..2026-12-31)",
    },
    "report_bad_period": {
        "vi": "Kỳ báo cáo không hợp lệ: {why}",
        "en": "Not a valid period: {why}",
    },
    "report_counted": {
        "vi": "Phiếu được tính: {counted}; phiếu bị loại: {excluded}",
        "en": "Responses counted: {counted}; excluded: {excluded}",
    },
    "report_not_enough": {
        "vi": "Chưa đủ phiếu: có {counted}, cần ít nhất {required} phiếu trong kỳ. Chỉ số "
        "chỉ để tham khảo và không được xếp hạng.",
        "en": "Not enough responses: {counted} of the {required} the period needs. The index "
        "is only indicative and is not ranked.",
    },
    "report_enough": {
        "vi": "Đủ phiếu ({counted}/{required}): có thể xếp hạng.",
        "en": "Enough responses ({counted}/{required}): may be ranked.",
    },
    "report_measure": {"vi": "Chỉ tiêu", "en": "Measure"},
    "report_index": {"vi": "Chỉ số", "en": "Index"},
    "report_interval": {"vi": "Khoảng tin cậy 95 %", "en": "95% interval"},
    "report_n": {"vi": "Số người (n)", "en": "Respondents (n)"},
    "report_mean": {"vi": "Điểm TB", "en": "Mean"},
    "report_levels": {
        "vi": "Số người theo mức (1 → 5)",
        "en": "People per level (1 → 5)",
    },
    "report_na": {"vi": "Không có ý kiến", "en": "No opinion"},
    "report_factors": {"vi": "Các yếu tố", "en": "Factors"},
    "report_criteria": {"vi": "Các tiêu chí", "en": "Criteria"},
    "report_unanswered": {
        "vi": "Chưa ai đánh giá các tiêu chí: {ids} (để trống, không tính là 0).",
        "en": "Nobody rated the criteria {ids} (left blank, not counted as 0).",
    },
    "report_children": {"vi": "Các đơn vị trực thuộc", "en": "Units below"},
    "report_rank": {"vi": "Hạng", "en": "Rank"},
    "report_unit": {"vi": "Đơn vị", "en": "Unit"},
    "report_counted_short": {"vi": "Phiếu", "en": "Responses"},
    "report_rankable": {"vi": "Xếp hạng được?", "en": "May be ranked?"},
    "report_yes": {"vi": "Có", "en": "Yes"},
    "report_no_not_enough": {"vi": "Không — chưa đủ phiếu", "en": "No — not enough responses"},
    "report_trend": {"vi": "Diễn biến chỉ số SIPAS", "en": "SIPAS over time"},
    "report_period_short": {"vi": "Kỳ", "en": "Period"},
    "report_change": {"vi": "Thay đổi", "en": "Change"},
    "report_change_rise": {"vi": "tăng rõ rệt", "en": "clear rise"},
    "report_change_fall": {"vi": "giảm rõ rệt", "en": "clear fall"},
    "report_change_steady": {"vi": "chưa khác biệt rõ", "en": "no clear change"},
    "report_download": {"vi": "Tải về:", "en": "Download:"},
    "report_weekly": {"vi": "Bản tin tuần", "en": "Weekly digest"},
    "report_method": {
        "vi": "Khoảng tin cậy 95 % tính theo người trả lời; đơn vị cấp trên là trung bình có "
        "trọng số theo số hồ sơ hằng năm của các đơn vị trực thuộc.",
        "en": "95% intervals are over respondents; a parent unit is the average of its units "
        "weighted by their annual dossiers.",
    },
    "report_no_flow": {
        "vi": "Chưa có phiếu nào trong kỳ này.",
        "en": "No responses in this period.",
    },
    "report_recheck": {
        "vi": "Phúc tra qua điện thoại: {drawn} phiếu được gọi, {confirmed} xác nhận, "
        "{denied} phủ nhận; tỷ lệ xác nhận {share}.",
        "en": "Phone re-check: {drawn} called, {confirmed} confirmed, {denied} denied; "
        "share confirmed {share}.",
    },
    "report_funnel": {
        "vi": "Đường liên kết của kỳ: {created} tạo, {opened} đã mở, {consented} đồng ý tham gia, "
        "{completed} hoàn thành.",
        "en": "The period's links: {created} created, {opened} opened, {consented} agreed to "
        "take part, {completed} completed.",
    },
}
