"""The Telegram channel: python-telegram-bot 22 as a thin adapter around the survey glue.

Input side: every update (from PTB's updater in polling mode, or from our own aiohttp route in
webhook mode) goes through ``TelegramChannel.handle``, which turns it into one engine event
and calls ``services.conversation.turn`` (or a shared command: bot.staff, bot.inbound).
Output side: ``Message`` becomes sendMessage with an inline keyboard, ``AnswerEcho`` edits the
question message to show the chosen answer, ``Photo`` becomes sendPhoto.

Telegram quirks stay here: compact callback data tied to the session and the question,
``/start <payload>`` deep links, the webhook secret header, bounded retries on 429/5xx/timeouts
(a send that still fails is stored as a delivery that the scheduler retries).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TypeVar

from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    Update,
    User,
)
from telegram import Message as TgMessage
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.channels.base import SendContext, SendFailed
from bot.channels.telegram_ui import BACK, parse_callback, render_keyboard, render_text
from bot.conversation import guard as inbound
from bot.conversation import staff_commands as staff
from bot.services import Services
from bot.settings import TelegramSettings
from bot.texts import message as say
from flows import engine
from flows.outbound import (
    AnswerEcho,
    ConversationRef,
    Message,
    Option,
    Outbound,
    Photo,
    to_payload,
)
from storage.db import DatabaseUnavailable
from storage.repos import deliveries

log = logging.getLogger(__name__)

CHANNEL = "telegram"
WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
COMMANDS = {
    "vi": [("start", "Bắt đầu hoặc tiếp tục khảo sát"), ("help", "Hướng dẫn"),
           ("xoadulieu", "Xóa dữ liệu khảo sát của tôi")],
    "en": [("start", "Start or continue the survey"), ("help", "Help"),
           ("xoadulieu", "Delete my survey data")],
}  # fmt: skip
BINDING_PREFIX = "b_"
FORGET = "_forget"  # the prompt id of the /xoadulieu confirmation
SEND_ATTEMPTS = 3
MAX_RETRY_WAIT = 30.0
TRACKED_CHATS = 10_000
ATTACHMENTS = (
    "sticker photo voice video video_note audio document animation location venue contact "
    "poll dice game story"
).split()

T = TypeVar("T")
REJECTED_TOKEN = "Telegram rejected the bot token ([telegram] token)"
NO_CONTEXT = SendContext()


def _seconds(exc: RetryAfter) -> float:
    """``retry_after`` in seconds (an int in PTB 22, a timedelta later)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class SendRefused(SendFailed):
    """Telegram refused the call for good (bot blocked, bad request): retrying cannot help."""


class TelegramUnavailable(Exception):
    """Telegram did not answer (or refused the token); the message says which, in one line."""


def locale_of(user: User | None, default: str) -> str:
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else default


def webhook_secret(settings: TelegramSettings) -> str:
    """The configured secret, or one derived from the bot token (unknown to forgers too)."""
    if settings.webhook_secret:
        return settings.webhook_secret
    return hashlib.sha256(f"sipas-webhook:{settings.token}".encode()).hexdigest()


async def bot_username(settings: TelegramSettings) -> str:
    """The bot's username from ``getMe`` (links are built from it, never from a setting)."""
    try:
        async with Bot(settings.token, base_url=settings.base_url) as bot:
            return str(bot.username)
    except InvalidToken:
        raise TelegramUnavailable(REJECTED_TOKEN) from None
    except TelegramError as exc:
        raise TelegramUnavailable(f"Telegram did not answer getMe ({exc})") from None


@dataclass(frozen=True)
class _Prompt:
    """The last question message of a chat whose keyboard is still live (in memory only)."""

    message_id: int
    text: str
    prompt_id: str


class TelegramChannel:
    """The channel: a PTB Application (polling) or its Bot behind our webhook route."""

    name = CHANNEL

    def __init__(
        self, services: Services, *, retry_delay: float = 1.0, poll_timeout: int = 25
    ) -> None:
        self.services = services
        self.settings = services.settings.telegram
        self.webhook_mode = self.settings.mode == "webhook"
        self.secret = webhook_secret(self.settings)
        self.retry_delay = retry_delay
        self.poll_timeout = poll_timeout
        builder = (
            ApplicationBuilder()
            .token(self.settings.token)
            .base_url(self.settings.base_url)
            .rate_limiter(AIORateLimiter(max_retries=2))
        )
        if self.webhook_mode:
            builder = builder.updater(None)
        self.application: Application = builder.build()  # type: ignore[type-arg]
        self.application.add_handler(TypeHandler(Update, self._on_polled_update))
        self.application.add_error_handler(self._on_error)
        self._prompts: dict[str, _Prompt] = {}
        self._retry_start: asyncio.Task[None] | None = None

    @property
    def bot(self) -> Bot:
        return self.application.bot

    @property
    def default_locale(self) -> str:
        return self.services.settings.locale.language

    # --- lifecycle -------------------------------------------------------------------------
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
            self._retry_start = asyncio.create_task(self._start_later())

    async def _start_later(self) -> None:
        delay = 5.0
        while True:
            await asyncio.sleep(delay)
            try:
                await self._start()
                return
            except NetworkError as exc:
                delay = min(delay * 2, 300.0)
                log.error("Telegram is still unreachable (%s); next try in %.0fs", exc, delay)

    async def _start(self) -> None:
        app = self.application
        await app.initialize()  # getMe; idempotent, and safe to repeat after a failure
        username = self.bot.username
        links = self.services.channel_links
        self.services.channel_links = replace(links, telegram_username=username)
        await self._set_commands()
        if not app.running:
            await app.start()
        if self.webhook_mode:
            url = self.services.settings.web.public_url + WEBHOOK_PATH
            await self.bot.set_webhook(
                url=url, secret_token=self.secret, allowed_updates=ALLOWED_UPDATES
            )
            log.info("Telegram bot @%s: webhook registered at %s", username, url)
        else:
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=0, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
            log.info("Telegram bot @%s: polling for updates", username)
        log.info("Telegram survey links start with https://t.me/%s?start=", username)

    async def _set_commands(self) -> None:
        try:
            for language, commands in COMMANDS.items():
                code = None if language == self.default_locale else language
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
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()  # a no-op when never initialised

    # --- input side ------------------------------------------------------------------------
    async def webhook(self, request: web.Request) -> web.Response:
        """``POST /webhooks/telegram``: 403 without the right secret (nothing changes), 503
        when the database is down (Telegram re-delivers later), 200 otherwise."""
        supplied = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(supplied.encode(), self.secret.encode()):
            log.warning("rejected a Telegram webhook call without the right secret")
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            if not isinstance(data, dict):
                raise ValueError("not an object")
            update = Update.de_json(data, self.bot)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("unreadable Telegram update: %s", exc)
            return web.Response(status=400, text="bad update")
        try:
            await self.handle(update)
        except DatabaseUnavailable:
            return web.Response(status=503, text="busy", headers={"Retry-After": "30"})
        except Exception:
            # A poison update must not be re-delivered forever; it is logged with context.
            log.exception("failed to handle Telegram update %s", update.update_id)
        return web.Response(text="ok")

    async def _on_polled_update(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        try:
            await self.handle(update)
        except DatabaseUnavailable:
            await self._busy(update)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling Telegram update %r", update, exc_info=context.error)

    async def _busy(self, update: Update) -> None:
        """Polling mode cannot ask Telegram to re-deliver: say so kindly, lose nothing."""
        chat = update.effective_chat
        if chat is None:
            return
        text = say("busy", locale_of(update.effective_user, self.default_locale))
        if update.callback_query is not None:
            await self._answer_query(update.callback_query.id, text)
        try:
            await self.send(ConversationRef(CHANNEL, str(chat.id)), [Message(text)])
        except SendFailed as exc:
            log.error("could not tell chat %s that the system is busy: %s", chat.id, exc)

    async def handle(self, update: Update) -> None:
        """One update in, answers out. Raises DatabaseUnavailable before anything is sent."""
        chat = update.effective_chat
        if chat is None:
            return  # channel posts, polls, inline queries: not for this bot
        ref = ConversationRef(CHANNEL, str(chat.id))
        key = str(update.update_id)
        locale = locale_of(update.effective_user, self.default_locale)
        query = update.callback_query
        if chat.type != ChatType.PRIVATE:
            await self._refuse(ref, key, "group_chat", locale, query.id if query else None)
        elif query is not None:
            await self._on_press(ref, key, locale, query.id, query.data, query.message)
        elif update.edited_message is not None:
            await self._refuse(ref, key, "edited_message", locale, None)
        elif update.message is not None:
            await self._on_message(ref, key, locale, update.message)

    async def _refuse(
        self, ref: ConversationRef, key: str, text_key: str, locale: str, query_id: str | None
    ) -> None:
        """A kind short answer, nothing stored but the update id."""
        if not await inbound.first_time(self.services, ref, key):
            return
        text = say(text_key, locale)
        if query_id is not None:
            await self._answer_query(query_id, text)
        else:
            await self._deliver(ref, [Message(text)], NO_CONTEXT)

    async def _on_message(
        self, ref: ConversationRef, key: str, locale: str, msg: TgMessage
    ) -> None:
        text = msg.text
        if text is not None and text.startswith("/"):
            await self._on_command(ref, key, locale, text)
            return
        event: engine.Inbound
        if text is not None:
            event = engine.Text(text)
        else:
            kind = next((name for name in ATTACHMENTS if getattr(msg, name, None)), "other")
            event = engine.Unsupported(kind)
        await self._turn(ref, event, key=key)

    async def _on_command(self, ref: ConversationRef, key: str, locale: str, text: str) -> None:
        head, _, argument = text.partition(" ")
        command = head[1:].split("@", 1)[0].lower()
        argument = argument.strip()
        if command == "start":
            await self._on_start(ref, key, locale, argument)
        elif command == "help":
            if await inbound.first_time(self.services, ref, key):
                texts = [say("help", locale)]
                if await staff.is_staff(self.services, ref):
                    texts.append(say("help_staff", locale))
                await self._deliver(ref, [Message("\n\n".join(texts))], NO_CONTEXT)
        elif command == "xoadulieu":
            if await inbound.first_time(self.services, ref, key):
                await self._deliver(ref, [self._forget_question(locale)], NO_CONTEXT)
        elif command == "link":
            reply = await staff.link_command(
                self.services, ref, argument, update_key=key, locale=locale
            )
            if not reply.duplicate:
                await self._deliver(ref, reply.messages, NO_CONTEXT)
        elif command == "baocao":
            reply = await staff.report_command(self.services, ref, update_key=key, locale=locale)
            if not reply.duplicate:
                await self._deliver(ref, reply.messages, NO_CONTEXT)
        else:  # an unknown command is just text: the engine answers with what it expects
            await self._turn(ref, engine.Text(text), key=key)

    async def _on_start(self, ref: ConversationRef, key: str, locale: str, payload: str) -> None:
        if payload.startswith(BINDING_PREFIX):
            reply = await staff.bind(self.services, ref, payload, update_key=key, locale=locale)
            if reply is not None:
                if not reply.duplicate:
                    await self._deliver(ref, reply.messages, NO_CONTEXT)
                return
        await self._turn(ref, engine.Start(), key=key, token=payload or None, locale=locale)

    async def _on_press(
        self,
        ref: ConversationRef,
        key: str,
        locale: str,
        query_id: str,
        data: str | None,
        pressed: object,
    ) -> None:
        parsed = parse_callback(data)
        if parsed is None:
            await self._answer_query(query_id, say("button_expired", locale))
            return
        session_id, prompt_id, value = parsed
        if prompt_id == FORGET:
            await self._on_forget(ref, key, locale, query_id, value == "yes", pressed)
            return
        event = engine.Back() if value == BACK else engine.Choose(prompt_id, value)
        try:
            await self._turn(
                ref,
                event,
                key=key,
                session_id=session_id,
                pressed=pressed if isinstance(pressed, TgMessage) else None,
                before_send=lambda: self._answer_query(query_id),
            )
        except DatabaseUnavailable:
            await self._answer_query(query_id, say("busy", locale))
            raise

    def _forget_question(self, locale: str) -> Message:
        """The confirmation asked before deleting (two buttons, no session involved)."""
        options = (
            Option(say("forget_yes", locale), "yes", ""),
            Option(say("forget_no", locale), "no", ""),
        )
        return Message(say("forget_confirm", locale), FORGET, options)

    async def _on_forget(
        self,
        ref: ConversationRef,
        key: str,
        locale: str,
        query_id: str,
        confirmed: bool,
        pressed: object,
    ) -> None:
        await self._answer_query(query_id)
        if not await inbound.first_time(self.services, ref, key):
            return
        if confirmed:
            count = await inbound.forget_chat(self.services, ref)
            self._prompts.pop(ref.chat_id, None)
            text = say("deleted" if count else "nothing_to_delete", locale)
        else:
            text = say("forget_kept", locale)
        if isinstance(pressed, TgMessage):
            edited = await self._edit(ref, pressed.message_id, text)
            if edited:
                return
        await self._deliver(ref, [Message(text)], NO_CONTEXT)

    async def _turn(
        self,
        ref: ConversationRef,
        event: engine.Inbound,
        *,
        key: str,
        token: str | None = None,
        session_id: int | None = None,
        locale: str | None = None,
        pressed: TgMessage | None = None,
        before_send: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        reply = await self.services.conversation.turn(
            ref, event, token=token, update_key=key, session_id=session_id, locale=locale
        )
        if before_send is not None:
            await before_send()
        if reply.duplicate:
            return
        await self._deliver(ref, reply.messages, SendContext(reply.session_id), pressed)
        if not any(isinstance(m, Message) and m.prompt_id for m in reply.messages):
            await self._retire(ref)  # the survey ended (or cannot go on): no live buttons

    # --- output side -----------------------------------------------------------------------
    async def send(
        self,
        ref: ConversationRef,
        messages: Sequence[Outbound],
        context: SendContext = NO_CONTEXT,
    ) -> None:
        """The Channel protocol (scheduler, CLI, retries): raises SendFailed when it gives up."""
        for item in messages:
            await self._send_one(ref, item, context, None)

    async def _deliver(
        self,
        ref: ConversationRef,
        messages: Sequence[Outbound],
        context: SendContext,
        pressed: TgMessage | None = None,
    ) -> None:
        """Send a reply; what cannot be sent after bounded retries is stored for the
        scheduler's retry job instead of being dropped."""
        for position, item in enumerate(messages):
            try:
                await self._send_one(ref, item, context, pressed)
            except SendRefused as exc:
                log.error("Telegram refused a message to chat %s: %s", ref.chat_id, exc)
                return
            except SendFailed as exc:
                rest = [m for m in messages[position:] if not isinstance(m, AnswerEcho)]
                await self._queue_retry(ref, rest, exc)
                return

    async def _send_one(
        self,
        ref: ConversationRef,
        item: Outbound,
        context: SendContext,
        pressed: TgMessage | None,
    ) -> None:
        chat_id = int(ref.chat_id)
        if isinstance(item, AnswerEcho):
            await self._echo(ref, item, pressed)
        elif isinstance(item, Photo):
            await self._call(
                "sendPhoto",
                ref,
                lambda: self.bot.send_photo(chat_id, photo=item.png, caption=item.caption or None),
            )
        else:
            text = render_text(item)
            markup = render_keyboard(item, context.session_id)
            sent = await self._call(
                "sendMessage",
                ref,
                lambda: self.bot.send_message(chat_id, text, reply_markup=markup),
            )
            if item.prompt_id and markup is not None:
                await self._track(ref, _Prompt(sent.message_id, text, item.prompt_id))

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
            await self.bot.edit_message_reply_markup(
                int(ref.chat_id), previous.message_id, reply_markup=None
            )
        except TelegramError as exc:
            log.debug("could not remove an old keyboard in chat %s: %s", ref.chat_id, exc)

    async def _echo(
        self, ref: ConversationRef, echo: AnswerEcho, pressed: TgMessage | None
    ) -> None:
        """Edit the answered question to show the answer, without its keyboard. For a press,
        that is the pressed message; for a typed answer, the question we last sent (known
        only until a restart: then the echo is skipped, the answer is stored all the same)."""
        tracked = self._prompts.get(ref.chat_id)
        if pressed is not None and pressed.text:
            message_id, text = pressed.message_id, pressed.text
        elif tracked is not None and tracked.prompt_id == echo.prompt_id:
            message_id, text = tracked.message_id, tracked.text
        else:
            return
        if tracked is not None and tracked.message_id == message_id:
            self._prompts.pop(ref.chat_id, None)
        await self._edit(ref, message_id, f"{text}\n\n{echo.text}")

    async def _edit(self, ref: ConversationRef, message_id: int, text: str) -> bool:
        try:
            await self._call(
                "editMessageText",
                ref,
                lambda: self.bot.edit_message_text(
                    text, chat_id=int(ref.chat_id), message_id=message_id
                ),
            )
            return True
        except SendFailed as exc:  # the answer is stored; only the chat's look is affected
            log.info("could not edit message %s in chat %s: %s", message_id, ref.chat_id, exc)
            return False

    async def _answer_query(self, query_id: str, text: str | None = None) -> None:
        """Always answer a button press (it stops the button's spinner); errors are harmless."""
        try:
            await self.bot.answer_callback_query(query_id, text=text)
        except TelegramError as exc:
            log.debug("answerCallbackQuery %s failed: %s", query_id, exc)

    async def _call(self, method: str, ref: ConversationRef, call: Callable[[], Awaitable[T]]) -> T:
        """Bounded retries for 429 (after the rate limiter's own), 5xx and timeouts; a
        refusal (blocked bot, bad request) is final at once."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                return await call()
            except (BadRequest, Forbidden, InvalidToken) as exc:
                raise SendRefused(f"{method} refused: {exc}") from exc
            except (RetryAfter, NetworkError) as exc:
                if attempt == SEND_ATTEMPTS:
                    raise SendFailed(f"{method} failed {attempt} times: {exc}") from exc
                wait = self.retry_delay * 2 ** (attempt - 1)
                if isinstance(exc, RetryAfter):
                    wait = _seconds(exc)
                log.warning(
                    "%s to chat %s failed (%s); attempt %d of %d in %.1fs",
                    method, ref.chat_id, exc, attempt + 1, SEND_ATTEMPTS, wait,
                )  # fmt: skip
                await asyncio.sleep(min(wait, MAX_RETRY_WAIT))
            except TelegramError as exc:
                raise SendFailed(f"{method} failed: {exc}") from exc
        raise AssertionError("unreachable")

    async def _queue_retry(
        self, ref: ConversationRef, messages: Sequence[Outbound], error: SendFailed
    ) -> None:
        log.error(
            "sending %d message(s) to Telegram chat %s failed: %s; queued for a later retry",
            len(messages), ref.chat_id, error,
        )  # fmt: skip
        if not messages:
            return
        now = self.services.now()
        try:
            async with inbound.guarded(self.services.db) as session:
                delivery = await deliveries.claim(
                    session,
                    key=f"retry:{CHANNEL}:{ref.chat_id}:{uuid.uuid4().hex}",
                    channel=CHANNEL,
                    chat_id=ref.chat_id,
                    payload=to_payload(list(messages)),
                    now=now,
                )
                if delivery is not None:
                    await deliveries.mark_failed(session, delivery, str(error), now)
        except DatabaseUnavailable as exc:
            log.error("could not queue the failed send to chat %s: %s", ref.chat_id, exc)


def attach(
    services: Services,
    app: web.Application,
    *,
    retry_delay: float = 1.0,
    poll_timeout: int = 25,
) -> TelegramChannel | None:
    """Create the channel when a token is configured: register it for sending and, in webhook
    mode, add its route to the web application (before the server starts)."""
    if not services.settings.telegram.enabled:
        return None
    channel = TelegramChannel(services, retry_delay=retry_delay, poll_timeout=poll_timeout)
    services.channels.add(channel)
    if channel.webhook_mode:
        app.router.add_post(WEBHOOK_PATH, channel.webhook)
    return channel


@asynccontextmanager
async def sending_only(services: Services) -> AsyncIterator[TelegramChannel | None]:
    """The channel registered for sending only (no polling, no webhook): what a CLI command
    that delivers messages (``digest --send``) needs. None when no token is configured.
    """
    if not services.settings.telegram.enabled:
        yield None
        return
    channel = TelegramChannel(services)
    try:
        await channel.application.initialize()
    except InvalidToken:
        raise TelegramUnavailable(REJECTED_TOKEN) from None
    except NetworkError as exc:
        raise TelegramUnavailable(f"Telegram is unreachable ({exc})") from None
    services.channels.add(channel)
    try:
        yield channel
    finally:
        await channel.application.shutdown()
