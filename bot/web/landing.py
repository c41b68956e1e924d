"""``/z/<code>``: the landing page of a short code, for chats that cannot carry a start payload.

The person sees the code in large letters, the chats to open (a button per channel that has a
chat link), what to send there, and — for a survey — the web chat as a fallback. No script, no
third-party asset; the code is shown only while it can still be used.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.conversation import short_codes
from bot.texts import message as say
from bot.web.keys import SERVICES
from bot.web.templating import render
from storage.db import DatabaseUnavailable
from storage.models import BindingCode
from storage.repos import links

log = logging.getLogger(__name__)

LOCALES = ("vi", "en")


def _locale(request: web.Request, default: str) -> str:
    wanted = request.query.get("lang")
    return wanted if wanted in LOCALES else default


async def show(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    locale = _locale(request, services.settings.locale.language)
    code = short_codes.parse(request.match_info["code"])
    now = services.now()
    survey_url: str | None = None
    state = "unknown"
    try:
        async with services.db.transaction() as session:
            if code is not None and len(code) == short_codes.LINK_CODE_LENGTH:
                link = await links.by_short_code(session, code)
                if link is not None:
                    state = "survey" if now < link.expires_at else "expired"
                    survey_url = services.links.web_url(link.token)
            elif code is not None:
                binding = await session.get(BindingCode, code)
                if binding is not None:
                    usable = binding.used_at is None and now < binding.expires_at
                    state = "binding" if usable else "expired"
    except DatabaseUnavailable:
        log.warning("landing page answered 503: the database is unavailable")
        state = "busy"
    context = {
        "locale": locale,
        "other": "en" if locale == "vi" else "vi",
        "say": lambda key, **values: say(f"landing_{key}", locale, **values),
        "state": state,
        "code": code if state in ("survey", "binding") else None,
        "doors": services.directory.doors(),
        "survey_url": survey_url if state == "survey" else None,
    }
    status = {"unknown": 404, "expired": 410, "busy": 503}.get(state, 200)
    return render("landing.html", context, status=status, headers={"Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app.router.add_get("/z/{code}", show)
