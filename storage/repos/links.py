"""Dossiers and their survey links: one link per (unit, dossier), created idempotently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dossier, SurveyLink, SurveySession, Unit

STATUSES = ("created", "opened", "in_progress", "completed", "expired")


@dataclass(frozen=True)
class LinkRequest:
    unit: Unit
    dossier_code: str
    form: str
    procedure: str | None = None
    phone: str | None = None
    created_by: str | None = None
    flow_key: str | None = None  # a published flow picked by id; None: the unit's default


# Built once: every web chat request and every deep link reads a link by token, and building
# the statement anew (and its cache key) each time was a visible share of the server's CPU.
_BY_TOKEN = select(SurveyLink).where(SurveyLink.token == bindparam("token"))


async def by_token(session: AsyncSession, token: str) -> SurveyLink | None:
    return await session.scalar(_BY_TOKEN, {"token": token})


async def by_short_code(session: AsyncSession, code: str) -> SurveyLink | None:
    return await session.scalar(select(SurveyLink).where(SurveyLink.short_code == code))


async def for_dossier(session: AsyncSession, unit_id: int, dossier_code: str) -> SurveyLink | None:
    return await session.scalar(
        select(SurveyLink)
        .join(Dossier, Dossier.id == SurveyLink.dossier_id)
        .where(Dossier.unit_id == unit_id, Dossier.code == dossier_code)
    )


# A dossier's link with its dossier and its response (if any).
_WITH_DOSSIER = (
    select(SurveyLink, Dossier, SurveySession)
    .join(Dossier, Dossier.id == SurveyLink.dossier_id)
    .outerjoin(SurveySession, SurveySession.link_id == SurveyLink.id)
)


async def with_dossiers(
    session: AsyncSession, link_ids: list[int]
) -> list[tuple[SurveyLink, Dossier, SurveySession | None]]:
    """The links of ``link_ids`` with their dossier and response (if any), in no order."""
    rows = await session.execute(_WITH_DOSSIER.where(SurveyLink.id.in_(link_ids)))
    return [(link, dossier, survey) for link, dossier, survey in rows]


async def dossier_of(session: AsyncSession, link: SurveyLink) -> Dossier:
    """The dossier of a dossier's link (a desk scan's link has none: do not ask)."""
    dossier = await session.get(Dossier, link.dossier_id)
    assert dossier is not None  # a foreign key guarantees it for a dossier's link
    return dossier


async def create(
    session: AsyncSession,
    request: LinkRequest,
    *,
    now: datetime,
    expires_at: datetime,
    new_token: Callable[[], str],
    new_short_code: Callable[[], str],
) -> tuple[SurveyLink, bool]:
    """The dossier's link, creating dossier and link if needed; ``True`` when created now.

    Safe under concurrent calls: a lost race on the unique constraints falls back to the
    link the other caller created.
    """
    existing = await for_dossier(session, request.unit.id, request.dossier_code)
    if existing is not None:
        return existing, False
    for _attempt in range(5):
        try:
            async with session.begin_nested():
                dossier = await session.scalar(
                    select(Dossier).where(
                        Dossier.unit_id == request.unit.id, Dossier.code == request.dossier_code
                    )
                )
                if dossier is None:
                    dossier = Dossier(
                        unit_id=request.unit.id,
                        code=request.dossier_code,
                        procedure=request.procedure,
                        phone=request.phone,
                        created_at=now,
                    )
                    session.add(dossier)
                    await session.flush()
                link = SurveyLink(
                    token=new_token(),
                    short_code=new_short_code(),
                    dossier_id=dossier.id,
                    unit_id=request.unit.id,
                    form=request.form,
                    flow_key=request.flow_key,
                    created_by=request.created_by,
                    created_at=now,
                    expires_at=expires_at,
                )
                session.add(link)
                await session.flush()
            return link, True
        except IntegrityError:
            existing = await for_dossier(session, request.unit.id, request.dossier_code)
            if existing is not None:
                return existing, False
            # a token or short code collided: draw new ones
    raise RuntimeError("could not allocate a unique survey link after 5 attempts")


async def reissue(
    session: AsyncSession,
    link: SurveyLink,
    *,
    expires_at: datetime,
    new_token: Callable[[], str],
    new_short_code: Callable[[], str],
) -> None:
    """Give ``link`` a new token and short code (the old ones stop working at once)."""
    for _attempt in range(5):
        try:
            async with session.begin_nested():
                link.token = new_token()
                link.short_code = new_short_code()
                link.expires_at = expires_at
                await session.flush()
            return
        except IntegrityError:
            continue  # a token or short code collided: draw new ones
    raise RuntimeError("could not allocate a unique survey link after 5 attempts")


def status(link: SurveyLink, survey: SurveySession | None, now: datetime) -> str:
    """created, opened, in_progress, completed or expired (see INTERFACES.md)."""
    if survey is not None and survey.completed_at is not None:
        return "completed"
    if now >= link.expires_at:
        return "expired"
    if survey is None:
        return "created"
    if survey.last_answer_at is None:
        return "opened"
    return "in_progress"


async def recent(
    session: AsyncSession, unit_ids: list[int], limit: int = 100
) -> list[tuple[SurveyLink, Dossier, SurveySession | None]]:
    rows = await session.execute(
        _WITH_DOSSIER.where(SurveyLink.unit_id.in_(unit_ids))
        .order_by(SurveyLink.created_at.desc(), SurveyLink.id.desc())
        .limit(limit)
    )
    return [(link, dossier, survey) for link, dossier, survey in rows]
