"""State that two processes must share lives in the database: two service instances (each
with its own engine, as two processes have) on one database, on both backends.

- run-time settings changed through one web server apply in the other within the cache TTL;
- a bulk import's result uploaded through one web server downloads from the other, and is
  deleted by the scheduler's housekeeping once expired;
- two concurrent drains of the failed-send queue send each message once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.channels.protocol import SendContext
from bot.services import Services, build_services
from bot.staff.runtime_settings import TTL
from flows.outbound import ConversationRef, Message, Outbound, to_payload
from scheduler.clock import ManualClock
from storage.db import Database
from storage.models import Delivery, ImportResult
from storage.repos import deliveries
from tests.support.channels import RecordingChannel
from tests.support.environment import free_port
from tests.support.scheduler import jobs_for
from tests.support.servers import serving
from tests.support.staff import StaffClient, add_staff


@pytest.fixture
async def other(services: Services, clock: ManualClock) -> AsyncIterator[Services]:
    """A second process's services: same settings and database, its own engine and caches."""
    database = Database(services.db.url)
    yield build_services(services.settings, clock, database)
    await database.dispose()


async def test_run_time_settings_reach_the_other_process_within_the_ttl(
    services: Services, other: Services, server: str, clock: ManualClock
) -> None:
    for each in (services, other):
        each.channels.add(RecordingChannel("telegram"))
    before = await other.links.create(unit_code="XA-HOATHANH", dossier_code="HS-1")
    assert other.links.as_json(before)["links"]["telegram"] is not None
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    async with StaffClient(server) as admin:
        await admin.login("so.noivu")
        await admin.get("/staff/admin/settings")
        status, _ = await admin.post(
            "/staff/admin/settings", {"expire_days": "3", "show_zalo": "on"}
        )
        assert status == 200
    clock.advance(seconds=TTL.total_seconds())
    info = await other.links.create(unit_code="XA-HOATHANH", dossier_code="HS-2")
    assert info.link.expires_at - clock() == timedelta(days=3)
    assert other.links.as_json(info)["links"]["telegram"] is None
    assert TTL <= timedelta(seconds=5)


async def test_an_import_result_downloads_from_another_process_until_it_expires(
    services: Services, other: Services, server: str, clock: ManualClock
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as clerk:
        await clerk.login("thu.clerk")
        await clerk.get("/staff/import")
        data = aiohttp.FormData({"csrf": clerk.csrf, "unit": "XA-HOATHANH"})
        data.add_field("file", "Mã hồ sơ\nHS-100\n".encode(), filename="ho-so.csv")
        status, body = await clerk.post("/staff/import", data)
        assert status == 200
    download = re.search(r'href="(/staff/import/[^"]+\.csv)"', body).group(1)  # type: ignore[union-attr]
    async with serving(other, free_port()) as other_server, StaffClient(other_server) as clerk:
        await clerk.login("thu.clerk")
        status, csv = await clerk.get(download)
        assert status == 200 and "HS-100" in csv
        clock.advance(days=7, seconds=1)
        status, _ = await clerk.get(download)
        assert status == 404  # expired: not served even before the housekeeping ran
    await jobs_for(other).prune()
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(ImportResult)) == 0


class SlowRecordingChannel(RecordingChannel):
    """A channel that takes a moment to send (so two drains overlap) and records each send."""

    async def send(self, ref: ConversationRef, item: Outbound, context: SendContext) -> None:
        await asyncio.sleep(0.05)
        await super().send(ref, item, context)


async def test_two_concurrent_drains_of_the_failed_send_queue_send_once(
    services: Services, other: Services, clock: ManualClock
) -> None:
    now = clock()
    async with services.db.transaction() as session:
        for n in range(10):
            delivery = await deliveries.claim(
                session,
                key=f"retry:telegram:{n}:x",
                channel="telegram",
                chat_id=str(5000 + n),
                payload=to_payload([Message(f"tin {n}")]),
                now=now,
            )
            assert delivery is not None
            await deliveries.mark_failed(session, delivery, "timeout", now)
    clock.advance(minutes=3)  # the retries are due
    channel = SlowRecordingChannel()
    services.channels.add(channel)
    other.channels.add(channel)
    sent = await asyncio.gather(jobs_for(services).retries(), jobs_for(other).retries())
    assert sum(sent) == 10
    assert sorted(ref.chat_id for ref, _ in channel.sent) == [str(5000 + n) for n in range(10)]
    async with services.db.transaction() as session:
        statuses = await session.scalars(select(Delivery.status))
        assert set(statuses) == {"sent"}
