"""Citizens answering a Telegram bot as fast as they can, through the fake Bot API.

The fake (tests/fakes/telegram_api.py) runs in the bench process; the bot under test runs in
another process, so the bot's CPU time is its own. A citizen presses a button and waits for
the bot's next message with buttons: that wait is "press → next question".
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession

from tests.fakes.telegram_api import FakeTelegramAPI, FakeUser

JSON = dict[str, Any]
Deliver = Callable[[JSON], Awaitable[None]]
THANKS = "cảm ơn Ông/Bà đã hoàn thành"


class LoadAPI(FakeTelegramAPI):
    """The fake Bot API with a queue of sent messages per chat, for citizens to wait on."""

    def __init__(self) -> None:
        super().__init__(max_poll_timeout=1.0)
        self.inbox: dict[int, asyncio.Queue[JSON]] = {}

    async def _m_sendmessage(self, params: JSON, *rest: Any) -> JSON:
        sent = await super()._m_sendmessage(params, *rest)
        self.inbox.setdefault(int(params["chat_id"]), asyncio.Queue()).put_nowait(sent)
        return sent

    def method_counts(self) -> Counter[str]:
        """Bot API calls the bot made (not its polls, nor what rode in a webhook answer)."""
        return Counter(
            call.method
            for call in self.calls
            if call.method != "getUpdates" and not call.in_webhook_answer
        )

    async def wait_ready(self, method: str, timeout: float = 60) -> None:  # noqa: ASYNC109
        """Wait until the bot calls ``method`` (getUpdates: polling; setWebhook: webhook)."""
        await self.wait_for(lambda call: call.method == method, timeout)


@dataclass
class Load:
    """What one run of citizens measured."""

    latencies: list[float] = field(default_factory=list)  # press → next question, seconds
    answers: int = 0
    failures: list[str] = field(default_factory=list)


class Citizen:
    def __init__(self, api: LoadAPI, user: FakeUser, deliver: Deliver, load: Load) -> None:
        self.api, self.user, self.deliver, self.load = api, user, deliver, load
        self.inbox = api.inbox.setdefault(user.chat_id, asyncio.Queue())

    async def next_message(self, fragment: str | None = None, timeout: float = 60) -> JSON:  # noqa: ASYNC109
        """The bot's next sent message with buttons (or containing ``fragment``)."""
        while True:
            sent = await asyncio.wait_for(self.inbox.get(), timeout)
            if fragment is None and "reply_markup" in sent:
                return sent
            if fragment is not None and fragment in sent.get("text", ""):
                return sent

    async def press(self, value: str) -> None:
        """Press the button with ``value`` on the bot's last message."""
        data = next(
            data
            for row in self.api.last_keyboard(self.user.chat_id)
            for _label, data in row
            if data and data.split("|")[-1] == value
        )
        await self.deliver(self.user.press(data))

    async def survey(self, token: str, answers: int) -> None:
        await self.deliver(self.user.send_command("start", token))
        await self.next_message()
        await self.press("yes")
        await self.next_message()
        for number in range(answers):
            began = time.perf_counter()
            await self.press(str(1 + number % 5))
            await self.next_message()
            self.load.latencies.append(time.perf_counter() - began)
            self.load.answers += 1
        await self.press("skip")  # ours: "Bỏ qua, gửi phiếu" sends the response at once
        while THANKS not in (await self.next_message_or(THANKS)).get("text", ""):
            await self.press("no")  # a peer's separate report / petition offer

    async def next_message_or(self, fragment: str, timeout: float = 60) -> JSON:  # noqa: ASYNC109
        """The bot's next message with buttons or containing ``fragment``."""
        while True:
            sent = await asyncio.wait_for(self.inbox.get(), timeout)
            if "reply_markup" in sent or fragment in sent.get("text", ""):
                return sent


def polling_delivery() -> Deliver:
    """Polling: the update is already queued for getUpdates when it is made."""

    async def deliver(_update: JSON) -> None:
        return None

    return deliver


def webhook_delivery(http: ClientSession, api: LoadAPI) -> Deliver:
    """Webhook: POST the update to the bot's registered URL, as Telegram does."""
    assert api.webhook is not None
    url, secret = str(api.webhook["url"]), str(api.webhook.get("secret_token", ""))

    async def deliver(update: JSON) -> None:
        # the queued copy is for getUpdates, which nobody calls while a webhook is set
        api.pending.clear()
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
        ) as response:
            body = await response.text()
            if response.status != 200:
                raise RuntimeError(f"webhook answered {response.status}")
        await api.perform_webhook_reply(body)

    return deliver


async def run_citizens(
    api: LoadAPI, tokens: list[str], answers: int, deliver: Deliver, first_chat: int
) -> Load:
    load = Load()

    async def one(number: int, token: str) -> None:
        user = api.user(first_chat + number, first_name=f"Công dân {number}")
        try:
            await Citizen(api, user, deliver, load).survey(token, answers)
        except (TimeoutError, StopIteration, RuntimeError) as exc:
            load.failures.append(f"citizen {number}: {type(exc).__name__} {exc}")

    await asyncio.gather(*(one(number, token) for number, token in enumerate(tokens)))
    return load
