"""Polling mode: our own getUpdates loop, updates handled side by side but in order per chat.

python-telegram-bot's updater built a tree of Telegram objects for every update and its
application handled updates one at a time, so a press waited behind every other citizen's
(press → next question grew with the number of people answering). Here the updates are read
as JSON (``parse.inbound_of_json``, as the webhook does) and each chat's updates run one after
another in arrival order (a double press is two updates of one chat: the second sees what the
first committed), while different chats run at once, up to ``IN_FLIGHT`` updates.

An update is confirmed to Telegram (the next getUpdates' ``offset``) once it has been read, as
PTB's updater does; at a stop the loop confirms what it read, so a restart does not have them
delivered again (the de-duplication claim would make a re-delivery harmless, but silent).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.protocol import SendFailed, Undeliverable
from bot.channels.telegram.bot_api import BotApi

log = logging.getLogger(__name__)

JSON = dict[str, Any]
IN_FLIGHT = 256  # updates handled at once (PTB's figure for concurrent updates)
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)  # waits after failed polls, growing


def chat_of(update: JSON) -> object:
    """What orders an update: its chat (or its sender), or the update itself when neither."""
    for key in ("message", "edited_message", "callback_query"):
        found = update.get(key)
        if isinstance(found, dict):
            source = found.get("message") if key == "callback_query" else found
            chat = source.get("chat") if isinstance(source, dict) else None
            if isinstance(chat, dict) and "id" in chat:
                return chat["id"]
            sender = found.get("from")
            if isinstance(sender, dict) and "id" in sender:
                return ("user", sender["id"])
    return ("update", update.get("update_id"))


class Poller:
    """Long-polls getUpdates on ``api`` and hands each update's JSON to ``handle`` (which
    must not raise: errors are its own to log)."""

    def __init__(
        self,
        api: BotApi,
        handle: Callable[[JSON], Awaitable[None]],
        *,
        timeout: int,
        allowed_updates: list[str],
    ) -> None:
        self.api, self.handle = api, handle
        self.timeout, self.allowed_updates = timeout, allowed_updates
        self.offset = 0
        self._last: dict[object, asyncio.Task[None]] = {}  # each chat's latest update
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._loop: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._loop is not None and not self._loop.done()

    async def start(self) -> None:
        """Remove a webhook left from webhook mode (Telegram refuses getUpdates while one is
        set; its pending updates are kept), then poll in the background."""
        await self.api.call("deleteWebhook", {"drop_pending_updates": False})
        self._loop = asyncio.create_task(self._run(), name="telegram-polling")

    async def stop(self) -> None:
        """Stop polling, let the updates being handled finish, confirm what was read."""
        if self._loop is not None:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
            self._loop = None
        if self._last:
            await asyncio.gather(*self._last.values(), return_exceptions=True)
        if self.offset:
            try:
                await self.api.poll({"offset": self.offset, "timeout": 0, "limit": 1}, 0)
            except SendFailed as exc:
                log.info("could not confirm the last Telegram updates read: %s", exc)

    async def _run(self) -> None:
        failures = 0
        while True:
            params = {"offset": self.offset, "timeout": self.timeout,
                      "allowed_updates": self.allowed_updates}  # fmt: skip
            try:
                updates = await self.api.poll(params, self.timeout)
            except Undeliverable as exc:  # a revoked token, a webhook set meanwhile: wait
                wait = RETRY_SECONDS[-1]
                log.error("Telegram refused getUpdates (%s); trying again in %.0f s", exc, wait)
                await asyncio.sleep(wait)
                continue
            except SendFailed as exc:
                wait = exc.retry_after or RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                log.warning("getUpdates failed (%s); trying again in %.0f s", exc, wait)
                await asyncio.sleep(wait)
                continue
            failures = 0
            for update in updates if isinstance(updates, list) else ():
                if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                    log.warning("skipped a Telegram update without an update_id")
                    continue
                await self._slots.acquire()  # before the offset moves: a stop confirms
                self.offset = max(self.offset, update["update_id"] + 1)  # only what runs
                self._dispatch(update)

    def _dispatch(self, update: JSON) -> None:
        chat = chat_of(update)
        task = asyncio.create_task(self._in_turn(self._last.get(chat), update))
        self._last[chat] = task

        def done(finished: asyncio.Task[None]) -> None:
            self._slots.release()
            if self._last.get(chat) is finished:
                del self._last[chat]

        task.add_done_callback(done)

    async def _in_turn(self, before: asyncio.Task[None] | None, update: JSON) -> None:
        if before is not None:
            await asyncio.wait((before,))  # the chat's earlier update first, however it ended
        await self.handle(update)
