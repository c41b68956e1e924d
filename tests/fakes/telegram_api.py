"""A fake Telegram Bot API server that the real python-telegram-bot can talk to.

Why: mocking PTB objects hides the bugs we care about (wrong parameters, unparsable replies,
retry handling). Instead, the real ``Bot``/``Application`` is pointed at this server via
``base_url`` and every HTTP call is recorded. The fake also "plays users": it builds real Update
JSON and serves it through ``getUpdates`` (polling) or POSTs it to our webhook (``deliver``).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

from tests.fakes.loopback import LoopbackServer

JSON = dict[str, Any]
Predicate = Callable[["Call"], bool]

# Fields whose values are free text: never JSON-decode them (a text "123" must stay a string).
_STRING_FIELDS = frozenset(
    "text caption callback_query_id parse_mode url secret_token photo document inline_message_id"
    " description short_description name title action language_code query ip_address".split()
)
_ERROR_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)


@dataclass
class Call:
    """One HTTP call PTB made to the fake (failed ones too, so retries are observable)."""

    method: str
    params: JSON
    files: dict[str, bytes] = field(default_factory=dict)
    failed: bool = False
    status: int = 200
    in_webhook_answer: bool = False  # performed from a webhook's HTTP answer, not called


@dataclass
class _Pending:
    update: JSON
    forced: bool = False  # a replay: delivered once even if its update_id is below the offset
    delivered: bool = False


class _ApiError(Exception):
    def __init__(self, status: int, description: str | None = None, params: JSON | None = None):
        super().__init__(description)
        self.status, self.params = status, params
        self.description = description or _ERROR_TEXT.get(status, "Error")


def _decode(key: str, value: str) -> Any:
    """Form/multipart fields are strings; PTB JSON-encodes non-string values (ints, markups)."""
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeUser:
    """A Telegram user writing to the bot; every method returns the Update and enqueues it."""

    def __init__(
        self,
        api: FakeTelegramAPI,
        chat_id: int,
        first_name: str,
        username: str | None,
        chat_type: str,
        user_id: int | None = None,
    ) -> None:
        group = chat_type != "private"
        self.api, self.chat_type = api, chat_type
        self.user_id = user_id or abs(chat_id)
        self.chat_id = -abs(chat_id) if group else chat_id
        self.user: JSON = {"id": self.user_id, "is_bot": False, "first_name": first_name}
        if username:
            self.user["username"] = username
        self.chat: JSON = {"id": self.chat_id, "type": chat_type}
        if group:
            self.chat["title"] = f"Group {abs(self.chat_id)}"
        else:
            self.chat.update(
                {k: v for k, v in self.user.items() if k in ("first_name", "username")}
            )
        api.chats[self.chat_id] = self.chat

    def _message(self, **content: Any) -> JSON:
        msg: JSON = {
            "message_id": self.api.next_message_id(self.chat_id),
            "date": int(time.time()),
            "chat": dict(self.chat),
            "from": dict(self.user),
            **content,
        }
        self.api.messages.setdefault(self.chat_id, {})[msg["message_id"]] = msg
        return self.api.enqueue({"message": msg})

    def send_text(self, text: str) -> JSON:
        return self._message(text=text)

    def send_command(self, cmd: str, arg: str | None = None) -> JSON:
        """``/cmd [arg]`` with a bot_command entity, as CommandHandler requires."""
        command = "/" + cmd.lstrip("/")
        text = f"{command} {arg}" if arg is not None else command
        entity = {"type": "bot_command", "offset": 0, "length": len(command)}
        return self._message(text=text, entities=[entity])

    def send_sticker(self) -> JSON:
        n = next(self.api.file_seq)
        return self._message(
            sticker={
                "file_id": f"sticker{n}",
                "file_unique_id": f"us{n}",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        )

    def send_photo(self, caption: str | None = None) -> JSON:
        n = next(self.api.file_seq)
        photo = [{"file_id": f"photo{n}", "file_unique_id": f"up{n}", "width": 90, "height": 90}]
        return self._message(photo=photo, **({"caption": caption} if caption else {}))

    def send_voice(self, duration: int = 3) -> JSON:
        n = next(self.api.file_seq)
        return self._message(
            voice={
                "file_id": f"voice{n}",
                "file_unique_id": f"uv{n}",
                "duration": duration,
                "mime_type": "audio/ogg",
            }
        )

    def edit_text(self, message_id: int, text: str) -> JSON:
        now = int(time.time())
        msg = {
            "message_id": message_id,
            "date": now,
            "edit_date": now,
            "chat": dict(self.chat),
            "from": dict(self.user),
            "text": text,
        }
        return self.api.enqueue({"edited_message": msg})

    def press(self, callback_data: str, message_id: int | None = None) -> JSON:
        """Press an inline button; default message is the bot's last message in this chat."""
        sent = self.api.messages_to(self.chat_id)
        if message_id is None and sent:
            message_id = sent[-1]["message_id"]
        msg = self.api.messages.get(self.chat_id, {}).get(message_id or 0) or {
            "message_id": message_id or 1,
            "date": int(time.time()),
            "chat": dict(self.chat),
            "from": dict(self.api.bot_user),
            "text": "",
        }
        query = {
            "id": str(next(self.api.callback_seq)),
            "from": dict(self.user),
            "chat_instance": f"ci{self.chat_id}",
            "data": callback_data,
            "message": copy.deepcopy(msg),
        }
        return self.api.enqueue({"callback_query": query})


class FakeTelegramAPI(LoopbackServer):
    """The fake server. Use as ``async with FakeTelegramAPI() as api:``; see module docstring."""

    def __init__(
        self,
        token: str = "123:ABC",
        username: str = "sipas_test_bot",
        first_name: str = "SIPAS Test Bot",
        max_poll_timeout: float = 1.0,
    ) -> None:
        self.token, self.max_poll_timeout = token, max_poll_timeout
        self.bot_user: JSON = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.calls: list[Call] = []
        self.webhook: JSON | None = None
        self.commands: list[JSON] = []
        self.chats: dict[int, JSON] = {}
        self.messages: dict[int, dict[int, JSON]] = {}  # chat_id -> message_id -> live Message
        self.pending: list[_Pending] = []
        self.file_seq, self.callback_seq = itertools.count(1), itertools.count(1000)
        self._update_seq = itertools.count(1)
        self._msg_seq: dict[int, itertools.count[int]] = {}
        self._failures: dict[str, list[tuple[int, int, str | None]]] = {}
        self._wakeup = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.url = ""

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    # ----- lifecycle -------------------------------------------------------------------------
    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._handle)

    def before_close(self) -> None:
        self._closing = True  # lets pending long-polls return at once
        self._wake()

    # ----- playing users / updates -----------------------------------------------------------
    def user(
        self,
        chat_id: int,
        first_name: str = "An",
        username: str | None = None,
        chat_type: str = "private",
        user_id: int | None = None,
    ) -> FakeUser:
        return FakeUser(self, chat_id, first_name, username, chat_type, user_id)

    def next_message_id(self, chat_id: int) -> int:
        """Message ids are per chat and shared by user and bot messages, as in Telegram."""
        return next(self._msg_seq.setdefault(chat_id, itertools.count(1)))

    def enqueue(self, update: JSON) -> JSON:
        """Queue an update for getUpdates; assigns an incrementing update_id if missing."""
        if "update_id" not in update:
            update = {"update_id": next(self._update_seq), **update}
        self.pending.append(_Pending(update))
        self._wake()
        return update

    def replay(self, update: JSON) -> JSON:
        """Re-deliver the same update (same update_id), like Telegram does after a crash."""
        self.pending.append(_Pending(copy.deepcopy(update), forced=True))
        self._wake()
        return update

    def _wake(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def deliver(
        self, update: JSON, url: str, secret_token: str | None = None
    ) -> tuple[int, str]:
        """Webhook mode: POST the update to our server like Telegram does."""
        headers = {} if secret_token is None else {"X-Telegram-Bot-Api-Secret-Token": secret_token}
        async with (
            ClientSession() as session,
            session.post(url, json=update, headers=headers) as resp,
        ):
            status, body = resp.status, await resp.text()
        if status == 200:
            await self.perform_webhook_reply(body)
        return status, body

    async def perform_webhook_reply(self, body: str) -> None:
        """Telegram performs the method a webhook answered with (``{"method": ..., ...}``),
        recorded like a call; its result goes nowhere."""
        try:
            data = json.loads(body)
        except ValueError:
            return
        if not isinstance(data, dict) or not isinstance(data.get("method"), str):
            return
        params = {key: value for key, value in data.items() if key != "method"}
        call = Call(data["method"], params, in_webhook_answer=True)
        self.calls.append(call)
        handler = getattr(self, f"_m_{call.method.lower()}", None)
        try:
            if handler is not None:
                await handler(params, {}, {})
        except _ApiError as err:
            call.failed, call.status = True, err.status

    # ----- failure injection -----------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with Telegram's error shape."""
        queue = self._failures.setdefault(method.lower(), [])
        queue.extend([(status, retry_after, description)] * times)

    # ----- inspection helpers ----------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def sent_texts(self, chat_id: int | str) -> list[str]:
        """Texts of successful sendMessage/editMessageText calls to the chat, in order."""
        return [
            c.params.get("text", "")
            for c in self.calls
            if c.method in ("sendMessage", "editMessageText")
            and not c.failed
            and str(c.params.get("chat_id")) == str(chat_id)
        ]

    def messages_to(self, chat_id: int) -> list[JSON]:
        """Bot messages currently in the chat (edits applied, deleted ones gone)."""
        chat = self.messages.get(chat_id, {})
        bot_id = self.bot_user["id"]
        return [copy.deepcopy(m) for _, m in sorted(chat.items()) if m["from"]["id"] == bot_id]

    def last_keyboard(self, chat_id: int) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard of the bot's last message in the chat ([] if it has none)."""
        sent = self.messages_to(chat_id)
        rows = sent[-1].get("reply_markup", {}).get("inline_keyboard", []) if sent else []
        return [[(b["text"], b.get("callback_data")) for b in row] for row in rows]

    async def wait_for(self, predicate: Predicate, timeout: float = 5) -> Call:  # noqa: ASYNC109
        """Poll until a recorded call matches; a timeout param keeps test call sites short."""
        deadline = time.monotonic() + timeout
        while True:
            for call in list(self.calls):
                if predicate(call):
                    return call
            if time.monotonic() > deadline:
                seen = [c.method for c in self.calls if c.method != "getUpdates"]
                raise TimeoutError(f"no matching Telegram call within {timeout}s; saw {seen}")
            await asyncio.sleep(0.01)

    async def wait_for_calls(
        self,
        method: str,
        count: int,
        timeout: float = 5,  # noqa: ASYNC109
    ) -> list[Call]:
        """Wait until ``count`` calls (failed ones included) of ``method`` were recorded."""
        deadline = time.monotonic() + timeout
        while len(calls := self.calls_to(method)) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(calls)}/{count} {method} calls within {timeout}s")
            await asyncio.sleep(0.01)
        return calls

    # ----- HTTP plumbing ---------------------------------------------------------------------
    async def _parse(self, request: web.Request) -> tuple[JSON, dict[str, bytes], dict[str, str]]:
        params: JSON = {k: _decode(k, v) for k, v in request.query.items()}
        files: dict[str, bytes] = {}
        names: dict[str, str] = {}
        if request.content_type == "application/json":
            if request.can_read_body:
                params.update(await request.json())
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key], names[key] = value.file.read(), value.filename
                else:
                    params[key] = _decode(key, value if isinstance(value, str) else str(value))
        return params, files, names

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files, names = await self._parse(request)
        call = Call(method, params, files)
        self.calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise _ApiError(401)
            failures = self._failures.get(method.lower())
            if failures:
                status, retry_after, description = failures.pop(0)
                if status == 429:
                    raise _ApiError(
                        429,
                        description or f"Too Many Requests: retry after {retry_after}",
                        {"retry_after": retry_after},
                    )
                raise _ApiError(status, description)
            handler = getattr(self, f"_m_{method.lower()}", None)
            result = await handler(params, files, names) if handler else True
        except _ApiError as err:
            call.failed, call.status = True, err.status
            body: JSON = {"ok": False, "error_code": err.status, "description": err.description}
            if err.params:
                body["parameters"] = err.params
            return web.json_response(body, status=err.status)
        return web.json_response({"ok": True, "result": result})

    def _chat(self, chat_id: Any) -> JSON:
        if chat_id in self.chats:
            return dict(self.chats[chat_id])
        if isinstance(chat_id, int) and chat_id < 0:
            return {"id": chat_id, "type": "group", "title": f"Group {-chat_id}"}
        return {"id": chat_id if isinstance(chat_id, int) else -1, "type": "private"}

    def _send(self, params: JSON, **content: Any) -> JSON:
        chat_id = params.get("chat_id")
        if chat_id is None:
            raise _ApiError(400, "Bad Request: chat_id is empty")
        msg: JSON = {
            "message_id": self.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": dict(self.bot_user),
            **content,
        }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup  # Telegram only echoes inline keyboards
        self.messages.setdefault(chat_id, {})[msg["message_id"]] = msg
        return copy.deepcopy(msg)

    def _own_message(self, params: JSON) -> JSON:
        msg = self.messages.get(params.get("chat_id"), {}).get(params.get("message_id", 0))
        if msg is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if msg["from"]["id"] != self.bot_user["id"]:
            raise _ApiError(400, "Bad Request: message can't be edited")
        return msg

    # ----- Bot API methods (named _m_<lowercased method>) ------------------------------------
    async def _m_getme(self, *_: Any) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: JSON, *_: Any) -> list[JSON]:
        if self.webhook is not None:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active;"
                " use deleteWebhook to delete the webhook first",
            )
        offset, limit = params.get("offset"), int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), self.max_poll_timeout)
        while True:
            if isinstance(offset, int) and offset > 0:  # confirm everything below the offset
                self.pending = [
                    p
                    for p in self.pending
                    if p.update["update_id"] >= offset or (p.forced and not p.delivered)
                ]
            ready = sorted(self.pending, key=lambda p: p.update["update_id"])[:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._closing:
                for p in ready:
                    p.delivered = True
                return [copy.deepcopy(p.update) for p in ready]
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                pass

    async def _m_setwebhook(self, params: JSON, *_: Any) -> bool:
        self.webhook = params
        return True

    async def _m_deletewebhook(self, params: JSON, *_: Any) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    async def _m_getwebhookinfo(self, *_: Any) -> JSON:
        url = (self.webhook or {}).get("url", "")
        return {
            "url": url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }

    async def _m_sendmessage(self, params: JSON, *_: Any) -> JSON:
        if not params.get("text"):
            raise _ApiError(400, "Bad Request: message text is empty")
        return self._send(params, text=params["text"])

    async def _m_sendphoto(self, params: JSON, files: dict[str, bytes], _: Any) -> JSON:
        n, size = next(self.file_seq), len(files.get("photo", b""))
        photo = [
            {
                "file_id": f"photo{n}",
                "file_unique_id": f"up{n}",
                "width": 90,
                "height": 90,
                "file_size": size,
            }
        ]
        extra = {"caption": params["caption"]} if params.get("caption") else {}
        return self._send(params, photo=photo, **extra)

    async def _m_senddocument(
        self, params: JSON, files: dict[str, bytes], names: dict[str, str]
    ) -> JSON:
        n = next(self.file_seq)
        doc = {
            "file_id": f"doc{n}",
            "file_unique_id": f"ud{n}",
            "file_name": names.get("document", "file"),
            "file_size": len(files.get("document", b"")),
        }
        extra = {"caption": params["caption"]} if params.get("caption") else {}
        return self._send(params, document=doc, **extra)

    async def _m_editmessagetext(self, params: JSON, *_: Any) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        msg = self._own_message(params)
        markup = params.get("reply_markup")
        if msg.get("text") == params.get("text") and msg.get("reply_markup") == markup:
            raise _ApiError(400, _NOT_MODIFIED)
        msg.update(text=params.get("text", ""), edit_date=int(time.time()))
        if markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)  # editing without reply_markup removes the keyboard
        return copy.deepcopy(msg)

    async def _m_editmessagereplymarkup(self, params: JSON, *_: Any) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        msg = self._own_message(params)
        markup = params.get("reply_markup")
        if msg.get("reply_markup") == markup:
            raise _ApiError(400, _NOT_MODIFIED)
        if markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    async def _m_deletemessage(self, params: JSON, *_: Any) -> bool:
        chat = self.messages.get(params.get("chat_id"), {})
        if chat.pop(params.get("message_id", 0), None) is None:
            raise _ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _m_answercallbackquery(self, params: JSON, *_: Any) -> bool:
        if not params.get("callback_query_id"):
            raise _ApiError(400, "Bad Request: query_id is empty")
        return True

    async def _m_setmycommands(self, params: JSON, *_: Any) -> bool:
        self.commands = list(params.get("commands") or [])
        return True

    async def _m_getmycommands(self, *_: Any) -> list[JSON]:
        return list(self.commands)
