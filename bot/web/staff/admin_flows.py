"""Question flows for admins: list flows and versions, view and download a version, edit the
TOML text in the browser with problems shown at their line, preview it exactly as the web
chat shows it to a respondent, publish a new immutable version, upload a flow file.

The preview stores nothing: the draft text and the preview state travel in the form, and
each pressed button runs the pure engine once (flows.engine.step) on them. Publishing is for
top admins (no unit, or a root unit such as a province) because a flow version is shared by
every unit that follows the newest version; any admin chooses versions for units in scope.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.conversation.rendering import fill_place
from bot.flow_admin import wording as flow_wording
from bot.staff.roles import ADMINISTER
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import current_locale, flash, page
from bot.web.webchat import event_from_form, split_prompt, ui_texts
from flows import engine
from flows.loader import FlowError, FlowProblem, parse_flow
from flows.model import Flow
from storage.models import FlowVersion
from storage.repos import audit, flow_versions

MAX_SOURCE = 200_000
KEY_PATTERN = r"{key:[A-Za-z0-9][A-Za-z0-9._-]{0,63}}"


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    text: str  # the line as written, to find it in the editor


def check(source: str) -> tuple[Flow | None, list[Problem]]:
    try:
        return parse_flow(source, "flow"), []
    except FlowError as error:
        lines = source.splitlines()
        return None, [_problem(p, lines) for p in error.problems]


def _problem(problem: FlowProblem, lines: list[str]) -> Problem:
    text = lines[problem.line - 1].strip() if 0 < problem.line <= len(lines) else ""
    return Problem(problem.line, problem.message, text[:160])


async def _source_from(request: web.Request) -> tuple[dict[str, Any], str]:
    form = await request.post()
    source = form.get("source", "")
    if not isinstance(source, str):
        raise web.HTTPBadRequest(text="malformed form")
    return dict(form), source.replace("\r\n", "\n")[:MAX_SOURCE]


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


async def _editor(
    request: web.Request,
    who: Principal,
    source: str,
    *,
    problems: list[Problem] | None = None,
    flow: Flow | None = None,
    status: int = 200,
    message: str | None = None,
) -> web.Response:
    context = {
        "source": source,
        "problems": problems or [],
        "flow": flow,
        "message": message,
        "can_publish": who.is_top_admin,
    }
    return await page(request, who, "flow_edit.html", context, status=status)


async def _latest(request: web.Request) -> FlowVersion:
    """The newest version of the flow named in the URL, or 404."""
    async with request.app[SERVICES].db.transaction() as session:
        latest = await flow_versions.latest(session, request.match_info["key"])
    if latest is None:
        raise web.HTTPNotFound()
    return latest


@staff_route(*ADMINISTER)
async def edit_form(request: web.Request, who: Principal) -> web.Response:
    return await _editor(request, who, (await _latest(request)).source)


@staff_route(*ADMINISTER)
async def edit(request: web.Request, who: Principal) -> web.StreamResponse:
    """Check, preview or publish the posted draft (one form, three buttons)."""
    form, source = await _source_from(request)
    action = form.get("action", "check")
    flow, problems = check(source)
    if flow is None:
        return await _editor(request, who, source, problems=problems, status=422)
    if action == "preview":
        locale = await current_locale(request, who)
        state = engine.initial_state(locale if locale in flow.locales else flow.default_locale)
        return await _preview(request, who, flow, source, state)
    if action == "publish":
        return await _publish(request, who, flow, source)
    return await _editor(request, who, source, flow=flow)


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


def _state_json(state: engine.State) -> str:
    return json.dumps(
        {
            "phase": state.phase.value,
            "position": state.position,
            "answers": dict(state.answers),
            "locale": state.locale,
        },
        ensure_ascii=False,
    )


def _state_from(raw: str, flow: Flow) -> engine.State:
    """The preview state of the form; anything malformed starts the preview again."""
    try:
        data = json.loads(raw)
        phase = engine.Phase(data["phase"])
        position = int(data["position"])
        answers = {str(k): int(v) for k, v in dict(data["answers"]).items()}
        locale = str(data["locale"])
        if not 0 <= position <= flow.total or locale not in flow.locales:
            raise ValueError("out of range")
        return engine.State(phase=phase, position=position, answers=answers, locale=locale)
    except (ValueError, KeyError, TypeError):
        return engine.initial_state(flow.default_locale)


async def _preview(
    request: web.Request, who: Principal, flow: Flow, source: str, state: engine.State
) -> web.Response:
    before, prompt = split_prompt(list(fill_place(engine.render(flow, state), None)))
    context = {
        "flow": flow,
        "source": source,
        "before": before,
        "prompt": prompt,
        "status": "done" if state.phase is engine.Phase.DONE else "active",
        "action": "/staff/admin/flows/preview",
        "ui_chat": ui_texts(state.locale),
        "flow_title": flow.title.get(state.locale),
        "hidden": {
            "csrf": "",  # filled by the template with the session's token
            "source": source,
            "state": _state_json(state),
        },
        "can_publish": who.is_top_admin,
    }
    return await page(request, who, "flow_preview.html", context)


@staff_route(*ADMINISTER)
async def preview_step(request: web.Request, who: Principal) -> web.Response:
    form, source = await _source_from(request)
    flow, problems = check(source)
    if flow is None:
        return await _editor(request, who, source, problems=problems, status=422)
    state = _state_from(str(form.get("state", "")), flow)
    if form.get("action") == "restart":
        state = engine.initial_state(state.locale)
    else:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        state = engine.step(flow, state, event_from_form(fields)).state
    return await _preview(request, who, flow, source, state)


@staff_route(*ADMINISTER)
async def upload(request: web.Request, who: Principal) -> web.Response:
    """A flow file from the admin's computer, opened in the editor (nothing is published)."""
    form = await request.post()
    field = form.get("file")
    content = getattr(field, "file", None)
    if content is None:
        return await _editor(request, who, "", problems=[Problem(1, "no file", "")], status=422)
    raw = content.read(MAX_SOURCE + 1)
    try:
        source = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        problem = Problem(1, "the file is not UTF-8 text", "")
        return await _editor(request, who, "", problems=[problem], status=422)
    flow, problems = check(source)
    return await _editor(
        request, who, source, problems=problems, flow=flow, status=200 if flow else 422
    )


@staff_route(*ADMINISTER)
async def wording_form(request: web.Request, who: Principal) -> web.Response:
    """The texts of the newest version as plain form fields (no TOML to read)."""
    return await _wording_page(request, who, await _latest(request), {})


async def _wording_page(
    request: web.Request,
    who: Principal,
    version: FlowVersion,
    typed: dict[str, str],
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    flow = parse_flow(version.source, version.flow_key)
    groups: dict[str, list[flow_wording.WordingField]] = {}
    for field in flow_wording.fields(flow, version.source):
        groups.setdefault(field.label, []).append(field)
    context = {"version": version, "groups": groups, "typed": typed, "error": error}
    return await page(request, who, "flow_wording.html", context, status=status)


@staff_route(*ADMINISTER)
async def wording(request: web.Request, who: Principal) -> web.Response:
    """Apply the changed texts, then open the result in the editor to preview and publish."""
    services = request.app[SERVICES]
    form = await request.post()
    raw_id = str(form.get("version_id", ""))
    async with services.db.transaction() as session:
        version = await flow_versions.get(session, int(raw_id)) if raw_id.isdigit() else None
    if version is None:
        raise web.HTTPNotFound()
    typed = {k: v for k, v in form.items() if "|" in k and isinstance(v, str)}
    flow = parse_flow(version.source, version.flow_key)
    try:
        source = flow_wording.apply(flow, version.source, typed)
    except flow_wording.WordingError as error:
        return await _wording_page(request, who, version, typed, str(error), status=422)
    changed, _problems = check(source)
    return await _editor(request, who, source, flow=changed)


def setup(app: web.Application) -> None:
    base = "/staff/admin/flows"
    app.router.add_get(base, list_flows)
    app.router.add_post(f"{base}/edit", edit)
    app.router.add_post(f"{base}/preview", preview_step)
    app.router.add_post(f"{base}/upload", upload)
    app.router.add_post(f"{base}/wording", wording)
    app.router.add_get(f"{base}/{KEY_PATTERN}/wording", wording_form)
    app.router.add_get(f"{base}/{KEY_PATTERN}/edit", edit_form)
    app.router.add_get(f"{base}/{KEY_PATTERN}/v{{version:\\d+}}", show_version)
    app.router.add_get(f"{base}/{KEY_PATTERN}/v{{version:\\d+}}/download", download_version)
