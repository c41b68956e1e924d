"""Labels of report exports (text and CSV), in Vietnamese and English."""

from __future__ import annotations

from flows.texts import lookup

WORDS: dict[str, dict[str, str]] = {
    "title": {
        "vi": "Kết quả khảo sát sự hài lòng (SIPAS)",
        "en": "Satisfaction survey results (SIPAS)",
    },
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "period": {"vi": "Kỳ báo cáo", "en": "Period"},
    "from": {"vi": "Từ ngày", "en": "From"},
    "to": {"vi": "Đến ngày", "en": "To"},
    "counted": {"vi": "Phiếu được tính", "en": "Responses counted"},
    "excluded": {"vi": "Phiếu bị loại", "en": "Responses excluded"},
    "required": {"vi": "Số phiếu tối thiểu của kỳ", "en": "Responses needed for the period"},
    "sufficient": {"vi": "Đủ phiếu", "en": "Enough responses"},
    "yes": {"vi": "có", "en": "yes"},
    "not_enough": {"vi": "chưa đủ phiếu", "en": "not enough responses"},
    "measure": {"vi": "Chỉ tiêu", "en": "Measure"},
    "id": {"vi": "Mã", "en": "Id"},
    "name": {"vi": "Nội dung", "en": "Wording"},
    "value": {"vi": "Chỉ số (%)", "en": "Index (%)"},
    "low": {"vi": "Cận dưới 95 %", "en": "95% low"},
    "high": {"vi": "Cận trên 95 %", "en": "95% high"},
    "n": {"vi": "Số người trả lời (n)", "en": "Respondents (n)"},
    "mean": {"vi": "Điểm trung bình (1-5)", "en": "Mean (1-5)"},
    "level": {"vi": "Mức {level}", "en": "Level {level}"},
    "not_applicable": {"vi": "Không có ý kiến", "en": "No opinion"},
    "sipas": {"vi": "Chỉ số SIPAS", "en": "SIPAS index"},
    "factor": {"vi": "Yếu tố", "en": "Factor"},
    "criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "children": {"vi": "Các đơn vị trực thuộc", "en": "Units below"},
    "rank": {"vi": "Xếp hạng", "en": "Rank"},
    "trend": {"vi": "Diễn biến", "en": "Trend"},
    "change": {"vi": "Thay đổi", "en": "Change"},
    "rise": {"vi": "tăng rõ rệt", "en": "clear rise"},
    "fall": {"vi": "giảm rõ rệt", "en": "clear fall"},
    "steady": {"vi": "chưa khác biệt rõ", "en": "no clear change"},
    "unanswered": {
        "vi": "Tiêu chí chưa có ai đánh giá: {ids}",
        "en": "Criteria nobody rated: {ids}",
    },
    "generated": {"vi": "Lập lúc", "en": "Generated at"},
    "by_source": {"vi": "Phiếu theo kênh", "en": "Responses by channel"},
    "by_flag": {"vi": "Phiếu bị loại theo lý do", "en": "Excluded responses by reason"},
}


def word(key: str, locale: str, **values: object) -> str:
    return lookup(WORDS, key, locale, **values)
