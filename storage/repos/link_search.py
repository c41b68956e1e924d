"""The desk's list of survey links: searched by dossier code or the last digits of the phone,
filtered by status or creation day, one page at a time (a busy desk makes thousands).

The status filter is the same rule as ``links.status``, written as SQL so paging counts right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dossier, SurveyLink, SurveySession

STATUSES = ("created", "opened", "in_progress", "completed", "expired")
PAGE_SIZE = 50
MIN_PHONE_DIGITS = 3

Row = tuple[SurveyLink, Dossier, SurveySession | None]


@dataclass(frozen=True)
class LinkQuery:
    unit_ids: list[int]
    text: str = ""  # part of a dossier code, or the last digits of a phone number
    status: str = ""  # one of STATUSES, or "" for all
    created_from: datetime | None = None  # inclusive
    created_before: datetime | None = None  # exclusive
    page: int = 1
    page_size: int = PAGE_SIZE


def _status(status: str, now: datetime) -> ColumnElement[bool]:
    done = SurveySession.completed_at.is_not(None)
    live = and_(SurveySession.completed_at.is_(None), SurveyLink.expires_at > now)
    match status:
        case "completed":
            return done
        case "expired":
            return and_(SurveySession.completed_at.is_(None), SurveyLink.expires_at <= now)
        case "created":
            return and_(SurveySession.id.is_(None), SurveyLink.expires_at > now)
        case "opened":
            return and_(SurveySession.id.is_not(None), live, SurveySession.last_answer_at.is_(None))
        case _:  # in_progress
            return and_(live, SurveySession.last_answer_at.is_not(None))


def _text(text: str) -> ColumnElement[bool]:
    code = func.lower(Dossier.code).contains(text.lower(), autoescape=True)
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) >= MIN_PHONE_DIGITS and digits == text.replace(" ", ""):
        return or_(code, Dossier.phone.endswith(digits, autoescape=True))
    return code


async def search(session: AsyncSession, query: LinkQuery, now: datetime) -> tuple[list[Row], int]:
    """One page of matching links, newest first, and how many match in all."""
    conditions: list[ColumnElement[bool]] = [SurveyLink.unit_id.in_(query.unit_ids)]
    if query.text.strip():
        conditions.append(_text(query.text.strip()))
    if query.status in STATUSES:
        conditions.append(_status(query.status, now))
    if query.created_from is not None:
        conditions.append(SurveyLink.created_at >= query.created_from)
    if query.created_before is not None:
        conditions.append(SurveyLink.created_at < query.created_before)

    def joined(statement):  # type: ignore[no-untyped-def]
        return (
            statement.join(Dossier, Dossier.id == SurveyLink.dossier_id)
            .outerjoin(SurveySession, SurveySession.link_id == SurveyLink.id)
            .where(*conditions)
        )

    total = await session.scalar(joined(select(func.count(SurveyLink.id)).select_from(SurveyLink)))
    rows = await session.execute(
        joined(select(SurveyLink, Dossier, SurveySession))
        .order_by(SurveyLink.created_at.desc(), SurveyLink.id.desc())
        .offset(max(query.page - 1, 0) * query.page_size)
        .limit(query.page_size)
    )
    return [(link, dossier, survey) for link, dossier, survey in rows], int(total or 0)


async def by_tokens(session: AsyncSession, unit_ids: list[int], tokens: list[str]) -> list[Row]:
    """The links of ``tokens`` within ``unit_ids`` (an import's links), in the given order."""
    if not tokens:
        return []
    rows = await session.execute(
        select(SurveyLink, Dossier, SurveySession)
        .join(Dossier, Dossier.id == SurveyLink.dossier_id)
        .outerjoin(SurveySession, SurveySession.link_id == SurveyLink.id)
        .where(SurveyLink.unit_id.in_(unit_ids), SurveyLink.token.in_(tokens))
    )
    found = {link.token: (link, dossier, survey) for link, dossier, survey in rows}
    return [found[token] for token in tokens if token in found]
