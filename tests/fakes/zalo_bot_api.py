"""A fake Zalo Bot API server (``/bot<token>/<method>``, POST JSON) on 127.0.0.1.

Why: our client must be proven against the wire format, including Zalo's quirks that a mock
would smooth over: the ``{ok, result, error_code, description}`` envelope, an empty long poll
answered with HTTP 408, ``getWebhookInfo`` answering 404 without a webhook, and ``getUpdates``
having no offset, so an update already delivered can come back (``replay``). The fake also
plays users (``user(...)``) and POSTs updates to our webhook (``deliver``).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession, web

from tests.fakes.loopback import LoopbackServer

JSON = dict[str, Any]
MAX_TEXT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"
TEXT, IMAGE, STICKER, UNSUPPORTED = (
    "message.text.received",
    "message.image.received",
    "message.sticker.received",
    "message.unsupported.received",
)


@dataclass
class BotCall:
    """One HTTP call made to the fake, failed ones included."""

    method: str
    params: JSON
    status: int = 200
    ok: bool = True


class _Refused(Exception):
    def __init__(
        self, error_code: int, description: str, status: int = 200, retry_after: int | None = None
    ) -> None:
        super().__init__(description)
        self.error_code, self.description, self.status = error_code, description, status
        self.retry_after = retry_after


def _ms() -> int:
    return int(time.time() * 1000)


class FakeZaloUser:
    """Someone writing to the bot in a private chat (or a member of a group chat)."""

    def __init__(
        self, api: FakeZaloBotAPI, user_id: str, name: str, chat_id: str, group: bool
    ) -> None:
        self.api, self.user_id, self.name, self.chat_id = api, user_id, name, chat_id
        self.chat_type = "GROUP" if group else "PRIVATE"

    def _event(self, event_name: str, **content: Any) -> JSON:
        sender: JSON = {"id": self.user_id, "display_name": self.name, "is_bot": False}
        if not self.api.event_names:  # the shape of the getUpdates sample in Zalo's docs
            sender = {"id": self.user_id, "first_name": self.name}
        message: JSON = {
            "from": sender,
            "chat": {"id": self.chat_id, "chat_type": self.chat_type},
            "message_id": self.api.next_message_id(),
            "date": _ms(),
            **content,
        }
        if not self.api.event_names:
            return self.api.enqueue({"message": message})
        return self.api.enqueue({"event_name": event_name, "message": message})

    def send_text(self, text: str) -> JSON:
        return self._event(TEXT, text=text)

    def send_image(self, photo_url: str = "https://f.zalo.me/p.jpg", caption: str = "") -> JSON:
        return self._event(IMAGE, photo_url=photo_url, **({"caption": caption} if caption else {}))

    def send_sticker(self, sticker: str = "d063f44dc80821567819") -> JSON:
        return self._event(STICKER, sticker=sticker)

    def send_unsupported(self) -> JSON:
        """Content Zalo withholds for privacy: the bot only learns that something came."""
        return self._event(UNSUPPORTED)

    def send_event(self, event_name: str, **content: Any) -> JSON:
        """Any other event (a voice message, a future kind) with free content."""
        return self._event(event_name, **content)


class FakeZaloBotAPI(LoopbackServer):
    """The fake server. Use as ``async with FakeZaloBotAPI() as api:``."""

    def __init__(
        self,
        token: str = "1234567:zalo-bot-token",
        max_poll_timeout: float = 1.0,
        *,
        event_names: bool = True,
    ) -> None:
        """``event_names=False`` plays updates as the getUpdates sample of Zalo's docs shows
        them: no ``event_name``, and ``from.first_name`` instead of ``display_name``."""
        self.token, self.max_poll_timeout = token, max_poll_timeout
        self.event_names = event_names
        self.bot: JSON = {
            "id": token.split(":")[0],
            "account_name": "bot.sipas",
            "account_type": "BASIC",
            "can_join_groups": True,
        }
        self.calls: list[BotCall] = []
        self.webhook: JSON | None = None
        self.pending: list[JSON] = []
        self.delivered: list[JSON] = []
        self._ids = itertools.count(1)
        self._failures: dict[str, list[_Refused]] = {}
        self._wakeup = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.url = ""

    @property
    def base_url(self) -> str:
        """What ``[zalo_bot] base_url`` is set to: the token and method are appended."""
        return f"{self.url}/bot"

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/bot{token}/{method}", self._handle)

    def before_close(self) -> None:
        self._closing = True  # lets pending long-polls return at once
        self._wake()

    # ----- playing users -----------------------------------------------------------------
    def user(
        self, user_id: str = "u-1001", name: str = "An", *, group_id: str | None = None
    ) -> FakeZaloUser:
        """A private chat (its id is the user's) or, with ``group_id``, a group chat."""
        chat_id = group_id or f"chat-{user_id}"
        return FakeZaloUser(self, user_id, name, chat_id, group=group_id is not None)

    def next_message_id(self) -> str:
        return f"m{next(self._ids):08x}"

    def enqueue(self, update: JSON) -> JSON:
        self.pending.append(update)
        self._wake()
        return update

    def replay(self, update: JSON | None = None) -> JSON:
        """Hand back an update already delivered (the last one by default): Zalo has no
        offset, so a client must recognise the repeated ``message_id`` itself."""
        again = copy.deepcopy(update if update is not None else self.delivered[-1])
        return self.enqueue(again)

    def _wake(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def deliver(
        self,
        update: JSON,
        url: str,
        secret_token: str | None = None,
        *,
        wrapped: bool = True,
    ) -> tuple[int, str]:
        """Webhook mode: POST the update as Zalo does, ``{ok, result: update}`` or bare."""
        body = {"ok": True, "result": update} if wrapped else update
        headers = {} if secret_token is None else {SECRET_HEADER: secret_token}
        async with ClientSession() as session, session.post(url, json=body, headers=headers) as r:
            return r.status, await r.text()

    # ----- failure injection and inspection ------------------------------------------------
    def fail_next(
        self,
        method: str,
        error_code: int = 500,
        description: str = "Internal error",
        *,
        status: int = 200,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` answer ``ok: false`` (HTTP ``status``, with a
        ``Retry-After`` header when ``retry_after`` is given)."""
        queue = self._failures.setdefault(method, [])
        queue.extend(_Refused(error_code, description, status, retry_after) for _ in range(times))

    def calls_to(self, method: str) -> list[BotCall]:
        return [c for c in self.calls if c.method == method]

    def sent_texts(self, chat_id: str) -> list[str]:
        return [
            str(c.params.get("text"))
            for c in self.calls
            if c.method == "sendMessage" and c.ok and c.params.get("chat_id") == chat_id
        ]

    # ----- HTTP plumbing -------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await request.json() if request.can_read_body else {}
        except ValueError:
            params = {"_raw": await request.text()}
        call = BotCall(method, params if isinstance(params, dict) else {"_body": params})
        self.calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise _Refused(401, "Unauthorized", status=401)
            if self._failures.get(method):
                raise self._failures[method].pop(0)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise _Refused(404, f"Method {method} not found", status=404)
            result = await handler(call.params)
        except _Refused as refused:
            call.ok, call.status = False, refused.status
            body = {
                "ok": False,
                "error_code": refused.error_code,
                "description": refused.description,
            }
            wait = refused.retry_after
            headers = {} if wait is None else {"Retry-After": str(wait)}
            return web.json_response(body, status=refused.status, headers=headers)
        return web.json_response({"ok": True, "result": result})

    # ----- methods -------------------------------------------------------------------------
    async def _m_getMe(self, _: JSON) -> JSON:
        return dict(self.bot)

    async def _m_getUpdates(self, params: JSON) -> JSON:
        if self.webhook is not None:
            raise _Refused(400, "Webhook is active: use deleteWebhook before getUpdates")
        timeout = min(float(params.get("timeout") or 30), self.max_poll_timeout)
        deadline = time.monotonic() + timeout
        while not self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing:
                raise _Refused(408, "Request timeout", status=408)
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                pass
        update = self.pending.pop(0)
        self.delivered.append(update)
        return copy.deepcopy(update)

    async def _m_setWebhook(self, params: JSON) -> JSON:
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        if not url.startswith(("https://", "http://127.0.0.1")):
            raise _Refused(400, "url must be an HTTPS address")
        if not 8 <= len(secret) <= 256:
            raise _Refused(400, "secret_token must be 8-256 characters")
        self.webhook = {"url": url, "secret_token": secret, "updated_at": _ms()}
        return {"url": url, "updated_at": self.webhook["updated_at"]}

    async def _m_deleteWebhook(self, _: JSON) -> JSON:
        self.webhook = None
        return {"url": "", "updated_at": _ms()}

    async def _m_getWebhookInfo(self, _: JSON) -> JSON:
        if self.webhook is None:
            raise _Refused(404, "Not Found", status=404)
        return {"url": self.webhook["url"], "updated_at": self.webhook["updated_at"]}

    def _sent(self, params: JSON) -> JSON:
        if not params.get("chat_id"):
            raise _Refused(400, "chat_id is required")
        return {"message_id": self.next_message_id(), "date": _ms()}

    async def _m_sendMessage(self, params: JSON) -> JSON:
        text = params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            raise _Refused(400, f"text must be 1-{MAX_TEXT} characters")
        return self._sent(params)

    async def _m_sendPhoto(self, params: JSON) -> JSON:
        if not str(params.get("photo") or "").startswith(("https://", "http://")):
            raise _Refused(400, "photo must be a URL")
        return self._sent(params)

    async def _m_sendSticker(self, params: JSON) -> JSON:
        if not params.get("sticker"):
            raise _Refused(400, "sticker is required")
        return self._sent(params)

    async def _m_sendChatAction(self, params: JSON) -> JSON:
        if params.get("action") not in ("typing", "upload_photo"):
            raise _Refused(400, "unknown action")
        self._sent(params)
        return {}
