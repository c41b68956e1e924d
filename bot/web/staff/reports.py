"""The report pages for chairs, viewers and admins (aggregates only: no one sees who
answered what):

- ``/staff/reports?unit=CODE&period=P``: any unit in scope and any period, from the same
  ``reports.report.build_report`` as the CLI, the API and the exports: index, factors and
  criteria with n and 95 % interval, "not enough responses", the units below with their
  figures and whether they may be ranked, and the trend as a table and a chart;
- ``/staff/reports/export?unit=CODE&period=P&format=F``: the same report as a file, in any
  format registered in ``reports.exports``;
- ``/staff/reports/week?unit=CODE&week=YYYY-Www``: the weekly digest as chairs receive it.
"""

from __future__ import annotations

import base64
from typing import Any

from aiohttp import web

from bot.staff.roles import READ_REPORTS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import current_locale, page
from reports.chart import trend_chart
from reports.digest import Digest
from reports.exports import MEDIA_TYPES, available, renderer_for
from reports.formatting import number, percent
from reports.periods import Period, PeriodError, parse_period
from reports.report import build_report
from reports.weeks import parse_week, shift
from scheduler.clock import iso_week
from storage.models import Unit
from storage.repos import publications

DOWNLOADS = ("csv", "json", "xlsx", "pdf")


def _unit(request: web.Request, who: Principal) -> Unit:
    code = request.query.get("unit", "")
    unit = who.unit_by_code(code) if code else (who.unit or (who.scope[0] if who.scope else None))
    if unit is None:
        raise web.HTTPForbidden(text="no unit in scope")
    return unit


async def _report(request: web.Request, unit: Unit, period: Period, locale: str) -> dict[str, Any]:
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        return await build_report(
            session,
            unit.code,
            period,
            now=services.now(),
            locale=locale,
            zone=services.zone,
            flows=services.catalog.get,
        )


def _chart(report: dict[str, Any], title: str, locale: str) -> str | None:
    trend = report["trend"]
    if len(trend) < 2 or all(t["sipas"]["value"] is None for t in trend):
        return None
    png = trend_chart(
        [t["period"]["label"] for t in trend],
        [t["sipas"]["value"] for t in trend],
        [t["sipas"]["low"] for t in trend],
        [t["sipas"]["high"] for t in trend],
        title=title,
        locale=locale,
    )
    return base64.b64encode(png).decode()


@staff_route(*READ_REPORTS)
async def report(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    unit = _unit(request, who)
    locale = await current_locale(request, who)
    text = request.query.get("period", "").strip()
    context: dict[str, Any] = {
        "unit_code": unit.code,
        "units": who.scope,
        "period_text": text,
        "downloads": [f for f in DOWNLOADS if f in available()],
        "pct": lambda value: percent(value, locale),
        "num": lambda value: number(value or 0, 0, locale),
        "mean": lambda value: "—" if value is None else number(value, 2, locale),
    }
    try:
        period = parse_period(text, today=services.now().astimezone(services.zone).date())
    except PeriodError as exc:
        context.update(report=None, error=str(exc))
        return await page(request, who, "report.html", context, status=400)
    found = await _report(request, unit, period, locale)
    title = f"{found['unit']['name']} · SIPAS"
    async with services.db.transaction() as session:
        shown = {p.period_label for p in await publications.published(session, unit.id)}
    context.update(
        report=found,
        period_text=text or period.label,
        chart=_chart(found, title, locale),
        published=period.label in shown,
        public_url=f"{services.settings.web.public_url.rstrip('/')}/p/{unit.code}",
    )
    return await page(request, who, "report.html", context)


@staff_route(*READ_REPORTS)
async def export(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    unit = _unit(request, who)
    locale = await current_locale(request, who)
    name = request.query.get("format", "csv")
    renderer = renderer_for(name)
    if renderer is None:
        raise web.HTTPNotFound(text=f"no {name} export in this installation")
    try:
        period = parse_period(
            request.query.get("period"), today=services.now().astimezone(services.zone).date()
        )
    except PeriodError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    content = renderer(await _report(request, unit, period, locale), locale)
    filename = f"sipas-{unit.code}-{period.label}.{name}".replace("..", "_")
    return web.Response(
        body=content,
        headers={
            "Content-Type": MEDIA_TYPES.get(name, "application/octet-stream"),
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


async def _digest(request: web.Request, who: Principal) -> tuple[Digest, str, str]:
    """The digest asked for by ``?unit=CODE&week=YYYY-Www`` (defaults: own unit, this week)."""
    services = request.app[SERVICES]
    unit = _unit(request, who)
    now = services.now()
    week = request.query.get("week", "") or iso_week(now, services.zone)
    try:
        parse_week(week)
    except ValueError:
        raise web.HTTPBadRequest(text="week must look like 2026-W48") from None
    locale = await current_locale(request, who)
    async with services.db.transaction() as session:
        digest = await services.digest(session, unit, week, locale, now)
    return digest, unit.code, week


@staff_route(*READ_REPORTS)
async def weekly(request: web.Request, who: Principal) -> web.Response:
    digest, unit_code, week = await _digest(request, who)
    chart = base64.b64encode(digest.chart_png).decode() if digest.chart_png else None
    context = {
        "paragraphs": [block.splitlines() for block in digest.text.split("\n\n")],
        "chart": chart,
        "caption": digest.caption,
        "unit_code": unit_code,
        "week": week,
        "previous": shift(week, -1),
        "next": shift(week, 1),
        "units": who.scope,
    }
    return await page(request, who, "report_week.html", context)


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/reports", report)
    app.router.add_get("/staff/reports/export", export)
    app.router.add_get("/staff/reports/week", weekly)
