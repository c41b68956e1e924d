"""The flow preview: a draft (or the newest version) shown exactly as the web chat shows it,
from the greeting or from any question, storing nothing.

The draft text and the preview state travel in the form, and each pressed button runs the
pure engine once (flows.engine.step) on them.
"""

from __future__ import annotations

import json

from aiohttp import web

from bot.conversation.rendering import fill_place
from bot.staff.roles import ADMINISTER
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.flow_pages import checked, editor, published, source_from
from bot.web.staff.pages import current_locale, page
from bot.web.webchat import event_from_form, split_prompt, ui_texts
from flows import engine
from flows.loader import parse_flow
from flows.model import Flow


def state_json(state: engine.State) -> str:
    return json.dumps(
        {
            "phase": state.phase.value,
            "position": state.position,
            "answers": dict(state.answers),
            "locale": state.locale,
        },
        ensure_ascii=False,
    )


def state_from(raw: str, flow: Flow) -> engine.State:
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


def starting_state(flow: Flow, locale: str, question_id: str | None) -> engine.State:
    """The greeting, or question ``question_id`` with nothing answered before it."""
    locale = locale if locale in flow.locales else flow.default_locale
    index = flow.question_index(question_id) if question_id else None
    if index is None:
        return engine.initial_state(locale)
    return engine.State(phase=engine.Phase.ASKING, position=index, answers={}, locale=locale)


async def show(
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
            "state": state_json(state),
        },
        "can_publish": who.is_top_admin,
    }
    return await page(request, who, "flow_preview.html", context)


@staff_route(*ADMINISTER)
async def preview_step(request: web.Request, who: Principal) -> web.Response:
    form, source = await source_from(request)
    flow, problems = await checked(request, who, source)
    if flow is None:
        return await editor(request, who, source, problems=problems, status=422)
    state = state_from(str(form.get("state", "")), flow)
    if form.get("action") == "restart":
        state = engine.initial_state(state.locale)
    else:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        state = engine.step(flow, state, event_from_form(fields)).state
    return await show(request, who, flow, source, state)


@staff_route(*ADMINISTER)
async def preview_from(request: web.Request, who: Principal) -> web.Response:
    """``/staff/admin/flows/<key>/preview?q=2.1``: the newest version from question 2.1."""
    version = await published(request, request.match_info["key"])
    if version is None:
        raise web.HTTPNotFound()
    flow = parse_flow(version.source, version.flow_key)
    locale = await current_locale(request, who)
    state = starting_state(flow, locale, request.query.get("q"))
    return await show(request, who, flow, version.source, state)
