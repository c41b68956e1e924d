"""Keying paper forms over HTTP: a complete Mẫu 01 is saved from source paper with the staff
member's id and counted once with the chat answers; mistakes are named and nothing typed is
lost; a dossier already answered (by chat or on paper) is refused; chairs may not key forms.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.services import Services
from storage.models import Comment, SurveySession, User
from storage.repos import audit, tallies, units
from tests.support.browser import serious_violations
from tests.support.paper import levels
from tests.support.scheduler import MAU01, finish, open_survey
from tests.support.staff import PASSWORD, StaffClient, add_staff

UNIT = "XA-HOATHANH"


def filled(dossier: str, value: int = 5, **extra: str) -> dict[str, str]:
    answers = {f"q{question}": str(level) for question, level in levels(value).items()}
    return {"unit": UNIT, "form": "citizen", "dossier": dossier, "phone": "", **answers, **extra}


async def completed(services: Services) -> int:
    async with services.db.transaction() as session:
        unit = await units.require(session, UNIT)
        today = services.now().astimezone(services.zone).date()
        found = await tallies.tally(session, [unit.id], today, today)
    return found[unit.id].stats["completed"]


async def test_a_paper_form_is_saved_counted_once_and_marked_paper(
    services: Services, server: str
) -> None:
    await add_staff(services, "nhap.lieu", "clerk", UNIT)
    async with StaffClient(server) as client:
        await client.login("nhap.lieu")
        status, body = await client.get("/staff/paper")
        assert status == 200 and "Nơi ngồi chờ tại Bộ phận Một cửa" in body
        assert body.count('name="q5.1"') == 6 and body.count('name="q1.1"') == 5
        form = filled("HS-P1", comment="Phòng chờ hơi nóng", complaint="")
        status, body = await client.post("/staff/paper", form)
        assert status == 200 and "Đã lưu phiếu giấy của hồ sơ HS-P1." in body
        status, body = await client.post("/staff/paper", filled("HS-P1", value=1))
        assert status == 422
        assert "Hồ sơ HS-P1 đã có phiếu khảo sát" in body
        assert 'name="q1.1" value="1" checked' in body  # what was typed is still there
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
        clerk = await session.scalar(select(User).where(User.username == "nhap.lieu"))
        comments = list(await session.scalars(select(Comment)))
        entries = await audit.entries(session, "paper.enter")
    assert survey is not None and clerk is not None
    assert (survey.channel, survey.entered_by, survey.chat_id) == ("paper", clerk.id, None)
    assert survey.completed_at is not None
    assert [c.text for c in comments] == ["Phòng chờ hơi nóng"]
    assert [(e.actor, e.subject) for e in entries] == [("nhap.lieu", f"{UNIT}/HS-P1")]
    assert await completed(services) == 1


async def test_mistakes_are_named_and_nothing_typed_is_lost(
    services: Services, server: str
) -> None:
    await add_staff(services, "nhap.lieu", "clerk", UNIT)
    form = filled("HS 9", phone="12", comment="Rất tốt")
    del form["q2.3"]
    form["q1.2"] = "0"  # "no opinion" is offered only for factor 5
    async with StaffClient(server) as client:
        await client.login("nhap.lieu")
        await client.get("/staff/paper")
        status, body = await client.post("/staff/paper", form)
    assert status == 422
    assert "Phiếu chưa được lưu: còn 4 chỗ cần sửa" in body
    assert "Chưa chọn mức cho tiêu chí 2.3." in body
    assert "Mức đã chọn không dùng được cho tiêu chí 1.2." in body
    assert "Mã hồ sơ chỉ gồm" in body and "Số điện thoại không hợp lệ." in body
    assert 'value="HS 9"' in body and ">Rất tốt</textarea>" in body
    assert 'name="q3.1" value="5" checked' in body
    assert await completed(services) == 0


async def test_a_dossier_answered_by_chat_is_refused_on_paper(
    services: Services, server: str
) -> None:
    ref = await open_survey(services, "501", "HS-CHAT", answers=[4] * 22)
    await finish(services, ref)
    await open_survey(services, "502", "HS-HALF", answers=[4] * 3)
    await add_staff(services, "nhap.lieu", "clerk", UNIT)
    await services.links.create(unit_code=UNIT, dossier_code="HS-LINK", actor="test")
    async with StaffClient(server) as client:
        await client.login("nhap.lieu")
        await client.get("/staff/paper")
        status, body = await client.post("/staff/paper", filled("HS-CHAT"))
        assert status == 422 and "Hồ sơ HS-CHAT đã có phiếu khảo sát" in body
        status, body = await client.post("/staff/paper", filled("HS-HALF"))
        assert status == 422 and "đang trả lời khảo sát của hồ sơ HS-HALF" in body
        status, body = await client.post("/staff/paper", filled("HS-LINK"))  # link unused
        assert status == 200 and "Đã lưu phiếu giấy của hồ sơ HS-LINK." in body
        status, body = await client.post("/staff/paper", filled(""))  # no dossier code
        assert status == 200 and "Đã lưu phiếu giấy của hồ sơ GIAY-" in body
    assert await completed(services) == 3


async def test_chairs_do_not_key_paper_forms(services: Services, server: str) -> None:
    await add_staff(services, "chu.tich", "chair", UNIT)
    async with StaffClient(server) as client:
        await client.login("chu.tich")
        status, _body = await client.get("/staff/paper")
        assert status == 403
        assert "Nhập phiếu giấy" not in (await client.get("/staff/"))[1]


async def test_keying_a_paper_form_in_the_browser(services: Services, server: str, page) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "nhap.lieu", "clerk", UNIT)
    await page.goto(f"{server}/login")
    await page.get_by_label("Tên đăng nhập").fill("nhap.lieu")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_url(f"{server}/staff/")
    await page.get_by_role("link", name="Nhập phiếu giấy").click()
    assert await serious_violations(page) == []
    await page.get_by_label("Mã hồ sơ (nếu có trên phiếu)").fill("HS-GIAY-1")
    for question in MAU01.questions[1:]:
        group = page.get_by_role("group", name=re.compile("^" + re.escape(question.id + ". ")))
        await group.get_by_label("4 — Hài lòng").check()
    await page.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ nhiệt tình")
    await page.get_by_role("button", name="Lưu phiếu").click()
    await page.get_by_text("Chưa chọn mức cho tiêu chí 1.1.").wait_for()
    assert await page.get_by_label("Góp ý (không bắt buộc)").input_value() == "Cán bộ nhiệt tình"
    assert await serious_violations(page) == []
    first = page.get_by_role("group", name=re.compile(r"^1\.1\. "))
    await first.get_by_label("5 — Rất hài lòng").check()
    await page.get_by_role("button", name="Lưu phiếu").click()
    await page.get_by_text("Đã lưu phiếu giấy của hồ sơ HS-GIAY-1.").wait_for()
    assert await completed(services) == 1
    for heading in ("Tình hình thu phiếu", "Phúc tra"):  # the sibling pages, checked too
        await page.get_by_role("link", name=heading, exact=True).click()
        assert await serious_violations(page) == []
