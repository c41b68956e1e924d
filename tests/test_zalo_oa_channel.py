"""The Zalo Official Account adapter against fake OA, OAuth servers on 127.0.0.1, through the
product's real web server and our real HTTP clients, on SQLite and PostgreSQL: signed events in,
customer-service texts out, tokens refreshed on the way.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.channels import lifecycle
from bot.services import Services, build_services
from bot.web.server import build_app
from scheduler.clock import ManualClock
from storage.models import Answer, Delivery, SurveySession
from tests.fakes.zalo_oa_api import FakeZaloOpenAPI, oa_event, post_raw, signed_event
from tests.support.environment import make_settings
from tests.support.staff import StaffClient, add_staff
from tests.support.telegram_bench import eventually
from tests.support.zalo_fixtures import zalo_open_api  # noqa: F401  (fixture)

APP_ID = "1234567890"
OA_ID = "579745863508352884"
OA_SECRET = "oa-secret-key"
USER = "8123456789012345678"


@dataclass
class OaBench:
    api: FakeZaloOpenAPI
    services: Services
    runner: web.AppRunner
    url: str
    clock: ManualClock
    sequence: int = 0

    async def event(
        self, name: str = "user_send_text", text: str = "", *, user: str = USER, **kw: Any
    ) -> tuple[int, dict[str, Any]]:
        """A signed event as Zalo would POST it; returns the HTTP status and the event."""
        self.sequence += 1
        kw.setdefault("msg_id", f"m{self.sequence}")
        kw.setdefault("timestamp_ms", int(self.clock().timestamp() * 1000))
        event = oa_event(APP_ID, user, name, text, oa_id=OA_ID, **kw)
        raw, headers = signed_event(event, OA_SECRET)
        status, _ = await post_raw(f"{self.url}/webhooks/zalo-oa", raw, headers)
        return status, event

    async def says(self, text: str, *, user: str = USER) -> str:
        """Send ``text``; wait for the bot's reply and return its last text."""
        before = len(self.api.sent_texts(user))
        status, _ = await self.event(text=text, user=user)
        assert status == 200
        texts = await eventually(lambda: self.api.sent_texts(user)[before:] or None)
        return str(texts[-1])

    async def count(self, model: type) -> int:
        async with self.services.db.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def oa(
    zalo_open_api: FakeZaloOpenAPI,  # noqa: F811
    services: Services,
    clock: ManualClock,
    port: int,
) -> AsyncIterator[OaBench]:
    settings = make_settings(
        services.db.url,
        port,
        SIPAS__ZALO_OA__APP_ID=APP_ID,
        SIPAS__ZALO_OA__APP_SECRET=zalo_open_api.app_secret,
        SIPAS__ZALO_OA__OA_ID=OA_ID,
        SIPAS__ZALO_OA__OA_SECRET_KEY=OA_SECRET,
        SIPAS__ZALO_OA__REFRESH_TOKEN="rt-0",
        SIPAS__ZALO_OA__API_BASE_URL=zalo_open_api.url,
        SIPAS__ZALO_OA__OAUTH_BASE_URL=zalo_open_api.url,
    )
    own = build_services(settings, clock, services.db)
    own.outbox.retry_delay = 0
    app = build_app(own)
    channels = lifecycle.build(own)
    assert [c.name for c in channels] == ["zalo_oa"]
    lifecycle.mount(channels, app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await lifecycle.start(channels)
    yield OaBench(zalo_open_api, own, runner, f"http://127.0.0.1:{port}", clock)
    await lifecycle.stop(channels)
    await runner.cleanup()


async def first_delivery(bench: OaBench) -> Delivery:
    """The first send recorded in ``deliveries`` (the reply runs after the webhook answered)."""
    for _ in range(100):
        async with bench.services.db.transaction() as session:
            row = await session.scalar(select(Delivery))
        if row is not None:
            return row
        await asyncio.sleep(0.05)
    raise TimeoutError("no delivery was recorded")


async def short_code(bench: OaBench, dossier: str = "HS-2026-000123") -> str:
    info = await bench.services.links.create(unit_code="XA-HOATHANH", dossier_code=dossier)
    data = bench.services.links.as_json(info)
    assert data["links"]["zalo"] == f"{bench.url}/z/{info.link.short_code}"
    return info.link.short_code


async def test_a_whole_survey_over_the_oa(oa: OaBench) -> None:
    status, _ = await oa.event("follow")
    assert status == 200
    greeting = await eventually(lambda: oa.api.sent_texts(USER) or None)
    assert "mã 6 ký tự" in greeting[-1]
    code = await short_code(oa)
    consent = await oa.says(code)
    assert "1. Đồng ý" in consent
    assert (await oa.says("1")).startswith("Câu 1/22")
    assert "Câu 2/22" in await oa.says("4")
    assert "Câu 1/22" in await oa.says("quay lại")
    assert "Câu 2/22" in await oa.says("5")
    for _ in range(21):
        last = await oa.says("3")
    assert "góp ý" in last.lower()
    await oa.says("Cán bộ nhiệt tình.")
    assert "cảm ơn" in (await oa.says("0")).lower()
    async with oa.services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
        answers = dict((await session.execute(select(Answer.question_id, Answer.value))).all())
    assert survey is not None and survey.completed_at is not None
    assert survey.channel == "zalo_oa" and survey.chat_id == USER
    assert len(answers) == 22 and answers["1.1"] == 5 and answers["1.2"] == 3
    assert all(len(t) <= 2000 for t in oa.api.sent_texts(USER))
    assert len(oa.api.calls_to("oauth")) == 1  # one access token served the whole survey


async def test_forged_missing_and_stale_signatures(oa: OaBench) -> None:
    event = oa_event(APP_ID, USER, "user_send_text", "1", msg_id="x1", oa_id=OA_ID)
    raw, headers = signed_event(event, "not-the-secret")
    assert (await post_raw(f"{oa.url}/webhooks/zalo-oa", raw, headers))[0] == 403
    del headers["X-ZEvent-Signature"]
    assert (await post_raw(f"{oa.url}/webhooks/zalo-oa", raw, headers))[0] == 403
    raw, headers = signed_event(event, OA_SECRET)
    tampered = raw.replace('"1"', '"2"')
    assert (await post_raw(f"{oa.url}/webhooks/zalo-oa", tampered, headers))[0] == 403
    old = int(oa.clock().timestamp() * 1000) - 6 * 60 * 1000  # older than max_event_age
    status, _ = await oa.event(text="hello", timestamp_ms=old)
    assert status == 200
    assert oa.api.calls_to("cs") == [] and await oa.count(Delivery) == 0


async def test_a_repeated_event_changes_nothing(oa: OaBench) -> None:
    code = await short_code(oa)
    await oa.says(code)
    await oa.says("1")
    before = len(oa.api.sent_texts(USER))
    status, event = await oa.event(text="4", msg_id="same-id")
    assert status == 200
    await eventually(lambda: len(oa.api.sent_texts(USER)) > before or None)
    sent = len(oa.api.sent_texts(USER))
    for _ in range(2):  # Zalo re-delivers the same msg_id
        raw, headers = signed_event(event, OA_SECRET)
        assert (await post_raw(f"{oa.url}/webhooks/zalo-oa", raw, headers))[0] == 200
    assert len(oa.api.sent_texts(USER)) == sent
    assert await oa.count(Answer) == 1


async def test_token_expires_mid_survey(oa: OaBench) -> None:
    code = await short_code(oa)
    await oa.says(code)
    await oa.says("1")
    await oa.says("4")
    oa.api.expire_access_tokens()  # Zalo answers -216 to the next send
    assert "Câu 3/22" in await oa.says("5")
    assert len(oa.api.calls_to("oauth")) == 2  # refreshed once, the send retried once
    async with oa.services.db.transaction() as session:
        answers = (await session.execute(select(Answer.question_id, Answer.value))).all()
    assert sorted(answers) == [("1.1", 4), ("1.2", 5)]  # nothing lost, nothing doubled


async def test_not_following_is_recorded_as_undeliverable(oa: OaBench) -> None:
    oa.api.user_errors[USER] = -213
    status, _ = await oa.event(text="xin chào")
    assert status == 200

    row = await first_delivery(oa)
    assert row.status == "undeliverable"
    assert (row.last_error or "").startswith("-213") and row.next_attempt_at is None


async def test_answers_within_two_seconds_while_zalo_is_slow(oa: OaBench) -> None:
    """The refresh takes 3 s: the webhook still answers at once, the reply follows."""
    oa.api.refresh_delay = 3.0
    started = time.monotonic()
    status, _ = await oa.event("follow")
    assert status == 200 and time.monotonic() - started < 2.0
    await eventually(lambda: oa.api.sent_texts(USER) or None, timeout=10)


async def test_unsupported_content_gets_a_kind_answer(oa: OaBench) -> None:
    code = await short_code(oa)
    await oa.says(code)
    before = len(oa.api.sent_texts(USER))
    status, _ = await oa.event("user_send_sticker")
    assert status == 200
    texts = await eventually(lambda: oa.api.sent_texts(USER)[before:] or None)
    assert any("chỉ nhận câu trả lời" in text for text in texts)
    assert await oa.count(Answer) == 0


async def test_top_admins_see_what_could_not_be_delivered(oa: OaBench) -> None:
    oa.api.user_errors[USER] = -213
    status, _ = await oa.event(text="xin chào")
    assert status == 200
    await first_delivery(oa)
    await add_staff(oa.services, "quan.tri", "admin", None)
    await add_staff(oa.services, "can.bo", "clerk", "XA-HOATHANH")
    async with StaffClient(oa.url) as admin:
        await admin.login("quan.tri")
        status, body = await admin.get("/staff/")
    assert status == 200 and "Tin nhắn không gửi được" in body
    assert "Zalo OA" in body and "-213" in body and USER not in body  # no chat id shown
    async with StaffClient(oa.url) as clerk:
        await clerk.login("can.bo")
        _, body = await clerk.get("/staff/")
    assert "Tin nhắn không gửi được" not in body
