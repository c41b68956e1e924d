"""Run-time settings an admin may change from the browser without a restart: how long new
survey links stay valid, and which chat channels' links clerks hand out (e.g. while a channel
is being set up). Stored in ``system_settings`` (they win over settings.toml once
set), applied to the running services at start and on every change, audited.

Only top admins (system or province) change them: they apply to every unit. The same page
takes a fresh Zalo OA refresh token when the stored one stopped working (as ``sipas-bot
zalo-oa set-token`` does): audited, never shown back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.services import Services
from bot.staff import oa_token
from bot.web.keys import SERVICES
from bot.web.staff.access import ADMIN, Principal, staff_route
from bot.web.staff.pages import flash, page
from storage.repos import audit, system_settings

log = logging.getLogger(__name__)

PREFIX = "runtime."
EXPIRE_DAYS = "runtime.links.expire_days"
SHOW = "runtime.channels."  # + a link key: "on" or "off"
MAX_DAYS = 90


@dataclass
class Runtime:
    """The current run-time choices; ``None`` days means settings.toml's value."""

    expire_days: int | None = None
    hidden: set[str] = field(default_factory=set)  # link keys switched off for clerks


RUNTIME = web.AppKey("staff_runtime_settings", Runtime)


def _apply(services: Services, runtime: Runtime) -> None:
    configured = services.settings.links.expire_after
    days = runtime.expire_days
    services.links.expire_after = timedelta(days=days) if days else configured


async def _load(app: web.Application) -> None:
    services = app[SERVICES]
    runtime = app[RUNTIME]
    async with services.db.transaction() as session:
        stored = await system_settings.all_values(session, PREFIX)
    days = stored.get(EXPIRE_DAYS, "")
    runtime.expire_days = int(days) if days.isdigit() and 0 < int(days) <= MAX_DAYS else None
    runtime.hidden = {
        key for key in services.plugins.link_keys() if stored.get(SHOW + key, "on") == "off"
    }
    services.directory.hidden = runtime.hidden
    _apply(services, runtime)


async def _load_at_start(app: web.Application) -> None:
    """Load at start; a database that does not answer yet leaves settings.toml's values."""
    try:
        await _load(app)
    except (OperationalError, DBAPIError, OSError) as exc:
        log.warning("run-time settings not loaded (database unavailable): %s", exc)


def _require_top(who: Principal) -> None:
    if not who.is_top_admin:
        raise web.HTTPForbidden(text="only top admins change run-time settings")


async def _page(
    request: web.Request, who: Principal, error: str | None = None, status: int = 200
) -> web.Response:
    services = request.app[SERVICES]
    context = {
        "runtime": request.app[RUNTIME],
        "link_labels": services.plugins.link_labels(),
        "configured_days": services.settings.links.expire_after.days,
        "max_days": MAX_DAYS,
        "error": error,
        "oa_enabled": services.settings.zalo_oa.enabled,
    }
    return await page(request, who, "settings.html", context, status=status)


@staff_route(ADMIN)
async def show(request: web.Request, who: Principal) -> web.Response:
    _require_top(who)
    return await _page(request, who)


@staff_route(ADMIN)
async def change(request: web.Request, who: Principal) -> web.StreamResponse:
    _require_top(who)
    services = request.app[SERVICES]
    form = await request.post()
    raw_days = str(form.get("expire_days", "")).strip()
    if raw_days and not (raw_days.isdigit() and 0 < int(raw_days) <= MAX_DAYS):
        return await _page(request, who, "invalid_days", status=422)
    values = {EXPIRE_DAYS: raw_days}
    for key in services.plugins.link_keys():
        values[SHOW + key] = "on" if form.get(f"show_{key}") == "on" else "off"
    now = services.now()
    async with services.db.transaction() as session:
        before = await system_settings.all_values(session, PREFIX)
        changed = {
            k: v for k, v in values.items() if before.get(k, "" if k == EXPIRE_DAYS else "on") != v
        }
        for key, value in changed.items():
            await system_settings.put(session, key, value, now=now, by=who.username)
        if changed:
            await audit.record(
                session,
                actor=who.username,
                action="settings.change",
                now=now,
                subject="runtime",
                detail=changed,
            )
    await _load(request.app)
    await flash(request, "saved")
    raise web.HTTPSeeOther("/staff/admin/settings")


@staff_route(ADMIN)
async def set_oa_token(request: web.Request, who: Principal) -> web.StreamResponse:
    """A fresh OA refresh token pasted by a top admin; the next send refreshes with it."""
    _require_top(who)
    services = request.app[SERVICES]
    if not services.settings.zalo_oa.enabled:
        raise web.HTTPNotFound()
    form = await request.post()
    try:
        await oa_token.store(
            services.db,
            services.settings.zalo_oa.app_id,
            str(form.get("refresh_token", "")),
            now=services.now(),
            actor=who.username,
        )
    except oa_token.BadRefreshToken as exc:
        return await _page(request, who, exc.key, status=422)
    log.info("a fresh Zalo OA refresh token was stored by %s", who.username)
    await flash(request, "oa_token_saved")
    raise web.HTTPSeeOther("/staff/admin/settings")


def setup(app: web.Application) -> None:
    app[RUNTIME] = Runtime()
    app.on_startup.append(_load_at_start)
    app.router.add_get("/staff/admin/settings", show)
    app.router.add_post("/staff/admin/settings", change)
    app.router.add_post("/staff/admin/settings/zalo-oa-token", set_oa_token)
