"""Words of the desks page: standing QR codes at service counters and their posters."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "desks": {"vi": "Mã QR tại quầy", "en": "Desk QR codes"},
    "desks_title": {"vi": "Mã QR đánh giá tại quầy", "en": "Desk rating QR codes"},
    "desks_intro": {
        "vi": "Mỗi quầy có một mã QR cố định. Người dân quét mã để đánh giá nhanh việc phục vụ "
        "tại quầy, không cần hồ sơ hay số điện thoại. In áp phích và dán tại quầy.",
        "en": "Each desk has a fixed QR code. Citizens scan it to rate the service at the desk "
        "quickly, without a dossier or a phone number. Print the poster and fix it at the desk.",
    },
    "desks_none": {"vi": "Chưa có quầy nào.", "en": "No desk yet."},
    "desk_name": {"vi": "Tên quầy", "en": "Desk name"},
    "desk_name_hint": {
        "vi": "Tên in trên áp phích, ví dụ: Quầy 1 - Tư pháp, hộ tịch",
        "en": "The name printed on the poster, e.g. Quầy 1 - Tư pháp, hộ tịch",
    },
    "desk_flow": {"vi": "Phiếu đánh giá", "en": "Rating form"},
    "desk_code": {"vi": "Mã quầy", "en": "Desk code"},
    "desk_link": {"vi": "Địa chỉ", "en": "Address"},
    "desk_poster": {"vi": "Tải áp phích (PDF, A4)", "en": "Download the poster (PDF, A4)"},
    "desk_poster_of": {"vi": "Áp phích của {name}", "en": "Poster of {name}"},
    "desk_qr_alt": {"vi": "Mã QR của {name}", "en": "QR code of {name}"},
    "add_desk": {"vi": "Thêm quầy", "en": "Add a desk"},
    "desk_added": {
        "vi": "Đã thêm {name}. Hãy tải áp phích và dán tại quầy.",
        "en": "{name} added. Download the poster and fix it at the desk.",
    },
    "desk_name_missing": {"vi": "Xin nhập tên quầy.", "en": "Please enter the desk's name."},
    "desk_name_bad": {
        "vi": "Tên quầy dài tối đa 120 ký tự, không có ký tự điều khiển.",
        "en": "A desk name has at most 120 characters and no control characters.",
    },
    "desk_flow_unknown": {
        "vi": "Phiếu đánh giá này chưa được phát hành.",
        "en": "This rating form has not been published.",
    },
}
