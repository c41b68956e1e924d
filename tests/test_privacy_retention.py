"""Personal data lives only as long as it is needed: phones and chat ids go once the phone
re-check window and the retention period have passed, the figures stay exactly as they were,
and no log line carries a phone number, a chat id or a link token."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.conversation import guard
from bot.services import Services
from flows.outbound import to_payload
from scheduler.clock import ManualClock
from scheduler.config import Schedule
from storage.models import Delivery, Dossier, SurveySession
from storage.repos import deliveries
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.scheduler import complete_response, jobs_for, open_survey
from tests.support.servers import browser_client
from tests.support.tallies import week_tally
from tests.support.telegram_bench import Bench, start_survey

PHONE = "0912345678"
WEEK = "2026-W48"


async def phones(services: Services) -> dict[str, str | None]:
    async with services.db.transaction() as session:
        rows = await session.execute(select(Dossier.code, Dossier.phone).order_by(Dossier.code))
        return {code: phone for code, phone in rows}


async def figures(services: Services) -> tuple[object, object]:
    async with services.db.transaction() as session:
        unit_ids = list(await session.scalars(select(SurveySession.unit_id).distinct()))
        tally = await week_tally(session, unit_ids, WEEK)
    return tally.distributions, dict(tally.stats)


async def test_retention_removes_phones_and_chats_and_leaves_the_figures(
    services: Services, clock: ManualClock
) -> None:
    for code in ("HS-DONE", "HS-NEVER", "HS-HALF"):
        await services.links.create(
            unit_code="XA-HOATHANH", dossier_code=code, phone=PHONE, actor="test"
        )
    await complete_response(services, "9001", "HS-DONE", [4] * 22, comment="Tốt.")
    half = await open_survey(services, "9002", "HS-HALF", answers=[5, 5])
    async with services.db.transaction() as session:
        waiting = await session.scalar(
            select(SurveySession.id).where(SurveySession.chat_id == half.chat_id)
        )
        await deliveries.claim(
            session,
            key=f"reminder:{waiting}:1",
            channel="telegram",
            chat_id=half.chat_id,
            payload=to_payload([]),
            now=clock(),
        )
        retried = await deliveries.claim(
            session,
            key="retry:telegram:0f1e",
            channel="telegram",
            chat_id="9003",
            payload=to_payload([]),
            now=clock(),
        )
        assert retried is not None
        await deliveries.mark_sent(session, retried, clock())
    before = await figures(services)
    schedule = Schedule(
        zone=services.zone, recheck_window=timedelta(days=60), retention=timedelta(days=90)
    )
    jobs = jobs_for(services, schedule)

    clock.advance(days=14 + 89)  # the links expired after 14 days; retention not over yet
    await jobs.prune()
    async with services.db.transaction() as session:
        sent = await deliveries.by_key(session, "retry:telegram:0f1e")
        assert sent is not None and sent.chat_id == ""  # a sent retry keeps no chat
    assert await phones(services) == {"HS-DONE": PHONE, "HS-HALF": PHONE, "HS-NEVER": PHONE}
    clock.advance(days=2)  # 90 days after the unanswered links expired
    await jobs.prune()
    assert await phones(services) == {"HS-DONE": PHONE, "HS-HALF": None, "HS-NEVER": None}
    async with services.db.transaction() as session:
        reminder = await session.scalar(select(Delivery).where(Delivery.key.startswith("rem")))
        assert reminder is not None and reminder.chat_id == "" and reminder.status == "cancelled"
    clock.advance(days=150 - 105 - 1)  # 149 days after completion: still in the window
    await jobs.prune()
    assert (await phones(services))["HS-DONE"] == PHONE
    clock.advance(days=1, seconds=1)  # 60 + 90 days after completion
    await jobs.prune()
    assert await phones(services) == {"HS-DONE": None, "HS-HALF": None, "HS-NEVER": None}
    async with services.db.transaction() as session:
        chats = list(await session.scalars(select(SurveySession.chat_id)))
    assert chats == [None, None]
    assert await figures(services) == before  # the index is unchanged


async def test_forgetting_a_chat_keeps_its_completed_answers_counted_once(
    services: Services,
) -> None:
    await services.links.create(
        unit_code="XA-HOATHANH", dossier_code="HS-A", phone=PHONE, actor="test"
    )
    ref = await complete_response(services, "9101", "HS-A", [3] * 22)
    before = await figures(services)
    assert await guard.forget_chat(services, ref) == 1
    assert await guard.forget_chat(services, ref) == 0
    assert await phones(services) == {"HS-A": None}
    assert await figures(services) == before


@pytest.fixture
def production_logging(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Log levels as ``sipas-bot run`` sets them (bot.cli.run)."""
    caplog.set_level(logging.WARNING, logger="httpx")
    caplog.set_level(logging.WARNING, logger="apscheduler")
    caplog.set_level(logging.INFO)  # last: it also sets the capturing handler's level
    return caplog


async def test_logs_of_full_surveys_carry_no_phone_chat_id_or_token(
    tg: Bench, tg_api: FakeTelegramAPI, production_logging: pytest.LogCaptureFixture
) -> None:
    chat = 730418529
    services = tg.services
    made = await services.links.create(
        unit_code="XA-HOATHANH", dossier_code="HS-LOG-1", phone=PHONE, actor="test"
    )
    token = made.link.token
    user = tg_api.user(chat)
    await start_survey(tg, user, token)
    for number in range(1, 23):
        await tg.push(user.press(await tg.button(chat, "4")))
        await tg.said(chat, f"Câu {number + 1}/22" if number < 22 else "phục vụ tốt hơn không")
    await tg.push(user.send_text("Cán bộ nhiệt tình."))
    await tg.said(chat, "Đã ghi nhận góp ý.")
    await tg.push(user.press(await tg.button(chat, "skip")))
    await tg.said(chat, "Xin chân thành cảm ơn")
    web = await services.links.create(
        unit_code="XA-HOATHANH", dossier_code="HS-LOG-2", phone="0987654321", actor="test"
    )
    url = f"http://127.0.0.1:{tg.port}/s/{web.link.token}"
    async with browser_client() as browser:
        await browser.post(url, data={"prompt": "_consent", "choice": "yes"})
        async with browser.post(url, data={"prompt": "1.1", "choice": "5"}) as response:
            assert response.status == 200
    await jobs_for(services).tick()
    text = production_logging.text
    logging.getLogger("sipas.test").info("capture works")  # the check below reads real logs
    assert "capture works" in production_logging.text
    for secret in (str(chat), PHONE, PHONE[1:], "0987654321", token, web.link.token):
        assert secret not in text, secret
