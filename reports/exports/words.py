"""Labels of every report export (text, CSV, XLSX, PDF) and the public page's shared words, in
Vietnamese and English: one phrasebook, so each format names a figure the same way."""

from __future__ import annotations

from flows.texts import lookup, texts_in

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
    "excluded": {"vi": "Phiếu không tính vào chỉ số", "en": "Responses not counted"},
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
    "by_flag": {"vi": "Lý do không tính", "en": "Reasons not counted"},
    "report_title": {
        "vi": "Kết quả khảo sát sự hài lòng (SIPAS)",
        "en": "Satisfaction survey results (SIPAS)",
    },
    "unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "no": {"vi": "Không", "en": "No"},
    "index": {"vi": "Chỉ số (%)", "en": "Index (%)"},
    "interval": {"vi": "Khoảng tin cậy 95 %", "en": "95% interval"},
    "factors": {"vi": "Các yếu tố", "en": "Factors"},
    "criteria": {"vi": "Các tiêu chí", "en": "Criteria"},
    "wording": {"vi": "Nội dung", "en": "Wording"},
    "level_1": {"vi": "Rất không hài lòng", "en": "Very dissatisfied"},
    "level_2": {"vi": "Không hài lòng", "en": "Dissatisfied"},
    "level_3": {"vi": "Bình thường", "en": "Neutral"},
    "level_4": {"vi": "Hài lòng", "en": "Satisfied"},
    "level_5": {"vi": "Rất hài lòng", "en": "Very satisfied"},
    "rankable": {"vi": "Được xếp hạng", "en": "May be ranked"},
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
        "vi": "Chỉ số tiêu chí = tỷ lệ người trả lời “Hài lòng” hoặc “Rất hài lòng” trên số "
        "người trả lời tiêu chí đó; chỉ số yếu tố = trung bình các tiêu chí; SIPAS = trung "
        "bình các yếu tố. Khoảng tin cậy 95 % tính theo người trả lời.",
        "en": "Criterion index = share of respondents answering “Satisfied” or “Very "
        "satisfied” among those who answered it; factor index = mean of its criteria; SIPAS = "
        "mean of the factors. The 95% interval is computed over respondents.",
    },
    "sheet_summary": {"vi": "Tổng hợp", "en": "Summary"},
    "sheet_levels": {"vi": "Mức độ hài lòng", "en": "Levels"},
    "sheet_children": {"vi": "Đơn vị trực thuộc", "en": "Units below"},
    "sheet_trend": {"vi": "Diễn biến", "en": "Trend"},
    "page": {"vi": "Trang {page}/{pages}", "en": "Page {page} of {pages}"},
    "no_value": {"vi": "chưa có", "en": "none"},
}


WORDS.update(
    {
        "recheck": {"vi": "Phúc tra qua điện thoại", "en": "Phone re-check"},
        "recheck_line": {
            "vi": "Phúc tra: gọi {drawn} phiếu, {confirmed} xác nhận, {denied} phủ nhận, "
            "{unreachable} không liên lạc được; tỷ lệ xác nhận {share}",
            "en": "Re-check: {drawn} called, {confirmed} confirmed, {denied} denied, "
            "{unreachable} unreachable; share confirmed {share}",
        },
        "recheck_share": {
            "vi": "Tỷ lệ xác nhận khi phúc tra (%)",
            "en": "Share confirmed on re-check (%)",
        },
        "funnel_line": {
            "vi": "Đường liên kết: {created} tạo, {opened} mở, {consented} đồng ý, "
            "{completed} hoàn thành",
            "en": "Links: {created} created, {opened} opened, {consented} agreed, "
            "{completed} completed",
        },
        "funnel_created": {"vi": "Đường liên kết đã tạo", "en": "Links created"},
        "funnel_opened": {"vi": "Đã mở", "en": "Opened"},
        "funnel_consented": {"vi": "Đồng ý tham gia", "en": "Agreed to take part"},
        "funnel_completed": {"vi": "Hoàn thành", "en": "Completed"},
    }
)


def word(key: str, locale: str, **values: object) -> str:
    return lookup(WORDS, key, locale, **values)


def labels(locale: str) -> dict[str, str]:
    """Every label in ``locale``, unformatted (what the XLSX and PDF renderers read)."""
    return texts_in(WORDS, locale)
