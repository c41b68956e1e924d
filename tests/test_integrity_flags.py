"""Integrity flags: each is raised with its evidence, keeps the response out of the figures,
and a review (keep/exclude, with a reason, audited) brings it back or leaves it out; the
counters always agree with the raw answers, whatever the order."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from bot.conversation import guard
from bot.services import Services, build_services
from scheduler.clock import ManualClock
from storage.models import ResponseFlag, SurveySession, Unit
from storage.repos import audit, flags
from tests.support.environment import make_settings
from tests.support.scheduler import (
    QUESTION_IDS,
    add_staff,
    answer,
    complete_response,
    finish,
    jobs_for,
)
from tests.support.scheduler import open_survey as open_in_chat
from tests.support.tallies import period_rows_off, week_recount, week_tally

WEEK = "2026-W48"  # the fixtures' clock: Tuesday 24/11/2026


def with_settings(services: Services, **env: str) -> Services:
    """The same database and clock, other settings (e.g. integrity rules switched on)."""
    settings = make_settings(services.db.url, services.settings.web.port, **env)
    return build_services(settings, services.clock, services.db)


async def figures(services: Services) -> tuple[int, Counter[int], int]:
    """Completed responses counted, the levels counted for question 1.1, and responses flagged
    — from the counters, after checking that they equal a recount from raw answers (and
    that the week and month rows are the sums of their days)."""
    async with services.db.transaction() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == "XA-HOATHANH"))
        assert unit is not None
        tally = await week_tally(session, [unit.id], WEEK)
        raw = await week_recount(session, [unit.id], WEEK)
        assert await period_rows_off(session) == []
    assert tally.distributions == raw.distributions
    assert tally.stats["completed"] == raw.stats["completed"]
    levels = Counter[int]()
    for per_version in tally.distributions.values():
        levels.update(per_version.get("1.1", Counter()))
    return tally.stats["completed"], levels, tally.stats["flagged"]


async def flags_on(services: Services) -> dict[int, dict[str, dict[str, object]]]:
    async with services.db.transaction() as session:
        rows = await session.scalars(select(ResponseFlag).order_by(ResponseFlag.id))
        found: dict[int, dict[str, dict[str, object]]] = {}
        for row in rows:
            found.setdefault(row.session_id, {})[row.flag] = row.evidence
        return found


async def session_ids(services: Services) -> list[int]:
    async with services.db.transaction() as session:
        return list(await session.scalars(select(SurveySession.id).order_by(SurveySession.id)))


async def review(services: Services, session_id: int, decision: str, reason: str) -> None:
    async with services.db.transaction() as session:
        await flags.review(
            session,
            session_id=session_id,
            decision=decision,
            reviewer="admin-tinh",
            reason=reason,
            now=services.now(),
        )


async def test_too_fast_is_flagged_with_its_median_and_counted_after_keep(
    services: Services, clock: ManualClock
) -> None:
    strict = with_settings(services, SIPAS__INTEGRITY__MIN_SECONDS_PER_ANSWER="2")
    # A careful respondent: 5 s per answer.
    ref = await open_in_chat(strict, "2001", "HS-SLOW")
    for index in range(len(QUESTION_IDS)):
        clock.advance(seconds=5)
        await answer(strict, ref, [4], start=index)
    await finish(strict, ref)
    # A hurried one: every answer within a second.
    hurried = await open_in_chat(strict, "2002", "HS-FAST")
    for index in range(len(QUESTION_IDS)):
        clock.advance(seconds=1)
        await answer(strict, hurried, [2], start=index)
    await finish(strict, hurried)
    _slow, fast = await session_ids(services)
    assert await flags_on(services) == {
        fast: {"too_fast": {"median_seconds": 1.0, "answers": len(QUESTION_IDS)}}
    }
    assert await figures(services) == (1, Counter({4: 1}), 1)
    await review(services, fast, "keep", "Đã gọi điện: người dân xác nhận tự trả lời.")
    assert await figures(services) == (2, Counter({4: 1, 2: 1}), 0)


async def test_staff_chat_and_repeat_chat(services: Services) -> None:
    await add_staff(services, "canbo", role="clerk", unit="XA-HOATHANH", chat_id="7777")
    await complete_response(services, "7777", "HS-STAFF", [5] * 22)
    for number in range(4):  # one citizen chat, four dossiers within 30 days (max 3)
        await complete_response(services, "3001", f"HS-REP-{number}", [3] * 22)
    ids = await session_ids(services)
    assert await flags_on(services) == {
        ids[0]: {"staff_chat": {"channel": "telegram"}},
        ids[4]: {"repeat_chat": {"responses": 4, "days": 30, "channel": "telegram"}},
    }
    assert await figures(services) == (3, Counter({3: 3}), 2)
    await review(services, ids[0], "exclude", "Cán bộ tự trả lời thay người dân.")
    await review(services, ids[4], "keep", "Người dân có bốn hồ sơ trong tháng.")
    assert await figures(services) == (4, Counter({3: 4}), 1)


async def test_a_review_needs_a_reason_and_is_audited(services: Services) -> None:
    await add_staff(services, "canbo", role="clerk", unit="XA-HOATHANH", chat_id="7777")
    await complete_response(services, "7777", "HS-STAFF", [5] * 22)
    [flagged] = await session_ids(services)
    with pytest.raises(flags.ReviewRefused):
        await review(services, flagged, "keep", "   ")
    with pytest.raises(flags.ReviewRefused):
        await review(services, flagged, "maybe", "lý do")
    await review(services, flagged, "keep", "Cán bộ là người dân làm thủ tục của chính mình.")
    async with services.db.transaction() as session:
        [entry] = await audit.entries(session, flags.REVIEW_ACTION)
    assert (entry.actor, entry.subject) == ("admin-tinh", f"response:{flagged}")
    assert entry.detail == {
        "decision": "keep",
        "reason": "Cán bộ là người dân làm thủ tục của chính mình.",
        "flags": ["staff_chat"],
    }
    assert entry.at == services.now()


@pytest.mark.parametrize(
    "steps",
    [
        ["raise:too_fast", "keep", "raise:staff_network", "exclude", "keep"],
        ["raise:too_fast", "raise:too_fast", "exclude", "exclude", "keep", "raise:too_fast"],
        ["raise:staff_browser", "keep", "keep", "raise:repeat_chat", "keep"],
    ],
)
async def test_counts_follow_the_flags_in_any_order(services: Services, steps: list[str]) -> None:
    """Whatever the order of flagging, keeping and excluding, a response counts exactly when
    all its flags are kept, and the counters equal the raw answers."""
    await complete_response(services, "4001", "HS-A", [4] * 22)
    await complete_response(services, "4002", "HS-B", [2] * 22)
    first, _ = await session_ids(services)
    for step in steps:
        if step.startswith("raise:"):
            async with services.db.transaction() as session:
                await flags.raise_flag(
                    session,
                    session_id=first,
                    flag=step.removeprefix("raise:"),
                    evidence={},
                    now=services.now(),
                )
        else:
            await review(services, first, step, "kiểm tra")
        async with services.db.transaction() as session:
            found = await flags.flags_of(session, first)
            survey = await session.get(SurveySession, first)
            assert survey is not None
        kept = all(flag.decision == "keep" for flag in found)
        assert survey.flagged is (not kept)
        expected = (2, Counter({4: 1, 2: 1}), 0) if kept else (1, Counter({2: 1}), 1)
        assert await figures(services) == expected, step


async def test_raise_flag_is_idempotent_and_knows_its_flags(services: Services) -> None:
    await complete_response(services, "5001", "HS-A", [4] * 22)
    [only] = await session_ids(services)
    async with services.db.transaction() as session:
        assert await flags.raise_flag(
            session,
            session_id=only,
            flag="too_fast",
            evidence={"median_seconds": 0.5},
            now=services.now(),
        )
        assert not await flags.raise_flag(
            session,
            session_id=only,
            flag="too_fast",
            evidence={"median_seconds": 0.1},
            now=services.now(),
        )
        with pytest.raises(ValueError, match="unknown flag"):
            await flags.raise_flag(
                session, session_id=only, flag="odd", evidence={}, now=services.now()
            )
    assert await flags_on(services) == {only: {"too_fast": {"median_seconds": 0.5}}}
    assert await figures(services) == (0, Counter(), 1)


async def test_repeats_are_found_after_the_chat_deleted_its_data_until_30_days_pass(
    services: Services, clock: ManualClock
) -> None:
    """/xoadulieu after each response does not hide one chat answering for many dossiers; the
    keyed hash that finds it is dropped with the chat ids after 30 days."""
    for number in range(4):
        ref = await complete_response(services, "3100", f"HS-X-{number}", [3] * 22)
        await guard.forget_chat(services, ref)
    ids = await session_ids(services)
    assert await flags_on(services) == {
        ids[3]: {"repeat_chat": {"responses": 4, "days": 30, "channel": "telegram"}}
    }
    async with services.db.transaction() as session:
        keys = set(await session.scalars(select(SurveySession.chat_key)))
        chats = set(await session.scalars(select(SurveySession.chat_id)))
    assert len(keys) == 1 and None not in keys and "3100" not in str(keys)
    assert chats == {None}
    clock.advance(days=31)
    await jobs_for(services).prune()
    async with services.db.transaction() as session:
        assert set(await session.scalars(select(SurveySession.chat_key))) == {None}
