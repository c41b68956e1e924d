"""Run-time settings an admin may change from the browser without a restart: how long new
survey links stay valid, and whether clerks hand out the Telegram and Zalo links (e.g. while
a channel is being set up). Stored in ``system_settings`` (they win over settings.toml once
set), applied to the running services at start and on every change, audited.

Only top admins (system or province) change them: they apply to every unit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from aiohttp import web
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.dossiers.links import ChannelLinks
from bot.services import Services
from bot.staff.roles import ADMINISTER
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import flash, page
from storage.repos import audit, system_settings

log = logging.getLogger(__name__)

PREFIX = "runtime."
EXPIRE_DAYS = "runtime.links.expire_days"
SHOW = {"telegram": "runtime.channels.telegram", "zalo": "runtime.channels.zalo"}
MAX_DAYS = 90


@dataclass
class Runtime:
    """The current run-time choices; ``None`` days means settings.toml's value."""

    expire_days: int | None = None
    telegram: bool = True
    zalo: bool = True


RUNTIME = web.AppKey("staff_runtime_settings", Runtime)


def _apply(services: Services, runtime: Runtime) -> None:
    configured = services.settings.links.expire_after
    days = runtime.expire_days
    services.links.expire_after = timedelta(days=days) if days else configured


def _filtered_channels(services: Services, runtime: Runtime) -> ChannelLinks:
    """The configured channels minus those an admin switched off."""
    current = services.channel_links
    return replace(
        current,
        telegram_username=current.telegram_username if runtime.telegram else None,
        zalo_enabled=current.zalo_enabled and runtime.zalo,
    )


async def _load(app: web.Application) -> None:
    services = app[SERVICES]
    runtime = app[RUNTIME]
    async with services.db.transaction() as session:
        stored = await system_settings.all_values(session, PREFIX)
    days = stored.get(EXPIRE_DAYS, "")
    runtime.expire_days = int(days) if days.isdigit() and 0 < int(days) <= MAX_DAYS else None
    runtime.telegram = stored.get(SHOW["telegram"], "on") == "on"
    runtime.zalo = stored.get(SHOW["zalo"], "on") == "on"
    services.links.channels = lambda: _filtered_channels(services, runtime)
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
        "configured_days": services.settings.links.expire_after.days,
        "max_days": MAX_DAYS,
        "error": error,
    }
    return await page(request, who, "settings.html", context, status=status)


@staff_route(*ADMINISTER)
async def show(request: web.Request, who: Principal) -> web.Response:
    _require_top(who)
    return await _page(request, who)


@staff_route(*ADMINISTER)
async def change(request: web.Request, who: Principal) -> web.StreamResponse:
    _require_top(who)
    services = request.app[SERVICES]
    form = await request.post()
    raw_days = str(form.get("expire_days", "")).strip()
    if raw_days and not (raw_days.isdigit() and 0 < int(raw_days) <= MAX_DAYS):
        return await _page(request, who, "invalid_days", status=422)
    values = {
        EXPIRE_DAYS: raw_days,
        SHOW["telegram"]: "on" if form.get("telegram") == "on" else "off",
        SHOW["zalo"]: "on" if form.get("zalo") == "on" else "off",
    }
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


def setup(app: web.Application) -> None:
    app[RUNTIME] = Runtime()
    app.on_startup.append(_load_at_start)
    app.router.add_get("/staff/admin/settings", show)
    app.router.add_post("/staff/admin/settings", change)
