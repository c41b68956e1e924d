"""Reminders on a manual clock, through the real conversation glue, on both databases."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.services import Services, build_services
from flows.engine import RESUME, Choose
from flows.outbound import Message
from scheduler.clock import ManualClock
from storage.db import Database
from storage.models import Delivery
from storage.repos import personal_data
from tests.support.scheduler import (
    answer,
    finish,
    jobs_for,
    open_survey,
    recording,
)


async def test_first_and_second_reminder_at_the_right_times(
    services: Services, clock: ManualClock
) -> None:
    channel = recording(services)
    jobs = jobs_for(services)
    ref = await open_survey(services, "1001", "HS-1", answers=[4] * 9)  # Tue 09:00
    clock.advance(hours=23, minutes=59)
    assert await jobs.reminders() == 0
    clock.advance(minutes=1)  # Wed 09:00
    assert await jobs.reminders() == 1
    assert await jobs.reminders() == 0  # once only
    [batch] = channel.to("1001")
    [message] = batch
    assert isinstance(message, Message)
    assert "Ông/Bà đã trả lời 9/22 câu" in message.text
    assert message.prompt_id == RESUME and len(message.options) == 1
    clock.advance(hours=47, minutes=59)
    assert await jobs.reminders() == 0
    clock.advance(minutes=1)  # Fri 09:00 = last answer + 72 h
    assert await jobs.reminders() == 1
    clock.advance(days=9)
    assert await jobs.reminders() == 0
    assert len(channel.to("1001")) == 2
    # One tap on the reminder's button continues where the respondent stopped.
    reply = await services.conversation.turn(ref, Choose(RESUME, message.options[0].value))
    question = [m for m in reply.messages if isinstance(m, Message) and m.progress]
    assert question[0].header == "Câu 10/22"


async def test_answering_again_restarts_the_delay(services: Services, clock: ManualClock) -> None:
    channel = recording(services)
    jobs = jobs_for(services)
    ref = await open_survey(services, "1001", "HS-1", answers=[4] * 3)
    clock.advance(hours=24)
    assert await jobs.reminders() == 1
    clock.advance(hours=2)
    await answer(services, ref, [5] * 2, start=3)  # came back, answered 2, left again
    clock.advance(hours=71)
    assert await jobs.reminders() == 0
    clock.advance(hours=1)
    assert await jobs.reminders() == 1
    assert "5/22" in channel.texts_to("1001")[-1]


async def test_no_reminder_during_quiet_hours(services: Services, clock: ManualClock) -> None:
    channel = recording(services)
    jobs = jobs_for(services)
    clock.advance(hours=13, minutes=30)  # Tue 22:30 local
    await open_survey(services, "1001", "HS-1", answers=[3] * 5)
    clock.advance(hours=24)  # Wed 22:30: due, but quiet
    for _ in range(17):  # every 30 minutes until 06:30
        assert await jobs.reminders() == 0
        clock.advance(minutes=30)
    assert channel.sent == []
    clock.advance(minutes=30)  # Thu 07:00
    assert await jobs.reminders() == 1


async def test_no_reminder_after_completion_deletion_expiry_or_on_the_web(
    services: Services, clock: ManualClock
) -> None:
    channel = recording(services)
    jobs = jobs_for(services)
    done = await open_survey(services, "1", "HS-1", answers=[4] * 22)
    await finish(services, done)
    deleted = await open_survey(services, "2", "HS-2", answers=[4] * 5)
    async with services.db.transaction() as session:
        await personal_data.forget_chat(session, deleted.channel, deleted.chat_id, clock())
    await open_survey(services, "3", "HS-3", answers=[4] * 5, channel="web")
    await open_survey(services, "4", "HS-4", consent="no")
    clock.advance(days=3)
    assert await jobs.reminders() == 0, channel.sent
    # A link that expires before its reminder is due gets none.
    late = await open_survey(services, "5", "HS-5", answers=[4] * 5)
    clock.advance(days=13, hours=12)
    await answer(services, late, [4], start=5)
    clock.advance(hours=24)  # the link expired 12 h ago
    assert await jobs.reminders() == 0
    assert channel.sent == []


async def test_a_reminder_too_late_is_skipped(services: Services, clock: ManualClock) -> None:
    channel = recording(services)
    jobs = jobs_for(services)
    await open_survey(services, "1001", "HS-1", answers=[4] * 2)
    clock.advance(hours=50)  # the process was down: reminder 1 is 26 h late
    assert await jobs.reminders() == 0
    clock.advance(hours=22)  # reminder 2 is due
    assert await jobs.reminders() == 1
    clock.advance(days=5)
    assert await jobs.reminders() == 0
    assert len(channel.to("1001")) == 1


async def test_restart_between_due_time_and_send_sends_exactly_one(
    services: Services, clock: ManualClock
) -> None:
    """Process A dies after claiming the reminder but before sending it; process B (a new
    database handle, new jobs) must neither lose nor repeat it.
    """
    await open_survey(services, "1001", "HS-1", answers=[4] * 9)
    clock.advance(hours=24, minutes=5)

    class Killed:
        async def send(self, ref, messages):  # type: ignore[no-untyped-def]
            raise asyncio.CancelledError  # the process is killed mid-send

    dying = jobs_for(services)
    dying.sender = Killed()
    try:
        await dying.reminders()
    except asyncio.CancelledError:
        pass
    restarted = build_services(services.settings, clock, Database(services.db.url))
    channel = recording(restarted)
    jobs = jobs_for(restarted)
    try:
        assert await jobs.tick() is None
        assert channel.sent == []  # claimed by the dead process: wait for its lease
        clock.advance(minutes=5)
        await jobs.tick()
        assert len(channel.to("1001")) == 1
        for _ in range(10):
            clock.advance(minutes=30)
            await jobs.tick()
        assert len(channel.to("1001")) == 1
    finally:
        await restarted.db.dispose()


async def test_a_failed_send_is_retried_then_recorded(
    services: Services, clock: ManualClock
) -> None:
    channel = recording(services)
    channel.failing = True
    jobs = jobs_for(services)
    await open_survey(services, "1001", "HS-1", answers=[4] * 9)
    clock.advance(hours=24)
    assert await jobs.reminders() == 0
    async with services.db.transaction() as session:
        delivery = await session.scalar(select(Delivery))
        assert delivery is not None
        assert delivery.status == "pending" and delivery.attempts == 1
        assert "did not answer" in (delivery.last_error or "")
    channel.failing = False
    assert await jobs.retries() == 0  # back-off: not yet
    clock.advance(minutes=2)
    assert await jobs.retries() == 1
    assert await jobs.retries() == 0
    assert len(channel.to("1001")) == 1
    await jobs.prune()  # the respondent's chat id does not outlive the send
    async with services.db.transaction() as session:
        delivery = await session.scalar(select(Delivery))
        assert delivery is not None and delivery.status == "sent" and delivery.chat_id == ""


async def test_a_retry_is_cancelled_once_the_survey_is_completed(
    services: Services, clock: ManualClock
) -> None:
    channel = recording(services)
    channel.failing = True
    jobs = jobs_for(services)
    ref = await open_survey(services, "1001", "HS-1", answers=[4] * 9)
    clock.advance(hours=24)
    await jobs.reminders()
    await answer(services, ref, [4] * 13, start=9)
    await finish(services, ref)
    channel.failing = False
    clock.advance(minutes=10)
    assert await jobs.retries() == 0
    assert channel.sent == []
    async with services.db.transaction() as session:
        delivery = await session.scalar(select(Delivery))
        assert delivery is not None and delivery.status == "cancelled"


async def test_two_processes_racing_send_one_reminder(
    services: Services, clock: ManualClock
) -> None:
    channel = recording(services)
    other = build_services(services.settings, clock, Database(services.db.url))
    for channel_in_use in services.channels:
        other.channels.add(channel_in_use)
    try:
        await open_survey(services, "1001", "HS-1", answers=[4] * 9)
        clock.advance(hours=24)
        await asyncio.gather(jobs_for(services).reminders(), jobs_for(other).reminders())
        assert len(channel.to("1001")) == 1
    finally:
        await other.db.dispose()


async def test_an_expired_link_says_so_kindly(services: Services, clock: ManualClock) -> None:
    channel = recording(services)
    jobs = jobs_for(services)
    ref = await open_survey(services, "1001", "HS-1", answers=[4] * 9)
    clock.advance(hours=24)
    assert await jobs.reminders() == 1
    [[reminder]] = channel.to("1001")
    assert isinstance(reminder, Message)
    clock.advance(days=14)  # the link (14 days) has expired; the old button is pressed
    reply = await services.conversation.turn(ref, Choose(RESUME, reminder.options[0].value))
    [message] = reply.messages
    assert isinstance(message, Message)
    assert message.text.startswith("Đường liên kết khảo sát này đã hết hạn. Xin cảm ơn Ông/Bà")
    assert await jobs.reminders() == 0
