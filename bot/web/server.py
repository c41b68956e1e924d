"""The aiohttp application: one server for the web chat, staff pages, API and webhooks."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.services import Services
from bot.web import api, desks, home, landing, public, staff, webchat
from bot.web.keys import SERVICES
from bot.web.nul_guard import refuse_nul
from bot.web.oa_health import OA_HEALTH, OaHealth
from bot.web.staff.imports import large_uploads

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; script-src 'self'"
    ),
}


SERVER_NAME = "sipas-bot"  # aiohttp would name itself and the Python version


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response as it is sent: pages, errors (404, 405), redirects and the answers
    aiohttp makes by itself. A middleware would miss the HTTP exceptions it lets through."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = SERVER_NAME


async def healthz(request: web.Request) -> web.Response:
    """200 ok; 200 degraded (with the reason) when the Zalo OA needs a fresh refresh token,
    because the product still serves the web and other channels; 503 only when the database
    does not answer."""
    services = request.app[SERVICES]
    if not await services.db.ping():
        return web.json_response({"status": "unavailable"}, status=503)
    oa = await request.app[OA_HEALTH].check()
    if oa is not None and not oa.ok:
        return web.json_response({"status": "degraded", "zalo_oa": oa.reason})
    return web.json_response({"status": "ok"})


def build_app(services: Services) -> web.Application:
    """The web application; channel webhooks and staff pages register their routes here."""
    app = web.Application(
        # the import form's larger limit applies before anything reads a body
        middlewares=[large_uploads, refuse_nul, *staff.middlewares()],
        client_max_size=4 * 1024 * 1024,
    )
    app.on_response_prepare.append(security_headers)
    app[SERVICES] = services
    app[OA_HEALTH] = OaHealth(services.db, services.settings.zalo_oa)
    app.router.add_get("/healthz", healthz)
    home.setup(app)
    webchat.setup(app)
    landing.setup(app)
    public.setup(app)
    desks.setup(app)
    api.setup(app)
    staff.setup(app)
    return app
