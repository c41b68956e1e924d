"""Place names per unit: the flows say where the respondent was served through `{place}`,
which the conversation fills from the unit ("Bộ phận Một cửa" unless the unit names another
place, e.g. a commune's "Trung tâm Phục vụ hành chính công" under Nghị định 118/2025)."""

from __future__ import annotations

from bot.conversation.turns import texts_of
from bot.services import Services
from flows import engine
from flows.outbound import ConversationRef
from storage.repos import units
from tests.support.surveys import new_token

CENTRE = "Trung tâm Phục vụ hành chính công"


async def first_question(services: Services, token: str) -> str:
    ref = ConversationRef("web", token)
    await services.conversation.turn(ref, engine.Start(), token=token)
    reply = await services.conversation.turn(ref, engine.Choose(engine.CONSENT, "yes"), token=token)
    return texts_of(reply.messages)[-1]


async def test_the_default_place_is_the_one_stop_desk(services: Services) -> None:
    token = await new_token(services)
    assert await first_question(services, token) == (
        "Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi"
    )


async def test_a_unit_with_a_service_centre(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    async with services.db.transaction() as session:
        await units.add(session, "PHUONG-B", "UBND phường B", now=clock(), place=CENTRE)
    token = await new_token(services, unit="PHUONG-B")
    assert await first_question(services, token) == f"Nơi ngồi chờ tại {CENTRE} có đủ chỗ ngồi"
    view = await services.conversation.view(token)  # a page reload shows the same words
    assert CENTRE in texts_of(view.messages)[-1]
