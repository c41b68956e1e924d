"""The Zalo Bot API adapter (``bot-api.zaloplatforms.com``), thin on both sides.

Input: long polling (``getUpdates``) or our webhook route; each update becomes one
channel-neutral ``Inbound`` for the router. Zalo's quirks stay here: every answer is an
envelope ``{ok, result, error_code, description}`` (HTTP 200 alone is not success); an empty
long poll answers HTTP 408; ``getUpdates`` has no offset and may hand back updates already
delivered (the router's stored de-duplication on ``message_id`` answers each once, across
restarts); polls keep a minimum interval; webhook bodies come wrapped or bare; the secret
header is compared in constant time before anything is read.
Output: plain text (choices arrive as a numbered list from the outbox, split at 2,000).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from bot.channels.protocol import (
    Capabilities,
    ChannelUnavailable,
    Inbound,
    InboundEvent,
    Route,
    SendContext,
    SendFailed,
    Text,
    Undeliverable,
    Unsupported,
)
from bot.channels.zalo_plugins import CAPABILITIES
from bot.conversation.router import command_of
from flows.outbound import AnswerEcho, ConversationRef, Message, Outbound, Photo
from storage.db import DatabaseUnavailable

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

CHANNEL = "zalo_bot"
WEBHOOK_PATH = "/webhooks/zalo-bot"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MIN_POLL_INTERVAL = 1.0  # seconds between polls: getUpdates answers at once while queued
POLL_TIMEOUT = 30
UNSUPPORTED = {
    "message.image.received": "photo",
    "message.sticker.received": "sticker",
    "message.unsupported.received": "withheld",  # content Zalo withholds for privacy
}
REFUSALS = (400, 403, 404)  # error codes that retrying cannot fix


class ZaloBotError(Exception):
    def __init__(self, method: str, code: int, description: str) -> None:
        super().__init__(f"{method}: {code} {description}".strip())
        self.code = code


def update_of(body: Any) -> dict[str, Any] | None:
    """The ``{event_name, message}`` object of a body, wrapped or bare (None: not one)."""
    if isinstance(body, dict) and isinstance(body.get("result"), dict):
        body = body["result"]
    if isinstance(body, dict) and isinstance(body.get("event_name"), str):
        return body
    return None


def inbound_of(update: dict[str, Any]) -> Inbound | None:
    """The channel-neutral form of one update (None: nothing to answer)."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat = message.get("chat") or {}
    sender = message.get("from") or {}
    chat_id = str(chat.get("id") or sender.get("id") or "")
    if not chat_id or sender.get("is_bot"):
        return None
    name = str(update.get("event_name"))
    event: InboundEvent
    if name == "message.text.received" and isinstance(message.get("text"), str):
        text = message["text"]
        event = command_of(text) or Text(text)
    else:
        event = Unsupported(UNSUPPORTED.get(name, "other"))
    message_id = message.get("message_id")
    return Inbound(
        ConversationRef(CHANNEL, chat_id),
        event,
        message_id=str(message_id) if message_id is not None else None,
        group=str(chat.get("chat_type", "PRIVATE")).upper() != "PRIVATE",
    )


class ZaloBotChannel:
    name = CHANNEL
    capabilities: Capabilities = CAPABILITIES

    def __init__(self, services: Services, *, poll_interval: float = MIN_POLL_INTERVAL) -> None:
        self.services = services
        self.settings = services.settings.zalo_bot
        self.webhook_mode = self.settings.mode == "webhook"
        self.polls = not self.webhook_mode
        self.poll_interval = poll_interval
        self._http: aiohttp.ClientSession | None = None
        self._poller: asyncio.Task[None] | None = None
        self.account: dict[str, Any] = {}

    # --- links --------------------------------------------------------------------------
    def entry_link(self, payload: str) -> str | None:
        return None  # no start payload: the landing page's short code is typed instead

    def chat_link(self) -> str | None:
        return None  # the bot is found by name in the Zalo app (no documented chat link)

    def routes(self) -> Sequence[Route]:
        return [Route("POST", WEBHOOK_PATH, self.webhook)] if self.webhook_mode else []

    # --- the HTTP client ----------------------------------------------------------------
    def _url(self, method: str) -> str:
        return f"{self.settings.base_url.rstrip('/')}{self.settings.token}/{method}"

    async def call(self, method: str, payload: dict[str, Any], wait: float = 30) -> Any:
        """One Bot API method; its ``result``, or ZaloBotError from the envelope."""
        if self._http is None:
            self._http = aiohttp.ClientSession()
        client_timeout = aiohttp.ClientTimeout(total=wait)
        async with self._http.post(self._url(method), json=payload, timeout=client_timeout) as r:
            try:
                body = await r.json(content_type=None)
            except (json.JSONDecodeError, aiohttp.ContentTypeError, ValueError):
                body = None
        if not isinstance(body, dict):
            raise ZaloBotError(method, r.status, "not a JSON envelope")
        if not body.get("ok"):
            code = int(body.get("error_code") or r.status)
            raise ZaloBotError(method, code, str(body.get("description", "")))
        return body.get("result")

    # --- lifecycle ----------------------------------------------------------------------
    async def prepare(self) -> None:
        try:
            self.account = dict(await self.call("getMe", {}) or {})
        except ZaloBotError as exc:
            raise ChannelUnavailable(
                f"Zalo Bot API refused the token ([zalo_bot] token): {exc}"
            ) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ChannelUnavailable(
                f"Zalo Bot API is unreachable ({exc})", temporary=True
            ) from None

    async def start(self) -> None:
        await self.prepare()
        name = self.account.get("account_name") or self.account.get("id") or "?"
        if self.webhook_mode:
            url = self.services.settings.web.public_url + WEBHOOK_PATH
            try:
                await self.call("setWebhook", {"url": url, "secret_token": self._secret()})
            except ZaloBotError as exc:
                raise ChannelUnavailable(
                    f"Zalo refused the webhook ({exc}); [web] public_url must be a public "
                    "https:// address"
                ) from None
            log.info("Zalo bot %s: webhook registered at %s", name, url)
        else:
            try:  # polling and a webhook exclude each other
                await self.call("deleteWebhook", {})
            except ZaloBotError as exc:
                log.info("Zalo bot %s: deleteWebhook: %s", name, exc)
            self._poller = asyncio.create_task(self._poll())
            log.info("Zalo bot %s: polling for updates", name)

    def _secret(self) -> str:
        secret = self.settings.webhook_secret
        if not secret:
            raise ChannelUnavailable("[zalo_bot] webhook_secret is required in webhook mode")
        return secret

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            try:
                await self._poller
            except (asyncio.CancelledError, Exception):
                pass
            self._poller = None
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def _poll(self) -> None:
        """Long polls forever, at most one per ``poll_interval``; errors back off."""
        loop = asyncio.get_running_loop()
        backoff = self.poll_interval
        while True:
            started = loop.time()
            try:
                result = await self.call(
                    "getUpdates", {"timeout": POLL_TIMEOUT}, wait=POLL_TIMEOUT + 10
                )
                backoff = self.poll_interval
                await self._handle_polled(result)
            except ZaloBotError as exc:
                if exc.code != 408:  # 408: the long poll ended empty, not an error
                    log.warning("Zalo getUpdates failed: %s", exc)
                    backoff = min(backoff * 2, 60.0)
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.warning("Zalo Bot API unreachable while polling: %s", exc)
                backoff = min(backoff * 2, 60.0)
            await asyncio.sleep(max(0.0, backoff - (loop.time() - started)))

    async def _handle_polled(self, result: Any) -> None:
        updates = result if isinstance(result, list) else [result]
        for raw in updates:
            update = update_of(raw)
            inbound = inbound_of(update) if update else None
            if inbound is None:
                continue
            try:
                await self.services.router.receive(self, inbound)
            except DatabaseUnavailable:
                await self.services.router.tell_busy(self, inbound)
            except Exception:  # one bad update must not stop the polling loop
                log.exception("failed to handle a Zalo bot update")

    async def webhook(self, request: web.Request) -> web.Response:
        """``POST /webhooks/zalo-bot``: 403 without the right secret (nothing is read), 400 for
        a body that is not an update, 503 while the database is down, 200 otherwise."""
        supplied = request.headers.get(SECRET_HEADER, "")
        expected = self.settings.webhook_secret
        if not expected or not hmac.compare_digest(supplied.encode(), expected.encode()):
            log.warning("rejected a Zalo bot webhook call without the right secret")
            return web.Response(status=403, text="forbidden")
        try:
            update = update_of(await request.json())
        except (ValueError, UnicodeDecodeError):
            update = None
        if update is None:
            log.warning("unreadable Zalo bot update")
            return web.Response(status=400, text="bad update")
        inbound = inbound_of(update)
        if inbound is not None:
            try:
                await self.services.router.receive(self, inbound)
            except DatabaseUnavailable:
                return web.Response(status=503, text="busy", headers={"Retry-After": "30"})
            except Exception:
                log.exception("failed to handle a Zalo bot update")
        return web.json_response({"ok": True})

    async def acknowledge(self, inbound: Inbound, text: str | None = None) -> None:
        return None  # no buttons, nothing to acknowledge

    # --- output -------------------------------------------------------------------------
    async def send(self, ref: ConversationRef, item: Outbound, context: SendContext) -> None:
        if isinstance(item, AnswerEcho | Photo):
            return  # the outbox folds these into text for this channel
        assert isinstance(item, Message)
        text = f"{item.header}\n{item.text}" if item.header else item.text
        try:
            await self.call("sendMessage", {"chat_id": ref.chat_id, "text": text})
        except ZaloBotError as exc:
            if exc.code in REFUSALS:
                raise Undeliverable(str(exc), str(exc.code)) from exc
            raise SendFailed(str(exc)) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise SendFailed(f"sendMessage: {exc}") from exc
