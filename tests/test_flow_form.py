"""The editor's form for an admin who does not read TOML, over real HTTP against the real
server: every shipped flow goes through it unchanged; a choice, a skip rule, a part's title
and added or removed questions are edited with its buttons and published, and the published
flow behaves accordingly; a broken draft comes back with the problem in Vietnamese and
everything typed kept."""

from __future__ import annotations

import difflib
import html
import re

import pytest
from sqlalchemy import select

from bot.flow_admin.catalog import DEFAULT_FLOWS
from bot.services import Services
from storage.models import Answer
from tests.support.browser import serious_violations, staff_login
from tests.support.html_form import form_fields, textarea
from tests.support.servers import browser_client
from tests.support.staff import StaffClient, add_staff
from tests.support.surveys import new_token

FORM = "/staff/admin/flows/wording"


@pytest.mark.parametrize("key", ["mau01", "mau02", "qd1001", "desk"])
async def test_each_shipped_flow_goes_through_the_form_unchanged(
    services: Services, server: str, key: str
) -> None:
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    async with StaffClient(server) as admin:
        await admin.login("so.noivu")
        status, page = await admin.get(f"/staff/admin/flows/{key}/wording")
        assert status == 200
        fields = form_fields(page, FORM)
        status, page = await admin.post(FORM, [*fields, ("do", "refresh")])
        assert status == 200 and form_fields(page, FORM) == fields  # shown again as it was
        status, page = await admin.post(FORM, [*fields, ("do", "apply")])
        assert status == 200, page
        original = (DEFAULT_FLOWS / f"{key}.toml").read_text(encoding="utf-8")
        assert textarea(page, "source") == original


class Draft:
    """The form as a browser holds it: its fields, changed one by one, and its buttons."""

    def __init__(self, admin: StaffClient, page: str) -> None:
        self.admin = admin
        self.fields = form_fields(page, FORM)
        self.page = page

    def value(self, name: str) -> str:
        return next(v for k, v in self.fields if k == name)

    def index(self, prefix: str, suffix: str, value: str) -> int:
        """The number n of the field ``<prefix>.<n>.<suffix>`` that holds ``value``."""
        for name, held in self.fields:
            parts = name.split(".")
            if parts[0] == prefix and parts[-1] == suffix and held == value and len(parts) == 3:
                return int(parts[1])
        raise AssertionError(f"no {prefix}.N.{suffix} = {value!r}")

    def set(self, name: str, *values: str) -> None:
        assert any(k == name for k, _ in self.fields) or name.endswith("if_value"), name
        self.fields = [(k, v) for k, v in self.fields if k != name]
        self.fields += [(name, value) for value in values]

    async def press(self, action: str) -> int:
        status, self.page = await self.admin.post(FORM, [*self.fields, ("do", action)])
        if f'action="{FORM}"' in self.page:
            self.fields = form_fields(self.page, FORM)
        return status


async def open_form(services: Services, server: str, admin: StaffClient, key: str) -> Draft:
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    await admin.login("so.noivu")
    status, page = await admin.get(f"/staff/admin/flows/{key}/wording")
    assert status == 200
    return Draft(admin, page)


async def publish(admin: StaffClient, source: str, key: str) -> None:
    status, page = await admin.post(
        "/staff/admin/flows/edit", {"source": source, "action": "publish"}
    )
    assert status == 200 and f"Đã công bố {key} phiên bản 2." in page


async def web_chat(server: str, token: str, steps: list[tuple[str, str, str, str]]) -> None:
    """Answer in the web chat: (question, "choice" or "text", value, then on the page)."""
    async with browser_client() as http:
        await (await http.get(f"{server}/s/{token}")).read()
        await http.post(f"{server}/s/{token}", data={"prompt": "_consent", "choice": "yes"})
        for prompt, field, value, shown in steps:
            response = await http.post(f"{server}/s/{token}", data={"prompt": prompt, field: value})
            page = await response.text()
            assert shown in page, f"{prompt}={value}: {shown!r} not shown"


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    rows = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [r[2:] for r in rows if r.startswith("- ")], [r[2:] for r in rows if r.startswith("+ ")]


async def test_a_choice_a_skip_rule_and_a_part_title_are_edited_and_the_survey_follows(
    services: Services, server: str
) -> None:
    async with StaffClient(server) as admin:
        draft = await open_form(services, server, admin, "qd1001")
        filed = draft.index("set", "name", "filed")
        assert await draft.press(f"add_choice:{filed}") == 200
        assert draft.value(f"set.{filed}.3.value") == "4"  # the next number not yet used
        draft.set(f"set.{filed}.3.vi", "Qua ứng dụng VNeID")
        draft.set(f"set.{filed}.3.en", "Through the VNeID app")
        draft.set(f"set.{filed}.2.vi", "Qua dịch vụ bưu chính công ích")
        portal = draft.index("q", "id", "portal_easy")
        assert draft.value(f"q.{portal}.if_question") == "filed"
        assert f'name="q.{portal}.if_value" value="4"' in draft.page  # the new answer is offered
        draft.set(f"q.{portal}.if_how", "is_one_of")
        draft.set(f"q.{portal}.if_value", "2", "4")
        procedure = draft.index("section", "id", "procedure")
        draft.set(f"section.{procedure}.vi", "Phần 2. Thủ tục, giấy tờ và phí")
        assert await draft.press("apply") == 200
        source = textarea(draft.page, "source")
        original = (DEFAULT_FLOWS / "qd1001.toml").read_text(encoding="utf-8")
        removed, added = changed_lines(original, source)
        assert removed == [
            '  { value = 3, label = { vi = "Qua bưu điện", en = "By post" } },',
            'title = { vi = "Phần 2. Thủ tục và phí", en = "Part 2. Procedure and fees" }',
            'show_if = { question = "filed", equals = 2 }',
        ]
        assert added == [
            '  { value = 3, label = { vi = "Qua dịch vụ bưu chính công ích", en = "By post" } },',
            '  { value = 4, label = { vi = "Qua ứng dụng VNeID", en = "Through the VNeID app" } },',
            'title = { vi = "Phần 2. Thủ tục, giấy tờ và phí", en = "Part 2. Procedure and fees" }',
            'show_if = { question = "filed", is_one_of = [2, 4] }',
        ]
        assert "Những thay đổi so với phiên bản 1 đang dùng" in draft.page
        assert "Câu portal_easy: đổi điều kiện hiển thị" in draft.page
        assert "Câu filed: đổi các lựa chọn" in draft.page
        assert "Tiêu đề phần procedure" in draft.page
        await publish(admin, source, "qd1001")

    token = await new_token(services, "HS-VNEID", flow="qd1001")
    await web_chat(
        server,
        token,
        [
            ("filed", "choice", "4", "Thông tin về thủ tục hành chính"),
            ("info", "choice", "4", "Phần 2. Thủ tục, giấy tờ và phí"),
            ("documents", "choice", "4", "Ông/Bà có phải nộp phí, lệ phí không?"),
            ("fee_paid", "choice", "2", "Hồ sơ được giải quyết đúng hẹn"),
            ("on_time", "choice", "5", "bao nhiêu lần"),
            ("visits", "text", "1", "Cổng Dịch vụ công dễ truy cập"),  # filed with VNeID
        ],
    )
    async with services.db.transaction() as session:
        rows = await session.execute(select(Answer.question_id, Answer.value))
        assert dict(rows.all())["filed"] == 4


async def test_a_question_is_added_with_its_own_choices_and_rule_and_another_removed(
    services: Services, server: str
) -> None:
    async with StaffClient(server) as admin:
        draft = await open_form(services, server, admin, "desk")
        done = draft.index("q", "id", "done_today")
        assert await draft.press(f"add_q:{done}") == 200
        new = done + 1
        assert "autofocus" in draft.page and draft.value(f"q.{new}.kind") == "yes_no"
        draft.set(f"q.{new}.id", "queue")
        draft.set(f"q.{new}.vi", "Vì sao việc của Ông/Bà chưa xong?")
        draft.set(f"q.{new}.en", "Why was your matter not done?")
        draft.set(f"q.{new}.kind", "single")
        assert await draft.press(f"own_set:{new}") == 200
        own = draft.index("set", "name", "cau_queue")
        draft.set(f"set.{own}.0.vi", "Thiếu giấy tờ")
        draft.set(f"set.{own}.1.vi", "Phải chờ kết quả")
        draft.set(f"q.{new}.if_question", "done_today")
        assert await draft.press("refresh") == 200  # shows done_today's own answers
        assert f'name="q.{new}.if_value" value="2"' in draft.page
        draft.set(f"q.{new}.if_value", "2")
        draft.set(f"q.{new}.required")  # unticked: the respondent may skip it
        assert await draft.press(f"del_q:{draft.index('q', 'id', 'guidance')}") == 200
        assert await draft.press("apply") == 200, draft.page
        source = textarea(draft.page, "source")
        assert "Bộ câu hỏi hợp lệ: 5 câu hỏi." in draft.page
        assert "[choice_sets.cau_queue]" in source and 'id = "guidance"' not in source
        assert 'show_if = { question = "done_today", equals = 2 }' in source
        assert "Câu queue: câu mới" in draft.page and "Câu guidance: bỏ đi" in draft.page
        await publish(admin, source, "desk")

    token = await new_token(services, "HS-DESK", flow="desk")
    await web_chat(
        server,
        token,
        [
            ("wait", "choice", "4", "Câu 2/5"),
            ("done_today", "choice", "2", "Vì sao việc của Ông/Bà chưa xong?"),
            ("queue", "choice", "2", "Câu 4/5"),
            ("attitude", "choice", "5", "Nhìn chung, Ông/Bà hài lòng"),  # guidance is gone
        ],
    )
    other = await new_token(services, "HS-DESK-2", flow="desk")
    await web_chat(  # done at once: the new question is neither shown nor counted
        server,
        other,
        [("wait", "choice", "4", "Câu 2/5"), ("done_today", "choice", "1", "Câu 3/4")],
    )


async def test_a_broken_draft_comes_back_in_vietnamese_with_everything_typed(
    services: Services, server: str
) -> None:
    async with StaffClient(server) as admin:
        draft = await open_form(services, server, admin, "qd1001")
        draft.set("texts.intro.vi", "Lời chào mới của xã")
        visits = draft.index("q", "id", "visits")
        draft.set(f"q.{visits}.min", "một")
        assert await draft.press(f"del_q:{draft.index('q', 'id', 'fee_paid')}") == 200
        fee_right = draft.index("q", "id", "fee_right")
        assert "fee_paid (không còn ở phía trên)" in draft.page  # the rule is kept, marked
        typed = list(draft.fields)
        assert await draft.press("apply") == 422
        shown = html.unescape(draft.page)
        assert "Chưa tiếp tục được" in shown
        assert (
            "câu 'fee_right': show_if dựa vào câu 'fee_paid' nhưng bộ câu hỏi không còn câu này"
            in shown
        )
        assert "câu 'visits': min và max phải là số nguyên" in shown
        assert re.search(r"dòng \d+ trong tệp", shown)
        assert re.search(
            r'<a href="#q-fee_right">Câu fee_right</a>: câu .fee_right.: show_if', shown
        )
        assert draft.fields == typed  # nothing typed is lost
        source = form_fields(draft.page, "/staff/admin/flows/edit")
        status, editor = await admin.post("/staff/admin/flows/edit", [*source, ("action", "check")])
        assert status == 422 and "Xem các dòng này trong tệp" in draft.page
        assert 'class="bad"' in editor  # the same problems, at their lines in the file

        draft.set(f"q.{draft.index('q', 'id', 'visits')}.min", "1")
        draft.set(f"q.{fee_right}.if_question", "filed")  # a new question, answers not picked
        assert await draft.press("apply") == 422
        assert "Câu fee_right: đã đổi câu làm điều kiện" in draft.page


async def test_the_1001_form_in_chromium_changes_a_rule_and_passes_axe(
    services: Services, server: str, page
) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    await staff_login(page, server, "so.noivu")
    await page.goto(f"{server}/staff/admin/flows/qd1001/wording")
    assert await serious_violations(page) == []
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360  # phone width
    question = page.get_by_role("group", name="Câu fee_right (câu 5/21)")
    rule = question.get_by_role("group", name="Khi nào hỏi câu này")
    asked_when = rule.get_by_label("Chỉ hỏi khi câu trả lời của câu")
    assert await asked_when.input_value() == "fee_paid"
    assert await rule.get_by_label("Có", exact=True).is_checked()
    await asked_when.select_option("filed")
    await question.get_by_role("button", name="Cập nhật câu fee_right").click()
    question = page.get_by_role("group", name="Câu fee_right (câu 5/21)")
    online = question.get_by_label("Trực tuyến (Cổng Dịch vụ công)")
    await online.check()  # the chosen question's own answers, nothing else
    assert not await question.get_by_label("Có", exact=True).count()
    kind = page.get_by_role("group", name="Câu visits (câu 8/21)").get_by_label("Loại câu hỏi")
    assert await kind.input_value() == "number"
    assert await serious_violations(page) == []
    wording = question.get_by_label("Tiếng Việt", exact=True)
    typed = await wording.input_value()
    await wording.fill("")
    await page.get_by_role("button", name="Tiếp tục: kiểm tra và xem thử").click()
    alert = page.get_by_role("alert")
    assert "Câu fee_right: nội dung vi đang rỗng" in await alert.inner_text()
    assert await serious_violations(page) == []
    question = page.get_by_role("group", name="Câu fee_right (câu 5/21)")
    assert await question.get_by_label("Trực tuyến (Cổng Dịch vụ công)").is_checked()  # kept
    await question.get_by_label("Tiếng Việt", exact=True).fill(typed)
    await page.get_by_role("button", name="Tiếp tục: kiểm tra và xem thử").click()
    await page.get_by_text("Bộ câu hỏi hợp lệ: 21 câu hỏi.").wait_for()
    source = await page.get_by_label("Nội dung tệp bộ câu hỏi").input_value()
    assert source.count('show_if = { question = "filed", equals = 2 }') == 4
    assert await serious_violations(page) == []


async def test_renamed_codes_are_followed_and_a_rule_on_a_multiple_choice(
    services: Services, server: str
) -> None:
    async with StaffClient(server) as admin:
        draft = await open_form(services, server, admin, "qd1001")
        draft.set(f"section.{draft.index('section', 'id', 'procedure')}.id", "thu_tuc")
        draft.set(f"q.{draft.index('q', 'id', 'fee_paid')}.id", "phi")
        assert await draft.press("refresh") == 200
        fee_right = draft.index("q", "id", "fee_right")
        assert draft.value(f"q.{fee_right}.section") == "thu_tuc"
        assert draft.value(f"q.{fee_right}.if_question") == "phi"
        age = draft.index("q", "id", "age")
        draft.set(f"q.{age}.if_question", "improve")
        assert await draft.press("refresh") == 200
        draft.set(f"q.{age}.if_how", "contains")
        draft.set(f"q.{age}.if_value", "2", "5")
        assert await draft.press("apply") == 200, html.unescape(draft.page)[:3000]
        source = textarea(draft.page, "source")
        original = (DEFAULT_FLOWS / "qd1001.toml").read_text(encoding="utf-8")
        assert source.count('section = "thu_tuc"') == original.count('section = "procedure"')
        assert 'id = "thu_tuc"' in source and '"procedure"' not in source
        assert source.count('show_if = { question = "phi", equals = 1 }') == 2
        assert 'show_if = { question = "improve", contains = [2, 5] }' in source
