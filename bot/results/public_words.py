"""What the public results page says, in Vietnamese and English."""

from __future__ import annotations

from flows.texts import Phrasebook

PUBLIC: Phrasebook = {
    "title": {"vi": "Kết quả khảo sát sự hài lòng", "en": "Satisfaction survey results"},
    "index_title": {
        "vi": "Kết quả khảo sát sự hài lòng đã công bố",
        "en": "Published satisfaction survey results",
    },
    "intro": {
        "vi": "Ý kiến của người dân và tổ chức về sự phục vụ của cơ quan hành chính nhà nước "
        "(Chỉ số SIPAS), do đơn vị công bố. Không có thông tin cá nhân của người trả lời.",
        "en": "What citizens and organisations think of the service of public administration "
        "(the SIPAS index), as published by the unit. Nothing identifies who answered.",
    },
    "none_published": {
        "vi": "Chưa có đơn vị nào công bố kết quả.",
        "en": "No unit has published results yet.",
    },
    "all_units": {"vi": "Tất cả đơn vị đã công bố", "en": "All units that published"},
    "periods": {"vi": "Các kỳ đã công bố", "en": "Published periods"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "sipas": {"vi": "Chỉ số hài lòng (SIPAS)", "en": "Satisfaction index (SIPAS)"},
    "interval": {
        "vi": "Khoảng tin cậy 95 %: từ {low} đến {high}",
        "en": "95% interval: {low} to {high}",
    },
    "counted": {"vi": "{n} phiếu được tính", "en": "{n} responses counted"},
    "not_enough": {
        "vi": "Chưa đủ số phiếu tối thiểu: kết quả chỉ để tham khảo, không dùng để xếp hạng.",
        "en": "Not enough responses yet: the result is indicative only and is not ranked.",
    },
    "factors": {"vi": "Theo từng yếu tố", "en": "By factor"},
    "factor": {"vi": "Yếu tố", "en": "Factor"},
    "index": {"vi": "Chỉ số", "en": "Index"},
    "interval_short": {"vi": "Khoảng tin cậy 95 %", "en": "95% interval"},
    "respondents": {"vi": "Số người trả lời", "en": "Respondents"},
    "criteria": {"vi": "Chi tiết 22 tiêu chí", "en": "All criteria"},
    "criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "trend": {"vi": "Diễn biến qua các kỳ", "en": "Over time"},
    "rise": {"vi": "tăng", "en": "rise"},
    "fall": {"vi": "giảm", "en": "fall"},
    "steady": {"vi": "không thay đổi rõ rệt", "en": "no clear change"},
    "change": {"vi": "So với kỳ trước", "en": "Against the period before"},
    "answers": {
        "vi": "Trả lời phản ánh, kiến nghị của người dân",
        "en": "Answers to citizens' reports and petitions",
    },
    "no_answers": {
        "vi": "Trong kỳ này không có trả lời nào được công bố.",
        "en": "No answer was published for this period.",
    },
    "asked": {"vi": "Phản ánh, kiến nghị", "en": "Report / petition"},
    "answered": {"vi": "Trả lời ngày {day}", "en": "Answered on {day}"},
    "method": {
        "vi": "Chỉ số của một tiêu chí là tỷ lệ người trả lời “Hài lòng” hoặc “Rất hài lòng”; "
        "chỉ số yếu tố là trung bình các tiêu chí; Chỉ số SIPAS là trung bình 5 yếu tố. Phiếu "
        "đang được xem xét (ví dụ trả lời quá nhanh) chưa được tính.",
        "en": "A criterion's index is the share answering “Satisfied” or “Very satisfied”; a "
        "factor's index is the mean of its criteria; the SIPAS index is the mean of the five "
        "factors. Responses under review (e.g. answered too fast) are not counted.",
    },
    "updated": {"vi": "Số liệu tính đến {day}", "en": "Figures as of {day}"},
    "no_value": {"vi": "chưa có", "en": "none yet"},
    "language": {"vi": "English", "en": "Tiếng Việt"},
    "not_found_title": {"vi": "Không tìm thấy trang", "en": "Page not found"},
    "not_found": {
        "vi": "Đơn vị này chưa công bố kết quả, hoặc địa chỉ không đúng.",
        "en": "This unit has not published results, or the address is wrong.",
    },
}
