"""The words on exported reports (XLSX sheets, PDF pages, the public page), in both locales.

One phrasebook for every format, so a department reading the PDF, the spreadsheet and the
public page sees the same names for the same figures.
"""

from __future__ import annotations

from flows.texts import Phrasebook, texts_in

LABELS: Phrasebook = {
    "report_title": {
        "vi": "Kết quả khảo sát sự hài lòng (SIPAS)",
        "en": "Satisfaction survey results (SIPAS)",
    },
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "period": {"vi": "Kỳ báo cáo", "en": "Period"},
    "from": {"vi": "Từ ngày", "en": "From"},
    "to": {"vi": "Đến ngày", "en": "To"},
    "generated": {"vi": "Ngày lập", "en": "Generated on"},
    "counted": {"vi": "Số phiếu được tính", "en": "Responses counted"},
    "excluded": {
        "vi": "Số phiếu chưa tính (cần xem xét)",
        "en": "Responses set aside (under review)",
    },
    "sufficient": {"vi": "Đủ số phiếu tối thiểu", "en": "Enough responses"},
    "yes": {"vi": "Có", "en": "Yes"},
    "no": {"vi": "Không", "en": "No"},
    "not_enough": {"vi": "Chưa đủ phiếu", "en": "Not enough responses"},
    "sipas": {"vi": "Chỉ số SIPAS", "en": "SIPAS index"},
    "index": {"vi": "Chỉ số (%)", "en": "Index (%)"},
    "low": {"vi": "Cận dưới 95 % (%)", "en": "95% lower bound (%)"},
    "high": {"vi": "Cận trên 95 % (%)", "en": "95% upper bound (%)"},
    "interval": {"vi": "Khoảng tin cậy 95 %", "en": "95% interval"},
    "mean": {"vi": "Điểm trung bình (1–5)", "en": "Mean score (1–5)"},
    "n": {"vi": "Số người trả lời", "en": "Respondents"},
    "factor": {"vi": "Yếu tố", "en": "Factor"},
    "factors": {"vi": "Các yếu tố", "en": "Factors"},
    "criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "criteria": {"vi": "Các tiêu chí", "en": "Criteria"},
    "wording": {"vi": "Nội dung", "en": "Wording"},
    "level_1": {"vi": "Rất không hài lòng", "en": "Very dissatisfied"},
    "level_2": {"vi": "Không hài lòng", "en": "Dissatisfied"},
    "level_3": {"vi": "Bình thường", "en": "Neutral"},
    "level_4": {"vi": "Hài lòng", "en": "Satisfied"},
    "level_5": {"vi": "Rất hài lòng", "en": "Very satisfied"},
    "not_applicable": {"vi": "Không có ý kiến", "en": "No opinion"},
    "children": {"vi": "Đơn vị trực thuộc", "en": "Units below"},
    "rankable": {"vi": "Được xếp hạng", "en": "May be ranked"},
    "trend": {"vi": "Diễn biến", "en": "Trend"},
    "change": {"vi": "Thay đổi", "en": "Change"},
    "rise": {"vi": "Tăng", "en": "Rise"},
    "fall": {"vi": "Giảm", "en": "Fall"},
    "steady": {"vi": "Không thay đổi rõ rệt", "en": "No clear change"},
    "by_flag": {"vi": "Lý do chưa tính", "en": "Reasons set aside"},
    "by_source": {"vi": "Theo kênh", "en": "By channel"},
    "source_web": {"vi": "Trang web", "en": "Web chat"},
    "source_telegram": {"vi": "Telegram", "en": "Telegram"},
    "source_zalo_bot": {"vi": "Zalo (bot)", "en": "Zalo (bot)"},
    "source_zalo_oa": {"vi": "Zalo (OA)", "en": "Zalo (OA)"},
    "source_paper": {"vi": "Phiếu giấy", "en": "Paper form"},
    "flag_too_fast": {"vi": "Trả lời quá nhanh", "en": "Answered too fast"},
    "flag_staff_chat": {
        "vi": "Trả lời từ tài khoản chat của cán bộ",
        "en": "Answered from a staff chat",
    },
    "flag_staff_browser": {
        "vi": "Trả lời trên trình duyệt của cán bộ",
        "en": "Answered in a staff browser",
    },
    "flag_staff_network": {
        "vi": "Trả lời từ mạng của cơ quan",
        "en": "Answered from the office network",
    },
    "flag_repeat_chat": {
        "vi": "Một tài khoản trả lời nhiều hồ sơ",
        "en": "One chat answered many dossiers",
    },
    "flag_denied_on_recheck": {
        "vi": "Người dân cho biết không trả lời (phúc tra)",
        "en": "Denied answering on re-check",
    },
    "method": {
        "vi": "Chỉ số tiêu chí = tỷ lệ người trả lời “Hài lòng” hoặc “Rất hài lòng” trên số người "
        "trả lời tiêu chí đó; chỉ số yếu tố = trung bình các tiêu chí; SIPAS = trung bình các "
        "yếu tố. Khoảng tin cậy 95 % tính theo người trả lời.",
        "en": "Criterion index = share of respondents answering “Satisfied” or “Very satisfied” "
        "among those who answered it; factor index = mean of its criteria; SIPAS = mean of the "
        "factors. The 95% interval is computed over respondents.",
    },
    "sheet_summary": {"vi": "Tổng hợp", "en": "Summary"},
    "sheet_levels": {"vi": "Mức độ hài lòng", "en": "Levels"},
    "sheet_children": {"vi": "Đơn vị trực thuộc", "en": "Units below"},
    "sheet_trend": {"vi": "Diễn biến", "en": "Trend"},
    "page": {"vi": "Trang {page}/{pages}", "en": "Page {page} of {pages}"},
    "no_value": {"vi": "chưa có", "en": "none"},
}


def labels(locale: str) -> dict[str, str]:
    """Every label in ``locale`` (Vietnamese when the locale is unknown)."""
    return texts_in(LABELS, locale)
