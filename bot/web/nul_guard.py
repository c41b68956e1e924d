"""NUL bytes are refused at the door: PostgreSQL cannot store them in text, so a NUL in a
path, a query or a form field would otherwise fail deep inside a transaction as a 503. Here
it is a 400 with a clear answer and a log line. JSON bodies (the API, the webhooks) are
checked by their own parsers and validators."""

from __future__ import annotations

import logging
from urllib.parse import unquote

from aiohttp import web

log = logging.getLogger(__name__)

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_ROUTES = ("/api/", "/webhooks/")
ANSWER = "NUL characters (\\0) are not accepted / Không nhận ký tự NUL (\\0)."


def _has_nul(text: str) -> bool:
    return "\x00" in text or "\x00" in unquote(text)


@web.middleware
async def refuse_nul(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    found = _has_nul(request.raw_path)
    if not found and request.content_type in FORMS and not request.path.startswith(JSON_ROUTES):
        try:
            form = await request.post()  # cached: the handler reads the same form
        except ValueError:
            raise web.HTTPBadRequest(text="malformed form") from None
        found = any(isinstance(value, str) and "\x00" in value for value in form.values())
    if found:
        log.info("refused a request with a NUL character: %s %s", request.method, request.path[:40])
        raise web.HTTPBadRequest(text=ANSWER)
    return await handler(request)
