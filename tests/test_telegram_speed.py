"""What keeps an answer cheap on Telegram: the rate limiter counts what the bot starts on its
own, not its replies (bot/channels/telegram/limits.py), in webhook mode a press is
acknowledged in the webhook's HTTP answer rather than by a call of its own, and in polling
mode one chat's update does not wait behind another chat's."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.channels.telegram.bot_api import BotApi
from bot.channels.telegram.limits import BroadcastRateLimiter, replying
from bot.channels.telegram.polling import Poller
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


async def test_polled_updates_run_side_by_side_across_chats_and_in_order_within_one() -> None:
    """Our getUpdates loop: a chat whose update is still being handled holds up its own next
    update, not another chat's (PTB's application handled one update at a time)."""
    async with FakeTelegramAPI(max_poll_timeout=0.3) as api:
        first, other = api.user(6101), api.user(6102)
        handled: list[tuple[int, str]] = []
        other_done, all_done = asyncio.Event(), asyncio.Event()

        async def handle(update: dict[str, object]) -> None:
            message: Any = update["message"]
            chat, text = message["chat"]["id"], message["text"]
            if text == "slow":  # waits until the other chat's update has been handled
                await asyncio.wait_for(other_done.wait(), 10)
            handled.append((chat, text))
            if chat == other.chat_id:
                other_done.set()
            if len(handled) == 3:
                all_done.set()

        bot_api = BotApi(f"{api.base_url}{api.token}", BroadcastRateLimiter())
        poller = Poller(bot_api, handle, timeout=1, allowed_updates=["message"])
        first.send_text("slow")
        first.send_text("after")
        other.send_text("meanwhile")
        await poller.start()
        try:
            await asyncio.wait_for(all_done.wait(), 10)
        finally:
            await poller.stop()
            await bot_api.close()
        assert handled == [(6102, "meanwhile"), (6101, "slow"), (6101, "after")]
        # at the stop, what was read is confirmed: nothing is left for a restart
        assert poller.offset and not api.pending
