"""The respondent's side of the Telegram channel, end to end: the real PTB Application and
web server against FakeTelegramAPI, in polling and webhook mode, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from aiohttp import ClientSession
from sqlalchemy import select

from bot.channels.protocol import SendContext
from bot.channels.telegram.adapter import SECRET_HEADER
from flows.outbound import ConversationRef, Message, Option, from_payload
from scheduler.clock import ManualClock
from storage.db import Database
from storage.models import Delivery, ProcessedUpdate, SurveySession
from storage.repos import tallies
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.telegram_bench import Bench, eventually, start_bench, start_survey

QUESTIONS = [f"{f}.{n}" for f, count in ((1, 4), (2, 5), (3, 6), (4, 3), (5, 4)) for n in
             range(1, count + 1)]  # fmt: skip
CHAT = 5001


async def test_full_mau01_survey(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT, first_name="Bà Lan")
    await start_survey(tg, user, token)
    chosen: dict[str, int] = {}
    for number, question in enumerate(QUESTIONS, start=1):
        value = 0 if question == "5.4" else (number % 5) + 1
        keyboard = tg_api.last_keyboard(CHAT)
        labels = [label for row in keyboard for label, _ in row]
        assert labels[0] == "1. Rất không hài lòng" and "5. Rất hài lòng" in labels
        assert ("0. Không có ý kiến" in labels) == question.startswith("5.")
        assert ("↩ Quay lại" in labels) == (number > 1)
        assert all(len(data.encode()) < 64 for row in keyboard for _, data in row if data)
        await tg.push(user.press(await tg.button(CHAT, str(value))))
        chosen[question] = value
        following = f"Câu {number + 1}/22" if number < 22 else "phục vụ tốt hơn không"
        await tg.said(CHAT, following)
    # The chat reads like a filled form: each question edited to show its answer.
    form = [m for m in tg_api.messages_to(CHAT) if m["text"].startswith("Câu ")]
    assert len(form) == 22
    unfilled = [m for m in form if "✓ Đã chọn:" not in m["text"] or "reply_markup" in m]
    assert not unfilled
    assert form[0]["text"].endswith("✓ Đã chọn: Không hài lòng")
    assert form[21]["text"].endswith("✓ Đã chọn: Không có ý kiến")
    await tg.push(user.send_text("Cán bộ rất nhiệt tình."))
    await tg.said(CHAT, "Đã ghi nhận góp ý.")
    await tg.last(CHAT, "phản ánh, kiến nghị")  # offered once more beside "Gửi phiếu"
    await tg.push(user.press(await tg.button(CHAT, "skip")))
    await tg.said(CHAT, "Xin chân thành cảm ơn")
    await eventually(lambda: not any("reply_markup" in m for m in tg_api.messages_to(CHAT)))
    assert await tg.answers() == chosen
    (survey,) = await tg.sessions()
    assert survey.completed_at is not None and survey.channel == "telegram"
    assert survey.chat_id == str(CHAT)
    async with tg.services.db.transaction() as session:
        day = survey.completed_on
        assert day is not None
        tally = (await tallies.tally(session, [survey.unit_id], day, day))[survey.unit_id]
    assert tally.stats["completed"] == 1 and tally.stats["comments"] == 1
    presses = 1 + 22 + 1  # consent, questions, "no complaint"
    assert len(tg_api.calls_to("answerCallbackQuery")) == presses


async def test_back_and_typed_digits(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    await start_survey(tg, user, token)
    await tg.push(user.send_text("4"))
    await tg.said(CHAT, "Câu 2/22")
    # A typed answer also fills in the question it answered.
    await tg.said(CHAT, "✓ Đã chọn: Hài lòng")
    await tg.push(user.press(await tg.button(CHAT, "<")))
    await tg.said(CHAT, "Câu trả lời trước đây: Hài lòng")
    await tg.last(CHAT, "Câu 1/22")
    labels = [label for row in tg_api.last_keyboard(CHAT) for label, _ in row]
    assert "✓ 4. Hài lòng" in labels  # the earlier answer is marked
    await tg.push(user.send_text(" 2 "))
    await tg.said(CHAT, "Câu 2/22", count=2)
    assert await tg.answers() == {"1.1": 2}

    # Only the current question keeps live buttons.
    def live() -> list[str]:
        return [m["text"] for m in tg_api.messages_to(CHAT) if "reply_markup" in m]

    (current,) = await eventually(lambda: len(live()) == 1 and live())
    assert current.startswith("Câu 2/22")


async def test_double_press_and_replayed_update(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    await start_survey(tg, user, token)
    data = await tg.button(CHAT, "5")
    question = tg_api.messages_to(CHAT)[-1]["message_id"]
    first = user.press(data, question)
    second = user.press(data, question)  # the same button, pressed twice in a hurry
    await tg.push(first)
    await tg.push(second)
    await tg.said(CHAT, "Câu đó đã qua")
    await tg.last(CHAT, "Câu 2/22")
    sends = len(tg_api.calls_to("sendMessage"))
    tg_api.replay(first)  # Telegram re-delivers an update it thinks was lost
    assert await tg.push(first) in (None, 200)
    await tg.push(user.send_command("help"))  # handled after the replay (in order)
    await tg.said(CHAT, "/xoadulieu")
    assert len(tg_api.calls_to("sendMessage")) == sends + 1  # only the help text
    assert await tg.answers() == {"1.1": 5}
    await tg.push(user.send_text("3"))
    await tg.said(CHAT, "Câu 3/22")
    assert await tg.answers() == {"1.1": 5, "1.2": 3}


async def test_button_of_an_old_message(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    await start_survey(tg, user, token)
    first_question = tg_api.messages_to(CHAT)[-1]["message_id"]
    old_data = await tg.button(CHAT, "5")
    for n in (2, 3):
        await tg.push(user.press(await tg.button(CHAT, "4")))
        await tg.said(CHAT, f"Câu {n}/22")
    await tg.push(user.press(old_data.replace("|5", "|1"), first_question))
    await tg.said(CHAT, "Câu đó đã qua")
    assert await tg.answers() == {"1.1": 4, "1.2": 4}
    # A button of another session (another dossier's survey in the same chat) is stale too.
    other = await tg.link("HS-2026-000999")
    await tg.push(user.send_command("start", other))
    await tg.said(CHAT, "Ông/Bà có đồng ý", count=2)
    foreign = old_data.split("|")[0] + "|1.3|1"
    await tg.push(user.press(foreign))
    await tg.said(CHAT, "Câu đó đã qua", count=2)
    assert await tg.answers() == {"1.1": 4, "1.2": 4}


async def test_restart_in_the_middle_of_a_survey(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    await start_survey(tg, user, token)
    await tg.push(user.press(await tg.button(CHAT, "4")))
    await tg.said(CHAT, "Câu 2/22")
    button = await tg.button(CHAT, "3")
    tg = await tg.restart()
    try:
        await tg.push(user.press(button))  # a button sent by the previous process
        await tg.said(CHAT, "Câu 3/22")
        await tg.push(user.send_text("5"))
        await tg.said(CHAT, "Câu 4/22")
        await tg.push(user.send_command("start"))
        await tg.said(CHAT, "Chào mừng trở lại")
        assert await tg.answers() == {"1.1": 4, "1.2": 3, "1.3": 5}
    finally:
        await tg.stop()


async def test_unsupported_inputs_get_a_kind_answer(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    await start_survey(tg, user, token)
    for update in (user.send_sticker(), user.send_photo(), user.send_voice()):
        await tg.push(update)
    await tg.said(CHAT, "chỉ nhận câu trả lời bằng nút bấm", count=3)
    await tg.push(user.send_text("x" * 4000))
    await tg.said(CHAT, "gõ một số từ 1 đến 5")
    sent = user.send_text("4")
    await tg.push(sent)
    await tg.said(CHAT, "Câu 2/22")
    await tg.push(user.edit_text(sent["message"]["message_id"], "5"))
    await tg.said(CHAT, "Tin nhắn đã sửa không được ghi nhận")
    group = tg_api.user(CHAT + 1, chat_type="group")
    await tg.push(group.send_command("start", token))
    await tg.said(group.chat_id, "cuộc trò chuyện riêng")
    assert await tg.answers() == {"1.1": 4}
    (survey,) = await tg.sessions()
    assert survey.chat_id == str(CHAT)
    await tg.push(user.send_text("5"))
    await tg.said(CHAT, "Câu 3/22")


async def test_start_without_token_help_and_data_deletion(
    tg: Bench, tg_api: FakeTelegramAPI
) -> None:
    user = tg_api.user(CHAT)
    await tg.push(user.send_command("start"))
    await tg.said(CHAT, "Để tham gia khảo sát, xin mở đường liên kết")
    await tg.push(user.send_command("help"))
    await tg.said(CHAT, "/xoadulieu")
    assert "Lệnh dành cho cán bộ" not in tg.texts(CHAT)[-1]
    token = await tg.link()
    await start_survey(tg, user, token)
    await tg.push(user.send_text("4"))
    await tg.said(CHAT, "Câu 2/22")
    await tg.push(user.send_command("xoadulieu"))
    await tg.said(CHAT, "có chắc muốn xóa")
    await tg.push(user.press(await tg.button(CHAT, "no")))
    await tg.said(CHAT, "được giữ nguyên")
    assert await tg.answers() == {"1.1": 4}
    await tg.push(user.send_command("xoadulieu"))
    await tg.said(CHAT, "có chắc muốn xóa", count=2)
    await tg.push(user.press(await tg.button(CHAT, "yes")))
    await tg.said(CHAT, "đã được xóa")
    assert await tg.answers() == {}
    (survey,) = await tg.sessions()
    assert survey.chat_id is None and survey.data_deleted_at is not None
    await tg.push(user.send_text("5"))
    await tg.said(CHAT, "Để tham gia khảo sát", count=2)


async def test_english_speaking_user(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    user.user["language_code"] = "en-GB"
    await tg.push(user.send_command("start", token))
    await tg.said(CHAT, "Do you agree to take part")
    await tg.push(user.press(await tg.button(CHAT, "yes")))
    await tg.said(CHAT, "Question 1/22")


async def test_used_and_expired_links(
    tg: Bench, tg_api: FakeTelegramAPI, clock: ManualClock
) -> None:
    used = await tg.link("HS-USED")
    first = tg_api.user(CHAT)
    await start_survey(tg, first, used)
    for _ in QUESTIONS:
        await tg.push(first.send_text("4"))
    await tg.said(CHAT, "phục vụ tốt hơn không")
    await tg.push(first.press(await tg.button(CHAT, "skip")))  # "Bỏ qua, gửi phiếu"
    await tg.said(CHAT, "Xin chân thành cảm ơn")
    other = tg_api.user(CHAT + 7)
    await tg.push(other.send_command("start", used))
    await tg.said(other.chat_id, "Khảo sát này đã hoàn thành")
    assert "reply_markup" not in tg_api.messages_to(other.chat_id)[-1]
    fresh = await tg.link("HS-LATE")
    clock.advance(days=15)
    await tg.push(other.send_command("start", fresh))
    await tg.said(other.chat_id, "đã hết hạn")
    await tg.push(other.send_command("start", "NoSuchTokenNoSuchTokenNoSuchTok1"))
    await tg.said(other.chat_id, "không đúng")
    assert len(await tg.sessions()) == 1
    assert len(await tg.answers()) == 22


@pytest.mark.parametrize("tg", ["polling"], indirect=True)
async def test_rate_limited_send_is_retried(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    tg_api.fail_next("sendMessage", status=429, retry_after=1)
    await tg.push(user.send_command("start", token))
    await tg.said(CHAT, "Ông/Bà có đồng ý")
    calls = [(c.failed, c.status) for c in tg_api.calls_to("sendMessage")]
    assert calls[:2] == [(True, 429), (False, 200)]
    assert tg.texts(CHAT)[0].startswith("Xin chào!")  # nothing lost, order kept
    assert await tg.count(Delivery) == 0


@pytest.mark.parametrize("tg", ["polling"], indirect=True)
async def test_failing_sends_are_queued_for_the_scheduler(
    tg: Bench, tg_api: FakeTelegramAPI
) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    tg_api.fail_next("sendMessage", status=502, times=3)
    await tg.push(user.send_command("start", token))
    await tg_api.wait_for_calls("sendMessage", 3)
    # The process carries on: the next update is answered normally (updates are handled in
    # order, so the failed reply has been queued by then).
    await tg.push(user.send_command("help"))
    await tg.said(CHAT, "/xoadulieu")
    async with tg.services.db.transaction() as session:
        (row,) = (await session.scalars(select(Delivery))).all()
    assert row.key.startswith("retry:telegram:") and row.status == "pending"
    assert str(CHAT) not in row.key  # the key outlives the chat id (scrubbed later)
    assert row.channel == "telegram" and row.chat_id == str(CHAT)
    assert row.attempts == 1 and "Bad Gateway" in (row.last_error or "")
    texts = [m["text"] for m in row.payload["messages"]]
    assert texts[0].startswith("Xin chào!") and "đồng ý" in texts[1]
    assert (await tg.sessions())[0].phase == "intro"  # the turn itself was committed
    # What the scheduler's retry job does with it: re-send through the channel registry.
    await tg.services.outbox.send(
        ConversationRef("telegram", str(CHAT)), from_payload(row.payload["messages"])
    )
    await tg.last(CHAT, "Ông/Bà có đồng ý")
    await tg.push(user.press(await tg.button(CHAT, "yes")))
    await tg.last(CHAT, "Câu 1/22")


@pytest.mark.parametrize("tg", ["webhook"], indirect=True)
async def test_a_reply_to_a_chat_that_blocked_the_bot_is_recorded_not_retried(
    tg: Bench, tg_api: FakeTelegramAPI
) -> None:
    """Telegram's refusal for good (403) becomes an undeliverable delivery with its reason;
    a passing failure (502) is tried again; the turn itself is committed either way."""
    token = await tg.link()
    user = tg_api.user(CHAT)
    tg_api.fail_next("sendMessage", status=403)
    assert await tg.push(user.send_command("start", token)) == 200
    async with tg.services.db.transaction() as session:
        (row,) = (await session.scalars(select(Delivery))).all()
    assert row.status == "undeliverable" and row.next_attempt_at is None
    assert row.last_error is not None and row.last_error.startswith("Forbidden: ")
    assert "blocked" in row.last_error
    assert len(tg_api.calls_to("sendMessage")) == 1  # never retried
    tg_api.fail_next("sendMessage", status=502)
    await tg.push(user.send_command("start", token))
    await tg.said(CHAT, "Ông/Bà có đồng ý")
    statuses = [call.status for call in tg_api.calls_to("sendMessage")]
    assert statuses[:3] == [403, 502, 200]
    assert (await tg.sessions())[0].phase == "intro"


async def test_scheduler_sends_through_the_channel(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    """A reminder sent first (no inbound update): its button is tied to the session and
    brings the respondent back to the current question."""
    user = tg_api.user(CHAT)
    await start_survey(tg, user, await tg.link())
    (survey,) = await tg.sessions()
    reminder = Message(
        "Ông/Bà chưa hoàn thành khảo sát.", "_resume", (Option("Tiếp tục", "go", ""),)
    )
    ref = ConversationRef("telegram", str(CHAT))
    await tg.services.outbox.send(ref, [reminder], SendContext(survey.id))
    assert tg_api.last_keyboard(CHAT) == [[("Tiếp tục", f"{survey.id}|_resume|go")]]
    await tg.push(user.press(await tg.button(CHAT, "go")))
    await tg.said(CHAT, "Chào mừng trở lại")
    await tg.last(CHAT, "Câu 1/22")


@pytest.mark.parametrize("tg", ["webhook"], indirect=True)
async def test_forged_webhook_secret(tg: Bench, tg_api: FakeTelegramAPI) -> None:
    token = await tg.link()
    user = tg_api.user(CHAT)
    update = user.send_command("start", token)
    assert tg_api.webhook is not None and tg_api.webhook["secret_token"]
    assert tg_api.webhook["url"] == f"http://127.0.0.1:{tg.port}/webhooks/telegram"
    for secret in ("forged", None, ""):
        status, _ = await tg_api.deliver(update, tg.webhook_url, secret)
        assert status == 403
    secret = str(tg_api.webhook["secret_token"])
    async with ClientSession() as http:
        for body in (b"not json", b"[1, 2]", b'{"no_update_id": true}'):
            headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
            async with http.post(tg.webhook_url, data=body, headers=headers) as response:
                assert response.status == 400
    assert await tg.count(ProcessedUpdate) == 0
    assert await tg.count(SurveySession) == 0
    assert not tg_api.calls_to("sendMessage")
    assert await tg.push(update) == 200  # the genuine delivery still works
    await tg.said(CHAT, "Ông/Bà có đồng ý")
    assert await tg.count(SurveySession) == 1


DEAD_DATABASE = "postgresql+asyncpg://sipas@127.0.0.1:1/nothing_listens_here"


async def test_database_down_webhook_503_polling_busy(
    tg_api: FakeTelegramAPI, clock: ManualClock, port: int
) -> None:
    """No database answers: webhook mode says 503 (Telegram re-delivers later), polling mode
    tells the respondent kindly; nothing is sent as if it had been recorded."""
    dead = Database(DEAD_DATABASE)
    user = tg_api.user(CHAT)
    tg = await start_bench(tg_api, dead, clock, port, "webhook")
    try:
        assert await tg.push(user.send_command("start", "A" * 32)) == 503
        assert await tg.push(user.press("1|1.1|5")) == 503
        assert not tg_api.calls_to("sendMessage")
    finally:
        await tg.stop()
    tg = await start_bench(tg_api, dead, clock, port, "polling")
    try:
        await tg.push(user.send_text("5"))
        await tg.said(CHAT, "Hệ thống đang bận")
    finally:
        await tg.stop()
        await dead.dispose()
