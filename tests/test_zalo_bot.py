"""The Zalo Bot API channel end to end: the real adapter and web server against the fake Bot
API on 127.0.0.1, in polling and webhook mode, on SQLite and PostgreSQL.

A whole Mẫu 01 survey by typed digits, started with the short code of ``links create``;
replayed updates (also across a restart) answered once; quiet empty polls at a kept interval;
the webhook's secret, body shapes and errors; unsupported content; groups; long replies split
at 2,000 characters; wrong codes; staff binding and staff commands typed in Zalo.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import timedelta

import pytest
from aiohttp import ClientSession
from sqlalchemy import select

from bot.channels.protocol import SendFailed, Undeliverable
from bot.channels.zalo.bot_updates import inbound_of, update_of
from bot.channels.zalo.errors import (
    TokenRefreshFailed,
    ZaloApiError,
    ZaloTemporaryError,
    as_send_failure,
)
from bot.channels.zalo_plugins import CAPABILITIES
from bot.conversation.rendering import adapt
from bot.services import Services
from flows.outbound import Message, Option
from storage.models import ChatBinding, Delivery, ProcessedUpdate, SurveyLink
from storage.repos import units
from tests.fakes.zalo_api import SECRET_HEADER, FakeZaloBotAPI, FakeZaloUser
from tests.support.bench import eventually
from tests.support.staff import add_staff
from tests.support.zalo_bench import SECRET, ZaloBench, running_bench

CONSENT = "Ông/Bà có đồng ý"
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def begin(
    zalo: ZaloBench,
    capsys: pytest.CaptureFixture[str],
    user: FakeZaloUser,
    dossier: str = "HS-2026-000123",
) -> None:
    """The citizen sends the short code and agrees: the first question is on screen."""
    code = await zalo.short_code(capsys, dossier)
    consent = await zalo.says(user, code, CONSENT)
    assert "1. Đồng ý" in consent and "2. Không đồng ý" in consent
    await zalo.says(user, "1", "Câu 1/22")


async def test_a_whole_survey_by_typed_digits(
    zalo: ZaloBench, capsys: pytest.CaptureFixture[str]
) -> None:
    user = zalo.api.user("u-1", "An")
    await begin(zalo, capsys, user)
    first = zalo.texts(user.chat_id)[-1]
    assert "\n5. Rất hài lòng" in first and 'Gõ "quay lại"' not in first
    second = await zalo.says(user, "4", "Câu 2/22")
    assert second.startswith("✓ Đã chọn: Hài lòng\n")  # the echo, folded into the question
    assert 'Gõ "quay lại" để sửa câu trước.' in second
    again = await zalo.says(user, "quay lại", "Câu 1/22")
    assert "Hài lòng ✓" in again
    await zalo.says(user, "5", "Câu 2/22")
    await zalo.says(user, "3", "Câu 3/22")
    await zalo.says(user, "0", "Câu 2/22")  # no choice is 0 here: "0" goes back
    await zalo.says(user, "4", "Câu 3/22")
    for number in range(3, 22):
        typed = "0" if number == 19 else "4"  # 5.1 has "no opinion" (0): an answer there
        await zalo.says(user, typed, f"Câu {number + 1}/22")
    assert "0. Không có ý kiến" in zalo.texts(user.chat_id)[-1]
    comment = await zalo.says(user, "0", "Ông/Bà có góp ý gì")  # Q22: "no opinion"
    assert "\n0. Bỏ qua, gửi phiếu\n1. Gửi phản ánh, kiến nghị\n" in comment  # typed too
    await zalo.says(user, "0", "đã hoàn thành khảo sát")  # one "0" skips and sends
    assert all(1 <= len(text) <= 2000 for text in zalo.texts(user.chat_id))

    answers = await zalo.answer_rows()
    assert len(answers) == 22 == len(dict(answers))  # each question once
    values = dict(answers)
    assert list(values.values()).count(0) == 2 and values["1.1"] == 5 and values["1.2"] == 4
    (survey,) = await zalo.sessions()
    assert survey.completed_at is not None and survey.channel == "zalo_bot"


async def test_replayed_updates_are_answered_once_even_after_a_restart(
    zalo: ZaloBench, capsys: pytest.CaptureFixture[str]
) -> None:
    user = zalo.api.user("u-2", "Bình")
    await begin(zalo, capsys, user, "HS-2026-000124")
    answer = user.send_text("3")
    await zalo.push(answer)
    await zalo.last(user.chat_id, "Câu 2/22")
    sent = len(zalo.texts(user.chat_id))
    await zalo.again(answer)
    await zalo.settled()
    assert len(zalo.texts(user.chat_id)) == sent
    fresh = await zalo.restart()
    try:
        await fresh.again(answer)  # a new process on the same database
        await fresh.settled()
        assert len(fresh.texts(user.chat_id)) == sent
        assert await fresh.answer_rows() == [("1.1", 3)]
        await fresh.says(user, "5", "Câu 3/22")  # and the survey goes on
        assert sorted(await fresh.answer_rows()) == [("1.1", 3), ("1.2", 5)]
    finally:
        await fresh.stop()


@SQLITE_ONLY
async def test_empty_polls_are_quiet_and_the_interval_is_kept(
    zalo_bot_api: FakeZaloBotAPI, services: Services, port: int, caplog: pytest.LogCaptureFixture
) -> None:
    interval = 0.25
    zalo_bot_api.max_poll_timeout = 0.05  # empty polls end at once: only the interval waits
    caplog.set_level(logging.INFO, logger="bot.channels.zalo")
    async with running_bench(zalo_bot_api, services, port, poll_interval=interval):
        assert zalo_bot_api.calls_to("deleteWebhook")  # polling and a webhook exclude each other
        await asyncio.sleep(1.0)  # a time window to count calls in, not a synchronisation
        polls = zalo_bot_api.calls_to("getUpdates")
        assert polls and all(call.status == 408 for call in polls)
        assert 2 <= len(polls) <= 1.0 / interval + 2
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        for number in range(6):  # a queue: getUpdates answers at once, the interval holds
            zalo_bot_api.user(f"u-q{number}").send_sticker()
        before = len(zalo_bot_api.calls_to("getUpdates"))
        await asyncio.sleep(1.0)
        assert len(zalo_bot_api.calls_to("getUpdates")) - before <= 1.0 / interval + 2


@SQLITE_ONLY
async def test_polling_backs_off_on_errors_and_recovers(
    zalo_bot_api: FakeZaloBotAPI, services: Services, port: int
) -> None:
    zalo_bot_api.fail_next("getUpdates", 500, "Internal error", status=500, times=3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with running_bench(zalo_bot_api, services, port, poll_interval=0.05) as bench:
        user = zalo_bot_api.user("u-3")
        await bench.says(user, "/help", "gõ số")  # served once Zalo answers again
        polls = zalo_bot_api.calls_to("getUpdates")
        assert [call.status for call in polls[:4]] == [500, 500, 500, 200]
        assert loop.time() - started >= 0.1 + 0.2 + 0.4  # the waits doubled (not 3 × 0.05)


@SQLITE_ONLY
async def test_webhook_secret_body_shapes_and_registration(
    zalo_bot_api: FakeZaloBotAPI, services: Services, port: int
) -> None:
    async with running_bench(zalo_bot_api, services, port, "webhook") as bench:
        (registered,) = zalo_bot_api.calls_to("setWebhook")
        assert registered.params == {"url": bench.webhook_url, "secret_token": SECRET}
        user = zalo_bot_api.user("u-4")
        update = user.send_text("/help")
        for secret in ("wrong-secret", None, ""):
            status, _ = await zalo_bot_api.deliver(update, bench.webhook_url, secret)
            assert status == 403
        assert bench.texts(user.chat_id) == [] and await bench.count(ProcessedUpdate) == 0
        assert (await bench.push(update, wrapped=False)) == 200  # bare
        assert (await bench.push(user.send_text("/help"), wrapped=True)) == 200  # wrapped
        assert len(bench.texts(user.chat_id)) == 2
        for body in ({"ok": True, "result": "nope"}, {"message": "x"}, [1, 2]):
            status, _ = await zalo_bot_api.deliver(body, bench.webhook_url, SECRET, wrapped=False)  # type: ignore[arg-type]
            assert status == 400
        no_message = {"event_name": "bot.future.event"}  # well-formed: taken, nothing to answer
        assert (await bench.push(no_message)) == 200
        async with (
            ClientSession() as http,
            http.post(
                bench.webhook_url, data=b"{not json", headers={SECRET_HEADER: SECRET}
            ) as response,
        ):
            assert response.status == 400
        assert len(bench.texts(user.chat_id)) == 2 and await bench.count(ProcessedUpdate) == 2


async def test_unsupported_content_gets_a_kind_reply_and_changes_nothing(
    zalo: ZaloBench, capsys: pytest.CaptureFixture[str]
) -> None:
    user = zalo.api.user("u-5", "Cúc")
    await begin(zalo, capsys, user, "HS-2026-000125")
    sends = (
        user.send_sticker,
        user.send_image,
        user.send_unsupported,
        lambda: user.send_event("message.voice.received", voice_url="https://f.zalo.me/v.aac"),
        lambda: user.send_event("message.reaction.received"),
    )
    for send in sends:
        before = len(zalo.texts(user.chat_id))
        await zalo.push(send())
        await eventually(lambda: len(zalo.texts(user.chat_id)) > before + 1)  # noqa: B023
        notice, question = zalo.texts(user.chat_id)[before:]
        assert "chỉ nhận câu trả lời" in notice and "Câu 1/22" in question  # asked again
    assert await zalo.answer_rows() == []
    await zalo.says(user, "2", "Câu 2/22")  # the survey goes on
    assert await zalo.answer_rows() == [("1.1", 2)]


async def test_updates_without_event_name_as_in_zalos_sample(
    services: Services, port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    async with (
        FakeZaloBotAPI(max_poll_timeout=0.5, event_names=False) as api,
        running_bench(api, services, port) as bench,
    ):
        user = api.user("u-6", "Dũng")
        await begin(bench, capsys, user, "HS-2026-000126")
        await bench.says(user, "ignored", "Câu 1/22")  # an unexpected text: asked again
        await bench.push(user.send_sticker())
        await bench.settled()
        assert "chỉ nhận câu trả lời" in bench.texts(user.chat_id)[-2]
        await bench.says(user, "5", "Câu 2/22")
        assert await bench.answer_rows() == [("1.1", 5)]


def test_update_shapes_and_kinds() -> None:
    message = {"from": {"id": "u", "first_name": "An"}, "chat": {"id": "c"}, "message_id": "m1"}
    bare = {"message": {**message, "text": "/link HS-1"}}
    assert update_of({"ok": True, "result": bare}) == bare == update_of(bare)
    assert update_of({"ok": True}) is None and update_of("x") is None
    inbound = inbound_of(bare)
    assert inbound is not None and inbound.ref.chat_id == "c" and not inbound.group
    assert (inbound.event.name, inbound.event.argument) == ("link", "HS-1")  # type: ignore[union-attr]
    photo = inbound_of({"message": {**message, "photo_url": "https://f/p.jpg", "caption": "x"}})
    assert photo is not None and photo.event.kind == "photo"  # type: ignore[union-attr]
    sticker = inbound_of({"message": {**message, "sticker": "abc"}})
    assert sticker is not None and sticker.event.kind == "sticker"  # type: ignore[union-attr]
    elsewhere = inbound_of({"message": {**message, "chat": {"id": "d"}, "text": "1"}})
    assert elsewhere is not None and elsewhere.message_id != inbound.message_id
    assert inbound_of(bare) == inbound  # the same message: the same key
    bot = inbound_of({"message": {**message, "from": {"id": "b", "is_bot": True}, "text": "x"}})
    assert bot is None


def test_send_errors_map_onto_the_protocol() -> None:
    blocked = as_send_failure(ZaloApiError(403, "The user blocked the bot"))
    assert isinstance(blocked, Undeliverable) and blocked.code == "403"
    assert isinstance(as_send_failure(ZaloApiError(400, "chat not found")), Undeliverable)
    busy = as_send_failure(ZaloTemporaryError("sendMessage: HTTP 429", retry_after=7))
    assert not isinstance(busy, Undeliverable) and busy.retry_after == 7
    temporaries = (ZaloApiError(500, "Internal"), ZaloApiError(429, "Too many"))
    for temporary in (*temporaries, ZaloApiError(401, "Unauthorized")):  # 401: our token
        failed = as_send_failure(temporary)
        assert isinstance(failed, SendFailed) and not isinstance(failed, Undeliverable)


async def test_refusals_are_recorded_and_temporary_failures_retried(
    zalo: ZaloBench,
) -> None:
    user = zalo.api.user("u-7")
    zalo.api.fail_next("sendMessage", 500, "Internal error", status=500, times=1)
    await zalo.says(user, "/help", "gõ số")  # retried at once by the outbox
    zalo.api.fail_next("sendMessage", 429, "Too many requests", status=429, retry_after=1)
    started = asyncio.get_running_loop().time()
    await zalo.says(user, "/help", "gõ số")  # retried after Zalo's Retry-After
    assert asyncio.get_running_loop().time() - started >= 0.9
    zalo.api.fail_next("sendMessage", 403, "The user blocked the bot")
    await zalo.push(user.send_text("/help"))
    await zalo.settled()
    async with zalo.services.db.transaction() as session:
        (row,) = (await session.scalars(select(Delivery))).all()
    assert row.status == "undeliverable" and "blocked" in (row.last_error or "")
    assert row.next_attempt_at is None and row.chat_id == user.chat_id


async def test_a_group_chat_gets_the_polite_refusal(zalo: ZaloBench) -> None:
    member = zalo.api.user("u-8", "Em", group_id="g-1")
    reply = await zalo.says(member, "ABCDEF", "cuộc trò chuyện riêng")
    assert reply.startswith("Xin lỗi")
    assert await zalo.count(SurveyLink) == 0 and await zalo.sessions() == []


async def test_wrong_codes_are_answered_kindly_and_limited_per_chat(zalo: ZaloBench) -> None:
    user = zalo.api.user("u-9")
    hello = await zalo.says(user, "xin chào", "mã 6 ký tự")
    assert "K7M2QP" in hello  # the example of what to send
    for _ in range(5):
        await zalo.says(user, "abc def", "ABCDEF không đúng")
    await zalo.says(user, "ABCDEG", "thử quá nhiều mã")
    other = zalo.api.user("u-10")  # another chat is not affected
    await zalo.says(other, "ABCDEF", "không đúng")
    assert await zalo.sessions() == []


async def test_an_expired_code_is_answered_kindly(
    zalo: ZaloBench, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await zalo.short_code(capsys, "HS-2026-000127")
    zalo.clock.now = zalo.clock.now + timedelta(days=400)
    await zalo.says(zalo.api.user("u-11"), code, "đã hết hạn")
    assert await zalo.answer_rows() == []


async def test_staff_bind_then_link_and_report_typed_in_zalo(
    zalo: ZaloBench, capsys: pytest.CaptureFixture[str]
) -> None:
    services = zalo.services
    await add_staff(services, "clerk1", "clerk", "XA-HOATHANH")
    await add_staff(services, "chu.tich", "chair", "TINH-TEST")  # the province: a long digest
    async with services.db.transaction() as session:
        for number in range(40):  # communes ranked one per line: far over 2,000 characters
            name = f"Ủy ban nhân dân xã Thử nghiệm số {number:02d}"
            await units.add(
                session, f"XA-{number:02d}", name, now=zalo.clock(), parent_code="TINH-TEST"
            )
    clerk, chair = zalo.api.user("u-clerk", "Clerk"), zalo.api.user("u-chair", "Chair")
    refused = await zalo.says(clerk, "/link HS-2026-000123", "chỉ dành cho cán bộ")
    assert refused and await zalo.count(SurveyLink) == 0

    codes = {}
    for username in ("clerk1", "chu.tich"):
        out = await zalo.cli(capsys, "users", "bind", username, "--channel", "zalo_bot", "--json")
        link = str(json.loads(out)["link"])
        landing = re.escape(f"{services.settings.web.public_url}/z/")
        match = re.fullmatch(rf"{landing}([A-HJ-NP-Z2-9]{{8}})", link)  # no look-alikes
        assert match, link
        codes[username] = match.group(1)
    await zalo.says(clerk, codes["clerk1"].lower(), "clerk1")
    async with services.db.transaction() as session:
        bound = (await session.scalars(select(ChatBinding))).all()
    assert [(b.channel, b.chat_id) for b in bound] == [("zalo_bot", clerk.chat_id)]
    await zalo.says(chair, codes["clerk1"], "không còn hiệu lực")  # single use: no takeover

    answer = await zalo.says(clerk, "/link HS-2026-000123", "HS-2026-000123")
    assert f"{services.settings.web.public_url}/z/" in "\n".join(zalo.texts(clerk.chat_id))
    assert await zalo.count(SurveyLink) == 1 and answer

    await zalo.says(chair, codes["chu.tich"], "chu.tich")
    before = len(zalo.texts(chair.chat_id))
    await zalo.push(chair.send_text("/baocao"))
    await zalo.settled()
    report = zalo.texts(chair.chat_id)[before:]
    assert len(report) >= 2 and report[0].startswith("📊")  # split, in order
    assert "số 39" in report[-1] and sum(len(part) for part in report) > 2000
    assert all(len(text) <= 2000 for text in zalo.texts(chair.chat_id))


def test_a_long_question_keeps_its_numbered_choices_in_one_message() -> None:
    """A long preamble (a custom flow's privacy notice) is split off; the question and every
    choice stay together in the last message, none over Zalo's 2,000 characters."""
    question = "Ông/Bà có đồng ý tham gia khảo sát không?"
    line = "Thông tin của Ông/Bà được bảo mật theo quy định của pháp luật."
    notice = "\n".join([line] * 40)[:1940]  # the list's first choice ends just under 2,000
    options = (Option("Đồng ý", "yes", "1"), Option("Không đồng ý", "no", "2"))
    asked = Message(f"{notice}\n\n{question}", "consent", options)
    parts = adapt([asked], CAPABILITIES, "vi")
    texts = [part.text for part in parts if isinstance(part, Message)]
    assert len(texts) >= 2 and all(len(text) <= 2000 for text in texts)
    assert texts[-1].startswith(question) and texts[-1].endswith("1. Đồng ý\n2. Không đồng ý")
    assert parts[-1].options == options and notice in "\n".join(texts[:-1])


def test_a_refused_oa_refresh_is_queued_not_retried_at_once() -> None:
    failed = as_send_failure(TokenRefreshFailed("invalid_grant", temporary=False))
    assert not isinstance(failed, Undeliverable)
    assert failed.retry_after is not None and failed.retry_after > 30  # past the outbox's wait
    unreachable = as_send_failure(TokenRefreshFailed("timeout", temporary=True))
    assert unreachable.retry_after is None
