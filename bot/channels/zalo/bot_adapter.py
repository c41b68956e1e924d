"""The Zalo Bot API adapter (``bot-api.zaloplatforms.com``), thin on both sides.

Input: long polling (``getUpdates``) or our webhook route; each update becomes one
channel-neutral ``Inbound`` (``bot_updates``) for the router. Zalo's quirks stay here and in
``ZaloBotClient``: the ``{ok, result, error_code, description}`` envelope, the empty long poll
answering HTTP 408 (not an error), no offset (``getUpdates`` may hand back updates already
delivered: the router's stored de-duplication on ``message_id`` answers each once, across
restarts), polls at a minimum interval with back-off on errors, the webhook secret compared in
constant time before anything is read.
Output: plain text (choices arrive as a numbered list from the outbox, split at 2,000).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.parking import handled_or_parked
from bot.channels.protocol import (
    Capabilities,
    ChannelUnavailable,
    Inbound,
    Route,
    SendContext,
)
from bot.channels.zalo.bot_updates import CHANNEL, JSON, event_of, inbound_of, update_of
from bot.channels.zalo.errors import ZaloError, ZaloTemporaryError, as_send_failure
from bot.channels.zalo.http import ZaloBotClient
from bot.channels.zalo_plugins import CAPABILITIES
from flows.outbound import ConversationRef, Message, Outbound
from storage.db import DatabaseUnavailable

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/zalo-bot"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MIN_POLL_INTERVAL = 1.0  # seconds between polls: getUpdates answers at once while queued
POLL_TIMEOUT = 30  # seconds a long poll may wait for an update
MAX_BACKOFF = 60.0


class ZaloBotChannel:
    name = CHANNEL
    capabilities: Capabilities = CAPABILITIES

    def __init__(
        self,
        services: Services,
        *,
        poll_interval: float = MIN_POLL_INTERVAL,
        poll_timeout: int = POLL_TIMEOUT,
    ) -> None:
        self.services = services
        self.settings = services.settings.zalo_bot
        self.webhook_mode = self.settings.mode == "webhook"
        self.polls = not self.webhook_mode
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout
        self.client = ZaloBotClient(self.settings.base_url, self.settings.token)
        self._poller: asyncio.Task[None] | None = None
        self.account: dict[str, Any] = {}

    # --- links --------------------------------------------------------------------------
    def entry_link(self, payload: str) -> str | None:
        return None  # no start payload: the landing page's short code is typed instead

    def chat_link(self) -> str | None:
        return None  # the bot is found by name in the Zalo app (no documented chat link)

    def routes(self) -> Sequence[Route]:
        return [Route("POST", WEBHOOK_PATH, self.webhook)] if self.webhook_mode else []

    # --- lifecycle ----------------------------------------------------------------------
    async def prepare(self) -> None:
        try:
            self.account = await self.client.get_me()
        except ZaloTemporaryError as exc:
            raise ChannelUnavailable(
                f"Zalo Bot API is unreachable ({exc})", temporary=True
            ) from None
        except ZaloError as exc:
            raise ChannelUnavailable(
                f"Zalo Bot API refused the token ([zalo_bot] token): {exc}"
            ) from None

    async def start(self) -> None:
        await self.prepare()
        name = self.account.get("account_name") or self.account.get("id") or "?"
        if self.webhook_mode:
            url = self.services.settings.web.public_url + WEBHOOK_PATH
            try:
                await self.client.set_webhook(url, self._secret())
            except ZaloError as exc:
                raise ChannelUnavailable(
                    f"Zalo refused the webhook ({exc}); [web] public_url must be a public "
                    "https:// address"
                ) from None
            log.info("Zalo bot %s: webhook registered at %s", name, url)
            return
        try:  # polling and a webhook exclude each other
            await self.client.delete_webhook()
        except ZaloError as exc:
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
        await self.client.close()

    # --- input --------------------------------------------------------------------------
    async def _poll(self) -> None:
        """Long polls forever, starting at most one per ``poll_interval``; errors back off
        (doubling up to a minute); an empty poll (408) is not an error."""
        loop = asyncio.get_running_loop()
        wait = self.poll_interval
        while True:
            started = loop.time()
            try:
                updates = await self.client.get_updates(self.poll_timeout)
                wait = self.poll_interval
                for update in updates:
                    await self._handle_polled(update)
            except ZaloError as exc:
                wait = min(max(wait * 2, self.poll_interval), MAX_BACKOFF)
                log.warning("Zalo getUpdates failed (next try in %.0fs): %s", wait, exc)
            except Exception:  # the loop must outlive any surprise; it is logged and slowed
                wait = min(max(wait * 2, self.poll_interval), MAX_BACKOFF)
                log.exception("Zalo polling failed unexpectedly (next try in %.0fs)", wait)
            await asyncio.sleep(max(0.0, wait - (loop.time() - started)))

    async def _handle_polled(self, body: dict[str, Any]) -> None:
        update = update_of(body)
        inbound = inbound_of(update) if update is not None else None
        if inbound is None:
            log.info("ignored a Zalo bot update without a message to answer")
            return
        try:
            await self.services.router.receive(self, inbound)
        except DatabaseUnavailable:
            await self.services.router.tell_busy(self, inbound)
        except Exception:  # one bad update must not stop the polling loop
            log.exception("failed to handle a Zalo bot update")

    async def webhook(self, request: web.Request) -> web.Response:
        """``POST /webhooks/zalo-bot``: 403 without the right secret (nothing is read), 400 for
        a body that is not a Zalo event, 503 while the database is down, 200 otherwise (an
        event without a message included: Zalo must not retry it)."""
        supplied = request.headers.get(SECRET_HEADER, "")
        expected = self.settings.webhook_secret
        if not expected or not hmac.compare_digest(supplied.encode(), expected.encode()):
            log.warning("rejected a Zalo bot webhook call without the right secret")
            return web.Response(status=403, text="forbidden")
        try:
            event = event_of(await request.json())
        except (ValueError, UnicodeDecodeError):
            event = None
        if event is None:
            log.warning("unreadable Zalo bot webhook body")
            return web.Response(status=400, text="bad update")
        if not await handled_or_parked(
            self.services, self.name, _message_id(event), self._handle_event(event)
        ):
            return web.Response(status=503, text="busy", headers={"Retry-After": "30"})
        return web.json_response({"ok": True})

    async def _handle_event(self, event: JSON) -> None:
        update = update_of(event)
        inbound = inbound_of(update) if update is not None else None
        if inbound is not None:  # else an event without a message to answer: nothing to do
            await self.services.router.receive(self, inbound)

    async def acknowledge(self, inbound: Inbound, text: str | None = None) -> None:
        return None  # no buttons, nothing to acknowledge

    # --- output -------------------------------------------------------------------------
    async def send(self, ref: ConversationRef, item: Outbound, context: SendContext) -> None:
        if not isinstance(item, Message):
            return  # the outbox folds echoes and photos into text for this channel
        try:
            await self.client.send_message(ref.chat_id, item.full_text)
        except ZaloError as exc:
            raise as_send_failure(exc) from exc


def _message_id(event: JSON) -> object:
    """The event's message id for a log line (never its text or chat)."""
    message = event.get("message")
    return message.get("message_id") if isinstance(message, dict) else event.get("event_name")
