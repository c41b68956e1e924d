"""The rate limiter counts what the bot starts on its own, not its replies (see
bot/channels/telegram/limits.py): replies never spend the overall bucket broadcasts need."""

from __future__ import annotations

import asyncio

from bot.channels.telegram.limits import BroadcastRateLimiter, replying


async def test_replies_do_not_spend_the_overall_limit_that_broadcasts_share() -> None:
    limiter = BroadcastRateLimiter(overall_max_rate=1, overall_time_period=60, max_retries=0)
    await limiter.initialize()
    sent: list[str] = []

    def request(kind: str) -> object:
        async def call() -> bool:
            sent.append(kind)
            return True

        return limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 5}, None)

    with replying(True):
        for _ in range(5):
            assert await request("reply")
    # one message a minute for broadcasts: had a reply been counted, this would wait ~60 s
    assert await asyncio.wait_for(request("broadcast"), timeout=5)
    assert sent == ["reply"] * 5 + ["broadcast"]
    with replying(False):
        third = asyncio.ensure_future(request("second broadcast"))
        done, _ = await asyncio.wait([third], timeout=0.1)
        third.cancel()
    assert not done, "a second broadcast within the minute waits for the bucket"
    await limiter.shutdown()
