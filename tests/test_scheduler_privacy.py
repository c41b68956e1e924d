"""Respondents' chat ids are kept only while the survey needs them."""

from __future__ import annotations

from sqlalchemy import select

from bot.services import Services
from storage.models import SurveySession
from tests.support.scheduler import complete_response, jobs_for, open_survey


async def chats(services: Services) -> dict[str, str | None]:
    async with services.db.transaction() as session:
        rows = await session.execute(
            select(SurveySession.id, SurveySession.chat_id).order_by(SurveySession.id)
        )
        return {str(number): chat for number, chat in rows}


async def test_chat_ids_are_dropped_after_completion_or_expiry(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    await complete_response(services, "1001", "HS-DONE", [4] * 22)
    await open_survey(services, "1002", "HS-HALF", answers=[5, 5])
    jobs = jobs_for(services)
    clock.advance(days=10)
    await jobs.prune()
    assert list((await chats(services)).values()) == ["1001", "1002"]
    await open_survey(services, "1003", "HS-LATER", answers=[3])
    clock.advance(days=5)  # the first two links expired (14 days)
    await jobs.prune()
    assert list((await chats(services)).values()) == ["1001", None, "1003"]
    clock.advance(days=16)  # 31 days after the first completion
    await jobs.prune()
    assert list((await chats(services)).values()) == [None, None, None]
