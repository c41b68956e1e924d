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
    "index": {
        "vi": "Chỉ số SIPAS tuần này: {value} ({change} điểm so với tuần trước)",
        "en": "SIPAS index this week: {value} ({change} points against last week)",
    },
    "index_alone": {
        "vi": "Chỉ số SIPAS tuần này: {value} (tuần trước chưa có phiếu để so sánh)",
        "en": "SIPAS index this week: {value} (no responses last week to compare with)",
    },
    "factor_alone": {"vi": "• {name}: {value}", "en": "• {name}: {value}"},
    "index_year": {
        "vi": "Chỉ số SIPAS từ đầu năm: {value}",
        "en": "SIPAS index this year: {value}",
    },
    "factors": {"vi": "Các yếu tố:", "en": "Factors:"},
    "factor_line": {"vi": "• {name}: {value} ({change})", "en": "• {name}: {value} ({change})"},
    "weakest": {"vi": "Ba tiêu chí thấp nhất:", "en": "The three weakest criteria:"},
    "criterion_line": {
        "vi": "• {id} {text}: {value} (điểm TB {mean})",
        "en": "• {id} {text}: {value} (mean {mean})",
    },
    "levels": {"vi": "Phân bố mức đánh giá:", "en": "Distribution of levels:"},
    "level_line": {"vi": "• {label}: {count} ({share})", "en": "• {label}: {count} ({share})"},
    "feedback": {
        "vi": "Góp ý mới: {comments}; phản ánh, kiến nghị mới: {complaints}",
        "en": "New comments: {comments}; new reports / petitions: {complaints}",
    },
    "complaint_item": {"vi": "⚠️ Phản ánh: «{text}»", "en": "⚠️ Report / petition: “{text}”"},
    "comment_item": {"vi": "💬 Góp ý: «{text}»", "en": "💬 Comment: “{text}”"},
    "more_feedback": {
        "vi": "… và {count} ý kiến khác (xem báo cáo trên trang quản trị).",
        "en": "… and {count} more (see the report on the staff pages).",
    },
    "flagged": {
        "vi": "Phiếu cần xem xét (nghi không do người dân tự điền): {count}",
        "en": "Responses to review (possibly not filled in by the respondent): {count}",
    },
    "ranking": {"vi": "Xếp hạng các đơn vị (tuần này):", "en": "Units ranked (this week):"},
    "rank_line": {
        "vi": "{rank}. {unit}: {value} ({count} phiếu)",
        "en": "{rank}. {unit}: {value} ({count} responses)",
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
