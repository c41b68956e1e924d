"""Bot API text calls as plain JSON over aiohttp: sendMessage, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, and polling's getUpdates.

Every answer edits the pressed question and sends the next one. Through python-telegram-bot
each call built a request object, went through httpx, and turned the answer into a tree of
Telegram objects that nobody read: about a third of the bot's CPU per answer in the profile.
Here a call is one JSON POST on a kept-alive aiohttp session (aiohttp already serves the web
and the webhook), its answer a dict; getUpdates too (``polling``). PTB still connects,
registers the webhook and sends photos. What the bot starts on its own still passes PTB's
rate limiter (see ``limits``); the platform's errors become the channel protocol's
``SendFailed`` (try again, maybe after ``retry_after``) and ``Undeliverable`` (refused for
good), as PTB's did.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.channels.protocol import SendFailed, Undeliverable
from bot.channels.telegram.limits import BroadcastRateLimiter

JSON = dict[str, Any]
TIMEOUT = aiohttp.ClientTimeout(total=20, connect=5, sock_read=10)
# Telegram's refusals that no retry can change, by HTTP status (PTB's names for them).
REFUSALS = {400: "BadRequest", 401: "InvalidToken", 403: "Forbidden", 404: "InvalidToken"}


class BotApi:
    """The Bot API at ``base_url`` (``https://api.telegram.org/bot<token>``)."""

    def __init__(self, base_url: str, limiter: BroadcastRateLimiter) -> None:
        self.base_url = base_url
        self.limiter = limiter
        self._http: aiohttp.ClientSession | None = None

    async def call(self, method: str, params: JSON) -> Any:
        """The call's ``result``; replies go straight out, the rest wait for the limiter."""
        return await self.limiter.process_request(self._post, (method, params), {}, method,
                                                  params, None)  # fmt: skip

    async def poll(self, params: JSON, wait: float) -> Any:
        """getUpdates, waiting up to ``wait`` seconds for updates (a long poll: it passes no
        rate limiter and gets a longer timeout than the other calls)."""
        limits = aiohttp.ClientTimeout(total=wait + 20, connect=5, sock_read=wait + 10)
        return await self._post("getUpdates", params, limits)

    async def _post(
        self, method: str, params: JSON, limits: aiohttp.ClientTimeout | None = None
    ) -> Any:
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=TIMEOUT)
        try:
            async with self._http.post(
                f"{self.base_url}/{method}", json=params, timeout=limits or TIMEOUT
            ) as response:
                status = response.status
                body = await response.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise SendFailed(f"{method} failed: {type(exc).__name__} {exc}") from exc
        if isinstance(body, dict) and body.get("ok") is True:
            return body.get("result")
        raise _error(method, status, body if isinstance(body, dict) else {})

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None


def _error(method: str, status: int, body: JSON) -> SendFailed:
    """What a refused call means for the outbox."""
    description = str(body.get("description") or f"HTTP {status}")
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    retry_after = parameters.get("retry_after") if parameters else None
    if isinstance(retry_after, int | float):
        return SendFailed(f"{method}: {description}", retry_after=float(retry_after))
    code = REFUSALS.get(int(body.get("error_code") or status))
    if code is not None and not (parameters and "migrate_to_chat_id" in parameters):
        return Undeliverable(f"{method} refused: {description}", code)
    return SendFailed(f"{method} failed: {description}")
