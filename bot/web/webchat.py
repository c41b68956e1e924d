"""The web chat channel at /s/<token>: the survey as plain HTML forms.

Works without JavaScript: every answer is a POST of a real <button>, answered with a redirect
(post/redirect/get) so reloading never re-submits; the page is rebuilt from the database, so
a reload in the middle continues where the respondent was.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from urllib.parse import quote, unquote

from aiohttp import web

from bot.conversation.turns import View
from bot.dossiers.links import qr_png
from bot.web.chat_binding import client_facts, client_id, remember
from bot.web.keys import SERVICES
from bot.web.templating import render
from flows import engine
from flows.outbound import ConversationRef, Message, Outbound
from flows.texts import LOCALES, Phrasebook, texts_in
from storage.db import DatabaseUnavailable
from storage.repos import links

log = logging.getLogger(__name__)

CHANNEL = "web"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
STATUS_CODES = {"unknown": 404, "expired": 410, "elsewhere": 403}
MAX_TEXT = 4000
MAX_NOTE = 400  # characters of one carried note; at most three (a cookie holds about 4 KB)
EMPTY = engine.Unsupported("empty")  # a text box sent with nothing in it

UI: Phrasebook = {
    "title": {"vi": "Khảo sát mức độ hài lòng", "en": "Satisfaction survey"},
    "send": {"vi": "Gửi", "en": "Send"},
    "your_answer": {"vi": "Câu trả lời của Ông/Bà", "en": "Your answer"},
    "chosen": {"vi": "đã chọn", "en": "chosen"},
    "language": {"vi": "English", "en": "Tiếng Việt"},  # the link to the other language
    "other_lang": {"vi": "en", "en": "vi"},
    "busy": {
        "vi": "Hệ thống đang bận, câu trả lời chưa được ghi nhận. Xin vui lòng thử lại sau ít "
        "phút.",
        "en": "The system is busy and your answer was not recorded yet. Please try again in a "
        "few minutes.",
    },
    "progress": {"vi": "Tiến độ khảo sát", "en": "Survey progress"},
    "answer_heading": {
        "vi": "Trả lời phản ánh, kiến nghị của Ông/Bà",
        "en": "The answer to your report / petition",
    },
    "empty_text": {
        "vi": "Ông/Bà chưa nhập nội dung nào. Xin nhập rồi bấm “Gửi”, hoặc chọn một "
        "nút bên dưới nếu không có gì thêm.",
        "en": "Nothing was typed. Please type your text and press “Send”, or choose a "
        "button below if you have nothing to add.",
    },
}
# What a POST said besides the next question ("nothing was typed", "comment recorded", "that
# question has passed"): post/redirect/get would lose it, so a cookie carries it to the next
# page, which shows it once.
NOTE_COOKIE = "chat_note"


def pack_notes(notes: list[str]) -> str:
    return quote(json.dumps([note[:MAX_NOTE] for note in notes[:3]], ensure_ascii=False))


def unpack_notes(value: str | None) -> list[str]:
    try:
        notes = json.loads(unquote(value or "[]"))
    except ValueError:
        return []
    return [n for n in notes if isinstance(n, str)] if isinstance(notes, list) else []


def ui_texts(locale: str) -> dict[str, str]:
    """The web chat's words in ``locale``, as its templates read them (``ui.send``)."""
    return texts_in(UI, locale)


def _token(request: web.Request) -> str:
    token = request.match_info["token"]
    if not TOKEN_PATTERN.match(token):
        raise web.HTTPNotFound()
    return token


def _locale(value: str | None) -> str | None:
    return value if value in LOCALES else None


def split_prompt(outbound: Sequence[Outbound]) -> tuple[list[Message], Message | None]:
    """The messages shown above the current question, and the question (if any)."""
    messages = [m for m in outbound if isinstance(m, Message)]
    prompt = next((m for m in reversed(messages) if m.prompt_id), None)
    return [m for m in messages if m is not prompt], prompt


def _page(view: View, token: str, notes: list[str] | None = None) -> web.Response:
    before, prompt = split_prompt(view.messages)
    shown = {m.text for m in before} | ({prompt.text} if prompt else set())
    ui = ui_texts(view.locale)
    response = render(
        "chat.html",
        {
            "ui": ui,
            "locale": view.locale,
            "token": token,
            "before": before,
            "prompt": prompt,
            "status": view.status,
            "unit_name": view.unit_name,
            "answers": view.answers,
            "notes": [n for n in notes or () if n not in shown],
        },
        status=STATUS_CODES.get(view.status, 200),
        headers={"Cache-Control": "no-store"},
    )
    if notes is not None:
        response.del_cookie(NOTE_COOKIE, path=f"/s/{token}")
    return response


def _busy(locale: str, what: str) -> web.Response:
    """503, logged (without the path: it holds the link token)."""
    log.warning("web chat %s answered 503: the database is unavailable", what)
    ui = ui_texts(locale)
    return render(
        "busy.html", {"ui": ui, "locale": locale}, status=503, headers={"Retry-After": "60"}
    )


async def show(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    token = _token(request)
    locale = _locale(request.query.get("lang"))
    try:
        client, new = await client_id(request, token)
        view = await services.conversation.view(token, locale, ConversationRef(CHANNEL, client))
    except DatabaseUnavailable:
        return _busy(locale or services.settings.locale.language, "page load")
    carried = request.cookies.get(NOTE_COOKIE)
    response = _page(view, token, unpack_notes(carried) if carried is not None else None)
    if new and view.status in ("new", "active"):
        await remember(request, response, token, client)
    return response


def event_from_form(form: dict[str, str]) -> engine.Inbound:
    """The engine event a submitted chat form stands for (also used by the flow preview)."""
    if form.get("action") == "back":
        return engine.Back()
    if "choice" in form:
        return engine.Choose(form.get("prompt", ""), form["choice"])
    text = form.get("text", "")
    if text.strip():
        return engine.Text(text[: MAX_TEXT + 1])
    return EMPTY


async def answer(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    token = _token(request)
    try:
        posted = await request.post()
    except ValueError:
        raise web.HTTPBadRequest(text="malformed form") from None
    form = {key: str(value) for key, value in posted.items() if isinstance(value, str)}
    locale = _locale(form.get("lang"))
    event = event_from_form(form)
    try:
        client, new = await client_id(request, token)
        if event == EMPTY:  # an empty box sent: say so kindly, the survey itself is unchanged
            notes = [ui_texts(locale or services.settings.locale.language)["empty_text"]]
        else:
            reply = await services.conversation.turn(
                ConversationRef(CHANNEL, client),
                event,
                token=token,
                locale=locale,
                client=await client_facts(request),
            )
            notes = [m.text for m in reply.messages if isinstance(m, Message) and not m.prompt_id]
    except DatabaseUnavailable:
        return _busy(locale or services.settings.locale.language, "answer")
    response = web.Response(status=303, headers={"Location": f"/s/{token}"})
    if new:  # a browser without the cookie (it refused it, or answers first): bind it now
        await remember(request, response, token, client)
    if notes:
        response.set_cookie(
            NOTE_COOKIE, pack_notes(notes), path=f"/s/{token}", httponly=True, samesite="Lax"
        )
    return response


async def qr(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    token = _token(request)
    async with services.db.transaction() as session:
        link = await links.by_token(session, token)
    if link is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=qr_png(services.links.web_url(token)),
        content_type="image/png",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/s/{token}", show)
    app.router.add_post("/s/{token}", answer)
    app.router.add_get("/s/{token}/qr.png", qr)
