"""A short free-text question, in a flow an admin wrote (no factors, nothing scored): the
words are kept with the answer (value 1), a text over the question's limit is refused kindly
and lost nowhere, "0" skips an optional one."""

from __future__ import annotations

from sqlalchemy import select

from bot.services import Services
from flows import engine
from flows.loader import parse_flow
from flows.outbound import ConversationRef
from storage.models import Answer
from storage.repos import flow_versions
from tests.support.surveys import new_token

SOURCE = """
[flow]
key = "mini"
form = "citizen"
title = { vi = "Hỏi nhanh", en = "Quick question" }

[texts]
intro = "Xin chào!"
consent = "Ông/Bà có đồng ý không?"
declined = "Cảm ơn Ông/Bà."
comment = "Góp ý?"
complaint_offer = "Phản ánh?"
complaint = "Xin viết phản ánh."
thanks = "Xin cảm ơn Ông/Bà!"

[closing]
comment = false
complaint = false

[[questions]]
id = "what"
kind = "text"
max_length = 20
text = "Ông/Bà vừa làm thủ tục gì?"

[[questions]]
id = "else"
kind = "text"
required = false
text = "Ông/Bà còn muốn nói gì thêm?"
"""
FLOW = parse_flow(SOURCE, "mini.toml")


def test_the_engine_keeps_the_words_and_refuses_a_long_text() -> None:
    state = engine.State(engine.Phase.ASKING, 0, {}, "vi")
    step = engine.step(FLOW, state, engine.Text("x" * 21))
    assert step.effects == ()
    assert "dài quá 20 ký tự" in step.messages[0].text
    step = engine.step(FLOW, state, engine.Text("  Cấp đổi CCCD "))
    assert step.effects == (engine.RecordAnswer("what", 1, "Cấp đổi CCCD"),)
    step = engine.step(FLOW, step.state, engine.Text("0"))
    assert step.effects == (engine.RecordAnswer("else", -1), engine.Complete())


async def test_the_words_are_stored_with_the_answer(services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    async with services.db.transaction() as session:
        await flow_versions.publish(
            session, flow_key="mini", form="citizen", source=SOURCE, now=clock(), by="test"
        )
    token = await new_token(services, flow="mini")
    ref = ConversationRef("web", token)
    for event in (
        engine.Start(),
        engine.Choose(engine.CONSENT, "yes"),
        engine.Text("Cấp đổi CCCD"),
        engine.Text("Cán bộ nhiệt tình"),
    ):
        reply = await services.conversation.turn(ref, event, token=token)
    assert "Xin cảm ơn Ông/Bà!" in reply.messages[-1].text  # type: ignore[union-attr]
    async with services.db.transaction() as session:
        rows = await session.execute(select(Answer.question_id, Answer.value, Answer.text))
        assert sorted(tuple(row) for row in rows) == [
            ("else", 1, "Cán bộ nhiệt tình"),
            ("what", 1, "Cấp đổi CCCD"),
        ]
