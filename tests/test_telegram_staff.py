"""Staff in Telegram: binding a chat with a one-time link, ``/link`` for clerks, ``/baocao``
for chairs, refusals for unbound chats; and the CLI printing t.me links from getMe.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.cli import build_parser
from storage.models import ChatBinding, SurveyLink
from storage.repos import users
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.telegram_bench import Bench, start_survey

CLERK_CHAT, CHAIR_CHAT, STRANGER_CHAT, CITIZEN_CHAT = 7001, 7002, 7003, 7004


async def cli(
    tg: Bench, capsys: pytest.CaptureFixture[str], *argv: str, **env: str
) -> tuple[str, str]:
    """Run a ``sipas-bot`` command in this event loop, configured like the bench."""
    environ = {
        "SIPAS__DATABASE__URL": tg.services.db.url,
        "SIPAS__TELEGRAM__TOKEN": tg.api.token,
        "SIPAS__TELEGRAM__BASE_URL": tg.api.base_url,
        **env,
    }
    args = build_parser().parse_args(list(argv))
    assert await args.handler(args, environ) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


async def add_staff(tg: Bench, username: str, role: str) -> None:
    async with tg.services.db.transaction() as session:
        unit = await _unit_id(session)
        await users.add(
            session,
            username=username,
            password_hash="not-used-here",
            role=role,
            unit_id=unit,
            now=tg.clock(),
        )


async def _unit_id(session) -> int:  # type: ignore[no-untyped-def]
    from storage.repos import units

    return (await units.require(session, "XA-HOATHANH")).id


async def bind_link(tg: Bench, capsys: pytest.CaptureFixture[str], username: str) -> str:
    out, _ = await cli(tg, capsys, "users", "bind", username, "--channel", "telegram", "--json")
    link = json.loads(out)["link"]
    assert link.startswith("https://t.me/sipas_test_bot?start=b_")
    return str(link.split("start=")[1])


async def test_binding_and_clerk_link_command(
    tg: Bench, tg_api: FakeTelegramAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    await add_staff(tg, "clerk1", "clerk")
    stranger = tg_api.user(STRANGER_CHAT)
    await tg.push(stranger.send_command("link", "HS-2026-000123"))
    await tg.said(STRANGER_CHAT, "chỉ dành cho cán bộ")
    await tg.push(stranger.send_command("baocao"))
    await tg.said(STRANGER_CHAT, "chỉ dành cho cán bộ", count=2)
    assert await tg.count(SurveyLink) == 0
    assert not tg_api.calls_to("sendPhoto")

    code = await bind_link(tg, capsys, "clerk1")
    clerk = tg_api.user(CLERK_CHAT)
    await tg.push(clerk.send_command("start", code))
    await tg.said(CLERK_CHAT, "Đã liên kết cuộc trò chuyện này với tài khoản clerk1")
    # The code is single-use: another chat cannot take the binding over.
    await tg.push(stranger.send_command("start", code))
    await tg.said(STRANGER_CHAT, "không còn hiệu lực")
    async with tg.services.db.transaction() as session:
        bindings = (await session.scalars(select(ChatBinding))).all()
    assert [(b.chat_id, b.channel) for b in bindings] == [(str(CLERK_CHAT), "telegram")]

    await tg.push(clerk.send_command("link", "HS-2026-000123"))
    photo = await tg_api.wait_for(lambda c: c.method == "sendPhoto" and not c.failed)
    await tg.last(CLERK_CHAT, "kính mời Ông/Bà")
    summary = next(t for t in tg.texts(CLERK_CHAT) if "HS-2026-000123" in t)
    async with tg.services.db.transaction() as session:
        (link,) = (await session.scalars(select(SurveyLink))).all()
    assert f"https://t.me/sipas_test_bot?start={link.token}" in summary
    assert "công dân, Mẫu 01" in summary and "Hết hạn: 08/12/2026" in summary
    assert photo.files["photo"].startswith(b"\x89PNG")
    assert photo.params["chat_id"] == CLERK_CHAT and "HS-2026-000123" in photo.params["caption"]
    assert link.form == "citizen" and link.created_by == "clerk1"

    await tg.push(clerk.send_command("link", "HS-2026-000124 Tổ chức"))
    await tg.last(CLERK_CHAT, "kính mời Quý cơ quan, tổ chức")
    await tg.push(clerk.send_command("link", "HS-2026-000123"))
    await tg.said(CLERK_CHAT, "đã tạo trước đây")
    await tg.push(clerk.send_command("link"))
    await tg.said(CLERK_CHAT, "Cách dùng: /link")
    async with tg.services.db.transaction() as session:
        forms = sorted(link.form for link in (await session.scalars(select(SurveyLink))).all())
    assert forms == ["citizen", "organization"]

    await tg.push(clerk.send_command("baocao"))
    await tg.said(CLERK_CHAT, "không được dùng lệnh này")
    await tg.push(clerk.send_command("help"))
    await tg.said(CLERK_CHAT, "Lệnh dành cho cán bộ")


async def test_chair_report(
    tg: Bench, tg_api: FakeTelegramAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    await add_staff(tg, "chair1", "chair")
    chair = tg_api.user(CHAIR_CHAT)
    await tg.push(chair.send_command("start", await bind_link(tg, capsys, "chair1")))
    await tg.said(CHAIR_CHAT, "chair1")
    await tg.push(chair.send_command("baocao"))
    empty = (await tg.said(CHAIR_CHAT, "📊"))[0]
    assert "Phiếu hoàn thành: 0 trong tuần, 0 từ đầu năm" in empty
    assert "Tuần này chưa có phiếu nào hoàn thành." in empty

    citizen = tg_api.user(CITIZEN_CHAT)
    await start_survey(tg, citizen, await tg.link())
    for n in range(22):
        await tg.push(citizen.send_text("5" if n % 2 else "3"))
    await tg.said(CITIZEN_CHAT, "phục vụ tốt hơn không")
    await tg.push(citizen.send_text("Nên có thêm ghế chờ."))
    await tg.last(CITIZEN_CHAT, "phản ánh, kiến nghị")
    await tg.push(citizen.send_text("0"))
    await tg.said(CITIZEN_CHAT, "Xin chân thành cảm ơn")

    await tg.push(chair.send_command("baocao"))
    report = (await tg.said(CHAIR_CHAT, "📊", count=2))[1]
    assert report.startswith("📊 Báo cáo tuần 48/2026 (23/11/2026 – 29/11/2026)\nUBND xã Hòa Thành")
    assert "(số liệu tạm tính đến 24/11/2026 09:00)" in report
    assert "Phiếu hoàn thành: 1 trong tuần, 1 từ đầu năm (tối thiểu cả năm: 500" in report
    assert "Góp ý mới: 1; phản ánh, kiến nghị mới: 0" in report
    assert "«Nên có thêm ghế chờ.»" in report
    # The chart follows the text; in polling mode it may still be on its way.
    chart = await tg_api.wait_for(lambda c: c.method == "sendPhoto" and not c.failed)
    assert chart.params["chat_id"] == CHAIR_CHAT and chart.files["photo"].startswith(b"\x89PNG")
    # 11 answers at level 5 and 11 at level 3 (5.x are 5,3,5,3... by position): the index is
    # the mean of factor indices, each the share of 4-5 answers; computed independently here.
    levels = [5 if n % 2 else 3 for n in range(22)]
    sizes = [4, 5, 6, 3, 4]
    shares, start = [], 0
    for size in sizes:
        chunk = levels[start : start + size]
        shares.append(100 * sum(v >= 4 for v in chunk) / size)
        start += size
    expected = f"{sum(shares) / len(shares):.1f}".replace(".", ",")
    assert f"Chỉ số SIPAS tuần này: {expected} %" in report

    # The respondent deletes their data: unlinked from the chat, still in the figures.
    await tg.push(citizen.send_command("xoadulieu"))
    await tg.push(citizen.press(await tg.button(CITIZEN_CHAT, "yes")))
    await tg.said(CITIZEN_CHAT, "đã được xóa")
    (survey,) = await tg.sessions()
    assert survey.chat_id is None and survey.completed_at is not None
    assert len(await tg.answers()) == 22
    await tg.push(chair.send_command("baocao"))
    assert (await tg.said(CHAIR_CHAT, "📊", count=3))[2] == report


async def test_survey_token_that_looks_like_a_binding_code(
    tg: Bench, tg_api: FakeTelegramAPI
) -> None:
    """Survey tokens are random URL-safe text, so one may start with ``b_``: it still opens
    the survey (a binding code is only tried when no link has that token)."""
    tg.services.links.token_source = lambda: "b_" + "Q" * 30
    token = await tg.link()
    user = tg_api.user(CITIZEN_CHAT)
    await start_survey(tg, user, token)
    assert len(await tg.sessions()) == 1


@pytest.mark.parametrize("tg", ["polling"], indirect=True)
async def test_cli_prints_the_telegram_link(tg: Bench, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = await cli(
        tg, capsys, "links", "create", "--unit", "XA-HOATHANH", "--dossier", "HS-1", "--json"
    )
    data = json.loads(out)
    assert data["links"]["telegram"] == f"https://t.me/sipas_test_bot?start={data['token']}"
    assert err == ""
    out, _ = await cli(tg, capsys, "links", "create", "--unit", "XA-HOATHANH", "--dossier", "HS-1")
    assert f"telegram: https://t.me/sipas_test_bot?start={data['token']}" in out


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"SIPAS__TELEGRAM__BASE_URL": "http://127.0.0.1:1/bot"}, "Telegram is unreachable"),
        ({"SIPAS__TELEGRAM__TOKEN": "999:WRONG"}, "Telegram rejected the bot token"),
    ],
    ids=["no-network", "bad-token"],
)
@pytest.mark.parametrize("tg", ["polling"], indirect=True)
async def test_cli_without_telegram_still_works(
    tg: Bench, capsys: pytest.CaptureFixture[str], env: dict[str, str], reason: str
) -> None:
    """getMe fails: one warning line on stderr, the link's telegram is null, exit 0."""
    out, err = await cli(
        tg, capsys, "links", "create", "--unit", "XA-HOATHANH", "--dossier", "HS-2", "--json",
        **env,
    )  # fmt: skip
    assert json.loads(out)["links"]["telegram"] is None
    assert err.count("\n") == 1 and err.startswith(f"sipas-bot: warning: {reason}")


async def test_binding_code_lifetime_is_enforced(tg: Bench) -> None:
    """An expired binding code binds nothing (checked against the injected clock)."""
    await add_staff(tg, "viewer1", "viewer")
    async with tg.services.db.transaction() as session:
        user = await users.require(session, "viewer1")
        await users.add_binding_code(
            session,
            user=user,
            channel="telegram",
            code="b_short",
            now=tg.clock(),
            expires_at=tg.clock() + timedelta(minutes=5),
        )
    tg.clock.advance(minutes=6)
    user_chat = tg.api.user(STRANGER_CHAT)
    await tg.push(user_chat.send_command("start", "b_short"))
    await tg.said(STRANGER_CHAT, "không còn hiệu lực")
    await tg.push(user_chat.send_command("baocao"))
    await tg.said(STRANGER_CHAT, "chỉ dành cho cán bộ")
