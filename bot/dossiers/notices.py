"""The result notice of a survey link: requested once the link exists, sent by ZNS.

``LinkService.create`` asks for it after the link's transaction has committed, so every entry
point that creates links (CLI, clerk page, import, API, staff chat command) goes through here
exactly once. Nothing is stored or sent when ``[zalo_zns]`` is off or the dossier has no
phone. The claim is idempotent per link (one notice per dossier, ever); the send is tried at
once, outside any database transaction, and the scheduler retries what must wait (the night
ban, a network error). A notice that goes wrong never makes the link's creation fail: the link
is there, and the notice carries the error for the clerk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.channels.zalo.oa_tokens import TokenKeeper
from bot.channels.zalo.zns import ZnsNotifier
from bot.settings import Settings
from storage.db import Database
from storage.models import ResultNotice
from storage.repos import result_notices

log = logging.getLogger(__name__)
RETRY_AFTER_CRASH = timedelta(minutes=15)


@dataclass(frozen=True)
class NoticeState:
    """What the clerk sees of a link's notice: pending, sent, waiting or failed, and why."""

    status: str
    error: str | None = None
    error_code: int | None = None
    next_attempt_at: datetime | None = None  # when a waiting notice is tried again

    @classmethod
    def of(cls, notice: ResultNotice) -> NoticeState:
        return cls(notice.status, notice.error, notice.error_code, notice.next_attempt_at)

    def as_json(self) -> dict[str, Any]:
        """The link JSON's ``notice`` value (INTERFACES.md)."""
        return {"status": self.status, "error": self.error}


class ResultNotices:
    """Requests and reports result notices through one ZnsNotifier (one per process)."""

    def __init__(self, db: Database, notifier: ZnsNotifier) -> None:
        self.db, self.notifier = db, notifier

    async def request(self, link_id: int) -> NoticeState | None:
        """Claim the link's notice and try to send it now; its state, never an exception.
        None when the dossier has no phone. Call it outside any transaction."""
        try:
            outcome = await self.notifier.notify(link_id)
        except Exception as exc:  # the link exists whatever happens to its notice
            log.exception("ZNS result notice of link %d could not be requested", link_id)
            return await self._record_crash(link_id, exc)
        if outcome.status == "no_phone":
            return None
        return NoticeState(
            outcome.status, outcome.error, outcome.error_code, outcome.next_attempt_at
        )

    async def _record_crash(self, link_id: int, exc: Exception) -> NoticeState | None:
        """Keep the unexpected error on the notice (if it was claimed), retried later."""
        reason = f"could not be sent ({type(exc).__name__}); it is tried again later"
        try:
            async with self.db.transaction() as session:
                notice = await result_notices.for_link(session, link_id)
                if notice is None:
                    return NoticeState(result_notices.FAILED, reason)
                if notice.status in (result_notices.PENDING, result_notices.WAITING):
                    until = self.notifier.now() + RETRY_AFTER_CRASH
                    await result_notices.mark_waiting(
                        session, notice, until, None, reason, attempted=False
                    )
                return NoticeState.of(notice)
        except Exception:
            log.exception("the error of link %d's result notice could not be recorded", link_id)
            return NoticeState(result_notices.FAILED, reason)

    async def state(self, link_id: int) -> NoticeState | None:
        """The stored notice of the link (None: none was requested)."""
        async with self.db.transaction() as session:
            notice = await result_notices.for_link(session, link_id)
            return NoticeState.of(notice) if notice is not None else None

    async def statuses(self, link_ids: Iterable[int]) -> dict[int, str]:
        """Link id → notice status, for the list of recent links."""
        async with self.db.transaction() as session:
            return await result_notices.statuses_for(session, list(link_ids))

    async def send_due(self, limit: int = 20) -> int:
        """The scheduler's part: notices whose time has come (morning, retries)."""
        return await self.notifier.send_due(limit)

    async def close(self) -> None:
        await self.notifier.keeper.close()


def result_notices_for(
    settings: Settings,
    db: Database,
    clock: Callable[[], datetime],
    survey_url: Callable[[str], str],
    keeper: TokenKeeper | None = None,
) -> ResultNotices | None:
    """The notices when ``[zalo_zns]`` is configured, else None. ``keeper``: the process's
    OA token keeper when the OA channel already has one (one refresh for both)."""
    if not settings.zalo_zns.enabled:
        return None
    keeper = keeper or TokenKeeper(db, settings.zalo_oa, clock)
    notifier = ZnsNotifier(
        db,
        settings.zalo_zns,
        keeper,
        now=clock,
        zone=settings.locale.zone,
        survey_url=survey_url,
    )
    return ResultNotices(db, notifier)
