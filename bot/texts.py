"""The product's own messages around the survey (links, errors, help), in vi and en.

Kept apart from flow files: these are about the service, not about the questionnaire.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
}


def message(key: str, locale: str, **values: object) -> str:
    table = MESSAGES[key]
    return table.get(locale, table["vi"]).format(**values)
