"""Login, logout, the language switch and the staff home page.

Login limiting lives in the database (shared by every process, surviving restarts, on the
injected clock) and is decided BEFORE the password is checked, in one transaction whose
statements count the attempt atomically, so a flood of concurrent attempts is evaluated no
more often than the limits allow:

- per address: at most ``ADDRESS_LIMIT`` failed attempts per ``WINDOW`` (any usernames), then
  a refusal until the window ends (every attempt is counted up front; a successful login gives
  its count back, so an office full of colleagues behind one address is not refused);
- per account (from any address): ``ACCOUNT_FREE_ATTEMPTS`` attempts, then a pause before each
  further one that doubles from ``FIRST_PAUSE`` up to ``LONGEST_PAUSE``: a back-off that ends
  by itself, so whoever guesses (even from the same office network) delays the real user by
  seconds to a minute, never locks them out; a successful login ends the streak.

argon2 is slow on purpose, so at most ``HASHING_AT_ONCE`` passwords are checked at a time
(in worker threads): a flood of logins waits in line instead of taking every core from the
web chat. Failures and refusals are audited (the first refusal of a streak only).
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
from bot.staff.roles import EVERYONE, REVIEW_FLAGS
from bot.web.keys import SERVICES
from bot.web.staff.access import (
    SESSION_GENERATION,
    SESSION_USER,
    Principal,
    public_route,
    staff_route,
)
from bot.web.staff.dashboard import dashboard
from bot.web.staff.i18n import LOCALES, translator
from bot.web.staff.integrity import waiting_reviews
from bot.web.staff.pages import page
from storage.models import User
from storage.repos import audit, deliveries, rate_limits, users

WINDOW = timedelta(minutes=15)
ADDRESS_LIMIT = 30
ACCOUNT_FREE_ATTEMPTS = 5
FIRST_PAUSE = timedelta(seconds=1)
LONGEST_PAUSE = timedelta(minutes=1)
HASHING_AT_ONCE = 2
HASHING: web.AppKey[asyncio.Semaphore] = web.AppKey("staff_hashing", asyncio.Semaphore)


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


def _account_key(username: str) -> str:
    return "login-account:" + username.casefold()


def _address_key(address: str) -> str:
    return "login-address:" + address


async def _wait_before(services: Services, username: str, address: str) -> timedelta | None:
    """Count this attempt against the address and the account; None when it may go ahead,
    else how long to wait (audited once per streak)."""
    now = services.now()
    async with services.db.transaction() as session:
        tried = await rate_limits.count(session, _address_key(address), window=WINDOW, now=now)
        if tried > ADDRESS_LIMIT:
            wait: timedelta | None = WINDOW
        else:
            wait = await rate_limits.back_off(
                session,
                _account_key(username),
                now=now,
                free=ACCOUNT_FREE_ATTEMPTS,
                first_pause=FIRST_PAUSE,
                longest_pause=LONGEST_PAUSE,
                quiet=WINDOW,
            )
        if wait is not None and not await audit.since(  # once a window: a flood stays small
            session, action="login.limited", subject=username, after=now - WINDOW
        ):
            await audit.record(
                session,
                actor=username,
                action="login.limited",
                now=now,
                subject=username,
                detail={"ip": address},
            )
    return wait


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


async def _verify(gate: asyncio.Semaphore, password_hash: str, password: str) -> bool:
    async with gate:
        return await asyncio.to_thread(verify_password, password_hash, password)


async def _authenticate(
    services: Services, gate: asyncio.Semaphore, username: str, password: str
) -> User | None:
    """The active user whose password matches. argon2 runs in a worker thread, outside any
    database transaction and at most ``HASHING_AT_ONCE`` at a time: it is deliberately slow
    and must not stall the event loop or take every core."""
    async with services.db.transaction() as session:
        user = await users.by_username(session, username)
    if user is None or not user.active:
        await _verify(gate, _dummy_hash(), password)
        return None
    if not await _verify(gate, user.password_hash, password):
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
    wait = await _wait_before(services, username, address)
    if wait is not None:
        seconds = max(1, round(wait.total_seconds()))
        error = (
            t("login_wait", seconds=seconds)
            if seconds < 120
            else t("login_limited", minutes=(seconds + 59) // 60)
        )
        context = {"next": target, "username": username, "error": error}
        refused = await page(request, None, "login.html", context, status=429)
        refused.headers["Retry-After"] = str(seconds)
        return refused
    user = await _authenticate(services, request.app[HASHING], username, password)
    if user is None:
        await _record(services, "login.failure", username, address)
        context = {"next": target, "username": username, "error": t("login_failed")}
        return await page(request, None, "login.html", context, status=401)
    async with services.db.transaction() as db_session:
        await rate_limits.forget(db_session, _account_key(username))
        # Colleagues behind one office address do not use up its allowance by logging in.
        await rate_limits.give_back(db_session, _address_key(address))
    await _record(services, "login.success", username, address)
    locale = session.get("locale")
    fresh = await new_session(request)  # a new session on login: no session fixation
    fresh[SESSION_USER] = user.id
    fresh[SESSION_GENERATION] = user.session_generation
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
            if user is not None and session.get(SESSION_GENERATION) == user.session_generation:
                # Server-side: a copy of this cookie (or any other session of the user)
                # stops working too, not only the browser that logged out.
                await users.end_sessions(db_session, user.id)
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
    context: dict[str, object] = {"dashboard": await dashboard(request, who)}
    if who.role in REVIEW_FLAGS:
        context["to_review"] = await waiting_reviews(request, who)
    if who.is_top_admin:
        services = request.app[SERVICES]
        async with services.db.transaction() as session:
            since = services.now() - UNDELIVERED_WINDOW
            context["undelivered"] = await deliveries.undeliverable_since(session, since)
        context["channel_labels"] = services.plugins.labels()
    return await page(request, who, "home.html", context)


def setup(app: web.Application) -> None:
    app[HASHING] = asyncio.Semaphore(HASHING_AT_ONCE)
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_post("/locale", switch_locale)
    app.router.add_get("/staff/", home)
    app.router.add_get("/staff", home)
