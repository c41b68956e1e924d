"""The editor's form for an admin who is not a programmer: every text, each question's kind,
choices, part and skip rule, added and removed questions, all without reading TOML.

Every button posts the whole draft, so the page comes back with everything typed. Only
"Continue" writes the draft as a flow file (``toml_writer``, unchanged tables kept as they
are), and the file then goes the usual way: the loader's checks (a problem sends the admin
back here, with the problem at its question), then the editor page with what changed,
preview and the publishing confirmation.
"""

from __future__ import annotations

import tomllib
from typing import Any

from aiohttp import web

from bot.flow_admin import form_actions, form_view, toml_writer
from bot.flow_admin.checker import Problem
from bot.flow_admin.flow_form import HOWS, Data, Note, parse
from bot.staff.roles import ADMINISTER
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.flow_pages import checked, editor, published
from bot.web.staff.pages import current_locale, page
from flows.model import KINDS
from storage.models import FlowVersion
from storage.repos import flow_versions


async def _show(
    request: web.Request,
    who: Principal,
    version: FlowVersion,
    data: Data,
    *,
    problems: list[Problem] | None = None,
    notes: list[Note] | None = None,
    focus: str | None = None,
    source: str = "",
    status: int = 200,
) -> web.Response:
    locale = await current_locale(request, who)
    base = tomllib.loads(version.source)
    form = form_view.build(data, base, locale, problems, notes)
    context: dict[str, Any] = {
        "version": version,
        "form": form,
        "focus": focus,
        "kinds": KINDS,
        "hows": HOWS,
        "source": source,  # the file the problems' lines are in
    }
    return await page(request, who, "flow_wording.html", context, status=status)


@staff_route(*ADMINISTER)
async def form_page(request: web.Request, who: Principal) -> web.Response:
    """The newest version of the flow as the form."""
    version = await published(request, request.match_info["key"])
    if version is None:
        raise web.HTTPNotFound()
    return await _show(request, who, version, tomllib.loads(version.source))


@staff_route(*ADMINISTER)
async def form_post(request: web.Request, who: Principal) -> web.Response:
    """A button of the form: change the draft's shape and show it again, or continue."""
    form = await request.post()
    raw_id = str(form.get("version_id", ""))
    async with request.app[SERVICES].db.transaction() as session:
        version = await flow_versions.get(session, int(raw_id)) if raw_id.isdigit() else None
    if version is None:
        raise web.HTTPNotFound()
    base = tomllib.loads(version.source)
    if "q_count" not in form:  # not the form's own post: show the version as the form
        return await _show(request, who, version, base)
    draft = parse(form, base)
    action = str(form.get("do", "apply"))
    if action != "apply":
        focus = form_actions.apply(action, draft.data)
        return await _show(request, who, version, draft.data, focus=focus)
    if draft.notes:
        return await _show(request, who, version, draft.data, notes=draft.notes, status=422)
    try:
        source = toml_writer.write(draft.data, version.source)
    except ValueError:  # a value TOML cannot hold; never expected from the form's fields
        notes = [Note(None, "form_unwritable")]
        return await _show(request, who, version, draft.data, notes=notes, status=422)
    flow, problems = await checked(request, who, source)
    if flow is None:
        return await _show(
            request, who, version, draft.data, problems=problems, source=source, status=422
        )
    return await editor(request, who, source, flow=flow)


def setup(app: web.Application, base: str, key_pattern: str) -> None:
    app.router.add_post(f"{base}/wording", form_post)
    app.router.add_get(f"{base}/{key_pattern}/wording", form_page)
