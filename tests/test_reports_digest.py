"""Weekly digests: hand-computed figures (the sipas.md worked example), empty weeks,
anonymity and roll-ups, on both databases. Their delivery is in test_scheduler_digest_jobs.
"""

from __future__ import annotations

from bot.services import Services
from flows.outbound import Message
from reports.digest import compose_digest
from scheduler.clock import ManualClock
from storage.repos import units
from tests.support.scheduler import (
    MAU01,
    complete_response,
    uniform,
)

WEEK = "2026-W48"  # the fixtures' clock starts on Tuesday 24/11/2026


def worked_example() -> list[list[int]]:
    """Four responses whose criterion 3.1 answers are 5, 4, 3, 2 (sipas.md) and whose factor 3
    criteria score 50, 75, 100, 100, 75, 50.
    """
    per_criterion = {
        "F1": [[4, 4, 4, 4]] * 4,  # 100 each -> F1 100
        "F2": [[5, 5, 5, 5]] * 5,  # 100 each -> F2 100
        "F3": [
            [5, 4, 3, 2],  # 3.1: 50 %, mean 3.50
            [4, 4, 4, 2],  # 3.2: 75 %, mean 3.50
            [5, 5, 5, 5],  # 3.3: 100 %
            [4, 4, 4, 4],  # 3.4: 100 %
            [5, 5, 5, 1],  # 3.5: 75 %, mean 4.00
            [4, 4, 3, 3],  # 3.6: 50 %, mean 3.50
        ],  # F3 = 450 / 6 = 75 %
        "F4": [[5, 5, 5, 1]] * 3,  # 75 each -> F4 75
        "F5": [[4, 0, 0, 0]] + [[0, 0, 0, 0]] * 3,  # 5.1: 1 valid, 100 %; 5.2-5.4: no valid
    }
    columns = [
        column for factor in ("F1", "F2", "F3", "F4", "F5") for column in per_criterion[factor]
    ]
    return [[column[i] for column in columns] for i in range(4)]


async def digest_text(services: Services, code: str, week: str = WEEK) -> str:
    async with services.db.transaction() as session:
        unit = await units.require(session, code)
        digest = await compose_digest(session, unit, week, services.catalog.get, services.zone)
    return digest.text


async def test_worked_example_figures(services: Services, clock: ManualClock) -> None:
    for i, answers in enumerate(worked_example()):
        await complete_response(services, f"c{i}", f"HS-{i}", answers)
    text = await digest_text(services, "XA-HOATHANH")
    # SIPAS = mean(100, 100, 75, 75, 100) = 90.0; nothing the week before.
    # n = 4; personal indices 100, 100, 91.67, 58.33 (sd 19.84): 90.0 ± 19.4, clipped at 100.
    assert (
        "Chỉ số SIPAS tuần này: 90,0 % (n = 4; khoảng tin cậy 95 %: 70,6 % – 100,0 %)\n"
        "Tuần trước chưa có phiếu để so sánh.\n"
        "⚠️ Chưa đủ phiếu: 4/30 phiếu cần có, chỉ số chỉ để tham khảo, không xếp hạng.\n"
    ) in text
    assert "• Công chức trực tiếp giải quyết công việc: 75,0 %\n" in text
    assert "• Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị: 100,0 %\n" in text
    # The one weakest criterion, in words (3.1 and 3.6 tie at 50 %: 3.1 comes first).
    assert (
        "Tiêu chí thấp nhất: 3.1 «Công chức có thái độ giao tiếp lịch sự»: 50,0 % hài lòng "
        "(n = 4, điểm TB 3,50)"
    ) in text
    # 88 answers: 37 at level 5, 27 at 4, 3 at 3, 2 at 2, 4 at 1, 15 "no opinion".
    levels = text.split("Phân bố mức đánh giá:\n")[1].split("\n\n")[0].splitlines()
    assert levels == [
        "• Rất không hài lòng: 4 (4,5 %)",
        "• Không hài lòng: 2 (2,3 %)",
        "• Bình thường: 3 (3,4 %)",
        "• Hài lòng: 27 (30,7 %)",
        "• Rất hài lòng: 37 (42,0 %)",
        "• Không có ý kiến: 15 (17,0 %)",
    ]
    # 10,450 dossiers a year -> a minimum of 500 forms (sipas.md table).
    assert "Phiếu hoàn thành: 4 trong tuần, 4 từ đầu năm (tối thiểu cả năm: 500, đạt 0,8 %)" in text
    assert "Tỷ lệ hoàn thành từ đầu năm: 100,0 % (4/4 lượt bắt đầu)" in text
    assert "Phiếu cần xem xét (nghi không do người dân tự điền): 0" in text


async def test_the_weakest_criterion_names_the_units_place(
    services: Services, clock: ManualClock
) -> None:
    """Criterion 1.3 says "{place}" in the flow; the digest fills it as a report does."""
    answers = [4] * 22
    answers[2] = 2  # 1.3, the only criterion nobody is satisfied with
    await complete_response(services, "w0", "HS-W0", answers)
    text = await digest_text(services, "XA-HOATHANH")
    assert (
        "Tiêu chí thấp nhất: 1.3 «Trang thiết bị phục vụ người dân tại Bộ phận Một cửa hiện "
        "đại»: 0,0 % hài lòng (n = 1, điểm TB 2,00)"
    ) in text
    assert "{place}" not in text


async def test_factor_indices_of_the_worked_example_and_change(
    services: Services, clock: ManualClock
) -> None:
    """Factor indices 80, 75, 75, 90, 60 give SIPAS 76.0 % (sipas.md), against a previous
    week where everyone was very satisfied (100 %).
    """
    await complete_response(services, "p0", "HS-P0", [5] * 22)
    clock.advance(days=7)  # week 49
    satisfied = {"F1": 16, "F2": 15, "F3": 15, "F4": 18, "F5": 12}  # of 20 responses
    for r in range(20):
        levels = {factor: 4 if r < count else 2 for factor, count in satisfied.items()}
        await complete_response(services, f"r{r}", f"HS-{r}", uniform(levels))
    text = await digest_text(services, "XA-HOATHANH", "2026-W49")
    assert "Chỉ số SIPAS tuần này: 76,0 % (n = 20;" in text
    # Last week had one respondent (no interval): the change is not called a fall.
    assert "So với tuần trước: −24,0 điểm (chưa khác biệt rõ so với sai số)" in text
    assert "Diễn biến 12 tuần: W38 — · W39 — ·" in text
    assert "· W48 100,0 % · W49 76,0 %\n" in text
    # Year to date, 21 responses: (17 + 16 + 16 + 19 + 13) / 21 / 5 = 77.14 %.
    assert "Chỉ số SIPAS từ đầu năm: 77,1 %" in text
    expected = zip(
        MAU01.factors,
        ("80,0 % (−20,0)", "75,0 % (−25,0)", "75,0 % (−25,0)", "90,0 % (−10,0)", "60,0 % (−40,0)"),
        strict=True,
    )
    for factor, shown in expected:
        assert f"• {factor.name.get('vi')}: {shown}" in text
    assert "Phiếu hoàn thành: 20 trong tuần, 21 từ đầu năm" in text


async def test_a_week_without_responses(services: Services, clock: ManualClock) -> None:
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        digest = await compose_digest(session, unit, WEEK, services.catalog.get, services.zone)
    assert digest.text.startswith(
        "📊 Báo cáo tuần 48/2026 (23/11/2026 – 29/11/2026)\nUBND xã Hòa Thành"
    )
    assert "Tuần này chưa có phiếu nào hoàn thành." in digest.text
    assert (
        "Phiếu hoàn thành: 0 trong tuần, 0 từ đầu năm (tối thiểu cả năm: 500, đạt 0,0 %)"
        in digest.text
    )
    assert "Tỷ lệ hoàn thành từ đầu năm: — (0/0 lượt bắt đầu)" in digest.text
    assert "Góp ý mới: 0; phản ánh, kiến nghị mới: 0" in digest.text
    assert digest.chart_png is None
    assert digest.messages() == [Message(digest.text)]


async def test_comments_are_anonymous_and_complaints_highlighted(
    services: Services, clock: ManualClock
) -> None:
    await complete_response(
        services, "chat-secret-77", "HS-SECRET-1", [4] * 22, comment="Cán bộ rất nhiệt tình"
    )
    await complete_response(
        services,
        "chat-secret-78",
        "HS-SECRET-2",
        [2] * 22,
        complaint="Ông Nguyễn Văn A ở Bộ phận Một cửa gây khó dễ",
    )
    text = await digest_text(services, "XA-HOATHANH")
    assert "Góp ý mới: 1; phản ánh, kiến nghị mới: 1" in text
    feedback = text.split("Góp ý mới: 1; phản ánh, kiến nghị mới: 1\n")[1].splitlines()
    assert feedback[:2] == [
        "⚠️ Phản ánh: «Ông Nguyễn Văn A ở Bộ phận Một cửa gây khó dễ»",
        "💬 Góp ý: «Cán bộ rất nhiệt tình»",
    ]
    assert "secret" not in text.lower()


async def test_english_digest(services: Services, clock: ManualClock) -> None:
    await complete_response(services, "c1", "HS-1", [4] * 22)
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        digest = await compose_digest(
            session, unit, WEEK, services.catalog.get, services.zone, "en", clock()
        )
    assert "SIPAS index this week: 100.0% (n = 1)\nNo responses last week to compare with." in (
        digest.text
    )
    assert "(figures so far, up to 24/11/2026 09:00)" in digest.text
    assert digest.chart_png is not None and digest.chart_png.startswith(b"\x89PNG")


async def test_province_viewer_gets_a_ranked_roll_up(
    services: Services, clock: ManualClock
) -> None:
    """Only units with enough responses are ranked; the province's index weighs its
    communes by annual dossiers (10,450 against 2), not by pooling everyone's answers."""
    async with services.db.transaction() as session:
        await units.add(
            session,
            "XA-TANPHU",
            "UBND xã Tân Phú",
            now=clock(),
            parent_code="TINH-TEST",
            annual_dossiers=2,  # the whole year's minimum is 2 forms: 2 are enough
        )
    await complete_response(services, "a1", "HS-A1", [4] * 22)
    await complete_response(services, "a2", "HS-A2", [2] * 22)  # Hòa Thành: 50 %
    await complete_response(services, "b1", "HS-B1", [5] * 22, unit="XA-TANPHU")
    await complete_response(services, "b2", "HS-B2", [4] * 22, unit="XA-TANPHU")  # 100 %
    text = await digest_text(services, "TINH-TEST")
    assert "Phiếu hoàn thành: 4 trong tuần, 4 từ đầu năm (tối thiểu cả năm: 502" in text
    ranking = text.split("Xếp hạng các đơn vị (tuần này, chỉ đơn vị đủ phiếu):\n")[1]
    assert ranking.splitlines() == [
        "1. UBND xã Tân Phú: 100,0 % (2 phiếu)",
        "– UBND xã Hòa Thành: 50,0 % (2 phiếu, chưa đủ phiếu)",
    ]
    # (50 x 10,450 + 100 x 2) / 10,452 = 50.01 %; a pooled average would say 75 %.
    assert "Chỉ số SIPAS tuần này: 50,0 %" in text
    assert "⚠️ Chưa đủ phiếu: 4/30 phiếu cần có" in text
