"""What a digest says (text and chart labels), in Vietnamese and English."""

from __future__ import annotations

from flows.texts import lookup

PHRASES: dict[str, dict[str, str]] = {
    "digest_title": {
        "vi": "📊 Báo cáo tuần {week}/{year} ({first} – {last})\n{unit}",
        "en": "📊 Weekly report, week {week}/{year} ({first} – {last})\n{unit}",
    },
    "digest_partial": {
        "vi": "(số liệu tạm tính đến {moment})",
        "en": "(figures so far, up to {moment})",
    },
    "completed": {
        "vi": "Phiếu hoàn thành: {week} trong tuần, {year} từ đầu năm",
        "en": "Completed responses: {week} this week, {year} this year",
    },
    "minimum": {
        "vi": " (tối thiểu cả năm: {minimum}, đạt {share})",
        "en": " (year's minimum: {minimum}, {share} reached)",
    },
    "completion": {
        "vi": "Tỷ lệ hoàn thành từ đầu năm: {rate} ({completed}/{started} lượt bắt đầu)",
        "en": "Completion rate this year: {rate} ({completed} of {started} started)",
    },
    "no_responses": {
        "vi": "Tuần này chưa có phiếu nào hoàn thành.",
        "en": "No response was completed this week.",
    },
    "index": {"vi": "Chỉ số SIPAS tuần này: {value}", "en": "SIPAS index this week: {value}"},
    "index_change": {
        "vi": "So với tuần trước: {change} điểm ({verdict})",
        "en": "Against last week: {change} points ({verdict})",
    },
    "verdict_rise": {"vi": "tăng rõ rệt", "en": "a clear rise"},
    "verdict_fall": {"vi": "giảm rõ rệt", "en": "a clear fall"},
    "verdict_steady": {
        "vi": "chưa khác biệt rõ so với sai số",
        "en": "not a clear change given the margins of error",
    },
    "index_alone": {
        "vi": "Tuần trước chưa có phiếu để so sánh.",
        "en": "No responses last week to compare with.",
    },
    "factor_alone": {"vi": "• {name}: {value}", "en": "• {name}: {value}"},
    "index_year": {
        "vi": "Chỉ số SIPAS từ đầu năm: {value}",
        "en": "SIPAS index this year: {value}",
    },
    "factors": {"vi": "Các yếu tố:", "en": "Factors:"},
    "trend": {
        "vi": "Diễn biến {count} tuần: {weeks}",
        "en": "The last {count} weeks: {weeks}",
    },
    "factor_line": {"vi": "• {name}: {value} ({change})", "en": "• {name}: {value} ({change})"},
    "weakest": {
        "vi": "Tiêu chí thấp nhất: {id} «{text}»: {value} hài lòng (n = {n}, điểm TB {mean})",
        "en": "Weakest criterion: {id} “{text}”: {value} satisfied (n = {n}, mean {mean})",
    },
    "precision": {
        "vi": " (n = {n}; khoảng tin cậy 95 %: {low} – {high})",
        "en": " (n = {n}; 95% interval: {low} – {high})",
    },
    "precision_n": {"vi": " (n = {n})", "en": " (n = {n})"},
    "not_enough": {
        "vi": "⚠️ Chưa đủ phiếu: {count}/{required} phiếu cần có, chỉ số chỉ để tham khảo, "
        "không xếp hạng.",
        "en": "⚠️ Not enough responses: {count} of the {required} needed; the index is only "
        "indicative and is not ranked.",
    },
    "levels": {"vi": "Phân bố mức đánh giá:", "en": "Distribution of levels:"},
    "level_line": {"vi": "• {label}: {count} ({share})", "en": "• {label}: {count} ({share})"},
    "feedback": {
        "vi": "Góp ý mới: {comments}; phản ánh, kiến nghị mới: {complaints}",
        "en": "New comments: {comments}; new reports / petitions: {complaints}",
    },
    "complaint_item": {"vi": "⚠️ Phản ánh: «{text}»", "en": "⚠️ Report / petition: “{text}”"},
    "comment_item": {"vi": "💬 Góp ý: «{text}»", "en": "💬 Comment: “{text}”"},
    "complaints_open": {
        "vi": "📮 Phản ánh, kiến nghị chờ trả lời: {open} (quá hạn: {overdue})",
        "en": "📮 Reports / petitions awaiting an answer: {open} ({overdue} overdue)",
    },
    "more_feedback": {
        "vi": "… và {count} ý kiến khác (xem báo cáo trên trang quản trị).",
        "en": "… and {count} more (see the report on the staff pages).",
    },
    "flagged": {
        "vi": "Phiếu cần xem xét (nghi không do người dân tự điền): {count}",
        "en": "Responses to review (possibly not filled in by the respondent): {count}",
    },
    "ranking": {
        "vi": "Xếp hạng các đơn vị (tuần này, chỉ đơn vị đủ phiếu):",
        "en": "Units ranked (this week, only those with enough responses):",
    },
    "rank_line": {
        "vi": "{rank}. {unit}: {value} ({count} phiếu)",
        "en": "{rank}. {unit}: {value} ({count} responses)",
    },
    "unranked_line": {
        "vi": "– {unit}: {value} ({count} phiếu, chưa đủ phiếu)",
        "en": "– {unit}: {value} ({count} responses, not enough responses)",
    },
    "chart_caption": {
        "vi": "Chỉ số các yếu tố: tuần {week} so với tuần trước",
        "en": "Factor indices: week {week} against the week before",
    },
    "chart_this": {"vi": "Tuần này", "en": "This week"},
    "chart_last": {"vi": "Tuần trước", "en": "Last week"},
}


def phrase(key: str, locale: str, **values: object) -> str:
    return lookup(PHRASES, key, locale, **values)
