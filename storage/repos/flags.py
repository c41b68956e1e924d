"""Integrity flags of responses, their review, and what they do to the figures.

A completed response counts in the figures iff it has no flag, or every flag on it was
reviewed with the decision "keep". ``SurveySession.flagged`` mirrors "left out" (True while a
flag is unreviewed or a review said "exclude"), and every change of it moves the response in or
out of the counters through ``_count_response``, the one place that touches them, so counters
and raw answers agree whatever the order of flagging, keeping and excluding. Nothing is ever
deleted: a flag keeps its evidence and its review.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ResponseFlag, SurveySession
from storage.repos import audit, counters
from storage.repos.upsert import insert_for

FLAGS = (
    "too_fast",
    "staff_chat",
    "staff_browser",
    "staff_network",
    "repeat_chat",
    "denied_on_recheck",
)
KEEP = "keep"
EXCLUDE = "exclude"
DECISIONS = (KEEP, EXCLUDE)
REVIEW_ACTION = "response.review"


class ReviewRefused(ValueError):
    """A review that cannot be recorded (no reason, unknown decision, nothing flagged)."""


@dataclass(frozen=True)
class FlaggedResponse:
    """A flagged response as the review list shows it: never its answers, never its chat."""

    session_id: int
    unit_id: int
    completed_at: datetime | None
    flagged: bool  # left out of the figures now
    flags: tuple[ResponseFlag, ...]

    @property
    def pending(self) -> bool:
        return any(flag.decision is None for flag in self.flags)


async def raise_flag(
    session: AsyncSession, *, session_id: int, flag: str, evidence: dict[str, Any], now: datetime
) -> bool:
    """Record ``flag`` on a response once (idempotent per response and flag); True if new.

    A counted response leaves the counters at once; a response kept after review is left out
    again by a new flag until that one is reviewed too.
    """
    if flag not in FLAGS:
        raise ValueError(f"unknown flag {flag!r}")
    statement = (
        insert_for(session, ResponseFlag)
        .values(session_id=session_id, flag=flag, evidence=evidence, raised_at=now)
        .on_conflict_do_nothing(index_elements=["session_id", "flag"])
    )
    result = await session.execute(statement)
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    await _settle(session, session_id)
    return True


async def review(
    session: AsyncSession,
    *,
    session_id: int,
    decision: str,
    reviewer: str,
    reason: str,
    now: datetime,
) -> list[str]:
    """Decide every flag of a response (keep: counted again once all its flags are kept;
    exclude: stays out); written to the audit log with who, when and why. Returns the flags.
    """
    reason = reason.strip()
    if decision not in DECISIONS:
        raise ReviewRefused(f"unknown decision {decision!r}")
    if not reason:
        raise ReviewRefused("a review needs a reason")
    found = await flags_of(session, session_id)
    if not found:
        raise ReviewRefused("the response has no flag to review")
    for flag in found:
        flag.reviewed_at = now
        flag.reviewed_by = reviewer
        flag.decision = decision
        flag.reason = reason
    await session.flush()
    names = [flag.flag for flag in found]
    await audit.record(
        session,
        actor=reviewer,
        action=REVIEW_ACTION,
        now=now,
        subject=f"response:{session_id}",
        detail={"decision": decision, "reason": reason, "flags": names},
    )
    await _settle(session, session_id)
    return names


async def flags_of(session: AsyncSession, session_id: int) -> list[ResponseFlag]:
    return list(
        await session.scalars(
            select(ResponseFlag)
            .where(ResponseFlag.session_id == session_id)
            .order_by(ResponseFlag.id)
        )
    )


async def count_completion(session: AsyncSession, survey: SurveySession) -> None:
    """A response has just completed: count it, unless it is flagged already (then the
    report counts it among the excluded, by flag, until a review keeps it)."""
    if not survey.flagged:
        await _count_response(session, survey, sign=1)


async def _settle(session: AsyncSession, session_id: int) -> None:
    """Bring ``flagged`` (and, for a completed response, the counters) in line with the flags."""
    survey = await session.scalar(
        select(SurveySession)
        .where(SurveySession.id == session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if survey is None:
        raise LookupError(f"no response {session_id}")
    found = await flags_of(session, session_id)
    excluded = any(flag.decision != KEEP for flag in found)
    survey.flag_reason = ",".join(flag.flag for flag in found)[:255] or None
    if excluded != survey.flagged:
        survey.flagged = excluded
        if survey.completed_at is not None:
            await _count_response(session, survey, sign=-1 if excluded else 1)
    await session.flush()


async def _count_response(session: AsyncSession, survey: SurveySession, *, sign: int) -> None:
    """Add (``sign=1``) or take out (``-1``) one completed response in the counters."""
    await counters.count_response(session, survey.id, sign=sign)


def counted() -> ColumnElement[bool]:
    """SQL condition: a completed response that counts (no flag unreviewed or excluded)."""
    blocking = select(ResponseFlag.id).where(
        ResponseFlag.session_id == SurveySession.id,
        or_(ResponseFlag.decision.is_(None), ResponseFlag.decision != KEEP),
    )
    return and_(SurveySession.completed_at.is_not(None), ~exists(blocking))


async def is_counted(session: AsyncSession, session_id: int) -> bool:
    found = await session.scalar(
        select(SurveySession.id).where(SurveySession.id == session_id, counted())
    )
    return found is not None


# --- the review list -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilter:
    unit_ids: tuple[int, ...] | None = None  # None: every unit (top admins)
    flag: str | None = None
    start: datetime | None = None  # completed at or after
    end: datetime | None = None  # completed before
    pending_only: bool = False


def _sessions_matching(where: ReviewFilter) -> Select[tuple[int]]:
    query = (
        select(SurveySession.id)
        .join(ResponseFlag, ResponseFlag.session_id == SurveySession.id)
        .where(SurveySession.completed_at.is_not(None))
    )
    if where.unit_ids is not None:
        query = query.where(SurveySession.unit_id.in_(where.unit_ids))
    if where.flag is not None:
        query = query.where(ResponseFlag.flag == where.flag)
    if where.start is not None:
        query = query.where(SurveySession.completed_at >= where.start)
    if where.end is not None:
        query = query.where(SurveySession.completed_at < where.end)
    if where.pending_only:
        query = query.where(ResponseFlag.decision.is_(None))
    return query.distinct()


async def flagged_responses(
    session: AsyncSession, where: ReviewFilter, *, limit: int = 200
) -> list[FlaggedResponse]:
    """Completed flagged responses matching ``where``, newest first."""
    surveys_found = list(
        await session.scalars(
            select(SurveySession)
            .where(SurveySession.id.in_(_sessions_matching(where)))
            .order_by(SurveySession.completed_at.desc(), SurveySession.id.desc())
            .limit(limit)
        )
    )
    by_session: dict[int, list[ResponseFlag]] = {s.id: [] for s in surveys_found}
    if by_session:
        rows = await session.scalars(
            select(ResponseFlag)
            .where(ResponseFlag.session_id.in_(list(by_session)))
            .order_by(ResponseFlag.id)
        )
        for flag in rows:
            by_session[flag.session_id].append(flag)
    return [
        FlaggedResponse(s.id, s.unit_id, s.completed_at, s.flagged, tuple(by_session[s.id]))
        for s in surveys_found
    ]


async def count_responses(session: AsyncSession, where: ReviewFilter) -> int:
    """How many responses match ``where``."""
    found = await session.scalar(
        select(func.count()).select_from(_sessions_matching(where).subquery())
    )
    return int(found or 0)


async def counts_by_flag(session: AsyncSession, where: ReviewFilter) -> Counter[str]:
    """How many matching responses carry each flag (the filter's own flag aside)."""
    everything = ReviewFilter(where.unit_ids, None, where.start, where.end, where.pending_only)
    rows = await session.execute(
        select(ResponseFlag.flag, func.count(func.distinct(ResponseFlag.session_id)))
        .where(ResponseFlag.session_id.in_(_sessions_matching(everything)))
        .group_by(ResponseFlag.flag)
    )
    return Counter({flag: int(count) for flag, count in rows})
