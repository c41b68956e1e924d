"""The aiohttp application: one server for the web chat, staff pages, API and webhooks."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.services import Services
from bot.web import api, home, landing, staff, webchat
from bot.web.keys import SERVICES

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


@web.middleware
async def security_headers(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    response = await handler(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    if await services.db.ping():
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "unavailable"}, status=503)


def build_app(services: Services) -> web.Application:
    """The web application; channel webhooks and staff pages register their routes here."""
    app = web.Application(
        middlewares=[security_headers, *staff.middlewares()], client_max_size=4 * 1024 * 1024
    )
    app[SERVICES] = services
    app.router.add_get("/healthz", healthz)
    home.setup(app)
    webchat.setup(app)
    landing.setup(app)
    api.setup(app)
    staff.setup(app)
    return app
