"""The Zalo Official Account adapter (Open API v3), thin on both sides.

Input: ``POST /webhooks/zalo-oa``. The signature (``X-ZEvent-Signature``) is checked before
anything in the body is trusted: forged or missing → 403, nothing changes; correctly signed but
older than ``max_event_age`` → 200 and dropped (Zalo retries any other answer for hours and may
switch the webhook off). Zalo wants an answer within 2 s, so the work runs as a task: the route
waits for it a little, then answers 200 while it goes on. A repeated ``msg_id`` is answered once
(the router's stored de-duplication).
Output: customer-service texts (no buttons: the outbox writes choices as a numbered list and
splits at 2,000 characters), with the OA access token kept fresh by ``TokenKeeper``; Zalo's
refusals become ``Undeliverable`` with their reason, quota and network trouble ``SendFailed``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.protocol import (
    Capabilities,
    Inbound,
    InboundEvent,
    Route,
    SendContext,
    Start,
    Text,
    Unsupported,
)
from bot.channels.zalo import errors
from bot.channels.zalo.oa_api import OaClient
from bot.channels.zalo.oa_tokens import TokenKeeper
from bot.channels.zalo.signature import HEADER, Verdict, check_event
from bot.channels.zalo_plugins import CAPABILITIES
from bot.conversation.router import command_of
from flows.outbound import AnswerEcho, ConversationRef, Message, Outbound, Photo
from storage.db import DatabaseUnavailable

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

CHANNEL = "zalo_oa"
WEBHOOK_PATH = "/webhooks/zalo-oa"
ANSWER_WITHIN = 1.5  # seconds the route waits for the work before answering 200 anyway
UNSUPPORTED = {
    "user_send_image": "photo",
    "user_send_gif": "photo",
    "user_send_sticker": "sticker",
    "user_send_audio": "voice",
    "user_send_video": "video",
    "user_send_file": "document",
    "user_send_location": "location",
    "user_send_link": "link",
    "user_send_business_card": "contact",
}


def inbound_of(event: dict[str, Any]) -> Inbound | None:
    """The channel-neutral form of a webhook event (None: nothing a person said to us)."""
    name = str(event.get("event_name", ""))
    sender = event.get("sender") or event.get("follower") or {}
    user_id = str(sender.get("id") or "") if isinstance(sender, dict) else ""
    if not user_id or not name.startswith(("user_send_", "follow")):
        return None  # unfollow, seen/received receipts, the OA's own sends
    ref = ConversationRef(CHANNEL, user_id)
    message = event.get("message") if isinstance(event.get("message"), dict) else {}
    assert isinstance(message, dict)
    msg_id = message.get("msg_id")
    key = str(msg_id) if msg_id else f"{name}:{user_id}:{event.get('timestamp', '')}"
    inbound: InboundEvent
    if name == "follow":
        inbound = Start()  # a new follower: greet and say how to begin
    elif name == "user_send_text" and isinstance(message.get("text"), str):
        inbound = command_of(message["text"]) or Text(message["text"])
    else:
        inbound = Unsupported(UNSUPPORTED.get(name, "other"))
    return Inbound(ref, inbound, message_id=key)


class ZaloOaChannel:
    name = CHANNEL
    capabilities: Capabilities = CAPABILITIES
    polls = False  # Zalo posts every OA event to the webhook

    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = services.settings.zalo_oa
        self.keeper = TokenKeeper(services.db, self.settings, services.now)
        self.client = OaClient(self.settings, self.keeper)
        self._work: set[asyncio.Task[None]] = set()

    # --- links --------------------------------------------------------------------------
    def entry_link(self, payload: str) -> str | None:
        return None  # no start payload: the landing page's short code is typed instead

    def chat_link(self) -> str | None:
        return f"https://zalo.me/{self.settings.oa_id}" if self.settings.oa_id else None

    def routes(self) -> Sequence[Route]:
        return [Route("POST", WEBHOOK_PATH, self.webhook)]

    # --- lifecycle ----------------------------------------------------------------------
    async def prepare(self) -> None:
        return None  # tokens are fetched (and refreshed) on the first send

    async def start(self) -> None:
        url = self.services.settings.web.public_url + WEBHOOK_PATH
        log.info("Zalo OA %s: events expected at %s", self.settings.oa_id or "?", url)

    async def stop(self) -> None:
        if self._work:
            await asyncio.wait(self._work, timeout=5)
        await self.keeper.close()

    # --- input --------------------------------------------------------------------------
    async def webhook(self, request: web.Request) -> web.Response:
        raw = await request.read()
        checked = check_event(
            raw,
            request.headers.get(HEADER),
            app_id=self.settings.app_id,
            oa_secret_key=self.settings.oa_secret_key,
            max_age=self.settings.max_event_age,
            now=self.services.now(),
        )
        if checked.verdict is Verdict.FORGED:
            log.warning("rejected a Zalo OA webhook call without a valid signature")
            return web.Response(status=403, text="forbidden")
        if checked.verdict is Verdict.STALE:
            log.info("dropped a stale Zalo OA event (%s)", (checked.event or {}).get("event_name"))
            return web.json_response({"error": 0})
        inbound = inbound_of(checked.event or {})
        if inbound is not None:
            task = asyncio.create_task(self._handle(inbound))
            self._work.add(task)
            task.add_done_callback(self._work.discard)
            await asyncio.wait({task}, timeout=ANSWER_WITHIN)  # shielded: it goes on after
        return web.json_response({"error": 0})

    async def _handle(self, inbound: Inbound) -> None:
        try:
            await self.services.router.receive(self, inbound)
        except DatabaseUnavailable:
            await self.services.router.tell_busy(self, inbound)
        except Exception:  # one bad event must not disturb the others
            log.exception("failed to handle a Zalo OA event")

    async def acknowledge(self, inbound: Inbound, text: str | None = None) -> None:
        return None  # no buttons, nothing to acknowledge

    # --- output -------------------------------------------------------------------------
    async def send(self, ref: ConversationRef, item: Outbound, context: SendContext) -> None:
        if isinstance(item, AnswerEcho | Photo):
            return  # the outbox folds these into text for this channel
        assert isinstance(item, Message)
        try:
            await self.client.send_text(ref.chat_id, item.full_text)
        except errors.ZaloError as exc:  # a failed token refresh: admins are told elsewhere
            raise errors.as_send_failure(exc) from exc
