"""The flow editor for an admin who is not a programmer: checker messages in Vietnamese at the
question and line, what changed before publishing, who stays on the old version, preview from
any question, the question list to jump from; in Chromium with axe."""

from __future__ import annotations

from pathlib import Path

from bot.flow_admin import changes
from bot.flow_admin.checker import check, explain
from bot.flow_admin.names import section
from bot.services import Services
from flows.loader import FlowProblem, parse_flow
from storage.repos import flow_versions, units
from tests.support.browser import serious_violations
from tests.support.staff import add_staff
from tests.test_staff_browser import login

MAU01 = (Path(__file__).parents[1] / "flows" / "data" / "mau01.toml").read_text("utf-8")
OLD = "Thủ tục hành chính được niêm yết công khai đầy đủ"
NEW = "Thủ tục hành chính được niêm yết đầy đủ tại Bộ phận Một cửa"


def test_checker_speaks_vietnamese_and_names_the_question() -> None:
    broken = MAU01.replace('factor = "F2"', 'factor = "F9"', 1).replace(
        f'text = {{ vi = "{OLD}"', 'text = { vi = ""', 1
    )
    flow, problems = check(broken)
    assert flow is None
    lines = broken.splitlines()
    factor_line = lines.index('factor = "F9"') + 1
    by_line = {p.line: p for p in problems}
    assert by_line[factor_line].message.startswith("câu '2.1': không có yếu tố 'F9'")
    assert (by_line[factor_line].question, by_line[factor_line].number) == ("2.1", 5)
    text_problem = by_line[factor_line + 2]  # the text key's own line, not [[questions]]
    assert text_problem.message == "Câu 2.1: nội dung vi đang rỗng"
    english = check(broken, "en")[1]
    assert "question '2.1': unknown factor 'F9' (known: F1, F2, F3, F4, F5)" in [
        p.message for p in english
    ]
    syntax = check(MAU01.replace('key = "mau01"', 'key = "mau01"\nbroken = ', 1))[1]
    assert syntax[0].line == 7 and syntax[0].message.startswith("sai cú pháp TOML")


def test_every_checker_pattern_has_words_and_unknown_messages_pass_through() -> None:
    unnamed = FlowProblem("flow", 1, "something the loader learns later")
    assert explain([unnamed], "x = 1", "vi")[0].message == "something the loader learns later"


def test_changes_name_the_changed_text_and_lines() -> None:
    edited = MAU01.replace(OLD, NEW)
    old, new = parse_flow(MAU01), parse_flow(edited)
    texts = changes.text_changes(old, new)
    assert [(c.label, c.locale, c.before, c.after) for c in texts] == [("2.1", "vi", OLD, NEW)]
    relabelled = MAU01.replace('vi = "Bình thường"', 'vi = "Trung bình"', 1)
    (choice,) = changes.text_changes(old, parse_flow(relabelled))
    assert section(choice.label, "vi") == "Lựa chọn 3 trong danh sách “scale”"
    assert (choice.before, choice.after) == ("Bình thường", "Trung bình")
    rows = changes.diff(MAU01, edited)
    assert [r.kind for r in rows] == ["same", "removed", "added", "same"]
    assert (
        rows[1].old
        == rows[2].new
        == MAU01.splitlines().index(next(line for line in MAU01.splitlines() if OLD in line)) + 1
    )


async def test_admin_edits_previews_from_a_question_and_confirms_publishing(
    services: Services, server: str, page
) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    async with services.db.transaction() as session:
        commune = await units.require(session, "XA-HOATHANH")
        version = await flow_versions.latest(session, "mau01")
        assert version is not None
        await flow_versions.assign(session, commune.id, "citizen", version.id)
    await login(page, server, "so.noivu")
    await page.goto(f"{server}/staff/admin/flows/mau01/wording")
    assert await page.get_by_role("group", name="Lời chào đầu khảo sát").is_visible()
    await page.get_by_role("link", name="Câu 2.1", exact=True).click()  # the question list's anchor
    assert page.url.endswith("#q-2.1")
    question = page.get_by_role("group", name="Câu 2.1 (câu 5/22)")
    await question.get_by_label("Tiếng Việt").fill(NEW)
    assert await page.get_by_role("button", name="Tiếp tục: kiểm tra và xem thử").is_visible()
    await page.get_by_role("button", name="Tiếp tục: kiểm tra và xem thử").click()
    changed = page.get_by_role("region", name="Những thay đổi so với phiên bản 1 đang dùng")
    assert NEW in await changed.inner_text() and "Câu 2.1" in await changed.inner_text()
    assert await serious_violations(page) == []
    await page.get_by_label("Xem thử bắt đầu từ").select_option("2.1")
    await page.get_by_role("button", name="Xem thử như người trả lời").click()
    await page.get_by_role("heading", name=NEW).wait_for()  # no consent, no earlier answers
    assert await page.get_by_text("Câu 5/22").is_visible()
    await page.get_by_role("button", name="Công bố phiên bản mới").click()
    confirm = page.get_by_role("region", name="Ai sẽ dùng phiên bản mới")
    assert "UBND xã Hòa Thành: phiên bản 1" in await confirm.inner_text()
    assert await serious_violations(page) == []
    await page.get_by_role("button", name="Xác nhận công bố").click()
    await page.get_by_text("Đã công bố mau01 phiên bản 2.").wait_for()

    await page.goto(f"{server}/staff/admin/flows/mau01/preview?q=5.1")
    await page.get_by_text("Câu 19/22").wait_for()
    await page.goto(f"{server}/staff/admin/flows/mau01/edit")
    editor = page.get_by_label("Nội dung tệp bộ câu hỏi")
    source = await editor.input_value()
    await editor.fill(source.replace('factor = "F3"', 'factor = "F33"', 1))
    await page.get_by_role("button", name="Kiểm tra").click()
    alert = await page.get_by_role("alert").inner_text()
    assert "câu 3.1 (câu thứ 10)" in alert and "không có yếu tố 'F33'" in alert
    gutter = page.locator(".gutter .bad")
    bad_line = source.splitlines().index('factor = "F3"') + 1
    assert await gutter.inner_text() == str(bad_line)
    assert await serious_violations(page) == []
