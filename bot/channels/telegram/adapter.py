"""The Telegram adapter: python-telegram-bot 22, thin on both sides.

Input: every update (our own getUpdates loop in polling mode, ``polling``, or our own aiohttp
route in webhook mode; both read the JSON without PTB's objects) becomes one channel-neutral
``Inbound`` for ``bot.conversation.router``; this module never decides what to answer.
Output: ``Message`` becomes sendMessage with an inline keyboard, ``AnswerEcho`` edits the
question to show the answer (both as plain JSON through ``bot_api``), ``Photo`` becomes
sendPhoto (through PTB).

Telegram's quirks stay here: compact callback data tied to the session and the question, the
``/start <payload>`` deep link, the webhook secret header, one set of live buttons per chat,
and mapping PTB's errors onto ``SendFailed`` (try again) and ``Undeliverable`` (refused).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from aiohttp import web
from telegram import Bot, BotCommand
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ApplicationBuilder

from bot.channels import lifecycle
from bot.channels.parking import handled_or_parked
from bot.channels.protocol import (
    Capabilities,
    ChannelUnavailable,
    Inbound,
    Route,
    SendContext,
    SendFailed,
    Undeliverable,
)
from bot.channels.telegram import CAPABILITIES
from bot.channels.telegram.bot_api import BotApi
from bot.channels.telegram.limits import BroadcastRateLimiter, replying
from bot.channels.telegram.parse import CHANNEL, Press, inbound_of_json
from bot.channels.telegram.polling import Poller
from bot.channels.telegram.ui import render_keyboard, render_text
from flows.outbound import AnswerEcho, ConversationRef, Message, Outbound, Photo
from storage.db import DatabaseUnavailable

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import TelegramSettings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
COMMANDS = {
    "vi": [("start", "Bắt đầu hoặc tiếp tục khảo sát"), ("help", "Hướng dẫn"),
           ("xoadulieu", "Xóa dữ liệu khảo sát của tôi")],
    "en": [("start", "Start or continue the survey"), ("help", "Help"),
           ("xoadulieu", "Delete my survey data")],
}  # fmt: skip
TRACKED_CHATS = 10_000
REJECTED_TOKEN = "Telegram rejected the bot token ([telegram] token)"

T = TypeVar("T")


class TelegramUnavailable(ChannelUnavailable):
    """Telegram did not answer (or refused the token); the message says which, in one line."""


def _seconds(exc: RetryAfter) -> float:
    """``retry_after`` in seconds (an int in PTB 22, a timedelta later)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def webhook_secret(settings: TelegramSettings) -> str:
    """The configured secret, or one derived from the bot token (unknown to forgers too)."""
    if settings.webhook_secret:
        return settings.webhook_secret
    return hashlib.sha256(f"sipas-webhook:{settings.token}".encode()).hexdigest()


@dataclass
class _WebhookReply:
    """The one Bot API method a webhook's HTTP answer may carry (Telegram performs it): the
    button acknowledgement, which needs no result, saving an HTTP call per press. ``open``
    until the update is handled; an acknowledgement after that goes out as a call."""

    payload: dict[str, object] | None = None
    open: bool = True


_WEBHOOK_REPLY: ContextVar[_WebhookReply | None] = ContextVar("telegram_reply", default=None)


@dataclass(frozen=True)
class _Prompt:
    """The last question message of a chat whose keyboard is still live (cosmetic only: after
    a restart an old keyboard stays, and pressing it just re-shows the current question)."""

    message_id: int
    text: str
    prompt_id: str


class TelegramChannel:
    """PTB's Bot (getMe, setWebhook, photos) with our own polling loop or webhook route."""

    name = CHANNEL
    capabilities: Capabilities = CAPABILITIES

    def __init__(self, services: Services, *, poll_timeout: int = 25) -> None:
        self.services = services
        self.settings = services.settings.telegram
        self.webhook_mode = self.settings.mode == "webhook"
        self.polls = not self.webhook_mode
        self.secret = webhook_secret(self.settings)
        self.poll_timeout = poll_timeout
        limiter = BroadcastRateLimiter(max_retries=2)
        builder = (
            ApplicationBuilder()
            .token(self.settings.token)
            .base_url(self.settings.base_url)
            .rate_limiter(limiter)
            .updater(None)  # updates come through our webhook route or our poller
        )
        self.application: Application = builder.build()  # type: ignore[type-arg]
        self.api = BotApi(self.bot.base_url, limiter)  # text messages, see bot_api
        self.poller = Poller(
            self.api, self._on_polled, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
        )
        self._prompts: dict[str, _Prompt] = {}
        self._retry_start: asyncio.Task[None] | None = None
        self.username: str | None = None

    @property
    def bot(self) -> Bot:
        return self.application.bot

    # --- links -----------------------------------------------------------------------------
    def entry_link(self, payload: str) -> str | None:
        return f"https://t.me/{self.username}?start={payload}" if self.username else None

    def chat_link(self) -> str | None:
        return f"https://t.me/{self.username}" if self.username else None

    def routes(self) -> Sequence[Route]:
        return [Route("POST", WEBHOOK_PATH, self.webhook)] if self.webhook_mode else []

    # --- lifecycle -------------------------------------------------------------------------
    async def prepare(self) -> None:
        """getMe only: the bot's username makes the deep links."""
        try:
            await self.application.initialize()
        except InvalidToken:
            raise TelegramUnavailable(REJECTED_TOKEN) from None
        except NetworkError as exc:
            raise TelegramUnavailable(f"Telegram is unreachable ({exc})", temporary=True) from None
        self.username = self.bot.username

    async def start(self) -> None:
        """Connect (getMe), then poll or register the webhook. A network failure is retried
        in the background so the web chat keeps serving; a rejected token stops the start."""
        try:
            await self._start()
        except InvalidToken:
            raise TelegramUnavailable(REJECTED_TOKEN) from None
        except BadRequest as exc:  # setWebhook refuses an address it cannot call
            raise TelegramUnavailable(
                f"Telegram refused the webhook ({exc}); [web] public_url must be a public "
                "https:// address"
            ) from None
        except NetworkError as exc:
            log.error("Telegram is unreachable (%s); retrying in the background", exc)
            retry = lifecycle.keep_trying(self._start, "Telegram", retry_on=(NetworkError,))
            self._retry_start = asyncio.create_task(retry)

    async def _start(self) -> None:
        app = self.application
        await app.initialize()  # getMe; idempotent, and safe to repeat after a failure
        self.username = username = self.bot.username
        await self._set_commands()
        if not app.running:
            await app.start()
        if self.webhook_mode:
            url = self.services.settings.web.public_url + WEBHOOK_PATH
            await self.bot.set_webhook(
                url=url, secret_token=self.secret, allowed_updates=ALLOWED_UPDATES
            )
            log.info("Telegram bot @%s: webhook registered at %s", username, url)
        elif not self.poller.running:
            try:
                await self.poller.start()
            except SendFailed as exc:  # as PTB's NetworkError: start() retries in the background
                raise NetworkError(str(exc)) from exc
            log.info("Telegram bot @%s: polling for updates", username)

    async def _set_commands(self) -> None:
        default = self.services.settings.locale.language
        try:
            for language, commands in COMMANDS.items():
                code = None if language == default else language
                await self.bot.set_my_commands(
                    [BotCommand(c, d) for c, d in commands], language_code=code
                )
        except TelegramError as exc:  # cosmetic: the commands work without the menu
            log.warning("could not set the Telegram command menu: %s", exc)

    async def stop(self) -> None:
        """Stop polling and close the HTTP client; a registered webhook stays registered, so
        Telegram keeps the updates that arrive meanwhile and delivers them after a restart."""
        if self._retry_start is not None:
            self._retry_start.cancel()
        app = self.application
        await self.poller.stop()
        if app.running:
            await app.stop()
        await app.shutdown()  # a no-op when never initialised
        await self.api.close()

    # --- input side ------------------------------------------------------------------------
    async def webhook(self, request: web.Request) -> web.Response:
        """``POST /webhooks/telegram``: 403 without the right secret (nothing changes), 400
        for a body that is not an update, 503 when the database is down (Telegram re-delivers
        later), 200 otherwise. An update that fails while the database answers is a poison
        update: answered 200 and parked (logged and audited), so Telegram does not re-deliver
        it forever."""
        supplied = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(supplied.encode(), self.secret.encode()):
            log.warning("rejected a Telegram webhook call without the right secret")
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            if not isinstance(data, dict):
                raise ValueError("not an object")
            inbound = inbound_of_json(data)
        except (ValueError, RecursionError) as exc:  # untrusted JSON, maybe nested deeply
            log.warning("unreadable Telegram update: %s", type(exc).__name__)
            return web.Response(status=400, text="bad update")
        reply = _WebhookReply()
        token = _WEBHOOK_REPLY.set(reply)
        try:
            handled = await handled_or_parked(
                self.services, CHANNEL, data["update_id"], self.handle(inbound)
            )
        finally:
            reply.open = False
            _WEBHOOK_REPLY.reset(token)
        if not handled:
            return web.Response(status=503, text="busy", headers={"Retry-After": "30"})
        if reply.payload is not None:
            return web.json_response(reply.payload)
        return web.Response(text="ok")

    async def _on_polled(self, update: dict[str, object]) -> None:
        """One polled update. Polling cannot ask Telegram to deliver again: when the
        database is down the person is told so; any other failure is logged and the update
        dropped (the next poll has moved past it)."""
        try:
            inbound = inbound_of_json(update)
        except (ValueError, RecursionError) as exc:
            log.warning("unreadable Telegram update: %s", type(exc).__name__)
            return
        if inbound is None:
            return
        try:
            try:
                await self.services.router.receive(self, inbound)
            except DatabaseUnavailable:
                await self.services.router.tell_busy(self, inbound)
        except Exception:
            log.exception("error while handling a Telegram update")

    async def handle(self, inbound: Inbound | None) -> None:
        """One update in, answers out. Raises DatabaseUnavailable before anything is sent."""
        if inbound is not None:
            await self.services.router.receive(self, inbound)

    async def acknowledge(self, inbound: Inbound, text: str | None = None) -> None:
        """Always answer a button press (it stops the button's spinner); errors are harmless.
        In webhook mode the answer rides in the webhook's HTTP response."""
        if not isinstance(inbound.handle, Press):
            return
        reply = _WEBHOOK_REPLY.get()
        if reply is not None and reply.open and reply.payload is None:
            reply.payload = {"method": "answerCallbackQuery",
                             "callback_query_id": inbound.handle.query_id}  # fmt: skip
            if text:
                reply.payload["text"] = text
            return
        params: dict[str, object] = {"callback_query_id": inbound.handle.query_id}
        if text:
            params["text"] = text
        try:
            with replying(True):
                await self.api.call("answerCallbackQuery", params)
        except SendFailed as exc:
            log.debug("answerCallbackQuery failed: %s", exc)

    # --- output side -----------------------------------------------------------------------
    async def send(self, ref: ConversationRef, item: Outbound, context: SendContext) -> None:
        """A reply to an update (``context.handle``) is not counted by the rate limiter;
        what the bot starts on its own is (bot.channels.telegram.limits)."""
        with replying(context.handle is not None):
            await self._send(ref, item, context)

    async def _send(self, ref: ConversationRef, item: Outbound, context: SendContext) -> None:
        chat_id = int(ref.chat_id)
        press = context.handle if isinstance(context.handle, Press) else None
        if isinstance(item, AnswerEcho):
            await self._echo(ref, item, press)
        elif isinstance(item, Photo):
            await self._call(
                "sendPhoto",
                lambda: self.bot.send_photo(chat_id, photo=item.png, caption=item.caption or None),
            )
        else:
            text = render_text(item)
            markup = render_keyboard(item, context.session_id)
            if await self._refresh(ref, item, text, markup, press):
                return
            params: dict[str, object] = {"chat_id": chat_id, "text": text}
            if markup is not None:
                params["reply_markup"] = markup
            sent = await self.api.call("sendMessage", params)
            if item.prompt_id and markup is not None:
                await self._track(ref, _Prompt(int(sent["message_id"]), text, item.prompt_id))
            elif not item.notice:
                await self._retire(ref)  # the survey ended (or cannot go on): no live buttons

    async def _refresh(
        self,
        ref: ConversationRef,
        item: Message,
        text: str,
        markup: dict[str, object] | None,
        press: Press | None,
    ) -> bool:
        """A button of the live question re-shows that same question with other buttons (a
        multiple choice's ticks): its keyboard is edited in place rather than sent again."""
        tracked = self._prompts.get(ref.chat_id)
        if (
            tracked is None
            or markup is None
            or press is None
            or press.message_id != tracked.message_id
            or tracked.prompt_id != item.prompt_id
            or tracked.text != text
        ):
            return False
        await self.api.call(
            "editMessageReplyMarkup",
            {"chat_id": int(ref.chat_id), "message_id": tracked.message_id, "reply_markup": markup},
        )
        return True

    async def _track(self, ref: ConversationRef, prompt: _Prompt) -> None:
        """Remember the live question; the previous one loses its keyboard, so the chat has
        one set of live buttons (old buttons would only get a "that has passed" answer)."""
        await self._retire(ref)
        self._prompts[ref.chat_id] = prompt
        if len(self._prompts) > TRACKED_CHATS:
            self._prompts.pop(next(iter(self._prompts)))

    async def _retire(self, ref: ConversationRef) -> None:
        """Remove the keyboard of the chat's live question (cosmetic: errors are ignored)."""
        previous = self._prompts.pop(ref.chat_id, None)
        if previous is None:
            return
        try:
            params = {"chat_id": int(ref.chat_id), "message_id": previous.message_id}
            await self.api.call("editMessageReplyMarkup", params)
        except SendFailed as exc:
            log.debug("could not remove an old keyboard: %s", exc)

    async def _echo(self, ref: ConversationRef, echo: AnswerEcho, pressed: Press | None) -> None:
        """Edit the answered question to show the answer, without its keyboard. For a press,
        that is the pressed message; for a typed answer, the question we last sent (known
        only until a restart: then the echo is skipped, the answer is stored all the same)."""
        tracked = self._prompts.get(ref.chat_id)
        if pressed is not None and pressed.text and pressed.message_id is not None:
            message_id, text = pressed.message_id, pressed.text
        elif tracked is not None and tracked.prompt_id == echo.prompt_id:
            message_id, text = tracked.message_id, tracked.text
        else:
            return
        if tracked is not None and tracked.message_id == message_id:
            self._prompts.pop(ref.chat_id, None)
        try:
            params = {"chat_id": int(ref.chat_id), "message_id": message_id,
                      "text": f"{text}\n\n{echo.text}"}  # fmt: skip
            await self.api.call("editMessageText", params)
        except SendFailed as exc:  # the answer is stored; only the chat's look is affected
            log.info("could not edit an answered question: %s", exc)

    async def _call(self, method: str, call: Callable[[], Awaitable[T]]) -> T:
        """One Bot API call through PTB (a photo), its errors in the protocol's terms (the
        outbox retries)."""
        try:
            return await call()
        except (BadRequest, Forbidden, InvalidToken) as exc:
            raise Undeliverable(f"{method} refused: {exc}", type(exc).__name__) from exc
        except RetryAfter as exc:
            raise SendFailed(f"{method}: {exc}", retry_after=_seconds(exc)) from exc
        except TelegramError as exc:
            raise SendFailed(f"{method} failed: {exc}") from exc
