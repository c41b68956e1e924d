"""Question flows for admins: list flows and versions, view and download a version, fix the
wording in a form (sections named by what they are, a list of questions to jump to), edit the
flow file with problems shown at their line, see what changed, preview it (flow_preview),
confirm and publish a new immutable version, upload a flow file.

Publishing is for
top admins (no unit, or a root unit such as a province) because a flow version is shared by
every unit that follows the newest version; any admin chooses versions for units in scope.
"""

from __future__ import annotations

from aiohttp import web

from bot.flow_admin.checker import Problem
from bot.staff.roles import ADMINISTER
from bot.web.keys import SERVICES
from bot.web.staff import flow_form_pages, flow_preview
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.flow_pages import MAX_SOURCE, checked, editor, source_from, what_changed
from bot.web.staff.pages import current_locale, flash, page
from flows.model import Flow
from storage.models import FlowVersion
from storage.repos import audit, flow_versions

KEY_PATTERN = r"{key:[A-Za-z0-9][A-Za-z0-9._-]{0,63}}"


@staff_route(*ADMINISTER)
async def list_flows(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        versions = await flow_versions.versions(session)
        answered = {v.id: await flow_versions.is_answered(session, v.id) for v in versions}
        pinned = await flow_versions.assignments(session)
    keys: dict[str, list[FlowVersion]] = {}
    for version in versions:
        keys.setdefault(version.flow_key, []).append(version)
    names = {u.id: u.name for u in who.scope}
    used_by: dict[int, list[str]] = {}
    for choice in pinned:
        if choice.unit_id in names:  # only units the admin may see
            used_by.setdefault(choice.flow_version_id, []).append(names[choice.unit_id])
    context = {"flows": keys, "answered": answered, "used_by": used_by}
    return await page(request, who, "flows.html", context)


async def _version(request: web.Request) -> FlowVersion:
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        for version in await flow_versions.versions(session, request.match_info["key"]):
            if version.version == int(request.match_info["version"]):
                return version
    raise web.HTTPNotFound()


@staff_route(*ADMINISTER)
async def show_version(request: web.Request, who: Principal) -> web.Response:
    version = await _version(request)
    return await page(request, who, "flow_version.html", {"version": version})


@staff_route(*ADMINISTER)
async def download_version(request: web.Request, who: Principal) -> web.Response:
    version = await _version(request)
    name = f"{version.flow_key}-v{version.version}.toml"
    return web.Response(
        text=version.source,
        content_type="application/toml",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def _latest(request: web.Request) -> FlowVersion:
    """The newest version of the flow named in the URL, or 404."""
    async with request.app[SERVICES].db.transaction() as session:
        latest = await flow_versions.latest(session, request.match_info["key"])
    if latest is None:
        raise web.HTTPNotFound()
    return latest


@staff_route(*ADMINISTER)
async def edit_form(request: web.Request, who: Principal) -> web.Response:
    return await editor(request, who, (await _latest(request)).source)


@staff_route(*ADMINISTER)
async def edit(request: web.Request, who: Principal) -> web.StreamResponse:
    """Check, preview, review (what changes, who keeps the old version) or publish the draft."""
    form, source = await source_from(request)
    action = form.get("action", "check")
    flow, problems = await checked(request, who, source)
    if flow is None:
        return await editor(request, who, source, problems=problems, status=422)
    if action == "preview":
        locale = await current_locale(request, who)
        start = str(form.get("start", "")) or None
        state = flow_preview.starting_state(flow, locale, start)
        return await flow_preview.show(request, who, flow, source, state)
    if action == "review":
        return await _review(request, who, flow, source)
    if action == "publish":
        return await _publish(request, who, flow, source)
    return await editor(request, who, source, flow=flow)


async def _review(request: web.Request, who: Principal, flow: Flow, source: str) -> web.Response:
    """Before publishing: the changes, and which units stay on which older version."""
    if not who.is_top_admin:
        raise web.HTTPForbidden(text="only top admins publish")
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        pinned = await flow_versions.assignments(session)
        versions = {v.id: v for v in await flow_versions.versions(session, flow.key)}
    names = {u.id: u.name for u in who.scope}
    staying = sorted(
        (names[choice.unit_id], versions[choice.flow_version_id].version)
        for choice in pinned
        if choice.flow_version_id in versions and choice.unit_id in names
    )
    context = {
        "flow": flow,
        "source": source,
        "changed": await what_changed(request, who, flow, source),
        "staying": staying,
    }
    return await page(request, who, "flow_publish.html", context)


async def _publish(
    request: web.Request, who: Principal, flow: Flow, source: str
) -> web.StreamResponse:
    if not who.is_top_admin:
        raise web.HTTPForbidden(text="only top admins publish")
    services = request.app[SERVICES]
    now = services.now()
    async with services.db.transaction() as session:
        version, created = await flow_versions.publish(
            session, flow_key=flow.key, form=flow.form, source=source, now=now, by=who.username
        )
        if created:
            await audit.record(
                session,
                actor=who.username,
                action="flow.publish",
                now=now,
                subject=f"{flow.key} v{version.version}",
                detail={"form": flow.form, "sha256": version.sha256},
            )
    key = "published" if created else "unchanged"
    await flash(request, key, key=flow.key, version=version.version)
    raise web.HTTPSeeOther("/staff/admin/flows")


@staff_route(*ADMINISTER)
async def upload(request: web.Request, who: Principal) -> web.Response:
    """A flow file from the admin's computer, opened in the editor (nothing is published)."""
    form = await request.post()
    field = form.get("file")
    content = getattr(field, "file", None)
    if content is None:
        return await editor(request, who, "", problems=[Problem(1, "no file", "")], status=422)
    raw = content.read(MAX_SOURCE + 1)
    try:
        source = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        problem = Problem(1, "the file is not UTF-8 text", "")
        return await editor(request, who, "", problems=[problem], status=422)
    flow, problems = await checked(request, who, source)
    return await editor(
        request, who, source, problems=problems, flow=flow, status=200 if flow else 422
    )


def setup(app: web.Application) -> None:
    base = "/staff/admin/flows"
    app.router.add_get(base, list_flows)
    app.router.add_post(f"{base}/edit", edit)
    app.router.add_post(f"{base}/preview", flow_preview.preview_step)
    app.router.add_get(f"{base}/{KEY_PATTERN}/preview", flow_preview.preview_from)
    app.router.add_post(f"{base}/upload", upload)
    flow_form_pages.setup(app, base, KEY_PATTERN)
    app.router.add_get(f"{base}/{KEY_PATTERN}/edit", edit_form)
    app.router.add_get(f"{base}/{KEY_PATTERN}/v{{version:\\d+}}", show_version)
    app.router.add_get(f"{base}/{KEY_PATTERN}/v{{version:\\d+}}/download", download_version)
