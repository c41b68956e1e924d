"""Words of the desk's daily work: searching the links list, printing a batch of slips,
downloading the import templates."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "links_search": {
        "vi": "Tìm theo mã hồ sơ hoặc số cuối điện thoại",
        "en": "Search by dossier code or the last digits of the phone",
    },
    "links_search_hint": {
        "vi": "Ví dụ: HS-2026-0001, hoặc 5678 (ít nhất 3 số cuối của số điện thoại).",
        "en": "For example: HS-2026-0001, or 5678 (at least the last 3 digits of the phone).",
    },
    "links_any_status": {"vi": "Mọi trạng thái", "en": "Any status"},
    "links_search_button": {"vi": "Tìm", "en": "Search"},
    "links_found": {"vi": "Tìm thấy {count} đường liên kết.", "en": "{count} links found."},
    "slips_today": {
        "vi": "In phiếu khảo sát của các hồ sơ hôm nay (PDF, 4 phiếu A6 mỗi trang A4)",
        "en": "Print today's survey slips (PDF, four A6 slips per A4 page)",
    },
    "slips_import": {
        "vi": "In phiếu khảo sát của các hồ sơ trong tệp này (PDF, 4 phiếu A6 mỗi trang A4)",
        "en": "Print the survey slips of this file (PDF, four A6 slips per A4 page)",
    },
    "import_warnings": {
        "vi": "Các dòng đã nhập nhưng bỏ qua một trường không hợp lệ",
        "en": "Rows imported without an invalid field",
    },
    "import_templates": {
        "vi": "Tải tệp mẫu để điền danh sách hồ sơ:",
        "en": "Download a template to fill in the dossier list:",
    },
    "import_template_csv": {"vi": "Tệp mẫu CSV", "en": "CSV template"},
    "import_template_xlsx": {"vi": "Tệp mẫu Excel (XLSX)", "en": "Excel template (XLSX)"},
}
