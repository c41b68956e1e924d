"""What keeps an answer cheap on Telegram: the rate limiter counts what the bot starts on its
own, not its replies (bot/channels/telegram/limits.py), and in webhook mode a press is
acknowledged in the webhook's HTTP answer rather than by a call of its own."""

from __future__ import annotations

import asyncio
import json

from bot.channels.telegram.limits import BroadcastRateLimiter, replying
from bot.services import Services
from scheduler.clock import ManualClock
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.telegram_bench import SECRET, start_bench, start_survey


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


async def test_a_press_is_acknowledged_in_the_webhook_answer(
    tg_api: FakeTelegramAPI, services: Services, clock: ManualClock, port: int
) -> None:
    bench = await start_bench(tg_api, services.db, clock, port, "webhook")
    try:
        user = tg_api.user(5301)
        await start_survey(bench, user, await bench.link())
        calls_before = len(tg_api.calls_to("answerCallbackQuery"))
        press = user.press(await bench.button(user.chat_id, "4"))
        status, body = await tg_api.deliver(press, bench.webhook_url, SECRET)
        assert status == 200
        assert json.loads(body) == {
            "method": "answerCallbackQuery",
            "callback_query_id": press["callback_query"]["id"],
        }
        # the fake performed it as Telegram does: one acknowledgement, not a call of ours too
        assert len(tg_api.calls_to("answerCallbackQuery")) == calls_before + 1
        await bench.last(user.chat_id, "Câu 2/22")
    finally:
        await bench.stop()
