"""A desk's public routes: ``/d/<code>`` (scan: a fresh rating), its QR code and its poster.

Each scan opens a new anonymous survey link for the desk and redirects (303) to the web chat
at ``/s/<token>``; the response then follows the same path as every other one (answers,
counters, flags). A cookie remembers the scan's token for the answering time, so a reload
continues instead of opening a second response; one network address may start only
``[desks] scans_per_client`` new ratings per desk in ``scan_window``.
"""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

from bot.desks.poster import poster_pdf
from bot.dossiers.links import qr_png
from bot.web.keys import SERVICES
from bot.web.templating import render
from bot.web.webchat import TOKEN_PATTERN
from flows.texts import LOCALES, Phrasebook, texts_in

CODE_PATTERN = re.compile(r"^[A-Z0-9]{4,16}$")

UI: Phrasebook = {
    "title": {"vi": "Đánh giá tại quầy", "en": "Rate the desk"},
    "unknown": {
        "vi": "Mã quầy này không còn dùng được. Xin Ông/Bà hỏi cán bộ tại quầy.",
        "en": "This desk code is no longer in use. Please ask the staff at the desk.",
    },
    "limited": {
        "vi": "Cảm ơn Ông/Bà! Máy này vừa gửi mấy lượt đánh giá cho quầy này. Xin Ông/Bà thử "
        "lại sau ít phút.",
        "en": "Thank you! This device has just sent several ratings for this desk. Please try "
        "again in a few minutes.",
    },
}


def _cookie(code: str) -> str:
    return f"desk_{code}"


def _code(request: web.Request) -> str:
    code = request.match_info["code"].upper()
    if not CODE_PATTERN.match(code):
        raise web.HTTPNotFound()
    return code


def _notice(request: web.Request, key: str, status: int) -> web.Response:
    locale = request.query.get("lang")
    if locale not in LOCALES:
        locale = request.app[SERVICES].settings.locale.language
    ui = texts_in(UI, locale)
    return render(
        "desk_notice.html",
        {"ui": ui, "locale": locale, "text": ui[key]},
        status=status,
        headers={"Cache-Control": "no-store"},
    )


async def scan(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    code = _code(request)
    previous = request.cookies.get(_cookie(code))
    if previous is not None and not TOKEN_PATTERN.match(previous):
        previous = None
    result = await services.desks.scan(code, request.remote or "unknown", previous)
    if result.token is None:
        limited = result.refused == "limited"
        return _notice(request, "limited" if limited else "unknown", 429 if limited else 404)
    response = web.Response(
        status=303, headers={"Location": f"/s/{result.token}", "Cache-Control": "no-store"}
    )
    response.set_cookie(
        _cookie(code),
        result.token,
        max_age=int(services.settings.desks.answer_within.total_seconds()),
        path=f"/d/{code}",
        httponly=True,
        samesite="Lax",
    )
    return response


async def qr(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    info = await services.desks.find(_code(request))
    if info is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=qr_png(services.desks.url(info.desk.code)),
        content_type="image/png",
        headers={"Cache-Control": "public, max-age=86400"},
    )


async def poster(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    info = await services.desks.find(_code(request))
    if info is None:
        raise web.HTTPNotFound()
    locale = request.query.get("lang")
    body = await asyncio.get_running_loop().run_in_executor(
        None,
        lambda: poster_pdf(
            unit_name=info.unit.name,
            desk_name=info.desk.name,
            url=services.desks.url(info.desk.code),
            locale=locale if locale in LOCALES else services.settings.locale.language,
        ),
    )
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="quay-{info.desk.code}.pdf"',
            "Cache-Control": "no-cache",
        },
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/d/{code}", scan)
    app.router.add_get("/d/{code}/qr.png", qr)
    app.router.add_get("/d/{code}/poster.pdf", poster)
