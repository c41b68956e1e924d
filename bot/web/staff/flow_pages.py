"""What the flow admin pages share: the posted draft, the checker in the admin's language,
and the flow-file editor page (line-number gutter, problems at their line, what changed)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.flow_admin import changes
from bot.flow_admin.checker import Problem, check
from bot.flow_admin.names import section
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal
from bot.web.staff.pages import current_locale, page
from flows.loader import parse_flow
from flows.model import Flow
from storage.models import FlowVersion
from storage.repos import flow_versions

MAX_SOURCE = 200_000


async def source_from(request: web.Request) -> tuple[dict[str, Any], str]:
    form = await request.post()
    source = form.get("source", "")
    if not isinstance(source, str):
        raise web.HTTPBadRequest(text="malformed form")
    return dict(form), source.replace("\r\n", "\n")[:MAX_SOURCE]


async def checked(
    request: web.Request, who: Principal, source: str
) -> tuple[Flow | None, list[Problem]]:
    return check(source, await current_locale(request, who))


async def published(request: web.Request, key: str) -> FlowVersion | None:
    async with request.app[SERVICES].db.transaction() as session:
        return await flow_versions.latest(session, key)


async def what_changed(
    request: web.Request, who: Principal, flow: Flow, source: str
) -> dict[str, Any]:
    """The draft against the newest published version of its key (nothing if it is new)."""
    base = await published(request, flow.key)
    if base is None:
        return {"base": None, "diff": [], "texts": [], "questions": []}
    locale = await current_locale(request, who)
    old = parse_flow(base.source, base.flow_key)
    texts = [
        (section(c.label, locale), c.locale, c.before, c.after)
        for c in changes.text_changes(old, flow)
    ]
    questions = changes.question_changes(old, flow)
    diff = changes.diff(base.source, source)
    return {"base": base, "diff": diff, "texts": texts, "questions": questions}


async def editor(
    request: web.Request,
    who: Principal,
    source: str,
    *,
    problems: list[Problem] | None = None,
    flow: Flow | None = None,
    status: int = 200,
) -> web.Response:
    problems = problems or []
    context = {
        "source": source,
        "line_count": source.count("\n") + 1,
        "problem_lines": {p.line for p in problems},
        "problems": problems,
        "flow": flow,
        "changed": await what_changed(request, who, flow, source) if flow else None,
        "can_publish": who.is_top_admin,
    }
    return await page(request, who, "flow_edit.html", context, status=status)
