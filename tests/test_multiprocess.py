"""Two real ``sipas-bot run`` processes on one PostgreSQL database behave as one.

Each process has its own port; Telegram is in webhook mode against the fake Bot API. The same
update POSTed to both is answered once; both try to run the scheduler, one does, and the
weekly digest that is due at start reaches the chair once, also after the scheduler's
process dies and the other one takes over.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.services import Services, build_services
from reports.weeks import shift, start_of
from scheduler.clock import iso_week, system_clock
from storage.models import Answer, Delivery, ProcessedUpdate, SurveySession
from storage.repos import units
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.environment import free_port, fresh_database, make_settings
from tests.support.scheduler import add_staff

ROOT = Path(__file__).parent.parent
SECRET = "multi-process-webhook-secret"
CHAIR_CHAT = 7001
CITIZEN_CHAT = 6001
DEADLINE = 30.0
LEADS = "this process runs the scheduler"


async def until(check: Callable[[], object], what: str, seconds: float = DEADLINE) -> object:
    """Poll ``check`` until it is truthy; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@dataclass
class BotProcess:
    """One ``python -m bot run`` with its own port and log file."""

    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/telegram"

    def logged(self, text: str) -> bool:
        return text in self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


@pytest.fixture
def postgres_url() -> str:
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("SIPAS_REQUIRE_POSTGRES=1 but SIPAS_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server: set SIPAS_TEST_POSTGRES_URL (see .ci/run)")
    return POSTGRES_URL


@pytest.fixture
async def services(postgres_url: str) -> AsyncIterator[Services]:
    """A unit created during last week (so last week's digest is due, and only that one) and
    its chair bound to a Telegram chat; on the real clock, like the processes."""
    database = await fresh_database(postgres_url)
    services = build_services(make_settings(postgres_url, 8080), system_clock, database)
    now = system_clock()
    last_week = shift(iso_week(now, services.zone), -1)
    created = start_of(last_week, services.zone) + timedelta(days=1)
    async with database.transaction() as session:
        await units.add(session, "XA-HOATHANH", "UBND xã Hòa Thành", now=created)
    await add_staff(services, "chutich", role="chair", unit="XA-HOATHANH", chat_id=str(CHAIR_CHAT))
    await old_update(services, "first-tick")
    yield services
    await database.dispose()


@pytest.fixture
async def tg_api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
def start_process(
    postgres_url: str, tg_api: FakeTelegramAPI, tmp_path: Path
) -> Iterator[Callable[[], BotProcess]]:
    started: list[BotProcess] = []

    def start() -> BotProcess:
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SIPAS__")},
            "SIPAS__DATABASE__URL": postgres_url,
            "SIPAS__WEB__HOST": "127.0.0.1",
            "SIPAS__WEB__PORT": str(port),
            "SIPAS__WEB__PUBLIC_URL": f"http://127.0.0.1:{port}",
            "SIPAS__TELEGRAM__TOKEN": tg_api.token,
            "SIPAS__TELEGRAM__BASE_URL": tg_api.base_url,
            "SIPAS__TELEGRAM__MODE": "webhook",
            "SIPAS__TELEGRAM__WEBHOOK_SECRET": SECRET,
            "SIPAS__DIGESTS__WEEKLY_AT": "mon 00:00",  # last week's digest is due at start
            "SIPAS__SCHEDULER__TICK": "1s",
        }
        log = tmp_path / f"run-{port}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--role", "all"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        started.append(BotProcess(port, log, process))
        return started[-1]

    yield start
    for bot in started:
        bot.kill()


async def ready(bot: BotProcess) -> None:
    await until(lambda: bot.logged("running as --role all"), f"process on port {bot.port}")
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{bot.port}/healthz") as response,
    ):
        assert response.status == 200


async def count(services: Services, model: type, *where: object) -> int:
    async with services.db.transaction() as session:
        query = select(func.count()).select_from(model).where(*where)  # type: ignore[arg-type]
        return int(await session.scalar(query) or 0)


def calls_to_chat(api: FakeTelegramAPI, method: str, chat: int) -> int:
    return sum(
        1
        for call in api.calls_to(method)
        if not call.failed and str(call.params.get("chat_id")) == str(chat)
    )


async def test_two_processes_answer_an_update_once_and_send_the_digest_once(
    services: Services,
    tg_api: FakeTelegramAPI,
    start_process: Callable[[], BotProcess],
) -> None:
    token = (
        await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-MULTI", actor="t")
    ).link.token
    first, second = start_process(), start_process()
    await asyncio.gather(ready(first), ready(second))

    async def both(update: dict[str, object]) -> None:
        results = await asyncio.gather(
            tg_api.deliver(update, first.webhook, SECRET),
            tg_api.deliver(update, second.webhook, SECRET),
        )
        assert [status for status, _ in results] == [200, 200]

    citizen = tg_api.user(CITIZEN_CHAT)
    await both(citizen.send_command("start", token))
    consent = [t for t in tg_api.sent_texts(CITIZEN_CHAT) if "đồng ý" in t]
    assert len(consent) == 1
    assert await count(services, SurveySession) == 1

    await tg_api.wait_for(lambda c: "đồng ý" in str(c.params.get("text", "")))
    yes = next(d for row in tg_api.last_keyboard(CITIZEN_CHAT) for _, d in row if d and
               d.endswith("|yes"))  # fmt: skip
    await both(citizen.press(yes))
    first_question = tg_api.last_keyboard(CITIZEN_CHAT)
    level = next(d for row in first_question for _, d in row if d and d.endswith("|4"))
    await both(citizen.press(level))
    assert await count(services, Answer) == 1
    assert sum("Câu 2/22" in t for t in tg_api.sent_texts(CITIZEN_CHAT)) == 1

    # The scheduler: one process runs it, the other stands by; the digest arrives once.
    def one_leads() -> bool:
        leads = [bot.logged(LEADS) for bot in (first, second)]
        stands_by = [bot.logged("stands by") for bot in (first, second)]
        return leads in ([True, False], [False, True]) and leads == [not s for s in stands_by]

    await until(one_leads, "one scheduler and one standby")
    await until(lambda: calls_to_chat(tg_api, "sendMessage", CHAIR_CHAT), "the digest")
    await until_pruned(services, "first-tick", "the first scheduler's first tick")
    assert calls_to_chat(tg_api, "sendMessage", CHAIR_CHAT) == 1
    assert await count(services, Delivery, Delivery.key.startswith("digest:")) == 1

    # Its process dies; the standby takes over, catches up, and sends nothing new.
    leader, standby = (first, second) if first.logged(LEADS) else (second, first)
    await old_update(services, "takeover-tick")  # the old leader prunes once an hour only
    leader.kill()
    await until(lambda: standby.logged(LEADS), "the takeover")
    await until_pruned(services, "takeover-tick", "the new scheduler's first tick")
    assert calls_to_chat(tg_api, "sendMessage", CHAIR_CHAT) == 1
    assert await count(services, Delivery, Delivery.key.startswith("digest:")) == 1


async def old_update(services: Services, key: str) -> None:
    """An inbound update id old enough to be pruned: its disappearance shows that a
    scheduler tick (retries, reminders, digests, then prune) has completed."""
    async with services.db.transaction() as session:
        old = system_clock() - timedelta(days=10)
        session.add(ProcessedUpdate(channel="test", update_key=key, processed_at=old))


async def until_pruned(services: Services, key: str, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while await count(services, ProcessedUpdate, ProcessedUpdate.update_key == key):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)
