"""A survey belongs to the browser or chat that started it (issue 15): another one holding the
same link is told so, sees no question and no answer, and changes nothing; the first goes on.
Web-chat answers from a browser with a live staff session, or from the office network, are
flagged."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest
from sqlalchemy import select
from yarl import URL

from bot.conversation.turns import texts_of
from bot.services import Services
from bot.web.chat_binding import COOKIE_NAME
from flows.engine import Start
from flows.outbound import ConversationRef
from storage.models import Answer, ResponseFlag, SurveySession
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.environment import make_settings
from tests.support.scheduler import QUESTION_IDS
from tests.support.servers import browser_client, serving
from tests.support.staff import StaffClient, add_staff
from tests.support.surveys import new_token
from tests.support.telegram_bench import Bench, start_survey
from tests.support.zalo_bench import ZaloBench

ELSEWHERE = "Phiếu này đang được trả lời trên một thiết bị khác"


async def answers(services: Services) -> dict[str, int]:
    async with services.db.transaction() as session:
        rows = await session.execute(select(Answer.question_id, Answer.value))
        return {question_id: value for question_id, value in rows}


async def post(http: aiohttp.ClientSession, url: str, data: dict[str, str]) -> tuple[int, str]:
    async with http.post(url, data=data) as response:
        return response.status, await response.text()


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(url) as response:
        return response.status, await response.text()


async def answer_all(http: aiohttp.ClientSession, url: str, level: str) -> None:
    await post(http, url, {"prompt": "_consent", "choice": "yes"})
    for question_id in QUESTION_IDS:
        await post(http, url, {"prompt": question_id, "choice": level})
    status, body = await post(http, url, {"prompt": "_comment", "choice": "skip"})
    assert status == 200 and "cảm ơn" in body


async def test_a_second_browser_is_refused_while_the_first_continues(
    services: Services, server: str
) -> None:
    token = await new_token(services)
    url = f"{server}/s/{token}"
    async with browser_client() as first, browser_client() as second:
        async with first.get(url) as response:
            [set_cookie] = response.headers.getall("Set-Cookie")
        assert set_cookie.startswith(f"{COOKIE_NAME}=")
        assert {"HttpOnly", "SameSite=Lax", f"Path=/s/{token}"} <= {
            part.strip() for part in set_cookie.split(";")
        }
        await post(first, url, {"prompt": "_consent", "choice": "yes"})
        status, body = await post(first, url, {"prompt": "1.1", "choice": "4"})
        assert status == 200 and "Câu 2/22" in body

        status, body = await get(second, url)
        assert status == 403 and ELSEWHERE in body
        assert "Câu" not in body and "<form" not in body  # nothing of the survey is shown
        status, body = await post(second, url, {"prompt": "1.2", "choice": "1"})
        assert status == 403 and ELSEWHERE in body
        status, body = await post(second, url, {"prompt": "1.1", "choice": "1"})
        assert status == 403
        assert await answers(services) == {"1.1": 4}

        status, body = await post(first, url, {"prompt": "1.2", "choice": "5"})
        assert status == 200 and "Câu 3/22" in body
        assert await answers(services) == {"1.1": 4, "1.2": 5}


async def test_a_forged_or_borrowed_cookie_opens_nothing(services: Services, server: str) -> None:
    token = await new_token(services)
    other = await new_token(services, "HS-2026-000999")
    async with browser_client() as first:
        await get(first, f"{server}/s/{token}")
        await post(first, f"{server}/s/{token}", {"prompt": "_consent", "choice": "yes"})
        value = first.cookie_jar.filter_cookies(URL(f"{server}/s/{token}"))[COOKIE_NAME].value
    client_id, signature = value.rsplit(".", 1)
    async with aiohttp.ClientSession() as thief:
        # An edited cookie on the right link does not verify: another client.
        forged = f"{client_id}x.{signature}"
        status, body = await get_with_cookie(thief, f"{server}/s/{token}", forged)
        assert status == 403 and ELSEWHERE in body
        # A genuine cookie sent to another link is not that link's: it opens fresh.
        status, body = await get_with_cookie(thief, f"{server}/s/{other}", value)
        assert status == 200 and "đồng ý" in body


async def get_with_cookie(http: aiohttp.ClientSession, url: str, cookie: str) -> tuple[int, str]:
    async with http.get(url, headers={"Cookie": f"{COOKIE_NAME}={cookie}"}) as response:
        return response.status, await response.text()


async def test_a_telegram_survey_cannot_be_taken_over_by_another_chat(
    tg: Bench, tg_api: FakeTelegramAPI
) -> None:
    token = await tg.link()
    owner, intruder = tg_api.user(6001), tg_api.user(6002)
    await start_survey(tg, owner, token)
    await tg.push(owner.press(await tg.button(6001, "4")))
    await tg.said(6001, "Câu 2/22")
    await tg.push(intruder.send_command("start", token))
    await tg.said(6002, ELSEWHERE)
    await tg.push(intruder.send_text("1"))
    await tg.said(6002, "Để tham gia khảo sát")
    assert not any("Câu" in text for text in tg.texts(6002))
    await tg.push(owner.send_text("5"))
    await tg.said(6001, "Câu 3/22")
    assert await tg.answers() == {"1.1": 4, "1.2": 5}
    # The web page of the same link is another client too.
    async with browser_client() as browser:
        status, body = await get(browser, f"http://127.0.0.1:{tg.port}/s/{token}")
    assert status == 403 and ELSEWHERE in body


async def flags_raised(services: Services) -> dict[str, dict[str, object]]:
    async with services.db.transaction() as session:
        rows = await session.scalars(select(ResponseFlag))
        return {row.flag: row.evidence for row in rows}


async def test_a_survey_answered_in_a_staff_browser_is_flagged(
    services: Services, server: str
) -> None:
    await add_staff(services, "motcua", "clerk", "XA-HOATHANH")
    token = await new_token(services)
    async with StaffClient(server) as clerk:
        await clerk.login("motcua")
        await answer_all(clerk.http, f"{server}/s/{token}", "5")
    assert await flags_raised(services) == {"staff_browser": {}}


async def test_a_survey_answered_from_the_office_network_is_flagged(
    services: Services, port: int
) -> None:
    settings = make_settings(
        services.db.url, port, SIPAS__INTEGRITY__STAFF_NETWORKS="10.0.0.0/8, 127.0.0.0/8"
    )
    from bot.services import build_services

    office = build_services(settings, services.clock, services.db)
    token = await new_token(office)
    async with serving(office, port) as server, browser_client() as browser:
        await answer_all(browser, f"{server}/s/{token}", "4")
    raised = await flags_raised(services)
    assert raised == {"staff_network": {"network": "127.0.0.0/8"}}
    assert not re.search(r"127\.0\.0\.1", str(raised))  # the address itself is not kept


async def test_two_chats_opening_a_new_link_at_once_leave_one_owner(services: Services) -> None:
    token = await new_token(services)
    replies = await asyncio.gather(
        *(
            services.conversation.turn(ConversationRef("telegram", chat), Start(), token=token)
            for chat in ("8101", "8102", "8103")
        )
    )
    refused = [reply for reply in replies if ELSEWHERE in " ".join(texts_of(reply.messages))]
    assert len(refused) == 2
    async with services.db.transaction() as session:
        owners = list(await session.scalars(select(SurveySession.chat_id)))
    assert len(owners) == 1 and owners[0] in ("8101", "8102", "8103")


async def test_a_zalo_short_code_typed_in_another_chat_opens_nothing(
    zalo: ZaloBench, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, intruder = zalo.api.user("u-own", "An"), zalo.api.user("u-other", "Bình")
    code = await zalo.short_code(capsys, "HS-2026-000123")
    await zalo.says(owner, code, "Ông/Bà có đồng ý")
    await zalo.says(owner, "1", "Câu 1/22")
    await zalo.says(owner, "4", "Câu 2/22")
    refused = await zalo.says(intruder, code, ELSEWHERE)
    assert "Câu" not in refused
    await zalo.says(owner, "5", "Câu 3/22")
    assert dict(await zalo.answer_rows()) == {"1.1": 4, "1.2": 5}
