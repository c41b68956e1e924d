"""The conversation glue on real databases: tokens, sessions, commits, dedupe and races."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.conversation.turns import Reply, texts_of
from bot.services import Services
from flows.engine import CONSENT, Back, Choose, Start, Text, Unsupported
from flows.outbound import ConversationRef, Message
from reports import verify
from storage.models import Answer, Comment, SurveySession
from storage.repos import links, personal_data, surveys, tallies, units
from tests.support.surveys import new_token

CHAT = ConversationRef("telegram", "5001")


def prompt_of(reply: Reply) -> str | None:
    prompts = [m.prompt_id for m in reply.messages if isinstance(m, Message) and m.prompt_id]
    return prompts[-1] if prompts else None


async def answer_all(services: Services, ref: ConversationRef, values: list[int]) -> Reply:
    reply = await services.conversation.turn(ref, Choose(CONSENT, "yes"))
    for value in values:
        question = prompt_of(reply)
        assert question is not None
        reply = await services.conversation.turn(ref, Choose(question, str(value)))
    return reply


async def test_a_full_survey_is_stored_and_counted(services: Services) -> None:
    token = await new_token(services)
    reply = await services.conversation.turn(CHAT, Start(), token=token)
    assert prompt_of(reply) == CONSENT
    values = [5, 4, 4, 3, 5, 4, 4, 2, 5, 5, 4, 3, 4, 5, 4, 4, 5, 4, 0, 4, 5, 3]
    reply = await answer_all(services, CHAT, values)
    assert prompt_of(reply) == "_comment"
    reply = await services.conversation.turn(CHAT, Text("Cán bộ rất nhiệt tình"))
    reply = await services.conversation.turn(CHAT, Choose("_complaint_offer", "skip"))
    assert "cảm ơn" in texts_of(reply.messages)[-1]
    async with services.db.transaction() as session:
        link = await links.by_token(session, token)
        survey = await surveys.for_link(session, link.id)  # type: ignore[union-attr]
        assert survey is not None and survey.completed_at is not None
        assert survey.completed_week == "2026-W48"
        stored = await surveys.answers(session, survey.id)
        unit = await units.require(session, "XA-HOATHANH")
        day = survey.completed_on
        assert day is not None and day.isoformat() == "2026-11-24"
        tally = (await tallies.tally(session, [unit.id], day, day))[unit.id]
        recount = (await tallies.recount(session, [unit.id], day, day))[unit.id]
    assert len(stored) == 22 and stored["5.1"] == 0 and stored["1.1"] == 5
    assert tally.distributions == recount.distributions
    assert verify.differences(tally, recount) == []
    assert tally.stats["completed"] == recount.stats["completed"] == 1
    assert tally.stats["comments"] == 1 and tally.stats["started"] == 1


async def test_each_answer_is_committed_before_the_reply_is_returned(services: Services) -> None:
    token = await new_token(services)
    await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=token)
    await services.conversation.turn(CHAT, Choose("1.1", "4"))
    # a separate connection sees it at once: it was committed
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 1


async def test_a_used_link_says_the_survey_was_completed(services: Services) -> None:
    token = await new_token(services)
    await services.conversation.turn(CHAT, Start(), token=token)
    await answer_all(services, CHAT, [4] * 22)
    await services.conversation.turn(CHAT, Choose("_comment", "skip"))
    other = ConversationRef("telegram", "9999")
    reply = await services.conversation.turn(other, Start(), token=token)
    assert "đã hoàn thành" in texts_of(reply.messages)[0]
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(SurveySession)) == 1
        survey = await session.scalar(select(SurveySession))
        assert survey is not None and survey.chat_id == CHAT.chat_id  # still the first chat


async def test_unknown_and_expired_links_get_clear_messages(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    reply = await services.conversation.turn(CHAT, Start(), token="no-such-token-0000000000")
    assert "không đúng" in texts_of(reply.messages)[0]
    token = await new_token(services)
    clock.advance(days=15)
    reply = await services.conversation.turn(CHAT, Start(), token=token)
    assert "hết hạn" in texts_of(reply.messages)[0]


async def test_an_expired_link_stops_a_survey_in_progress(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    token = await new_token(services)
    await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=token)
    clock.advance(days=14, seconds=1)
    reply = await services.conversation.turn(CHAT, Choose("1.1", "4"))
    assert "hết hạn" in texts_of(reply.messages)[0]
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0


async def test_a_replayed_update_records_one_answer(services: Services) -> None:
    token = await new_token(services)
    await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=token)
    first = await services.conversation.turn(CHAT, Choose("1.1", "4"), update_key="77")
    replay = await services.conversation.turn(CHAT, Choose("1.1", "4"), update_key="77")
    assert not first.duplicate and replay.duplicate and replay.messages == ()
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 1


async def test_a_double_press_racing_records_one_answer(services: Services) -> None:
    token = await new_token(services)
    await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=token)
    replies = await asyncio.gather(
        *(services.conversation.turn(CHAT, Choose("1.1", "5")) for _ in range(4))
    )
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
        assert survey is not None
        assert survey.position == 1  # advanced exactly once
        assert await session.scalar(select(func.count()).select_from(Answer)) == 1
    stale = [r for r in replies if any("đã qua" in t for t in texts_of(r.messages))]
    assert len(stale) == 3


async def test_a_button_of_another_session_only_re_shows_the_question(services: Services) -> None:
    token = await new_token(services)
    reply = await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=token)
    stale = await services.conversation.turn(
        CHAT, Choose("1.1", "1"), session_id=(reply.session_id or 0) + 1000
    )
    assert "đã qua" in texts_of(stale.messages)[0]
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0


async def test_back_replaces_the_stored_answer(services: Services) -> None:
    token = await new_token(services)
    await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=token)
    await services.conversation.turn(CHAT, Choose("1.1", "2"))
    await services.conversation.turn(CHAT, Back())
    await services.conversation.turn(CHAT, Text("5"))
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
        assert survey is not None
        assert await surveys.answers(session, survey.id) == {"1.1": 5}


async def test_unsupported_input_stores_nothing(services: Services) -> None:
    token = await new_token(services)
    await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=token)
    reply = await services.conversation.turn(CHAT, Unsupported("sticker"))
    assert "nút bấm" in texts_of(reply.messages)[0]
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0


async def test_a_chat_without_survey_is_told_how_to_get_one(services: Services) -> None:
    reply = await services.conversation.turn(ConversationRef("telegram", "42"), Text("xin chào"))
    assert "mã QR" in texts_of(reply.messages)[0]


async def test_sessions_stay_on_the_flow_version_they_started_with(services: Services) -> None:
    from storage.repos import flow_versions

    early = await new_token(services, "HS-EARLY")
    await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=early)
    async with services.db.transaction() as session:
        current = await flow_versions.latest(session, "mau01")
        assert current is not None
        source = current.source.replace("Nơi ngồi chờ", "Khu vực ngồi chờ")
        await flow_versions.publish(
            session, flow_key="mau01", form="citizen", source=source, now=services.now()
        )
    late = await new_token(services, "HS-LATE")
    late_chat = ConversationRef("telegram", "5002")
    reply = await services.conversation.turn(late_chat, Choose(CONSENT, "yes"), token=late)
    assert texts_of(reply.messages)[-1].startswith("Khu vực ngồi chờ")
    reply = await services.conversation.turn(CHAT, Start())
    assert texts_of(reply.messages)[-1].startswith("Nơi ngồi chờ")


async def test_forgetting_a_chat_keeps_completed_answers_unlinked(services: Services) -> None:
    done_token = await new_token(services, "HS-DONE")
    await services.conversation.turn(CHAT, Start(), token=done_token)
    await answer_all(services, CHAT, [5] * 22)
    await services.conversation.turn(CHAT, Choose("_comment", "skip"))
    open_token = await new_token(services, "HS-OPEN")
    await services.conversation.turn(CHAT, Choose(CONSENT, "yes"), token=open_token)
    await services.conversation.turn(CHAT, Choose("1.1", "1"))
    async with services.db.transaction() as session:
        await personal_data.forget_chat(session, CHAT.channel, CHAT.chat_id, services.now())
    async with services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 22
        assert await session.scalar(select(func.count()).select_from(Comment)) == 0
        chats = list(await session.scalars(select(SurveySession.chat_id)))
    assert chats == [None, None]
    reply = await services.conversation.turn(CHAT, Text("4"))
    assert "mã QR" in texts_of(reply.messages)[0]
