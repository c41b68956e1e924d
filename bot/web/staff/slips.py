"""The desk's printouts and downloads. Batch-printed survey slips: a PDF of four A6 slips
per A4 page for the links created on one day (``/staff/links/slips.pdf?day=YYYY-MM-DD``) or
for the links of one bulk import (``/staff/import/{result_id}/slips.pdf``), only links of
the clerk's own units; and the empty import templates
(``/staff/import/templates/danh-sach-ho-so.csv`` and ``.xlsx``).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from aiohttp import web

from bot.dossiers.slips import Slip, slips_pdf
from bot.dossiers.templates import template_csv, template_xlsx
from bot.services import Services
from bot.staff.roles import MAKE_LINKS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.imports import own_result
from storage.repos import link_search

MAX_SLIPS = 800  # 200 pages: a very busy day


def _slips(services: Services, who: Principal, rows: list[link_search.Row]) -> list[Slip]:
    names = {u.id: u.name for u in who.scope}
    return [
        Slip(
            unit_name=names.get(link.unit_id, ""),
            dossier=dossier.code,
            survey_url=services.links.web_url(link.token),
            short_url=services.directory.landing_url(link.short_code),
            short_code=link.short_code,
        )
        for link, dossier, _survey in rows
    ]


def _pdf(slips: list[Slip], name: str) -> web.Response:
    if not slips:
        raise web.HTTPNotFound(text="no links to print")
    return web.Response(
        body=slips_pdf(slips),
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@staff_route(*MAKE_LINKS)
async def day_slips(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    text = request.query.get("day", "")
    try:
        day = date.fromisoformat(text) if text else services.now().astimezone(services.zone).date()
    except ValueError:
        raise web.HTTPBadRequest(text="day must look like 2026-11-24") from None
    start = datetime.combine(day, time.min, tzinfo=services.zone)
    query = link_search.LinkQuery(
        unit_ids=who.unit_ids,
        created_from=start,
        created_before=start + timedelta(days=1),
        page_size=MAX_SLIPS,
    )
    async with services.db.transaction() as session:
        rows, _total = await link_search.search(session, query, services.now())
    rows.reverse()  # in the order they were made, as the dossiers lie on the desk
    return _pdf(_slips(services, who, rows), f"phieu-khao-sat-{day.isoformat()}")


@staff_route(*MAKE_LINKS)
async def import_slips(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    tokens = tokens_of((await own_result(request, who)).content)
    async with services.db.transaction() as session:
        rows = await link_search.by_tokens(session, who.unit_ids, tokens[:MAX_SLIPS])
    return _pdf(_slips(services, who, rows), "phieu-khao-sat-nhap-tep")


def tokens_of(result_csv: bytes) -> list[str]:
    """The survey tokens of an import result (its ``web_link`` column), in the file's order."""
    reader = csv.DictReader(io.StringIO(result_csv.decode("utf-8-sig")))
    links = (row.get("web_link") or "" for row in reader)
    return [link.rsplit("/", 1)[-1] for link in links if "/s/" in link]


TEMPLATES = {
    "csv": ("text/csv", template_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", template_xlsx),
}


@staff_route(*MAKE_LINKS)
async def import_template(request: web.Request, who: Principal) -> web.Response:
    """The empty dossier list to fill in, as CSV or XLSX."""
    kind = request.match_info["ext"]
    if kind not in TEMPLATES:
        raise web.HTTPNotFound()
    content_type, make = TEMPLATES[kind]
    return web.Response(
        body=make(),
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="danh-sach-ho-so.{kind}"'},
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/links/slips.pdf", day_slips)  # before /staff/links/{token}
    app.router.add_get("/staff/import/{result_id}/slips.pdf", import_slips)
    app.router.add_get("/staff/import/templates/danh-sach-ho-so.{ext}", import_template)
