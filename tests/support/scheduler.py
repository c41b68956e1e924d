"""Helpers for the scheduler tests: a recording channel registered as active,
and respondents who answer through the real conversation glue (so counters are real).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.flow_admin.catalog import DEFAULT_FLOWS
from bot.services import Services
from flows.engine import COMMENT, COMPLAINT_OFFER, CONSENT, Choose, Start, Text
from flows.loader import load_flow_file
from flows.outbound import ConversationRef
from scheduler.config import Schedule
from scheduler.jobs import Jobs
from tests.support.channels import RecordingChannel
from tests.support.surveys import new_token

MAU01 = load_flow_file(DEFAULT_FLOWS / "mau01.toml")
QUESTION_IDS = [q.id for q in MAU01.questions]


def recording(services: Services, name: str = "telegram") -> RecordingChannel:
    """A recording channel registered as active under ``name``."""
    channel = RecordingChannel(name)
    services.channels.add(channel)
    return channel


def jobs_for(services: Services, schedule: Schedule | None = None) -> Jobs:
    return Jobs(
        services.db,
        services.outbox,
        services.clock,
        services.catalog.get,
        schedule or Schedule(zone=services.zone),
    )


async def open_survey(
    services: Services,
    chat_id: str,
    dossier: str,
    *,
    unit: str = "XA-HOATHANH",
    channel: str = "telegram",
    answers: Sequence[int] = (),
    consent: str = "yes",
) -> ConversationRef:
    """A respondent opens the link, consents and answers the first ``len(answers)`` questions."""
    token = await new_token(services, dossier, unit=unit)
    ref = ConversationRef(channel, chat_id)
    await services.conversation.turn(ref, Start(), token=token)
    await services.conversation.turn(ref, Choose(CONSENT, consent))
    await answer(services, ref, answers, start=0)
    return ref


async def answer(
    services: Services, ref: ConversationRef, answers: Sequence[int], start: int
) -> None:
    for question_id, value in zip(QUESTION_IDS[start:], answers, strict=False):
        await services.conversation.turn(ref, Choose(question_id, str(value)))


async def finish(
    services: Services,
    ref: ConversationRef,
    comment: str | None = None,
    complaint: str | None = None,
) -> None:
    """From the comment prompt to the end (optional comment and complaint)."""
    turn = services.conversation.turn
    if comment:  # then the report / petition is offered beside "Gửi phiếu"
        await turn(ref, Text(comment))
    offered_at = COMPLAINT_OFFER if comment else COMMENT
    if complaint:
        await turn(ref, Choose(offered_at, "complaint"))
        await turn(ref, Text(complaint))
    else:
        await turn(ref, Choose(offered_at, "skip"))


async def complete_response(
    services: Services,
    chat_id: str,
    dossier: str,
    answers: Sequence[int],
    *,
    unit: str = "XA-HOATHANH",
    comment: str | None = None,
    complaint: str | None = None,
) -> ConversationRef:
    ref = await open_survey(services, chat_id, dossier, unit=unit, answers=answers)
    await finish(services, ref, comment, complaint)
    return ref


def uniform(level_by_factor: dict[str, int]) -> list[int]:
    """One response answering every criterion of a factor with the same level."""
    return [level_by_factor[q.factor] for q in MAU01.questions]


async def add_staff(
    services: Services,
    username: str,
    *,
    role: str,
    unit: str,
    chat_id: str,
    channel: str = "telegram",
    locale: str = "vi",
) -> None:
    """A staff account whose chat is bound through a one-time code, as in production."""
    from datetime import timedelta

    from storage.repos import units, users

    now = services.now()
    async with services.db.transaction() as session:
        found = await units.require(session, unit)
        user = await users.add(
            session,
            username=username,
            password_hash="-",
            role=role,
            unit_id=found.id,
            now=now,
            locale=locale,
        )
        code = f"bind-{username}"
        await users.add_binding_code(
            session,
            user=user,
            channel=channel,
            code=code,
            now=now,
            expires_at=now + timedelta(days=1),
        )
        bound = await users.consume_binding_code(
            session, code=code, channel=channel, chat_id=chat_id, now=now
        )
        assert bound is not None
