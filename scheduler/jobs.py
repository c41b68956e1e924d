"""The periodic jobs. Each takes "now" from the injected clock and reads due work from the
database, so tests call them directly on a manual clock, and a restart loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from flows.outbound import ConversationRef, to_payload
from reports.digest import Digest, compose_digest
from reports.figures import FlowLookup
from reports.weeks import end_of, monday, shift
from scheduler.clock import Clock, iso_week
from scheduler.config import Schedule
from scheduler.reminders import send_due_reminders
from scheduler.sending import Sender, messages_of, ref_of, send_claimed
from storage.db import Database
from storage.models import ChatBinding, Unit, User
from storage.repos import (
    audit,
    dedupe,
    deliveries,
    import_results,
    personal_data,
    surveys,
    units,
    users,
)
from storage.repos import reminders as reminder_repo

log = logging.getLogger(__name__)

# bot.staff.roles.RECEIVE_DIGEST decides this; the scheduler may not import bot, so it keeps a
# copy that tests/test_roles.py holds equal.
DIGEST_ROLES = ("chair", "viewer")
REMINDER_PREFIX = "reminder:"
# bot.complaints.desk.ANSWER_PREFIX (a copy: the scheduler may not import bot; a test holds
# them equal): answers sent to respondents' chats, whose chat ids are forgotten once sent.
COMPLAINT_ANSWER_PREFIX = "complaint-answer:"
RETRY_PREFIX = "retry:"  # bot.conversation.outbox: a reply that failed, sent again later
PRUNE_EVERY = timedelta(hours=1)
KEEP_LOGIN_AUDIT = timedelta(days=90)  # login entries in the audit log (the rest is kept)
NOTICES_PER_TICK = 50


def digest_key(unit_id: int, week: str, user_id: int, ref: ConversationRef) -> str:
    return f"digest:{unit_id}:{week}:{user_id}:{ref.channel}:{ref.chat_id}"


def digest_due(week: str, weekly_at: tuple[int, time], zone: ZoneInfo) -> datetime:
    """When the digest of ``week`` is due: the configured weekday and time of the following
    week (Monday 07:30 of week W+1 reports week W).
    """
    weekday, at = weekly_at
    day = monday(shift(week, 1)) + timedelta(days=weekday)
    return datetime.combine(day, at, tzinfo=zone)


def weeks_due(schedule: Schedule, now: datetime) -> list[str]:
    """Weeks whose digest is due now and not older than the catch-up bound, oldest first."""
    now_week = iso_week(now, schedule.zone)
    found = []
    for back in range(3 + schedule.digest_catch_up.days // 7, 0, -1):
        week = shift(now_week, -back)
        due = digest_due(week, schedule.weekly_at, schedule.zone)
        if due <= now < due + schedule.digest_catch_up:
            found.append(week)
    return found


class NoticeSender(Protocol):
    """Sends the result notices that are due (the product's ZNS notifier): those that waited
    for the morning after the night ban, and retries. Returns how many were sent."""

    async def send_due(self, limit: int = 20) -> int: ...


class DigestMailer(Protocol):
    """Sends a digest by e-mail (the product's SMTP mailer); returns whether it went."""

    async def digest(self, subject: str, body: str, chart_png: bytes | None = None) -> bool: ...


@dataclass(frozen=True)
class _Recipient:
    key: str
    ref: ConversationRef
    locale: str


class Jobs:
    """The scheduler's work, given the database, a sender, the clock and the flows."""

    def __init__(
        self,
        db: Database,
        sender: Sender,
        clock: Clock,
        flows: FlowLookup,
        schedule: Schedule,
        notices: NoticeSender | None = None,
        mailer: DigestMailer | None = None,
    ) -> None:
        self.db = db
        self.mailer = mailer
        self.notices = notices
        self.sender = sender
        self.clock = clock
        self.flows = flows
        self.schedule = schedule
        self._pruned_at: datetime | None = None

    async def tick(self) -> None:
        """One pass of everything periodic; a failing job is logged and does not stop the rest."""
        jobs: tuple[tuple[str, Callable[[], Awaitable[int]]], ...] = (
            ("retries", self.retries),
            ("reminders", self.reminders),
            ("digests", self.digests),
            ("prune", self.prune),
        )
        if self.notices is not None:
            jobs = (*jobs, ("result notices", self.result_notices))
        for name, job in jobs:
            try:
                await job()
            except Exception:
                log.exception("scheduler job %s failed; it runs again next tick", name)

    async def result_notices(self) -> int:
        """Send the due result notices, a bounded batch per tick."""
        if self.notices is None:
            return 0
        return await self.notices.send_due(NOTICES_PER_TICK)

    async def reminders(self) -> int:
        return await send_due_reminders(self.db, self.sender, self.clock, self.flows, self.schedule)

    async def digests(self) -> int:
        """Send each chair and viewer the digest of their unit for every due week, once."""
        now = self.clock()
        weeks = weeks_due(self.schedule, now)
        if not weeks:
            return 0
        async with self.db.transaction() as session:
            chats = await users.staff_chats(session, roles=DIGEST_ROLES)
            by_id = {u.id: u for u in await units.all_units(session)}
            groups = self._recipients(weeks, chats, by_id)
            done = await deliveries.existing_keys(
                session, [r.key for group in groups.values() for r in group]
            )
        sent = 0
        for (week, unit_id, locale), group in groups.items():
            waiting = [r for r in group if r.key not in done]
            if waiting:
                sent += await self._send_digest(by_id[unit_id], week, locale, waiting)
        if self.mailer is not None:
            for week, unit_id in sorted({(week, unit_id) for week, unit_id, _ in groups}):
                await self._mail_digest(self.mailer, by_id[unit_id], week)
        return sent

    async def _compose(self, session: AsyncSession, unit: Unit, week: str, locale: str) -> Digest:
        return await compose_digest(
            session,
            unit,
            week,
            self.flows,
            self.schedule.zone,
            locale,
            work_list_url=self.schedule.complaints_url or None,
        )

    async def _mail_digest(self, mailer: DigestMailer, unit: Unit, week: str) -> None:
        """The e-mail copy of a unit's weekly digest, once (claimed like a chat send); a
        failure is recorded as undeliverable, not retried: the chats have the digest."""
        key = f"digest-mail:{unit.id}:{week}"
        now = self.clock()
        async with self.db.transaction() as session:
            claimed = await deliveries.claim(
                session, key=key, channel="email", chat_id="", payload=[], now=now
            )
            if claimed is None:
                return
            digest = await self._compose(session, unit, week, "vi")
        subject = digest.text.splitlines()[0]
        went = await mailer.digest(subject, digest.text, digest.chart_png)
        async with self.db.transaction() as session:
            delivery = await deliveries.by_key(session, key)
            assert delivery is not None
            if went:
                await deliveries.mark_sent(session, delivery, self.clock())
            else:
                await deliveries.mark_undeliverable(session, delivery, "e-mail refused", now)

    def _recipients(
        self,
        weeks: list[str],
        chats: list[tuple[User, ChatBinding]],
        by_id: dict[int, Unit],
    ) -> dict[tuple[str, int, str], list[_Recipient]]:
        """Who should have each week's digest, grouped so each digest is composed once."""
        groups: dict[tuple[str, int, str], list[_Recipient]] = {}
        for week in weeks:
            for user, binding in chats:
                unit = by_id.get(user.unit_id or 0)
                if unit is None or unit.created_at >= end_of(week, self.schedule.zone):
                    continue  # no digest for a week before the unit existed
                ref = ConversationRef(binding.channel, binding.chat_id)
                recipient = _Recipient(digest_key(unit.id, week, user.id, ref), ref, user.locale)
                groups.setdefault((week, unit.id, user.locale), []).append(recipient)
        return groups

    async def _send_digest(
        self, unit: Unit, week: str, locale: str, recipients: list[_Recipient]
    ) -> int:
        async with self.db.transaction() as session:
            digest = await self._compose(session, unit, week, locale)
        messages = digest.messages()
        payload = to_payload(messages)
        now = self.clock()
        claimed: list[_Recipient] = []
        async with self.db.transaction() as session:
            for recipient in recipients:
                if await deliveries.claim(
                    session,
                    key=recipient.key,
                    channel=recipient.ref.channel,
                    chat_id=recipient.ref.chat_id,
                    payload=payload,
                    now=now,
                ):
                    claimed.append(recipient)
        sent = 0
        for recipient in claimed:
            if await send_claimed(
                self.db, self.sender, self.clock, recipient.key, recipient.ref, messages
            ):
                sent += 1
        return sent

    async def retries(self) -> int:
        """Send again what failed (or was claimed by a process that died before sending)."""
        now = self.clock()
        async with self.db.transaction() as session:
            due = await deliveries.due(session, now)
        sent = 0
        for delivery in due:
            async with self.db.transaction() as session:
                if not await deliveries.lease(session, delivery, now):
                    continue  # another process took it
                if delivery.key.startswith(REMINDER_PREFIX) and not await _reminder_wanted(
                    session, delivery.key, now
                ):
                    current = await deliveries.by_key(session, delivery.key)
                    if current is not None:
                        await deliveries.cancel(session, current, "the survey no longer waits")
                    continue
            if await send_claimed(
                self.db,
                self.sender,
                self.clock,
                delivery.key,
                ref_of(delivery),
                messages_of(delivery),
            ):
                sent += 1
        return sent

    async def prune(self) -> int:
        """Forget old inbound update ids, respondents' chat ids in finished reminders and
        retried replies, chat ids of responses that no longer need them (completed long ago,
        or expired), bulk import results past their download period, phone numbers past their
        retention, and login entries of the audit log older than ``KEEP_LOGIN_AUDIT``.

        Housekeeping, so it runs at most once per ``PRUNE_EVERY`` however short the tick.
        """
        now = self.clock()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return 0
        self._pruned_at = now
        async with self.db.transaction() as session:
            pruned = await dedupe.forget_before(session, now - self.schedule.keep_update_ids)
            for prefix in (REMINDER_PREFIX, RETRY_PREFIX, COMPLAINT_ANSWER_PREFIX):
                pruned += await deliveries.scrub_finished(session, prefix)
            pruned += await surveys.forget_old_chats(
                session, completed_before=now - self.schedule.keep_chat_ids, now=now
            )
            pruned += await import_results.forget_expired(session, now)
            pruned += await personal_data.apply_retention(
                session,
                now=now,
                recheck_window=self.schedule.recheck_window,
                retention=self.schedule.retention,
            )
            pruned += await audit.forget_logins_before(session, now - KEEP_LOGIN_AUDIT)
        return pruned


async def _reminder_wanted(session: AsyncSession, key: str, now: datetime) -> bool:
    session_id = int(key.split(":")[1])
    return await reminder_repo.still_wanted(session, session_id, now)
