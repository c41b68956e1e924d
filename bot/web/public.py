"""``/p/`` and ``/p/{unit}``: the results a unit chose to publish, readable by anyone.

Figures come from the same report builder as exports and the staff report (so they agree);
the page shows aggregates and the chair's published answers to reports and petitions, never
a comment, a dossier code or a phone. An unknown unit, or one with nothing published, is a
404. No script; printable; small enough for a cheap phone.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.results.public_words import PUBLIC
from bot.web.keys import SERVICES
from bot.web.templating import render
from flows.texts import LOCALES, texts_in
from reports.formatting import day, number, percent
from reports.periods import Period, parse_period
from reports.report import build_report
from storage.repos import complaints, publications, units

CACHE = {"Cache-Control": "public, max-age=300"}


def _locale(request: web.Request) -> str:
    asked = request.query.get("lang")
    return asked if asked in LOCALES else request.app[SERVICES].settings.locale.language


async def index(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    locale = _locale(request)
    async with services.db.transaction() as session:
        found = await publications.published_units(session)
    context = {
        "ui": texts_in(PUBLIC, locale),
        "locale": locale,
        "other": "en" if locale == "vi" else "vi",
        "units": [{"code": u.code, "name": u.name} for u in found],
    }
    return render("public_index.html", context, headers=CACHE)


async def unit_page(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    locale = _locale(request)
    ui = texts_in(PUBLIC, locale)
    code = request.match_info["unit"]
    now = services.now()
    async with services.db.transaction() as session:
        unit = await units.by_code(session, code)
        shown = await publications.published(session, unit.id) if unit is not None else []
        if unit is None or not shown:
            return _not_found(locale)
        wanted = request.query.get("period")
        chosen = next((p for p in shown if p.period_label == wanted), shown[0])
        # Read back from its label, so a quarter keeps its kind (and its trend of quarters).
        period = parse_period(chosen.period_label, today=now.astimezone(services.zone).date())
        report = await build_report(session, unit.code, period, now=now, locale=locale)
        answers = await _public_answers(session, unit.id, period, services.zone)
    context = {
        "ui": ui,
        "locale": locale,
        "other": "en" if locale == "vi" else "vi",
        "unit": {"code": unit.code, "name": unit.name},
        "periods": [
            {
                "label": p.period_label,
                "current": p is chosen,
                "span": _span(p.period_start, p.period_end),
            }
            for p in shown
        ],
        "period": {"label": period.label, "span": _span(period.start, period.end)},
        "view": present(report, locale),
        "answers": answers,
        "updated": day(now.astimezone(services.zone)),
    }
    return render("public_unit.html", context, headers=CACHE)


def present(report: dict[str, Any], locale: str) -> dict[str, Any]:
    """The report's figures as the page shows them (``87,4 %``, ``61,3 – 72,9 %``)."""

    def interval(block: dict[str, Any] | None) -> str | None:
        block = block or {}
        if block.get("low") is None or block.get("high") is None:
            return None
        return f"{number(block['low'], 1, locale)} – {percent(block['high'], locale)}"

    sipas = report.get("sipas") or {}
    return {
        "sufficient": bool(report.get("sufficient")),
        "sipas": percent(sipas.get("value"), locale) if sipas.get("value") is not None else None,
        "sipas_low": _maybe_percent(sipas.get("low"), locale),
        "sipas_high": _maybe_percent(sipas.get("high"), locale),
        "counted": number(report["responses"]["counted"], 0, locale),
        "factors": [
            {
                "name": f.get("name") or f["id"],
                "value": percent(f.get("value"), locale),
                "interval": interval(f),
                "n": number(f["n"], 0, locale) if f.get("n") is not None else "—",
            }
            for f in report.get("factors") or []
        ],
        "criteria": [
            {
                "id": c["id"],
                "text": c.get("text") or c["id"],
                "value": percent(c.get("value"), locale),
                "n": number(c["n"], 0, locale) if c.get("n") is not None else "—",
            }
            for c in report.get("criteria") or []
        ],
        "trend": [
            {
                "label": p["period"]["label"],
                "value": percent((p.get("sipas") or {}).get("value"), locale),
                "interval": interval(p.get("sipas")),
                "change": p.get("change"),
            }
            for p in report.get("trend") or []
        ],
    }


async def _public_answers(
    session: AsyncSession, unit_id: int, period: Period, zone: ZoneInfo
) -> list[dict[str, str]]:
    """The chair's answers to reports / petitions marked public, answered in the period, as
    the chair published them (no identity, no original text)."""
    found = await complaints.public_answers(session, unit_id, period.start, period.end, zone=zone)
    return [
        {
            "complaint": str(item["complaint"]),
            "answer": str(item["answer"]),
            "answered_on": day(item["answered_at"].astimezone(zone)),  # type: ignore[attr-defined]
        }
        for item in found
    ]


def _maybe_percent(value: float | None, locale: str) -> str | None:
    return None if value is None else percent(value, locale)


def _span(start: Any, end: Any) -> str:
    return f"{day(start)} – {day(end)}"


def _not_found(locale: str) -> web.Response:
    context = {"ui": texts_in(PUBLIC, locale), "locale": locale}
    return render("public_missing.html", context, status=404, headers={"Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app.router.add_get("/p/", index)
    app.router.add_get("/p", index)
    app.router.add_get("/p/{unit}", unit_page)
