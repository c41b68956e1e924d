"""``GET /``: a small page that says what this server is, where staff log in, and whether the
database answers. No data of any unit or respondent; Vietnamese, English with ``?lang=en``.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.keys import SERVICES
from bot.web.templating import render
from flows.texts import LOCALES, Phrasebook, texts_in

HOME: Phrasebook = {
    "title": {"vi": "Kênh khảo sát SIPAS qua chat", "en": "SIPAS chat survey channel"},
    "about": {
        "vi": "Máy chủ này ghi nhận ý kiến của người dân và tổ chức về sự phục vụ của cơ quan "
        "hành chính nhà nước (Chỉ số SIPAS), qua trò chuyện trên trang web và ứng dụng nhắn tin.",
        "en": "This server collects what citizens and organisations think of the service of "
        "public administration (the SIPAS index), by chat on the web and in messaging apps.",
    },
    "how_to_answer": {
        "vi": "Để tham gia khảo sát, xin mở đường liên kết hoặc quét mã QR được Bộ phận Một cửa "
        "gửi kèm kết quả hồ sơ.",
        "en": "To take the survey, open the link or scan the QR code the one-stop desk gave you "
        "with your dossier's result.",
    },
    "staff": {"vi": "Dành cho cán bộ", "en": "For staff"},
    "staff_login": {"vi": "Đăng nhập trang cán bộ", "en": "Staff login"},
    "health": {"vi": "Tình trạng hệ thống", "en": "System status"},
    "database_ok": {
        "vi": "Cơ sở dữ liệu: đang hoạt động.",
        "en": "Database: answering.",
    },
    "database_down": {
        "vi": "Cơ sở dữ liệu: không phản hồi. Xin vui lòng thử lại sau ít phút.",
        "en": "Database: not answering. Please try again in a few minutes.",
    },
    "language": {"vi": "English", "en": "Tiếng Việt"},
    "other_lang": {"vi": "en", "en": "vi"},
}


async def home(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    asked = request.query.get("lang")
    locale = asked if asked in LOCALES else services.settings.locale.language
    healthy = await services.db.ping()
    return render(
        "home.html",
        {"ui": texts_in(HOME, locale), "locale": locale, "healthy": healthy},
        headers={"Cache-Control": "no-store"},
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/", home)
