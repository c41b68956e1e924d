"""Paper forms (Mẫu 01/02 collected by post round) keyed in by data-entry staff.

A keyed form becomes a completed response with channel ``paper`` and the staff member's id
(``entered_by``), on the dossier's survey link (created for it when the dossier has none), and
is counted through ``count_completed`` exactly as a chat response is. A dossier that already
has a response (chat or paper, finished or not) is refused: one response per dossier.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from flows.engine import Phase
from flows.model import Flow
from scheduler.clock import iso_week
from storage.models import SurveyLink, SurveySession, Unit
from storage.repos import audit, counters, flags, flow_versions, links, surveys, units
from storage.repos.links import LinkRequest

CHANNEL = "paper"
GENERATED_PREFIX = "GIAY-"  # the dossier code of a paper form that carries none


def field_name(question_id: str) -> str:
    """The form field of a criterion (ids such as 3.1 are not valid HTML ids on their own)."""
    return "q" + question_id


@dataclass
class PaperForm:
    """What the staff member typed from one paper form."""

    unit_code: str
    form: str
    dossier: str | None
    phone: str | None
    answers: dict[str, int]
    comment: str = ""
    complaint: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def read_answers(flow: Flow, posted: Mapping[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """The level chosen for every criterion, and an error key for each one left out or
    given a value its question does not offer (e.g. "no opinion" outside factor 5)."""
    answers: dict[str, int] = {}
    errors: dict[str, str] = {}
    for question in flow.questions:
        raw = posted.get(field_name(question.id), "").strip()
        if not raw:
            errors[field_name(question.id)] = "paper_level_missing"
            continue
        value = int(raw) if raw.lstrip("-").isdigit() else None
        if value is None or question.choice_set.by_value(value) is None:
            errors[field_name(question.id)] = "paper_level_invalid"
            continue
        answers[question.id] = value
    return answers, errors


def closing_errors(flow: Flow, comment: str, complaint: str) -> dict[str, str]:
    limit = flow.closing.max_length
    return {
        name: "paper_text_too_long"
        for name, text in (("comment", comment), ("complaint", complaint))
        if len(text) > limit
    }


class PaperRefused(Exception):
    """The dossier already has a response; ``key`` names the phrase that explains it."""

    def __init__(self, key: str, dossier: str) -> None:
        super().__init__(key)
        self.key = key
        self.dossier = dossier


async def flow_for(
    services: Services, session: AsyncSession, unit: Unit, form: str
) -> tuple[int, Flow]:
    """The unit's flow version for the form (its id and the parsed flow)."""
    version = await flow_versions.for_unit(session, unit.id, form)
    if version is None:
        raise LookupError(f"no flow is published for the form {form!r}")
    return version.id, await services.catalog.get(session, version.id)


async def count_completed(
    session: AsyncSession, survey: SurveySession, *, week: str, now: datetime, zone: ZoneInfo
) -> None:
    """Mark the response completed and count it exactly as a chat response is counted."""
    await surveys.mark_completed(session, survey, now=now, iso_week=week, zone=zone)
    await flags.count_completion(session, survey)


async def _free_link(
    services: Services, session: AsyncSession, unit: Unit, entry: PaperForm, actor: str
) -> tuple[SurveyLink, str]:
    """The dossier's link if it has no response yet, else PaperRefused; a new link for a
    dossier without one (or for a form without a dossier code)."""
    now = services.now()
    code = entry.dossier or GENERATED_PREFIX + secrets.token_hex(4).upper()
    existing = await links.for_dossier(session, unit.id, code)
    if existing is not None:
        survey = await surveys.for_link(session, existing.id)
        if survey is not None:
            done = survey.completed_at is not None
            raise PaperRefused("paper_already_answered" if done else "paper_being_answered", code)
        return existing, code
    link, _created = await links.create(
        session,
        LinkRequest(unit, code, entry.form, None, entry.phone, actor),
        now=now,
        expires_at=now,  # never opened as a chat: the paper form is the response
        new_token=services.links.token_source,
        new_short_code=services.links.code_source,
    )
    return link, code


async def _record(
    session: AsyncSession,
    survey: SurveySession,
    entry: PaperForm,
    *,
    user_id: int,
    total: int,
    now: datetime,
) -> None:
    """The form's answers and texts on the new response, entered by ``user_id``."""
    survey.entered_by, survey.consented_at = user_id, now
    survey.position, survey.last_answer_at = total, now
    for question_id, value in entry.answers.items():
        await surveys.record_answer(session, survey.id, question_id, value, now)
    for text, is_complaint in ((entry.comment, False), (entry.complaint, True)):
        if text:
            await surveys.record_comment(
                session,
                session_id=survey.id,
                unit_id=survey.unit_id,
                text=text,
                is_complaint=is_complaint,
                now=now,
            )


async def enter(services: Services, entry: PaperForm, *, user_id: int, actor: str) -> str:
    """Save and count one keyed paper form; returns its dossier code. Raises PaperRefused
    for a dossier that already has a response (also when two people key it at once)."""
    now = services.now()
    try:
        async with services.db.transaction() as session:
            unit = await units.require(session, entry.unit_code)
            version_id, flow = await flow_for(services, session, unit, entry.form)
            link, code = await _free_link(services, session, unit, entry, actor)
            survey = await surveys.create(
                session,
                link=link,
                flow_version_id=version_id,
                channel=CHANNEL,
                chat_id=None,
                locale=flow.default_locale,
                phase=Phase.DONE.value,
                now=now,
            )
            await _record(session, survey, entry, user_id=user_id, total=flow.total, now=now)
            week = iso_week(now, services.zone)
            await counters.started(session, unit.id, now.astimezone(services.zone).date(), CHANNEL)
            await count_completed(session, survey, week=week, now=now, zone=services.zone)
            await audit.record(
                session,
                actor=actor,
                action="paper.enter",
                now=now,
                subject=f"{unit.code}/{code}",
                detail={"form": entry.form, "response": survey.id},
            )
            return code
    except IntegrityError:
        raise PaperRefused("paper_already_answered", entry.dossier or "") from None
