"""Weekly digests' delivery: exactly one send per recipient and week even when jobs race,
and catch-up after downtime within bounds, on both databases.
"""

from __future__ import annotations

import asyncio

from bot.services import Services, build_services
from flows.outbound import Photo
from scheduler.clock import ManualClock
from storage.db import Database
from tests.support.scheduler import add_staff, complete_response, jobs_for, recording


async def test_each_chair_gets_one_digest_per_week_even_when_jobs_race(
    services: Services, clock: ManualClock
) -> None:
    channel = recording(services)
    await add_staff(services, "chutich", role="chair", unit="XA-HOATHANH", chat_id="9001")
    await add_staff(services, "tinh", role="viewer", unit="TINH-TEST", chat_id="9002")
    await add_staff(services, "clerk", role="clerk", unit="XA-HOATHANH", chat_id="9003")
    await complete_response(services, "c1", "HS-1", [4] * 22)
    jobs = jobs_for(services)
    clock.now = clock.now.replace(day=30, hour=0, minute=29)  # Mon 30/11 07:29 local
    assert await jobs.digests() == 0  # W47 predates the units: nothing to report
    clock.advance(minutes=1)
    other = build_services(services.settings, clock, Database(services.db.url))
    for channel_in_use in services.channels:
        other.channels.add(channel_in_use)
    try:
        results = await asyncio.gather(jobs.digests(), jobs_for(other).digests(), jobs.digests())
    finally:
        await other.db.dispose()
    assert sum(results) == 2
    assert await jobs.digests() == 0
    for chat in ("9001", "9002"):
        [text] = channel.texts_to(chat)
        assert text.startswith("📊 Báo cáo tuần 48/2026")
        [photo] = channel.photos_to(chat)
        assert isinstance(photo, Photo) and photo.png.startswith(b"\x89PNG")
    assert "Xếp hạng" in channel.texts_to("9002")[0]
    assert channel.to("9003") == []
    clock.advance(days=6)  # still week 49: nothing new
    assert await jobs.digests() == 0
    clock.advance(days=1)  # Mon 07/12 07:30: the week 49 digest
    assert await jobs.digests() == 2
    assert "Tuần này chưa có phiếu nào hoàn thành." in channel.texts_to("9001")[-1]


async def test_digest_catches_up_after_downtime_within_bounds(
    services: Services, clock: ManualClock
) -> None:
    channel = recording(services)
    await add_staff(
        services, "chutich", role="chair", unit="XA-HOATHANH", chat_id="9001", locale="en"
    )
    clock.advance(days=19)  # down from Tue 24/11 to Sun 13/12 (weeks 48 and 49 missed)
    jobs = jobs_for(services)
    assert await jobs.digests() == 2
    assert [t.splitlines()[0] for t in channel.texts_to("9001")] == [
        "📊 Weekly report, week 48/2026 (23/11/2026 – 29/11/2026)",
        "📊 Weekly report, week 49/2026 (30/11/2026 – 06/12/2026)",
    ]
    clock.advance(days=30)  # down until Tue 12/01/2027: weeks 50-52 are too old by now
    assert await jobs.digests() == 2
    assert await jobs.digests() == 0
    weeks = [t.split("week ")[1].split(" ")[0] for t in channel.texts_to("9001")]
    assert weeks == ["48/2026", "49/2026", "53/2026", "1/2027"]
