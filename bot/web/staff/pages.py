"""Rendering staff pages: the shared context (user, words, CSRF token, language, flash
message) and the kind error pages (403, 404, stale form) of the staff area.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from aiohttp_session import get_session
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.staff import roles
from bot.web.keys import SERVICES
from bot.web.oa_health import OA_HEALTH, SET_TOKEN_COMMAND
from bot.web.staff.access import Principal, current_principal
from bot.web.staff.i18n import LOCALES, local_time, translator
from bot.web.staff.security import CsrfFailed, Handler, csrf_token, is_staff_path
from bot.web.templating import render
from storage.db import DatabaseUnavailable

log = logging.getLogger(__name__)

FLASH = "flash"


async def form_fields(request: web.Request, *names: str) -> dict[str, str]:
    """The named text fields of the posted form, stripped ("" when absent)."""
    form = await request.post()
    return {name: str(form.get(name, "")).strip() for name in names}


async def flash(request: web.Request, message_key: str, /, **values: object) -> None:
    """A one-time message shown on the next page (post/redirect/get)."""
    session = await get_session(request)
    session[FLASH] = [message_key, {k: str(v) for k, v in values.items()}]


async def current_locale(request: web.Request, who: Principal | None) -> str:
    """The session's chosen language, else the account's, else the product's default."""
    session = await get_session(request)
    chosen = session.get("locale") or (who.locale if who else None)
    if chosen in LOCALES:
        return str(chosen)
    return request.app[SERVICES].settings.locale.language


async def oa_trouble(request: web.Request, who: Principal | None) -> str | None:
    """Why the Zalo OA needs a fresh refresh token, for admins only (None: all is well)."""
    if who is None or who.role != "admin":
        return None
    try:
        status = await request.app[OA_HEALTH].check()
    except (OperationalError, DBAPIError, OSError, DatabaseUnavailable):
        return None  # the page itself reports the database
    return status.reason if status is not None and not status.ok else None


async def page(
    request: web.Request,
    who: Principal | None,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    locale: str | None = None,
) -> web.Response:
    services = request.app[SERVICES]
    session = await get_session(request)
    chosen = locale if locale in LOCALES else await current_locale(request, who)
    t = translator(chosen)
    message = session.pop(FLASH, None)
    zone = services.zone
    return render(
        f"staff/{template}",
        {
            "t": t,
            "locale": chosen,
            "other_locale": "en" if chosen == "vi" else "vi",
            "who": who,
            "grants": roles,  # who may see which menu entry: bot.staff.roles decides
            "csrf": csrf_token(session),
            "path": request.path_qs,
            "flash": t(message[0], **message[1]) if message else None,
            "when": lambda moment: local_time(moment, zone),
            "ui": {"title": t("app")},
            "oa_trouble": await oa_trouble(request, who),
            "set_token_command": SET_TOKEN_COMMAND,
            **(context or {}),
        },
        status=status,
        headers={"Cache-Control": "no-store"},
    )


async def error_page(request: web.Request, status: int, key: str) -> web.Response:
    who = await current_principal(request)
    return await page(request, who, "error.html", {"message_key": key}, status=status)


def _route_of(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "(no route)"


@web.middleware
async def staff_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """403, 404 and a database that does not answer (503) get a kind page in the staff area."""
    if not is_staff_path(request.path):
        return await handler(request)
    try:
        return await handler(request)
    except (OperationalError, DBAPIError, OSError, DatabaseUnavailable):
        # The route's pattern, not the path: /staff/links/{token} must not log the token.
        log.exception("database unavailable on %s %s", request.method, _route_of(request))
        return await page(request, None, "error.html", {"message_key": "busy"}, status=503)
    except CsrfFailed:
        return await error_page(request, 403, "csrf_failed")
    except web.HTTPForbidden:
        return await error_page(request, 403, "forbidden")
    except web.HTTPNotFound:
        return await error_page(request, 404, "not_found")
