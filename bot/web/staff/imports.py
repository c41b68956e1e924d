"""Bulk import page: the clerk uploads the one-stop software's export of the day's resolved
dossiers; every valid row gets a link (bot.dossiers.bulk_import), invalid rows are listed with their
row number and reason, and the result can be downloaded as CSV with the links.

The downloadable result is kept in the database for ``KEEP_RESULTS`` (any web process serves
the download; the scheduler's housekeeping deletes it afterwards), keyed by an unguessable id
and bound to the user who imported it. After that the clerk simply uploads the file again,
which creates no duplicates.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.dossiers import bulk_import
from bot.staff.roles import MAKE_LINKS as LINK_MAKERS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import current_locale, page
from storage.models import ImportResult
from storage.repos import import_results

KEEP_RESULTS = timedelta(days=7)
MAX_FILE = 16 * 1024 * 1024
"""An upload's bytes: a 100,000-row export (``bulk_import.MAX_ROWS``) of a dozen columns is
about 15 MB as CSV and a third of that as XLSX; the reader bounds what it unpacks and reads."""
MAX_BODY = MAX_FILE + 64 * 1024  # the file and the form's few fields
# Imports run at once by one process (each read in a parser process, within the limits of
# bot.dossiers.tables): more wait their turn, so memory and CPU stay bounded.
IMPORTS_AT_ONCE = 2
IMPORTING: web.AppKey[asyncio.Semaphore] = web.AppKey("staff_importing", asyncio.Semaphore)


@web.middleware
async def large_uploads(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Lets the import form alone send more than the application's request limit (which
    stays small for every other page and the API); placed before anything reads the body."""
    if request.method == "POST" and request.path == "/staff/import":
        request = request.clone(client_max_size=MAX_BODY)
    return await handler(request)


async def _form_page(
    request: web.Request, who: Principal, error: str | None = None, status: int = 200
) -> web.Response:
    context = {"units": who.scope, "error": error, "max_mb": MAX_FILE // (1024 * 1024)}
    return await page(request, who, "import.html", context, status=status)


@staff_route(*LINK_MAKERS)
async def import_form(request: web.Request, who: Principal) -> web.Response:
    return await _form_page(request, who)


@staff_route(*LINK_MAKERS)
async def import_file(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    form = await request.post()
    unit = who.unit_by_code(str(form.get("unit", "")))
    field = form.get("file")
    if not isinstance(field, web.FileField) or not field.filename:
        return await _form_page(request, who, "import_no_file", status=422)
    content = field.file.read(MAX_FILE + 1)
    locale = await current_locale(request, who)
    if len(content) > MAX_FILE:
        return await _form_page(request, who, "import_too_big", status=413)
    try:
        async with request.app[IMPORTING]:
            result = await bulk_import.import_table(
                services.links,
                unit_code=unit.code,
                filename=field.filename,
                content=content,
                actor=who.username,
                locale=locale,
            )
    except bulk_import.TableError as error:  # the message is already kind and localized
        context = {"units": who.scope, "unreadable": str(error)}
        return await page(request, who, "import.html", context, status=422)
    result_id = secrets.token_urlsafe(16)
    now = services.now()
    async with services.db.transaction() as session:
        await import_results.keep(
            session,
            result_id=result_id,
            user_id=who.user_id,
            filename=field.filename,
            content=bulk_import.result_csv(result),
            now=now,
            expires_at=now + KEEP_RESULTS,
        )
    rows = [(info, services.links.as_json(info, locale)) for info in result.links]
    context = {
        "result": result,
        "rows": rows,
        "shown": bulk_import.SHOWN,
        "filename": field.filename,
        "result_id": result_id,
        "unit": unit,
    }
    return await page(request, who, "import_result.html", context)


async def own_result(request: web.Request, who: Principal) -> ImportResult:
    """The import result of the URL if it is the user's own and still kept; 404 otherwise."""
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        kept = await import_results.find(
            session, request.match_info["result_id"], user_id=who.user_id, now=services.now()
        )
    if kept is None:
        raise web.HTTPNotFound()
    return kept


@staff_route(*LINK_MAKERS)
async def download(request: web.Request, who: Principal) -> web.Response:
    kept = await own_result(request, who)
    stem = kept.filename.rsplit(".", 1)[0] or "import"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)[:60]
    return web.Response(
        body=kept.content,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}-links.csv"'},
    )


def setup(app: web.Application) -> None:
    app[IMPORTING] = asyncio.Semaphore(IMPORTS_AT_ONCE)
    app.router.add_get("/staff/import", import_form)
    app.router.add_post("/staff/import", import_file)
    app.router.add_get("/staff/import/{result_id}.csv", download)
