"""Proves the fake Telegram API speaks the protocol the REAL python-telegram-bot expects.

Why: every channel test relies on this fake; if it drifted from Telegram's wire format the
channel tests would pass against a fiction. So these tests drive the real ``telegram.Bot``.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123:ABC"
CHAT = 4242
# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes", callback_data="q1:yes"),
            InlineKeyboardButton("No", callback_data="q1:no"),
        ]
    ]
)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(token=TOKEN, username="sipas_test_bot") as fake:
        yield fake


@pytest_asyncio.fixture
async def bot(api: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url) as real_bot:
        yield real_bot


@pytest.mark.asyncio
async def test_get_me_and_urls(api: FakeTelegramAPI, bot: Bot) -> None:
    assert api.url.startswith("http://127.0.0.1:")
    assert api.base_url == api.url + "/bot"
    me = await bot.get_me()
    assert me.username == "sipas_test_bot"
    assert me.id == 123 and me.is_bot
    assert api.calls_to("getMe")


@pytest.mark.asyncio
async def test_wrong_token_is_unauthorized(api: FakeTelegramAPI) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=api.base_url):
            pass
    assert api.calls[-1].failed and api.calls[-1].status == 401


@pytest.mark.asyncio
async def test_send_message_with_keyboard_edit_and_answer(api: FakeTelegramAPI, bot: Bot) -> None:
    msg = await bot.send_message(CHAT, "Puas?", reply_markup=KEYBOARD)
    assert msg.message_id == 1 and msg.chat.id == CHAT and msg.from_user.is_bot
    assert msg.reply_markup == KEYBOARD
    assert api.last_keyboard(CHAT) == [[("Yes", "q1:yes"), ("No", "q1:no")]]
    assert api.calls_to("sendMessage")[0].params["chat_id"] == CHAT

    second = await bot.send_message(CHAT, "123")  # numeric text must stay a string
    assert second.message_id == 2 and second.text == "123"
    assert api.last_keyboard(CHAT) == []

    edited = await bot.edit_message_text("Puas? ✅", chat_id=CHAT, message_id=msg.message_id)
    assert isinstance(edited, type(msg)) and edited.text == "Puas? ✅"
    assert edited.reply_markup is None  # editing without reply_markup drops the keyboard
    assert api.sent_texts(CHAT) == ["Puas?", "123", "Puas? ✅"]
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Puas? ✅", chat_id=CHAT, message_id=msg.message_id)

    await bot.edit_message_reply_markup(CHAT, msg.message_id, reply_markup=KEYBOARD)
    assert api.messages_to(CHAT)[0]["reply_markup"]["inline_keyboard"][0][1]["text"] == "No"
    assert await bot.answer_callback_query("1000", text="Terima kasih")
    assert api.calls_to("answerCallbackQuery")[0].params["callback_query_id"] == "1000"
    assert await bot.delete_message(CHAT, second.message_id)
    assert [m["message_id"] for m in api.messages_to(CHAT)] == [1]


@pytest.mark.asyncio
async def test_send_photo_multipart_upload(api: FakeTelegramAPI, bot: Bot) -> None:
    msg = await bot.send_photo(CHAT, photo=PNG, caption="Grafik", reply_markup=KEYBOARD)
    assert msg.photo and msg.caption == "Grafik"
    call = api.calls_to("sendPhoto")[0]
    assert call.files["photo"] == PNG
    assert call.params["chat_id"] == CHAT
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "q1:yes"
    doc = await bot.send_document(CHAT, document=b"a,b\n1,2\n", filename="report.csv")
    assert doc.document is not None and doc.document.file_name == "report.csv"


@pytest.mark.asyncio
async def test_get_updates_message_and_callback(api: FakeTelegramAPI, bot: Bot) -> None:
    question = await bot.send_message(CHAT, "Puas?", reply_markup=KEYBOARD)
    user = api.user(CHAT, first_name="Budi", username="budi")
    user.send_text("halo")
    user.press("q1:yes", question.message_id)
    updates = await bot.get_updates(offset=0, timeout=1)
    assert [u.update_id for u in updates] == [1, 2]
    assert updates[0].message.text == "halo" and updates[0].effective_user.username == "budi"
    cq = updates[1].callback_query
    assert cq is not None and cq.data == "q1:yes" and cq.chat_instance
    assert cq.message.message_id == question.message_id and cq.message.chat.id == CHAT
    assert cq.from_user.id == CHAT

    # Confirmed updates disappear; an empty long-poll returns within the internal cap.
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await bot.get_updates(offset=3, timeout=30) == ()
    assert loop.time() - start < 2.5


@pytest.mark.asyncio
async def test_long_poll_wakes_up_and_commands_groups_replay(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    user = api.user(CHAT)
    poll = asyncio.create_task(bot.get_updates(offset=0, timeout=1))
    await asyncio.sleep(0.05)
    sent = user.send_command("start", "TOKEN123")
    (update,) = await poll
    assert update.message.text == "/start TOKEN123"
    assert update.message.entities[0].type == "bot_command"

    group = api.user(77, first_name="Citra", chat_type="group")
    group.send_sticker()
    group.send_photo()
    group.send_voice()
    user.edit_text(sent["message"]["message_id"], "/start OTHER")
    api.replay(sent)
    ups = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert ups[0].update_id == update.update_id  # re-delivered with the SAME update_id
    assert ups[1].effective_chat.type == "group" and ups[1].effective_chat.id == -77
    assert ups[1].message.sticker is not None and ups[1].effective_user.id == 77
    assert ups[2].message.photo and ups[3].message.voice is not None
    assert ups[4].edited_message.text == "/start OTHER"


@pytest.mark.asyncio
async def test_failure_injection(api: FakeTelegramAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "a")
    api.fail_next("sendMessage", status=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(CHAT, "b")
    await bot.send_message(CHAT, "c")
    calls = api.calls_to("sendMessage")
    assert [(c.failed, c.status) for c in calls] == [(True, 429), (True, 500), (False, 200)]
    assert api.sent_texts(CHAT) == ["c"]


@pytest.mark.asyncio
async def test_webhook_mode(api: FakeTelegramAPI, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.test/hook", secret_token="s3cret")
    assert api.webhook is not None and api.webhook["secret_token"] == "s3cret"
    assert (await bot.get_webhook_info()).url == "https://example.test/hook"
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook()

    seen: list[tuple[str | None, dict[str, object]]] = []

    async def hook(request: web.Request) -> web.Response:
        seen.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        update = api.user(CHAT).send_text("via webhook")
        assert await api.deliver(update, url, "s3cret") == (200, "ok")
        assert await api.deliver(update, url, None) == (200, "ok")
    finally:
        await runner.cleanup()
    assert seen[0] == ("s3cret", update) and seen[1][0] is None


@pytest.mark.asyncio
async def test_commands_roundtrip(api: FakeTelegramAPI, bot: Bot) -> None:
    assert await bot.set_my_commands([("start", "Mulai survei")])
    (cmd,) = await bot.get_my_commands()
    assert (cmd.command, cmd.description) == ("start", "Mulai survei")


@pytest.mark.asyncio
async def test_real_application_polling_end_to_end(api: FakeTelegramAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"token={context.args}", reply_markup=KEYBOARD)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"you chose {query.data}")

    app: Application = ApplicationBuilder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    user = api.user(CHAT)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            user.send_command("start", "ABC")
            await api.wait_for(lambda c: c.method == "sendMessage")
            assert api.sent_texts(CHAT) == ["token=['ABC']"]
            user.press(api.last_keyboard(CHAT)[0][0][1])
            await api.wait_for_calls("editMessageText", 1)
            assert api.sent_texts(CHAT)[-1] == "you chose q1:yes"
            assert api.calls_to("answerCallbackQuery")
        finally:
            await app.updater.stop()
            await app.stop()
