"""Words every staff page shares: the frame, navigation, login, errors, roles,
the home page and the report page.

One phrasebook entry per key, ``{"vi": ..., "en": ...}``, read through
``flows.texts.lookup`` like every other user-facing text.
"""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "app": {"vi": "Khảo sát SIPAS — Cán bộ", "en": "SIPAS survey — Staff"},
    "lang_name": {"vi": "Tiếng Việt", "en": "English"},
    "switch_to": {"vi": "English", "en": "Tiếng Việt"},
    "nav": {"vi": "Điều hướng chính", "en": "Main navigation"},
    "home": {"vi": "Trang chính", "en": "Home"},
    "links": {"vi": "Tạo đường liên kết", "en": "Create a link"},
    "recent": {"vi": "Đường liên kết gần đây", "en": "Recent links"},
    "import": {"vi": "Nhập danh sách hồ sơ", "en": "Import dossiers"},
    "units": {"vi": "Đơn vị", "en": "Units"},
    "users": {"vi": "Tài khoản", "en": "Accounts"},
    "flows": {"vi": "Bộ câu hỏi", "en": "Question flows"},
    "settings": {"vi": "Cài đặt kênh", "en": "Channel settings"},
    "logout": {"vi": "Đăng xuất", "en": "Log out"},
    "login": {"vi": "Đăng nhập", "en": "Log in"},
    "username": {"vi": "Tên đăng nhập", "en": "Username"},
    "password": {"vi": "Mật khẩu", "en": "Password"},
    "login_title": {"vi": "Đăng nhập dành cho cán bộ", "en": "Staff login"},
    "login_failed": {
        "vi": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "en": "Wrong username or password.",
    },
    "login_limited": {
        "vi": "Đăng nhập sai quá nhiều lần. Xin vui lòng thử lại sau {minutes} phút.",
        "en": "Too many failed logins. Please try again in {minutes} minutes.",
    },
    "login_wait": {
        "vi": "Có nhiều lần đăng nhập sai cho tài khoản này. Xin vui lòng thử lại sau "
        "{seconds} giây.",
        "en": "There were many failed logins for this account. Please try again in "
        "{seconds} seconds.",
    },
    "logged_in_as": {"vi": "Đang đăng nhập: {user} ({role})", "en": "Logged in: {user} ({role})"},
    "csrf_failed": {
        "vi": "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ. Xin tải lại trang và thử lại.",
        "en": (
            "Your session expired or the form is outdated. Please reload the page and try again."
        ),
    },
    "forbidden": {
        "vi": "Tài khoản của bạn không có quyền xem trang này.",
        "en": "Your account may not see this page.",
    },
    "not_found": {"vi": "Không tìm thấy nội dung yêu cầu.", "en": "Not found."},
    "back_home": {"vi": "Về trang chính", "en": "Back to the home page"},
    "busy": {
        "vi": "Hệ thống đang bận, chưa lưu được thao tác. Xin vui lòng thử lại sau ít phút.",
        "en": "The system is busy and nothing was saved. Please try again in a few minutes.",
    },
    "role_admin": {"vi": "quản trị", "en": "admin"},
    "role_clerk": {"vi": "cán bộ một cửa", "en": "clerk"},
    "role_chair": {"vi": "chủ tịch", "en": "chair"},
    "role_viewer": {"vi": "theo dõi", "en": "viewer"},
    "all_units": {"vi": "toàn hệ thống", "en": "everything"},
    "welcome": {"vi": "Chào {user}!", "en": "Hello {user}!"},
    "home_intro": {"vi": "Chọn việc cần làm:", "en": "What would you like to do?"},
    "report_title": {"vi": "Báo cáo chỉ số hài lòng", "en": "Satisfaction report"},
    "report_week": {"vi": "Tuần (ví dụ 2026-W48)", "en": "Week (e.g. 2026-W48)"},
    "report_show": {"vi": "Xem báo cáo", "en": "Show the report"},
    "undelivered_title": {
        "vi": "Tin nhắn không gửi được (7 ngày qua)",
        "en": "Messages that could not be delivered (last 7 days)",
    },
    "undelivered_hint": {
        "vi": (
            "Người nhận đã chặn tài khoản, chưa quan tâm Official Account hoặc đã quá 7 ngày "
            "không nhắn tin; hệ thống không gửi lại những tin này."
        ),
        "en": (
            "The person blocked the account, does not follow the Official Account, or has not "
            "written for over 7 days; these messages are not tried again."
        ),
    },
    "undelivered_channel": {"vi": "Kênh", "en": "Channel"},
    "undelivered_reason": {"vi": "Lý do", "en": "Reason"},
    "undelivered_count": {"vi": "Số tin", "en": "Messages"},
}
