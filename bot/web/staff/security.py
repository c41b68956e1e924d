"""Staff sessions and CSRF protection.

Sessions: aiohttp-session's EncryptedCookieStorage (Fernet: encrypted and authenticated), a
maintained aio-libs library, so no session table is needed. The cookie holds only the user id,
the CSRF token and the chosen language; every request re-reads the user from the database, so
deactivating an account ends its sessions at once. Cookies are HttpOnly, SameSite=Lax, Secure
when ``public_url`` is https, and expire after a working day.

Every session opened before the user's last logout, password reset or deactivation is
refused (``users.session_generation``, checked in ``access``): ending sessions is server-side.

The signing keys never live in the database: they come from ``[web] secret_key`` (or the
environment, SIPAS__WEB__SECRET_KEY) or else from ``[web] secret_key_file``, created with one
fresh key and 0600 permissions when missing. Several keys (comma-separated, or one per line)
rotate: the first signs, the others are still accepted until they are removed. Every process
of a deployment reads the same keys. The application is built synchronously, hence the storage
is created on the first staff request.

CSRF: a per-session synchroniser token, checked by a middleware on every unsafe method of the
staff routes (``/staff/...``, ``/login``, ``/logout``, ``/locale``); no maintained library fits
aiohttp's middleware model better than these few lines.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp_session import Session, get_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet, MultiFernet

from bot.services import Services
from bot.settings import SettingsError, WebSettings
from bot.web.keys import SERVICES
from bot.web.staff.access import SESSION_USER

log = logging.getLogger(__name__)

COOKIE_NAME = "sipas_staff"
SESSION_MAX_AGE = 12 * 3600
MIN_KEY_LENGTH = 16
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


def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(fernet_key(secret)))


def read_key_file(path: Path) -> list[str]:
    """The keys in ``path`` (one a line, ``#`` comments), creating it with one fresh key,
    readable by its owner only, when it does not exist (two processes may race: one
    creates it, the other reads it)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write(secrets.token_urlsafe(48) + "\n")
            log.info("a new session signing key was written to %s", path)
    if path.stat().st_mode & 0o077:
        log.warning("the session key file %s can be read by others: chmod 600 it", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def signing_keys(settings: WebSettings) -> list[str]:
    """The keys, the signing one first; raises SettingsError when there is none."""
    if settings.secret_key.strip():
        keys = [key.strip() for key in settings.secret_key.split(",") if key.strip()]
    else:
        try:
            keys = read_key_file(Path(settings.secret_key_file))
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(
                f"[web] secret_key_file {settings.secret_key_file!r} cannot be used: {exc}"
            ) from None
    if not keys or any(len(key) < MIN_KEY_LENGTH for key in keys):
        raise SettingsError(
            f"[web] secret_key / secret_key_file: expected keys of at least {MIN_KEY_LENGTH} "
            "characters (one a line in the file, the signing key first)"
        )
    return keys


class RotatingCookieStorage(EncryptedCookieStorage):
    """Encrypts with the first key and accepts any of the keys (aiohttp-session's storage
    takes one key; ``MultiFernet`` has the same encrypt/decrypt calls it makes)."""

    def __init__(self, keys: list[str], **options: Any) -> None:
        super().__init__(fernet_key(keys[0]), **options)
        self._fernet = MultiFernet([_fernet(key) for key in keys])  # type: ignore[assignment]


_KEYS: dict[int, list[str]] = {}  # per settings object: read the key file once


async def keys_of(services: Services) -> list[str]:
    """The signing keys, newest first (read once per settings; see ``signing_keys``)."""
    web_settings = services.settings.web
    found = _KEYS.get(id(web_settings))
    if found is None:
        found = await asyncio.to_thread(signing_keys, web_settings)
        _KEYS[id(web_settings)] = found
    return found


async def cookie_storage(services: Services) -> RotatingCookieStorage:
    return RotatingCookieStorage(
        await keys_of(services),
        cookie_name=COOKIE_NAME,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=services.settings.web.public_url.startswith("https://"),
    )


async def staff_user_id(request: web.Request) -> int | None:
    """The user id of a staff session the request carries, on any path (the web chat asks,
    to flag a survey answered in a staff browser); None without one. Reads only: the cookie
    is decrypted and checked for age, nothing is set.
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
