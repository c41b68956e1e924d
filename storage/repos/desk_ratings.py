"""A period's desk ratings, read from the stored answers of the counted responses.

Why from the answers and not from day counters like the SIPAS figures: a desk gets a few
dozen ratings a month, its report is opened by a chair now and then, and per-desk counters
would need their own day tables, upserts at completion and a recount path to verify them.
Reading the answers is cheap because every step of the query is indexed: the unit's desks
(``ix_desks_unit_id``) → their links (``ix_survey_links_desk_id``) → the one session of each
link (the unique ``link_id``) → its answers (the unique ``session_id, question_id``) and
comments (``ix_comments_session_id``); ``tests/test_desk_reports.py`` checks the plan. The
flag rule is ``storage.repos.counted``'s, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer, Comment, SurveyLink, SurveySession
from storage.repos.counted import counted_clause


@dataclass
class DeskRatings:
    """One desk's ratings completed in the period."""

    # the counted responses: (their flow version, question id -> stored value)
    responses: list[tuple[int, dict[str, int]]] = field(default_factory=list)
    excluded: int = 0  # completed but left out of the figures (flagged, not kept on review)
    comments: int = 0  # comments (góp ý) of the counted responses: a number, never a name
    complaints: int = 0  # reports / petitions of the counted responses


def _completed_in(desk_ids: Sequence[int], start: date, end: date) -> tuple[Any, ...]:
    return (
        SurveyLink.desk_id.in_(list(desk_ids)),
        SurveySession.completed_at.is_not(None),
        SurveySession.completed_on.between(start, end),
    )


def answers_query(desk_ids: Sequence[int], start: date, end: date) -> Select[Any]:
    """The stored answers of the counted ratings of ``desk_ids`` completed in [start, end]."""
    return (
        select(
            SurveyLink.desk_id,
            SurveySession.id,
            SurveySession.flow_version_id,
            Answer.question_id,
            Answer.value,
        )
        .select_from(SurveyLink)
        .join(SurveySession, SurveySession.link_id == SurveyLink.id)
        .join(Answer, Answer.session_id == SurveySession.id)
        .where(*_completed_in(desk_ids, start, end), counted_clause())
        .order_by(SurveySession.id)
    )


async def ratings(
    session: AsyncSession, desk_ids: Sequence[int], start: date, end: date
) -> dict[int, DeskRatings]:
    """Every desk of ``desk_ids`` (with or without ratings) and its ratings completed in
    [start, end] (local dates, both included)."""
    found = {desk_id: DeskRatings() for desk_id in desk_ids}
    if not found:
        return found
    by_session: dict[int, tuple[int, int, dict[str, int]]] = {}
    for desk_id, session_id, version_id, question_id, value in await session.execute(
        answers_query(desk_ids, start, end)
    ):
        by_session.setdefault(session_id, (desk_id, version_id, {}))[2][question_id] = value
    counted = await session.execute(
        select(SurveyLink.desk_id, SurveySession.id, SurveySession.flow_version_id)
        .join(SurveySession, SurveySession.link_id == SurveyLink.id)
        .where(*_completed_in(desk_ids, start, end), counted_clause())
    )
    for desk_id, session_id, version_id in counted:  # a rating whose answers were erased
        _desk, _version, answers = by_session.get(session_id, (desk_id, version_id, {}))
        found[desk_id].responses.append((version_id, answers))
    excluded = await session.execute(
        select(SurveyLink.desk_id, func.count(SurveySession.id))
        .join(SurveySession, SurveySession.link_id == SurveyLink.id)
        .where(*_completed_in(desk_ids, start, end), SurveySession.flagged.is_(True))
        .group_by(SurveyLink.desk_id)
    )
    for desk_id, count in excluded:
        found[desk_id].excluded = int(count)
    comments = await session.execute(
        select(SurveyLink.desk_id, Comment.is_complaint, func.count(Comment.id))
        .select_from(SurveyLink)
        .join(SurveySession, SurveySession.link_id == SurveyLink.id)
        .join(Comment, Comment.session_id == SurveySession.id)
        .where(*_completed_in(desk_ids, start, end), counted_clause())
        .group_by(SurveyLink.desk_id, Comment.is_complaint)
    )
    for desk_id, is_complaint, count in comments:
        if is_complaint:
            found[desk_id].complaints = int(count)
        else:
            found[desk_id].comments = int(count)
    return found
