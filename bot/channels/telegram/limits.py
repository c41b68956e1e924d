"""What the Bot API rate limiter counts: the messages the bot starts on its own (reminders,
digests, notices, retries), not its replies to a person who has just written or pressed.

Telegram's overall limit (about 30 messages a second) is there against broadcasts. Counting
replies in the same bucket made every answer queue behind everyone else's: each answer edits
the question and sends the next one, so the bot could never serve more than ~15 answers a
second however many people answered, and one person's press waited a quarter of a second
with only four people answering. A reply is paced by the person it answers; if Telegram
still refuses one (429), the outbox retries it after ``retry_after``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from telegram.ext import AIORateLimiter

_REPLYING: ContextVar[bool] = ContextVar("telegram_replying", default=False)
Result = bool | dict[str, Any] | list[dict[str, Any]]


@contextmanager
def replying(active: bool) -> Iterator[None]:
    """Bot API calls made inside are replies to an inbound update when ``active``."""
    token = _REPLYING.set(active)
    try:
        yield
    finally:
        _REPLYING.reset(token)


class BroadcastRateLimiter(AIORateLimiter):
    """PTB's limiter (overall and per-group buckets, RetryAfter retries) for what the bot
    starts; replies go straight through."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        if _REPLYING.get():
            return await callback(*args, **kwargs)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
