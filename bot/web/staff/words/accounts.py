"""Words of the admin pages for units and staff accounts (and chat bindings).

One phrasebook entry per key, ``{"vi": ..., "en": ...}``, read through
``flows.texts.lookup`` like every other user-facing text.
"""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "units_title": {"vi": "Đơn vị", "en": "Units"},
    "code": {"vi": "Mã", "en": "Code"},
    "name": {"vi": "Tên", "en": "Name"},
    "parent": {"vi": "Đơn vị cấp trên", "en": "Parent unit"},
    "none": {"vi": "(không có)", "en": "(none)"},
    "annual_dossiers": {"vi": "Số hồ sơ mỗi năm", "en": "Dossiers per year"},
    "quota": {"vi": "Chỉ tiêu số phiếu (không bắt buộc)", "en": "Quota of forms (optional)"},
    "sample_target": {"vi": "Số phiếu tối thiểu/năm", "en": "Minimum forms per year"},
    "add_unit": {"vi": "Thêm đơn vị", "en": "Add a unit"},
    "save": {"vi": "Lưu", "en": "Save"},
    "saved": {"vi": "Đã lưu.", "en": "Saved."},
    "unit_added": {"vi": "Đã thêm đơn vị {code}.", "en": "Unit {code} added."},
    "invalid_code": {
        "vi": "Mã chỉ gồm chữ in hoa, số và dấu - (tối đa 64 ký tự).",
        "en": "A code has capital letters, digits and - only (at most 64).",
    },
    "invalid_name": {"vi": "Xin nhập tên.", "en": "Please enter a name."},
    "code_taken": {
        "vi": "Mã này đã được dùng cho một đơn vị khác.",
        "en": "This code is already used by another unit.",
    },
    "username_taken": {"vi": "Tên đăng nhập này đã có.", "en": "This username already exists."},
    "new_password": {"vi": "Mật khẩu mới cho {user}", "en": "New password for {user}"},
    "set_password": {"vi": "Đặt mật khẩu mới", "en": "Set a new password"},
    "password_set": {"vi": "Đã đặt mật khẩu mới cho {user}.", "en": "New password set for {user}."},
    "invalid_number": {
        "vi": "Xin nhập một số nguyên không âm, hoặc để trống.",
        "en": "Please enter a whole number, or leave it empty.",
    },
    "flow_for": {"vi": "Bộ câu hỏi cho {form}", "en": "Question flow for {form}"},
    "flow_auto": {"vi": "Phiên bản mới nhất (tự động)", "en": "Newest version (automatic)"},
    "flows_of_unit": {"vi": "Bộ câu hỏi đơn vị sử dụng", "en": "Question flows used by the unit"},
    "edit": {"vi": "Sửa", "en": "Edit"},
    "users_title": {"vi": "Tài khoản cán bộ", "en": "Staff accounts"},
    "role": {"vi": "Vai trò", "en": "Role"},
    "active": {"vi": "Đang hoạt động", "en": "Active"},
    "inactive": {"vi": "Đã khóa", "en": "Deactivated"},
    "add_user": {"vi": "Thêm tài khoản", "en": "Add an account"},
    "user_added": {"vi": "Đã thêm tài khoản {user}.", "en": "Account {user} added."},
    "deactivate": {"vi": "Khóa tài khoản", "en": "Deactivate"},
    "activate": {"vi": "Mở khóa", "en": "Reactivate"},
    "bind_channel": {"vi": "Tạo liên kết {channel}", "en": "{channel} binding link"},
    "binding_title": {
        "vi": "Liên kết gắn tài khoản {user} với {channel}",
        "en": "Link binding {user} to {channel}",
    },
    "binding_help": {
        "vi": (
            "Gửi đường liên kết này cho {user}; mở nó trong ứng dụng chat sẽ gắn tài khoản. "
            "Chỉ dùng một lần, hết hạn lúc {expires}."
        ),
        "en": (
            "Send this link to {user}; opening it in the chat app binds the account. One use "
            "only, expires {expires}."
        ),
    },
    "binding_code": {
        "vi": "Mã gắn tài khoản (nhập trong cuộc trò chuyện với bot): {code}",
        "en": "Binding code (send it to the bot in the chat): {code}",
    },
    "invalid_username": {
        "vi": "Tên đăng nhập gồm 3-64 chữ thường, số và các dấu . _ -.",
        "en": "A username has 3-64 lower-case letters, digits and . _ -.",
    },
    "password_rule": {
        "vi": "Mật khẩu có ít nhất {n} ký tự.",
        "en": "A password has at least {n} characters.",
    },
    "chats": {"vi": "Cuộc trò chuyện đã gắn", "en": "Bound chats"},
    "unbind": {"vi": "Gỡ", "en": "Remove"},
    "actions": {"vi": "Thao tác", "en": "Actions"},
}
