"""The result notice by ZNS: one template message per survey link, carrying the survey URL.

Idempotent per link (``result_notices`` is claimed once); the night ban (no ZNS 22:00-06:00
local time, Zalo answers -133) is respected before trying, and a -133 anyway waits for 06:00;
every outcome is recorded on the notice for the clerk. Phones are normalised to ``84…``;
the ``tracking_id`` names the link by its id (no token in it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.zalo.errors import TokenRefreshFailed, ZaloTemporaryError
from bot.channels.zalo.http import OpenApiHttp
from bot.channels.zalo.oa_tokens import TokenKeeper
from bot.channels.zalo.phone import InvalidPhone, normalise_phone
from bot.settings import ZaloZnsSettings
from storage.db import Database
from storage.models import ResultNotice
from storage.repos import result_notices
from storage.repos.result_notices import NoticeSubject

log = logging.getLogger(__name__)
TEMPLATE_PATH = "/message/template"
NIGHT_START, MORNING = time(22, 0), time(6, 0)
TOKEN_ERRORS = frozenset({-124, -216, -220})
NIGHT_BAN = -133
PERMANENT = {
    -108: "Zalo says the phone number is invalid",
    -1121: "a value is longer than the ZNS template allows",
}
MAX_ATTEMPTS = 6
LEASE = timedelta(minutes=5)


def tracking_id(link_id: int) -> str:
    """Zalo requires one (≤ 48 characters); the link id, never its token."""
    return f"sipas-link-{link_id}"


def in_night_ban(now: datetime, zone: ZoneInfo) -> bool:
    local = now.astimezone(zone).time()
    return local >= NIGHT_START or local < MORNING


def next_morning(now: datetime, zone: ZoneInfo) -> datetime:
    """06:00 local time at the end of the current night (today's if before 06:00)."""
    local = now.astimezone(zone)
    day = local.date() if local.time() < MORNING else local.date() + timedelta(days=1)
    return datetime.combine(day, MORNING, tzinfo=zone)


@dataclass(frozen=True)
class NoticeOutcome:
    """What became of a link's notice: ``sent``, ``failed``, ``waiting``, ``pending``, or
    ``no_phone`` (nothing stored, nothing sent)."""

    status: str
    error_code: int | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None
    msg_id: str | None = None
    sent_now: bool = False  # this call sent it (not an earlier call, nor another process)

    @classmethod
    def of(cls, notice: ResultNotice, *, sent_now: bool = False) -> NoticeOutcome:
        return cls(
            notice.status,
            notice.error_code,
            notice.error,
            notice.next_attempt_at,
            notice.msg_id,
            sent_now,
        )


class ZnsNotifier:
    """Sends result notices with the OA's access token (``keeper``)."""

    def __init__(
        self,
        db: Database,
        settings: ZaloZnsSettings,
        keeper: TokenKeeper,
        *,
        now: Callable[[], datetime],
        zone: ZoneInfo,
        survey_url: Callable[[str], str],
        http: OpenApiHttp | None = None,
    ) -> None:
        self.db, self.settings, self.keeper = db, settings, keeper
        self.now, self.zone, self.survey_url = now, zone, survey_url
        self.http = http or keeper.http

    async def notify(self, link_id: int) -> NoticeOutcome:
        """Claim the link's notice (once ever) and try to send it now unless it is night."""
        async with self.db.transaction() as session:
            subject = await result_notices.subject(session, link_id)
            if subject is None or not subject.phone:
                return NoticeOutcome("no_phone")
            claimed = await result_notices.claim(session, link_id, tracking_id(link_id), self.now())
            if claimed is None:
                existing = await result_notices.for_link(session, link_id)
                assert existing is not None
                return NoticeOutcome.of(existing)
            notice_id = claimed.id
        return await self._attempt(notice_id)

    async def send_due(self, limit: int = 20) -> int:
        """Try the notices whose time has come (the scheduler's tick); how many were sent."""
        async with self.db.transaction() as session:
            ids = [n.id for n in await result_notices.due(session, self.now(), limit)]
        sent = 0
        for notice_id in ids:
            sent += (await self._attempt(notice_id)).sent_now
        return sent

    async def _attempt(self, notice_id: int) -> NoticeOutcome:
        now = self.now()
        async with self.db.transaction() as session:
            notice = await session.get(ResultNotice, notice_id, populate_existing=True)
            assert notice is not None
            if in_night_ban(now, self.zone):
                until = next_morning(now, self.zone)
                await result_notices.mark_waiting(
                    session, notice, until, None, "no ZNS between 22:00 and 06:00", attempted=False
                )
                return NoticeOutcome.of(notice)
            if not await result_notices.take(session, notice_id, now, now + LEASE):
                return NoticeOutcome.of(notice)
            subject = await result_notices.subject(session, notice.link_id)
            assert subject is not None
            try:
                body = self._body(subject, notice.tracking_id)
            except InvalidPhone as exc:
                await result_notices.mark_failed(session, notice, None, str(exc))
                log.warning("ZNS result notice of link %d not sent: %s", notice.link_id, exc)
                return NoticeOutcome.of(notice)
        answer, problem = await self._post(body)
        async with self.db.transaction() as session:
            notice = await session.get(ResultNotice, notice_id, populate_existing=True)
            assert notice is not None
            await self._record(session, notice, answer, problem)
            return NoticeOutcome.of(notice, sent_now=notice.status == result_notices.SENT)

    def _body(self, subject: NoticeSubject, tracking: str) -> dict[str, Any]:
        return {
            "phone": normalise_phone(subject.phone or ""),
            "template_id": self.settings.template_id,
            "template_data": {
                "dossier_code": subject.dossier_code,
                "unit_name": subject.unit_name,
                "survey_url": self.survey_url(subject.token),
            },
            "tracking_id": tracking,
        }

    async def _post(self, body: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """Zalo's answer, or ({}, reason) when it could not be asked."""
        url = self.settings.base_url.rstrip("/") + TEMPLATE_PATH
        try:
            token = await self.keeper.access_token()
            answer = await self.http.post_json(url, body, {"access_token": token}, what="ZNS")
            if answer.get("error") in TOKEN_ERRORS:
                token = await self.keeper.after_rejection(token)
                answer = await self.http.post_json(url, body, {"access_token": token}, what="ZNS")
        except (ZaloTemporaryError, TokenRefreshFailed) as exc:
            return {}, str(exc)
        return answer, None

    async def _record(
        self,
        session: AsyncSession,
        notice: ResultNotice,
        answer: dict[str, Any],
        problem: str | None,
    ) -> None:
        now, link = self.now(), notice.link_id
        code = answer.get("error")
        if problem is None and code == 0:
            msg_id = str((answer.get("data") or {}).get("msg_id") or "")
            await result_notices.mark_sent(session, notice, msg_id, now)
            log.info("ZNS result notice of link %d sent", link)
            return
        reason = problem or str(answer.get("message") or "no message")
        code = code if isinstance(code, int) else None
        if code == NIGHT_BAN:
            until = next_morning(now, self.zone)
            await result_notices.mark_waiting(session, notice, until, code, reason)
        elif code in PERMANENT or notice.attempts + 1 >= MAX_ATTEMPTS:
            await result_notices.mark_failed(session, notice, code, PERMANENT.get(code, reason))
        else:
            until = now + timedelta(minutes=15) * 2**notice.attempts
            if in_night_ban(until, self.zone):
                until = next_morning(until, self.zone)
            await result_notices.mark_waiting(session, notice, until, code, reason)
        log.warning(
            "ZNS result notice of link %d: %s (%s) -> %s", link, code, reason, notice.status
        )
