"""The run-time settings page (bot.staff.runtime_settings): how long new survey links stay
valid, and whether clerks hand out each channel's links (e.g. while a channel is being set
up). Every change is audited; every process sees it within the cache's few seconds.

Only top admins (system or province) change them: they apply to every unit. The same page
takes a fresh Zalo OA refresh token when the stored one stopped working (as ``sipas-bot
zalo-oa set-token`` does): audited, never shown back.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.staff import oa_token
from bot.staff.roles import ADMINISTER
from bot.staff.runtime_settings import EXPIRE_DAYS, MAX_DAYS, PREFIX, channel_key
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import flash, page
from storage.repos import audit, system_settings

log = logging.getLogger(__name__)


def _require_top(who: Principal) -> None:
    if not who.is_top_admin:
        raise web.HTTPForbidden(text="only top admins change run-time settings")


async def _page(
    request: web.Request, who: Principal, error: str | None = None, status: int = 200
) -> web.Response:
    services = request.app[SERVICES]
    context = {
        "runtime": await services.links.runtime.current(),
        "link_labels": services.plugins.link_labels(),  # one checkbox per link key
        "configured_days": services.settings.links.expire_after.days,
        "max_days": MAX_DAYS,
        "error": error,
        "oa_enabled": services.settings.zalo_oa.enabled,
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
    if raw_days and not (
        raw_days.isascii() and raw_days.isdigit() and 0 < int(raw_days[:6]) <= MAX_DAYS
    ):  # "²" and "١٢" are digits to str.isdigit; only 0-9 are accepted
        log.info("refused run-time setting expire_days from %s: not 1-%d", who.username, MAX_DAYS)
        return await _page(request, who, "invalid_days", status=422)
    values = {EXPIRE_DAYS: raw_days}
    for key in services.plugins.link_keys():
        values[channel_key(key)] = "on" if form.get(f"show_{key}") == "on" else "off"
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
    services.links.runtime.invalidate()  # this process sees it at once, the others within TTL
    await flash(request, "saved")
    raise web.HTTPSeeOther("/staff/admin/settings")


@staff_route(*ADMINISTER)
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
    app.router.add_get("/staff/admin/settings", show)
    app.router.add_post("/staff/admin/settings", change)
    app.router.add_post("/staff/admin/settings/zalo-oa-token", set_oa_token)
