"""Login, logout, the language switch and the staff home page.

Login rate limiting is kept in the database, read from the audit log itself: every failure is
audited (``login.failure``, subject = the username typed, detail = the client address), and
more than ``MAX_FAILURES`` failures for one username from one address within ``WINDOW``
refuse further attempts with a kind message until the window passes. Nothing extra to store,
it survives restarts and is shared by every process, and it uses the injected clock.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from functools import cache
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp_session import get_session, new_session

from bot.services import Services
from bot.staff.passwords import hash_password, needs_rehash, verify_password
from bot.staff.roles import EVERYONE
from bot.web.keys import SERVICES
from bot.web.staff.access import SESSION_USER, Principal, public_route, staff_route
from bot.web.staff.i18n import LOCALES, translator
from bot.web.staff.pages import page
from storage.models import User
from storage.repos import audit, deliveries, users

WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5


@cache
def _dummy_hash() -> str:
    """A fixed argon2 hash of a random text: verifying against it when the user does not
    exist keeps the answer time the same, so timing does not reveal which usernames exist.
    Made at the first unknown login, not at import: hashing cost every start ~0.3 s."""
    return hash_password("not-a-real-password-for-timing")


def safe_next(value: str | None) -> str:
    """Only local paths: a crafted ``next`` must never send someone to another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/staff/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/staff/"
    return value


def client_address(request: web.Request) -> str:
    return request.remote or "unknown"


async def _recent_failures(services: Services, username: str, address: str) -> int:
    now = services.now()
    async with services.db.transaction() as session:
        entries = await audit.since(
            session, action="login.failure", subject=username, after=now - WINDOW
        )
    return sum(1 for e in entries if (e.detail or {}).get("ip") == address)


async def _record(services: Services, action: str, username: str, address: str) -> None:
    async with services.db.transaction() as session:
        await audit.record(
            session,
            actor=username,
            action=action,
            now=services.now(),
            subject=username,
            detail={"ip": address},
        )


@public_route
async def login_form(request: web.Request) -> web.Response:
    return await page(
        request, None, "login.html", {"next": safe_next(request.query.get("next")), "username": ""}
    )


async def _authenticate(services: Services, username: str, password: str) -> User | None:
    """The active user whose password matches. argon2 runs in a worker thread, outside any
    database transaction: it is deliberately slow and must not stall the event loop."""
    async with services.db.transaction() as session:
        user = await users.by_username(session, username)
    if user is None or not user.active:
        await asyncio.to_thread(verify_password, _dummy_hash(), password)
        return None
    if not await asyncio.to_thread(verify_password, user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        new_hash = await asyncio.to_thread(hash_password, password)
        async with services.db.transaction() as session:
            stored = await session.get(User, user.id)
            if stored is not None:
                stored.password_hash = new_hash
    return user


@public_route
async def login(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    form = await request.post()
    username = str(form.get("username", "")).strip()[:64]
    password = str(form.get("password", ""))[:256]
    target = safe_next(str(form.get("next", "")))
    address = client_address(request)
    session = await get_session(request)
    t = translator(session.get("locale") or services.settings.locale.language)
    if await _recent_failures(services, username, address) >= MAX_FAILURES:
        await _record(services, "login.limited", username, address)
        error = t("login_limited", minutes=int(WINDOW.total_seconds() // 60))
        context = {"next": target, "username": username, "error": error}
        return await page(request, None, "login.html", context, status=429)
    user = await _authenticate(services, username, password)
    if user is None:
        await _record(services, "login.failure", username, address)
        context = {"next": target, "username": username, "error": t("login_failed")}
        return await page(request, None, "login.html", context, status=401)
    await _record(services, "login.success", username, address)
    locale = session.get("locale")
    fresh = await new_session(request)  # a new session on login: no session fixation
    fresh[SESSION_USER] = user.id
    if locale in LOCALES:
        fresh["locale"] = locale
    raise web.HTTPSeeOther(target)


@public_route
async def logout(request: web.Request) -> web.StreamResponse:
    session = await get_session(request)
    user_id = session.get(SESSION_USER)
    if isinstance(user_id, int):
        services = request.app[SERVICES]
        async with services.db.transaction() as db_session:
            user = await db_session.get(User, user_id)
            if user is not None:
                await audit.record(
                    db_session,
                    actor=user.username,
                    action="logout",
                    now=services.now(),
                    subject=user.username,
                )
    session.invalidate()
    raise web.HTTPSeeOther("/login")


@public_route
async def switch_locale(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    session = await get_session(request)
    locale = str(form.get("locale", ""))
    if locale in LOCALES:
        session["locale"] = locale
    raise web.HTTPSeeOther(safe_next(str(form.get("next", ""))))


UNDELIVERED_WINDOW = timedelta(days=7)


@staff_route(*EVERYONE)
async def home(request: web.Request, who: Principal) -> web.Response:
    """The start page; top admins also see which chat messages could not be delivered lately
    (a person blocked the bot, does not follow the OA, or wrote too long ago)."""
    context: dict[str, object] = {}
    if who.is_top_admin:
        services = request.app[SERVICES]
        async with services.db.transaction() as session:
            since = services.now() - UNDELIVERED_WINDOW
            context["undelivered"] = await deliveries.undeliverable_since(session, since)
        context["channel_labels"] = services.plugins.labels()
    return await page(request, who, "home.html", context)


def setup(app: web.Application) -> None:
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_post("/locale", switch_locale)
    app.router.add_get("/staff/", home)
    app.router.add_get("/staff", home)
