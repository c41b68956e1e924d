"""The 1001-style form and the desk rating, run end to end through the web chat (HTTP
forms) and Telegram (the real adapter against the fake Bot API), by the same script of
steps: no code in the product knows these flows, they are only data in flows/data/.

Each step is (question, what the respondent does, what must then be on screen): skip logic
(no fee paid: the fee questions never come, progress "Câu 5/19"), a typed number, the
online block (filed online), a multiple choice ticked with buttons and confirmed, optional
profile questions skipped, then the closing steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from bot.services import Services
from storage.models import Answer, SurveySession
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.servers import browser_client
from tests.support.surveys import new_token
from tests.support.telegram_bench import Bench, eventually

Step = tuple[str, str, str, str]  # question, "choose"/"text", value, then shown

QD1001: Sequence[Step] = [
    ("filed", "choose", "2", "Câu 2/21"),
    ("info", "choose", "4", "Phần 2. Thủ tục và phí"),
    ("documents", "choose", "4", "Ông/Bà có phải nộp phí, lệ phí không?"),
    ("fee_paid", "choose", "2", "Câu 5/19"),
    ("on_time", "choose", "5", "Bộ phận Một cửa bao nhiêu lần"),
    ("visits", "text", "2", "Phần 3. Dịch vụ công trực tuyến"),
    ("portal_easy", "choose", "4", "Câu 8/19"),
    ("portal_pay", "choose", "4", "Câu 9/19"),
    ("portal_status", "choose", "3", "Công chức có thái độ lịch sự"),
    ("polite", "choose", "5", "Câu 11/19"),
    ("guidance", "choose", "5", "gây phiền hà"),
    ("no_harassment", "choose", "2", "Câu 13/19"),
    ("result", "choose", "4", "Phần 5. Góp ý, phản ánh"),
    ("gave_feedback", "choose", "2", "Câu 15/18"),
    ("improve", "choose", "1", "☑ Rút ngắn thời gian giải quyết"),
    ("improve", "choose", "3", "☑ Thái độ, cách hướng dẫn của công chức"),
    ("improve", "choose", "done", "Thông tin thêm (không bắt buộc)"),
    ("age", "choose", "skip", "Câu 17/18"),
    ("sex", "choose", "2", "Câu 18/18"),
    ("occupation", "choose", "skip", "Gửi phản ánh, kiến nghị"),
    ("_comment", "choose", "skip", "Xin chân thành cảm ơn Ông/Bà"),
]
QD1001_ANSWERS = {
    "filed": 2, "info": 4, "documents": 4, "fee_paid": 2, "on_time": 5, "visits": 2,
    "portal_easy": 4, "portal_pay": 4, "portal_status": 3, "polite": 5, "guidance": 5,
    "no_harassment": 2, "result": 4, "gave_feedback": 2, "improve": 2 + 8, "age": -1, "sex": 2,
    "occupation": -1,
}  # fmt: skip

DESK: Sequence[Step] = [
    ("wait", "choose", "4", "Câu 2/5"),
    ("done_today", "choose", "1", "Câu 3/5"),
    ("attitude", "choose", "5", "Câu 4/5"),
    ("guidance", "choose", "5", "Câu 5/5"),
    ("overall", "choose", "5", "Ông/Bà có góp ý gì cho quầy này không?"),
    ("_comment", "text", "Cán bộ rất nhiệt tình.", "Xin cảm ơn Ông/Bà đã đánh giá!"),
]
DESK_ANSWERS = {"wait": 4, "done_today": 1, "attitude": 5, "guidance": 5, "overall": 5}


async def stored(services: Services, token_of_session: int) -> tuple[dict[str, int], bool]:
    async with services.db.transaction() as session:
        survey = await session.get(SurveySession, token_of_session)
        assert survey is not None
        rows = await session.execute(
            select(Answer.question_id, Answer.value).where(Answer.session_id == survey.id)
        )
        return {key: value for key, value in rows}, survey.completed_at is not None


async def run_in_the_web_chat(services: Services, server: str, flow: str, steps: Sequence[Step]):  # type: ignore[no-untyped-def]
    token = await new_token(services, f"HS-{flow}", flow=flow)
    async with browser_client() as http:
        await (await http.get(f"{server}/s/{token}")).read()
        response = await http.post(
            f"{server}/s/{token}", data={"prompt": "_consent", "choice": "yes"}
        )
        assert "Câu 1/" in await response.text()
        for number, (prompt, kind, value, shown) in enumerate(steps, start=1):
            field = "choice" if kind == "choose" else "text"
            response = await http.post(f"{server}/s/{token}", data={"prompt": prompt, field: value})
            page = await response.text()
            assert response.status == 200
            assert shown in page, f"step {number} ({prompt}={value}): {shown!r} not shown"
    async with services.db.transaction() as session:
        (survey_id,) = await session.scalars(select(SurveySession.id))
    return await stored(services, survey_id)


async def test_the_1001_form_in_the_web_chat(services: Services, server: str) -> None:
    answers, completed = await run_in_the_web_chat(services, server, "qd1001", QD1001)
    assert completed and answers == QD1001_ANSWERS


async def test_the_desk_rating_in_the_web_chat(services: Services, server: str) -> None:
    answers, completed = await run_in_the_web_chat(services, server, "desk", DESK)
    assert completed and answers == DESK_ANSWERS


CHAT = 6001


def on_screen(api: FakeTelegramAPI, fragment: str) -> bool:
    """The bot's last message (its text or a button of it) shows ``fragment``."""
    sent = api.messages_to(CHAT)
    if not sent:
        return False
    labels = [label for row in api.last_keyboard(CHAT) for label, _ in row]
    return fragment in sent[-1].get("text", "") or any(fragment in label for label in labels)


async def run_in_telegram(tg: Bench, api: FakeTelegramAPI, flow: str, steps: Sequence[Step]) -> Any:
    token = await new_token(tg.services, f"HS-{flow}", flow=flow)
    user = api.user(CHAT, first_name="Ông Ba")
    await tg.push(user.send_command("start", token))
    await tg.last(CHAT, "Ông/Bà có đồng ý")
    await tg.push(user.press(await tg.button(CHAT, "yes")))
    await tg.last(CHAT, "Câu 1/")
    for prompt, kind, value, shown in steps:
        if kind == "choose":
            await tg.push(user.press(await tg.button(CHAT, value)))
        else:
            await tg.push(user.send_text(value))
        await eventually(lambda shown=shown: on_screen(api, shown) or None)
        del prompt
    (survey,) = await tg.sessions()
    return await stored(tg.services, survey.id)


async def test_the_1001_form_in_telegram(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    answers, completed = await run_in_telegram(tg, tg_api, "qd1001", QD1001)
    assert completed and answers == QD1001_ANSWERS
    # ticking edits the question's buttons in place: one message, edited to show the answer
    (improve,) = [m for m in tg_api.messages_to(CHAT) if "cải thiện điều gì" in m["text"]]
    assert improve["text"].endswith(
        "✓ Đã chọn: Rút ngắn thời gian giải quyết, Thái độ, cách hướng dẫn của công chức"
    )


async def test_the_desk_rating_in_telegram(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    answers, completed = await run_in_telegram(tg, tg_api, "desk", DESK)
    assert completed and answers == DESK_ANSWERS
