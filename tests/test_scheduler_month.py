"""A simulated month: random respondents in three communes over five weeks, the clock moved
tick by tick (every hour), every job run as in production. Every chair and viewer gets
exactly the digests they should, with the numbers a hand-written recount gives, and every
respondent at most the reminders they should, never in quiet hours.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from bot.services import Services
from flows.engine import RESUME, Choose
from flows.outbound import ConversationRef, Message
from reports.weeks import year_weeks
from scheduler.clock import ManualClock, iso_week
from scheduler.jobs import digest_due
from storage.models import Delivery
from storage.repos import units
from tests.support.scheduler import (
    MAU01,
    QUESTION_IDS,
    RecordingChannel,
    add_staff,
    answer,
    finish,
    jobs_for,
    open_survey,
)

TICK = timedelta(hours=1)
DAYS = 35
COMMUNES = {
    "XA-HOATHANH": "UBND xã Hòa Thành",
    "XA-TANPHU": "UBND xã Tân Phú",
    "XA-ANBINH": "UBND xã An Bình",
}
QUIET = (time(21, 0), time(7, 0))


@dataclass
class TimedChannel(RecordingChannel):
    clock: ManualClock | None = None
    times: list[datetime] = field(default_factory=list)

    async def send(self, ref, item, context):  # type: ignore[no-untyped-def]
        await super().send(ref, item, context)
        assert self.clock is not None
        self.times.append(self.clock())


@dataclass
class Respondent:
    chat_id: str
    unit: str
    at: datetime  # when they open the link and answer
    kind: str  # complete | abandon | resume | web
    answers: list[int]
    stop: int  # answers given before leaving (abandon, resume, web)
    completed_at: datetime | None = None
    ref: ConversationRef | None = None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def expected_sipas(responses: list[list[int]]) -> float | None:
    """The sipas.md rule written out independently of flows.scoring."""
    factors: dict[str, list[float]] = defaultdict(list)
    for index, question in enumerate(MAU01.questions):
        valid = [r[index] for r in responses if r[index] != 0]
        if valid:
            factors[question.factor].append(100.0 * sum(v >= 4 for v in valid) / len(valid))
    indices = [sum(v) / len(v) for f in MAU01.factors if (v := factors[f.id])]
    return sum(indices) / len(indices) if indices else None


def expected_roll_up(parts: list[list[list[int]]]) -> float | None:
    """A province: its communes' indices weighted by volume. Not every commune has annual
    dossiers here, so the weights are their counted responses (docs/statistics.md), which
    is not the pooled index of all answers."""
    valued = [(len(p), v) for p in parts if (v := expected_sipas(p)) is not None]
    if not valued:
        return None
    return sum(n * v for n, v in valued) / sum(n for n, _ in valued)


def quiet(moment: datetime, zone) -> bool:  # type: ignore[no-untyped-def]
    local = moment.astimezone(zone).time()
    return local >= QUIET[0] or local < QUIET[1]


def plan(start: datetime, zone, rng: random.Random) -> list[Respondent]:  # type: ignore[no-untyped-def]
    people: list[Respondent] = []
    local_start = start.astimezone(zone)
    for day in range(DAYS - 4):
        for unit in COMMUNES:
            for _ in range(rng.choice((0, 0, 1, 1))):
                kind = rng.choices(("complete", "abandon", "resume", "web"), (6, 3, 2, 1))[0]
                hour = rng.randint(8, 17) if kind == "resume" else rng.randint(8, 22)
                moment = (local_start + timedelta(days=day + 1)).replace(
                    hour=hour, minute=rng.randint(0, 59)
                )
                answers = [
                    rng.choice([c.value for c in q.choice_set.choices]) for q in MAU01.questions
                ]
                people.append(
                    Respondent(f"u{len(people)}", unit, moment, kind, answers, rng.randint(1, 21))
                )
    return people


async def test_a_simulated_month(services: Services, clock: ManualClock) -> None:
    zone = services.zone
    telegram = TimedChannel("telegram", clock=clock)
    zalo = TimedChannel("zalo_bot", clock=clock)
    services.channels.add(telegram)
    services.channels.add(zalo)
    async with services.db.transaction() as session:
        await units.add(
            session,
            "XA-TANPHU",
            COMMUNES["XA-TANPHU"],
            now=clock(),
            parent_code="TINH-TEST",
            quota=60,
        )
        await units.add(
            session, "XA-ANBINH", COMMUNES["XA-ANBINH"], now=clock(), parent_code="TINH-TEST"
        )
    await add_staff(services, "ct-hoathanh", role="chair", unit="XA-HOATHANH", chat_id="9001")
    await add_staff(
        services,
        "pct-hoathanh",
        role="chair",
        unit="XA-HOATHANH",
        chat_id="z9001",
        channel="zalo_bot",
    )
    await add_staff(
        services, "ct-tanphu", role="chair", unit="XA-TANPHU", chat_id="9002", locale="en"
    )
    await add_staff(services, "so-noivu", role="viewer", unit="TINH-TEST", chat_id="9100")
    # XA-ANBINH's chair has not bound a chat: nobody there receives anything.

    rng = random.Random(20261124)
    start = clock()
    people = plan(start, zone, rng)
    # The seed gives every kind of respondent, and abandoners whose reminders fall due at night.
    assert {p.kind for p in people} == {"complete", "abandon", "resume", "web"}
    assert any(p.kind == "abandon" and p.at.astimezone(zone).hour >= 21 for p in people)
    events: list[tuple[datetime, int, str, Respondent]] = []
    for order, person in enumerate(people):
        events.append((person.at, order, "open", person))
        if person.kind == "resume":
            events.append((person.at + timedelta(hours=26), order, "resume", person))
    events.sort(key=lambda e: (e[0], e[1]))
    jobs = jobs_for(services)
    end = start + timedelta(days=DAYS)
    now = start
    while now <= end:
        while events and events[0][0] <= now:
            moment, _, action, person = events.pop(0)
            clock.now = moment
            await act(services, person, action)
        clock.now = now
        await jobs.tick()
        now += TICK

    # --- digests: exactly one per recipient and week, at its time, with the right numbers.
    weeks = ["2026-W48", "2026-W49", "2026-W50", "2026-W51", "2026-W52"]
    done = [p for p in people if p.completed_at is not None]
    assert len(done) > 15

    def week_of(person: Respondent) -> str:
        assert person.completed_at is not None
        return iso_week(person.completed_at, zone)

    def completed(unit_codes: set[str], in_weeks: list[str]) -> list[Respondent]:
        return [p for p in done if p.unit in unit_codes and week_of(p) in in_weeks]

    recipients = {
        ("telegram", "9001"): {"XA-HOATHANH"},
        ("zalo_bot", "z9001"): {"XA-HOATHANH"},
        ("telegram", "9002"): {"XA-TANPHU"},
        ("telegram", "9100"): set(COMMUNES),
    }
    for (channel_name, chat_id), scope in recipients.items():
        channel = telegram if channel_name == "telegram" else zalo
        texts = channel.texts_to(chat_id)
        assert len(texts) == len(weeks), (chat_id, [t.splitlines()[0] for t in texts])
        sent_at = [
            t
            for (ref, batch), t in zip(channel.sent, channel.times, strict=True)
            if ref.chat_id == chat_id and isinstance(batch[0], Message)
        ]
        for week, text, moment in zip(weeks, texts, sent_at, strict=True):
            due = digest_due(week, (0, time(7, 30)), zone)
            assert due <= moment < due + TICK  # at the first tick once due
            number = int(week[-2:])
            this_week = completed(scope, [week])
            so_far = completed(scope, year_weeks(week))
            if len(scope) > 1:
                index = expected_roll_up(
                    [[p.answers for p in completed({code}, [week])] for code in sorted(scope)]
                )
            else:
                index = expected_sipas([p.answers for p in this_week])
            if chat_id == "9002":
                assert text.startswith(f"📊 Weekly report, week {number}/2026")
                assert (
                    f"Completed responses: {len(this_week)} this week, {len(so_far)} this year"
                ) in text
                if this_week:
                    shown = percent(index).replace(",", ".").replace(" %", "%")
                    assert f"SIPAS index this week: {shown} (" in text
                else:
                    assert "No response was completed this week." in text
                continue
            assert text.startswith(f"📊 Báo cáo tuần {number}/2026")
            assert (
                f"Phiếu hoàn thành: {len(this_week)} trong tuần, {len(so_far)} từ đầu năm" in text
            )
            if this_week:
                assert f"Chỉ số SIPAS tuần này: {percent(index)} (" in text
            else:
                assert "Tuần này chưa có phiếu nào hoàn thành." in text
            if chat_id == "9100":
                # A handful of responses a week is below every commune's sample size: each
                # commune is listed as not ranked, with its own index.
                heading = "Xếp hạng các đơn vị (tuần này, chỉ đơn vị đủ phiếu):\n"
                lines = text.split(heading)[1].splitlines()
                assert lines == [
                    f"– {COMMUNES[code]}: "
                    f"{percent(expected_sipas([p.answers for p in completed({code}, [week])]))}"
                    f" ({len(completed({code}, [week]))} phiếu, chưa đủ phiếu)"
                    for code in sorted(COMMUNES)
                ]

    # --- reminders: exactly those due, never at night, none on the web chat.
    assert len(telegram.sent) > 2 * len(recipients) * len(weeks)  # reminders were sent too
    for person in people:
        reminders = [
            (text, moment)
            for (ref, batch), moment in zip(telegram.sent, telegram.times, strict=True)
            if ref.chat_id == person.chat_id
            for text in [m.text for m in batch if isinstance(m, Message)]
        ]
        assert all(not quiet(moment, zone) for _, moment in reminders)
        assert all(f"Ông/Bà đã trả lời {person.stop}/22 câu" in text for text, _ in reminders)
        assert len(reminders) == expected_reminders(person, end, zone), person
    async with services.db.transaction() as session:
        web = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.channel == "web")
        )
        failed = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status != "sent")
        )
    assert web == 0 and failed == 0


def expected_reminders(person: Respondent, end: datetime, zone) -> int:  # type: ignore[no-untyped-def]
    if person.kind in ("complete", "web"):
        return 0
    if person.kind == "resume":
        return 1
    count = 0
    for delay in (timedelta(hours=24), timedelta(hours=72)):
        due = person.at + delay
        tick = due + (-(due - (end - timedelta(days=DAYS))) % TICK)
        while quiet(tick, zone):
            tick += TICK
        count += tick <= end
    return count


async def act(services: Services, person: Respondent, action: str) -> None:
    if action == "open":
        channel = "web" if person.kind == "web" else "telegram"
        given = person.answers if person.kind == "complete" else person.answers[: person.stop]
        person.ref = await open_survey(
            services,
            person.chat_id,
            f"HS-{person.chat_id}",
            unit=person.unit,
            channel=channel,
            answers=given,
        )
        if person.kind == "complete":
            await finish(services, person.ref)
            person.completed_at = services.now()
        return
    assert person.ref is not None  # resume: one tap on the reminder's button, then the rest
    await services.conversation.turn(person.ref, Choose(RESUME, "continue"))
    await answer(services, person.ref, person.answers[person.stop :], start=person.stop)
    await finish(services, person.ref)
    person.completed_at = services.now()
    assert len(QUESTION_IDS) == 22
