"""Staff sessions and CSRF protection.

Sessions: aiohttp-session's EncryptedCookieStorage (Fernet: encrypted and authenticated), a
maintained aio-libs library, so no session table is needed. The cookie holds only the user id,
the CSRF token and the chosen language; every request re-reads the user from the database, so
deactivating an account ends its sessions at once. Cookies are HttpOnly, SameSite=Lax, Secure
when ``public_url`` is https, and expire after a working day.

The key comes from ``[web] secret_key``; when that is empty, one is generated at first use and
kept in the database (``system_settings``), so sessions survive restarts and every process of a
deployment shares it. The application is built synchronously, hence the storage is created on
the first staff request.

CSRF: a per-session synchroniser token, checked by a middleware on every unsafe method of the
staff routes (``/staff/...``, ``/login``, ``/logout``, ``/locale``); no maintained library fits
aiohttp's middleware model better than these few lines.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp_session import Session, get_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.services import Services
from bot.web.keys import SERVICES
from bot.web.staff.access import SESSION_USER
from storage.repos import system_settings

COOKIE_NAME = "sipas_staff"
SESSION_MAX_AGE = 12 * 3600
SECRET_SETTING = "web.secret_key"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
STAFF_PREFIXES = ("/staff", "/login", "/logout", "/locale")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_staff_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in STAFF_PREFIXES)


def fernet_key(secret: str) -> bytes:
    """Any secret text becomes 32 key bytes (the storage base64-encodes them for Fernet)."""
    return hashlib.sha256(secret.encode("utf-8")).digest()


async def secret_key(services: Services) -> str:
    if services.settings.web.secret_key:
        return services.settings.web.secret_key
    async with services.db.transaction() as session:
        return await system_settings.get_or_create(
            session, SECRET_SETTING, secrets.token_urlsafe(32), now=services.now()
        )


async def cookie_storage(services: Services) -> EncryptedCookieStorage:
    return EncryptedCookieStorage(
        fernet_key(await secret_key(services)),
        cookie_name=COOKIE_NAME,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=services.settings.web.public_url.startswith("https://"),
    )


async def staff_user_id(request: web.Request) -> int | None:
    """The user id of a live staff session the request carries, on any path (the web chat
    asks, to flag a survey answered in a staff browser); None without one. Reads only: the
    cookie is decrypted and checked for age, nothing is set.
    """
    if COOKIE_NAME not in request.cookies:
        return None
    storage = await cookie_storage(request.app[SERVICES])
    session = await storage.load_session(request)
    user_id = session.get(SESSION_USER)
    return user_id if isinstance(user_id, int) and not session.new else None


class StaffSessions:
    """The session middleware, created on the first staff request (see the module doc)."""

    def __init__(self) -> None:
        self._inner: Callable[[web.Request, Handler], Awaitable[web.StreamResponse]] | None = None
        self._lock = asyncio.Lock()

    async def _build(self, services: Services) -> None:
        async with self._lock:
            if self._inner is None:
                self._inner = session_middleware(await cookie_storage(services))

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not is_staff_path(request.path):
            return await handler(request)
        if self._inner is None:
            await self._build(request.app[SERVICES])
        assert self._inner is not None
        return await self._inner(request, handler)


class CsrfFailed(web.HTTPForbidden):
    """A missing or wrong CSRF token; the staff error middleware answers with a kind page."""


def csrf_token(session: Session) -> str:
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


@web.middleware
async def csrf_protection(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in UNSAFE and is_staff_path(request.path):
        session = await get_session(request)
        expected = session.get(CSRF_FIELD)
        sent = request.headers.get(CSRF_HEADER)
        if sent is None:
            try:
                form = await request.post()
            except ValueError:
                raise web.HTTPBadRequest(text="malformed form") from None
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
        if not (
            isinstance(expected, str) and sent is not None and hmac.compare_digest(expected, sent)
        ):
            raise CsrfFailed()
    return await handler(request)
