"""The product's own messages around the survey (links, errors, help), in vi and en.

Kept apart from flow files: these are about the service, not about the questionnaire.
"""

from __future__ import annotations

from flows.texts import Phrasebook, lookup

MESSAGES: Phrasebook = {
    "unknown_link": {
        "vi": "Xin lỗi, đường liên kết khảo sát này không đúng. Xin vui lòng kiểm tra lại, "
        "hoặc hỏi Bộ phận Một cửa để được cấp đường liên kết mới.",
        "en": "Sorry, this survey link is not valid. Please check it, or ask the one-stop "
        "desk for a new link.",
    },
    "expired_link": {
        "vi": "Đường liên kết khảo sát này đã hết hạn. Xin cảm ơn Ông/Bà đã quan tâm; nếu muốn "
        "góp ý, xin liên hệ Bộ phận Một cửa.",
        "en": "This survey link has expired. Thank you for your interest; to give feedback, "
        "please contact the one-stop desk.",
    },
    "other_device": {
        "vi": "Phiếu này đang được trả lời trên một thiết bị khác; nếu không phải Ông/Bà, xin "
        "liên hệ bộ phận một cửa để được cấp đường dẫn mới.",
        "en": "This survey is being answered on another device; if that was not you, please "
        "contact the one-stop desk for a new link.",
    },
    "answered_elsewhere": {
        "vi": "Khảo sát này đã hoàn thành trên một thiết bị khác. Nếu không phải Ông/Bà trả "
        "lời, xin liên hệ bộ phận một cửa.",
        "en": "This survey was already completed on another device. If that was not you, "
        "please contact the one-stop desk.",
    },
    "no_survey": {
        "vi": "Chào Ông/Bà! Để tham gia khảo sát, xin mở đường liên kết hoặc quét mã QR được "
        "Bộ phận Một cửa gửi kèm kết quả hồ sơ.",
        "en": "Hello! To take the survey, open the link or scan the QR code the one-stop desk "
        "gave you with your dossier's result.",
    },
    "busy": {
        "vi": "Hệ thống đang bận, câu trả lời chưa được ghi nhận. Xin vui lòng thử lại sau ít "
        "phút.",
        "en": "The system is busy and your answer was not recorded yet. Please try again in a "
        "few minutes.",
    },
    "deleted": {
        "vi": "Dữ liệu khảo sát của Ông/Bà đã được xóa.",
        "en": "Your survey data has been deleted.",
    },
    "continue": {"vi": "Tiếp tục khảo sát", "en": "Continue the survey"},
    "nothing_to_delete": {
        "vi": "Không có dữ liệu khảo sát nào gắn với cuộc trò chuyện này.",
        "en": "No survey data is linked to this chat.",
    },
    "forget_confirm": {
        "vi": "Ông/Bà có chắc muốn xóa dữ liệu khảo sát gắn với cuộc trò chuyện này không? "
        "Phiếu đang làm dở sẽ bị xóa; câu trả lời của phiếu đã hoàn thành vẫn được tính vào số "
        "liệu tổng hợp nhưng không còn gắn với Ông/Bà.",
        "en": "Do you really want to delete the survey data linked to this chat? An unfinished "
        "survey is deleted; the answers of a completed one stay in the totals but are no longer "
        "linked to you.",
    },
    "forget_yes": {"vi": "🗑 Xóa dữ liệu", "en": "🗑 Delete my data"},
    "forget_no": {"vi": "Không, giữ lại", "en": "No, keep it"},
    "forget_kept": {
        "vi": "Dữ liệu của Ông/Bà được giữ nguyên.",
        "en": "Your data has been kept.",
    },
    "help": {
        "vi": "Bot khảo sát mức độ hài lòng về việc giải quyết thủ tục hành chính.\n"
        "• Để bắt đầu, mở đường liên kết hoặc quét mã QR nhận kèm kết quả hồ sơ.\n"
        '• Trả lời bằng nút bấm, hoặc gõ một số từ 1 đến 5; bấm "↩ Quay lại" để sửa câu '
        "trước.\n"
        "• /start: tiếp tục khảo sát đang làm dở.\n"
        "• /xoadulieu: xóa dữ liệu khảo sát của Ông/Bà.",
        "en": "This bot runs the satisfaction survey about the handling of your dossier.\n"
        "• To begin, open the link or scan the QR code you received with the result.\n"
        '• Answer with the buttons, or type a number from 1 to 5; press "↩ Back" to change '
        "the previous answer.\n"
        "• /start: continue an unfinished survey.\n"
        "• /xoadulieu: delete your survey data.",
    },
    "help_staff": {
        "vi": "Lệnh dành cho cán bộ:\n"
        "• /link MÃ-HỒ-SƠ: tạo đường liên kết khảo sát, mã QR và tin nhắn soạn sẵn "
        '(thêm "to chuc" nếu người nộp là tổ chức).\n'
        "• /baocao: số liệu hiện tại của đơn vị.",
        "en": "Staff commands:\n"
        "• /link DOSSIER-CODE: the survey link, its QR code and a ready-to-send text "
        '(add "to chuc" for an organisation).\n'
        "• /baocao: the unit's current figures.",
    },
    "group_chat": {
        "vi": "Xin lỗi, khảo sát chỉ thực hiện trong cuộc trò chuyện riêng với bot. Xin mở "
        "đường liên kết khảo sát hoặc nhắn riêng cho bot.",
        "en": "Sorry, the survey only runs in a private chat with the bot. Please open the "
        "survey link or message the bot directly.",
    },
    "edited_message": {
        "vi": 'Tin nhắn đã sửa không được ghi nhận. Để đổi câu trả lời, xin bấm "↩ Quay lại" '
        "hoặc gửi một tin nhắn mới.",
        "en": "Edited messages are not taken into account. To change an answer, press "
        '"↩ Back" or send a new message.',
    },
    "button_expired": {
        "vi": "Nút này không còn hiệu lực.",
        "en": "This button is no longer valid.",
    },
    "staff_only": {
        "vi": "Lệnh này chỉ dành cho cán bộ đã liên kết tài khoản với cuộc trò chuyện này. "
        "Xin đề nghị quản trị viên cấp đường liên kết tài khoản.",
        "en": "This command is for staff whose account is linked to this chat. Please ask "
        "an administrator for an account link.",
    },
    "staff_role": {
        "vi": "Tài khoản của Ông/Bà không được dùng lệnh này.",
        "en": "Your account may not use this command.",
    },
    "staff_no_unit": {
        "vi": "Tài khoản của Ông/Bà chưa gắn với đơn vị nào.",
        "en": "Your account is not attached to a unit.",
    },
    "bound": {
        "vi": "Đã liên kết cuộc trò chuyện này với tài khoản {username}. Gõ /help để xem các lệnh.",
        "en": "This chat is now linked to the account {username}. Type /help for the commands.",
    },
    "bind_failed": {
        "vi": "Đường liên kết tài khoản này không còn hiệu lực (đã dùng hoặc đã hết hạn). Xin "
        "đề nghị quản trị viên tạo đường liên kết mới.",
        "en": "This account link is no longer valid (used or expired). Please ask an "
        "administrator for a new one.",
    },
    "link_usage": {
        "vi": 'Cách dùng: /link MÃ-HỒ-SƠ, ví dụ /link HS-2026-000123 (thêm "to chuc" nếu '
        "người nộp là tổ chức).",
        "en": 'Usage: /link DOSSIER-CODE, e.g. /link HS-2026-000123 (add "to chuc" for an '
        "organisation).",
    },
    "link_ready": {
        "vi": "Đường liên kết khảo sát cho hồ sơ {dossier} ({form}){existing}:\n{links}\n"
        "Hết hạn: {expires}. Tin nhắn soạn sẵn để chuyển cho người nộp ở bên dưới.",
        "en": "Survey link for dossier {dossier} ({form}){existing}:\n{links}\n"
        "Expires: {expires}. A ready-to-send text follows.",
    },
    "link_existing": {"vi": ", đã tạo trước đây", "en": ", created earlier"},
    "form_citizen": {"vi": "công dân, Mẫu 01", "en": "citizen, Form 01"},
    "form_organization": {"vi": "tổ chức, Mẫu 02", "en": "organisation, Form 02"},
    "qr_caption": {
        "vi": "Mã QR khảo sát của hồ sơ {dossier}",
        "en": "Survey QR code of dossier {dossier}",
    },
    "invitation": {
        "vi": "{unit} kính mời Ông/Bà dành 3 phút đánh giá mức độ hài lòng về việc giải quyết "
        "hồ sơ {dossier}. Ý kiến được giữ bí mật. Mở đường liên kết: {url}",
        "en": "{unit} invites you to spend 3 minutes rating your satisfaction with the "
        "handling of dossier {dossier}. Answers are confidential. Open: {url}",
    },
    "invitation_org": {
        "vi": "{unit} kính mời Quý cơ quan, tổ chức dành 3 phút đánh giá mức độ hài lòng về "
        "việc giải quyết hồ sơ {dossier}. Ý kiến được giữ bí mật. Mở đường liên kết: {url}",
        "en": "{unit} invites your organisation to spend 3 minutes rating its satisfaction "
        "with the handling of dossier {dossier}. Answers are confidential. Open: {url}",
    },
    "typed_back": {
        "vi": 'Gõ "quay lại" để sửa câu trước.',
        "en": 'Type "back" to change the previous answer.',
    },
    "help_typed": {
        "vi": "Khảo sát mức độ hài lòng về việc giải quyết thủ tục hành chính.\n"
        "• Để bắt đầu, gửi mã 6 ký tự in trên phiếu hoặc trên trang khảo sát.\n"
        '• Trả lời bằng cách gõ số đứng trước câu trả lời; gõ "quay lại" để sửa câu '
        "trước.\n"
        "• /xoadulieu: xóa dữ liệu khảo sát của Ông/Bà.",
        "en": "The satisfaction survey about the handling of your dossier.\n"
        "• To begin, send the 6-character code printed on your slip or shown on the survey "
        "page.\n"
        '• Answer by typing the number before your answer; type "back" to change the '
        "previous answer.\n"
        "• /xoadulieu: delete your survey data.",
    },
    "no_survey_code": {
        "vi": "Chào Ông/Bà! Để tham gia khảo sát, xin gửi mã 6 ký tự được Bộ phận Một cửa gửi "
        "kèm kết quả hồ sơ (ví dụ: K7M2QP).",
        "en": "Hello! To take the survey, please send the 6-character code the one-stop desk "
        "gave you with your dossier's result (for example: K7M2QP).",
    },
    "wrong_code": {
        "vi": "Mã {code} không đúng hoặc đã hết hạn. Xin kiểm tra lại mã 6 ký tự trên phiếu "
        "(không có chữ O, I, L, số 0 và 1).",
        "en": "The code {code} is not valid or has expired. Please check the 6-character code "
        "on your slip (it has no O, I, L, 0 or 1).",
    },
    "too_many_codes": {
        "vi": "Ông/Bà đã thử quá nhiều mã. Xin vui lòng thử lại sau {minutes} phút, hoặc mở "
        "đường liên kết khảo sát trên trình duyệt.",
        "en": "Too many codes were tried. Please try again in {minutes} minutes, or open the "
        "survey link in a browser.",
    },
    "forget_confirm_typed": {
        "vi": "Để xác nhận xóa, xin gửi: /xoadulieu xacnhan",
        "en": "To confirm, please send: /xoadulieu xacnhan",
    },
    "landing_title": {"vi": "Khảo sát qua Zalo", "en": "Take the survey in Zalo"},
    "landing_title_binding": {
        "vi": "Liên kết tài khoản cán bộ với Zalo",
        "en": "Link a staff account to Zalo",
    },
    "landing_switch": {"vi": "English", "en": "Tiếng Việt"},
    "landing_send_this": {
        "vi": "Mã của Ông/Bà (gửi mã này làm tin nhắn đầu tiên):",
        "en": "Your code (send it as your first message):",
    },
    "landing_code_label": {"vi": "Mã", "en": "Code"},
    "landing_step_open": {
        "vi": "Mở cuộc trò chuyện với tài khoản Zalo của cơ quan.",
        "en": "Open the chat with the office's Zalo account.",
    },
    "landing_step_send": {
        "vi": "Gửi đúng mã ở trên (chữ hoa hay chữ thường đều được).",
        "en": "Send the code above (upper or lower case both work).",
    },
    "landing_step_answer": {
        "vi": "Trả lời từng câu bằng cách gõ số.",
        "en": "Answer each question by typing a number.",
    },
    "landing_open": {"vi": "Mở {channel}", "en": "Open {channel}"},
    "landing_fallback": {
        "vi": "Không dùng Zalo? Ông/Bà có thể trả lời ngay trên trình duyệt.",
        "en": "Not using Zalo? You can answer in the browser instead.",
    },
    "landing_open_web": {"vi": "Trả lời trên trình duyệt", "en": "Answer in the browser"},
    "landing_expired": {
        "vi": "Mã này đã hết hạn hoặc đã được dùng.",
        "en": "This code has expired or has been used.",
    },
    "landing_unknown": {"vi": "Không tìm thấy mã này.", "en": "This code was not found."},
    "landing_ask_desk": {
        "vi": "Xin liên hệ Bộ phận Một cửa để được cấp mã mới.",
        "en": "Please ask the one-stop desk for a new code.",
    },
    "landing_busy": {
        "vi": "Hệ thống đang bận. Xin vui lòng thử lại sau ít phút.",
        "en": "The system is busy. Please try again in a few minutes.",
    },
}


def message(key: str, locale: str, **values: object) -> str:
    return lookup(MESSAGES, key, locale, **values)
