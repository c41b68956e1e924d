"""The conversation glue shared by all channels: dedupe, load session, run the engine,
commit, and only then hand the messages back to the channel to send.

This is the only place that does all four. A turn is one database transaction; a lost
optimistic-concurrency race (a double-pressed button arriving twice at once) is retried from
a fresh read, so exactly one answer is recorded and the late press sees the next question.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.flow_admin.catalog import FlowCatalog
from bot.texts import message
from flows import engine
from flows.engine import Inbound, Phase, State
from flows.outbound import ConversationRef, Message, Outbound
from scheduler.clock import Clock, iso_week
from storage.db import Database, DatabaseUnavailable
from storage.models import SurveyLink, SurveySession, Unit
from storage.repos import counters, dedupe, flow_versions, links, surveys

log = logging.getLogger(__name__)

STALE_PROMPT = "_stale"
MAX_ATTEMPTS = 4


class _Conflict(Exception):
    """Another turn changed the session first; the turn is replayed from a fresh read."""


@dataclass(frozen=True)
class Reply:
    messages: tuple[Outbound, ...]
    session_id: int | None = None
    duplicate: bool = False  # the inbound update was already processed: send nothing
    no_survey: bool = False  # the chat has no survey open: the channel says how to begin


@dataclass(frozen=True)
class View:
    """A read-only look at a link for the web page: what to show, and the link's state."""

    messages: tuple[Outbound, ...]
    status: str  # unknown | expired | new | active | done
    locale: str
    session_id: int | None = None
    unit_name: str | None = None  # who runs the survey, shown to build trust


class Conversation:
    def __init__(
        self,
        db: Database,
        catalog: FlowCatalog,
        clock: Clock,
        *,
        zone: ZoneInfo,
        default_locale: str = "vi",
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.clock = clock
        self.zone = zone
        self.default_locale = default_locale

    # --- entry points ---------------------------------------------------------------------
    async def turn(
        self,
        ref: ConversationRef,
        event: Inbound,
        *,
        token: str | None = None,
        update_key: str | None = None,
        session_id: int | None = None,
        locale: str | None = None,
    ) -> Reply:
        """Handle one inbound event. ``token`` resolves the survey by link (deep link, web
        page); otherwise the chat's open survey is used. ``session_id`` is the session a
        pressed button belonged to: a button of another session only re-shows the question.
        """
        for _attempt in range(MAX_ATTEMPTS):
            try:
                async with self.db.transaction() as session:
                    return await self._turn(
                        session, ref, event, token, update_key, session_id, locale
                    )
            except _Conflict:
                continue
            except (OperationalError, DBAPIError, OSError) as exc:
                log.error("database unavailable during a turn for %s: %s", ref, exc)
                raise DatabaseUnavailable(str(exc)) from exc
        raise DatabaseUnavailable("the session kept changing under concurrent updates")

    async def view(self, token: str, locale: str | None = None) -> View:
        """What the web page should show for ``token`` now, changing nothing."""
        try:
            async with self.db.read() as session:
                return await self._view(session, token, locale)
        except (OperationalError, DBAPIError, OSError) as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    # --- internals ------------------------------------------------------------------------
    def _say(self, key: str, locale: str | None) -> tuple[Outbound, ...]:
        return (Message(message(key, locale or self.default_locale)),)

    async def _view(self, session: AsyncSession, token: str, locale: str | None) -> View:
        link = await links.by_token(session, token)
        if link is None:
            loc = locale or self.default_locale
            return View(self._say("unknown_link", loc), "unknown", loc)
        view = await self._view_link(session, link, locale)
        unit = await session.get(Unit, link.unit_id)
        return replace(view, unit_name=unit.name if unit else None)

    async def _view_link(self, session: AsyncSession, link: SurveyLink, locale: str | None) -> View:
        now = self.clock()
        survey = await surveys.for_link(session, link.id)
        if survey is not None and survey.data_deleted_at is None:
            flow = await self.catalog.get(session, survey.flow_version_id)
            state = await self._state(session, survey)
            if locale is not None and locale in flow.locales:
                state = replace(state, locale=locale)
            if survey.completed_at is not None:
                return View(engine.render(flow, state), "done", state.locale, survey.id)
            if now >= link.expires_at:
                return View(self._say("expired_link", state.locale), "expired", state.locale)
            return View(engine.render(flow, state), "active", state.locale, survey.id)
        loc = locale or self.default_locale
        if survey is not None or now >= link.expires_at:
            return View(self._say("expired_link", loc), "expired", loc)
        version = await flow_versions.for_unit(session, link.unit_id, link.form)
        if version is None:
            raise LookupError(f"no flow is published for the form {link.form!r}")
        flow = await self.catalog.get(session, version.id)
        return View(engine.render(flow, engine.initial_state(loc)), "new", loc)

    async def _state(self, session: AsyncSession, survey: SurveySession) -> State:
        phases = {p.value: p for p in Phase}
        phase = phases.get(survey.phase, Phase.DONE)
        return State(
            phase=phase,
            position=survey.position,
            answers=await surveys.answers(session, survey.id),
            locale=survey.locale,
        )

    async def _turn(
        self,
        session: AsyncSession,
        ref: ConversationRef,
        event: Inbound,
        token: str | None,
        update_key: str | None,
        session_id: int | None,
        locale: str | None,
    ) -> Reply:
        now = self.clock()
        if update_key is not None and not await dedupe.claim(session, ref.channel, update_key, now):
            return Reply((), duplicate=True)
        survey: SurveySession | None
        if token is not None:
            link = await links.by_token(session, token)
            if link is None:
                return Reply(self._say("unknown_link", locale))
            survey = await surveys.for_link(session, link.id)
            if survey is not None and survey.data_deleted_at is not None:
                return Reply(self._say("expired_link", locale))
            if survey is None or survey.completed_at is None:
                if now >= link.expires_at:
                    return Reply(self._say("expired_link", survey.locale if survey else locale))
            if survey is None:
                survey = await self._open(session, link, ref, locale, now)
        else:
            survey = await surveys.latest_open_for_chat(session, ref.channel, ref.chat_id)
            if survey is None:
                return Reply(self._say("no_survey", locale), no_survey=True)
            link = await session.get(SurveyLink, survey.link_id)
            assert link is not None
            if now >= link.expires_at:
                return Reply(self._say("expired_link", survey.locale))
        flow = await self.catalog.get(session, survey.flow_version_id)
        state = await self._state(session, survey)
        if locale is not None and locale in flow.locales:
            state = replace(state, locale=locale)
        if session_id is not None and session_id != survey.id:
            event = engine.Choose(STALE_PROMPT, "")
        result = engine.step(flow, state, event)
        await self._apply(session, survey, result, ref, now)
        return Reply(result.messages, survey.id)

    async def _open(
        self,
        session: AsyncSession,
        link: SurveyLink,
        ref: ConversationRef,
        locale: str | None,
        now: datetime,
    ) -> SurveySession:
        version = await flow_versions.for_unit(session, link.unit_id, link.form)
        if version is None:
            raise LookupError(f"no flow is published for the form {link.form!r}")
        survey = await surveys.create(
            session,
            link=link,
            flow_version_id=version.id,
            channel=ref.channel,
            chat_id=ref.chat_id,
            locale=locale or self.default_locale,
            phase=Phase.INTRO.value,
            now=now,
        )
        await counters.bump(session, link.unit_id, iso_week(now, self.zone), "started")
        return survey

    async def _apply(
        self,
        session: AsyncSession,
        survey: SurveySession,
        result: engine.Step,
        ref: ConversationRef,
        now: datetime,
    ) -> None:
        answered = False
        completed = False
        for effect in result.effects:
            match effect:
                case engine.RecordAnswer(question_id=question_id, value=value):
                    await surveys.record_answer(session, survey.id, question_id, value, now)
                    answered = True
                case engine.RecordComment(text=text, is_complaint=is_complaint):
                    await surveys.record_comment(
                        session,
                        session_id=survey.id,
                        unit_id=survey.unit_id,
                        text=text,
                        is_complaint=is_complaint,
                        now=now,
                    )
                case engine.Complete():
                    completed = True
                case engine.RecordConsent():
                    pass  # the phase change records it
        if survey.completed_at is not None:
            # A finished response stays with the chat that gave it (so that chat can still
            # delete its data); opening the used link elsewhere moves nothing.
            ref = ConversationRef(survey.channel, survey.chat_id or "")
        changed = (
            result.state.phase.value != survey.phase
            or result.state.position != survey.position
            or ref.channel != survey.channel
            or ref.chat_id != (survey.chat_id or "")
            or result.state.locale != survey.locale
            or result.effects
        )
        if changed and not await surveys.save_position(
            session,
            survey,
            phase=result.state.phase.value,
            position=result.state.position,
            locale=result.state.locale,
            channel=ref.channel,
            chat_id=ref.chat_id or None,
            now=now,
            answered=answered,
        ):
            raise _Conflict()
        if completed:
            await self._complete(session, survey, result.state, now)

    async def _complete(
        self, session: AsyncSession, survey: SurveySession, state: State, now: datetime
    ) -> None:
        week = iso_week(now, self.zone)
        await surveys.mark_completed(session, survey, now=now, iso_week=week)
        await counters.add_answers(
            session,
            unit_id=survey.unit_id,
            flow_version_id=survey.flow_version_id,
            iso_week=week,
            answers=state.answers,
        )
        await counters.bump(session, survey.unit_id, week, "completed")
        for comment in await surveys.comments_of(session, survey.id):
            stat = "complaints" if comment.is_complaint else "comments"
            await counters.bump(session, survey.unit_id, week, stat)


def texts_of(messages: Sequence[Outbound]) -> list[str]:
    """The plain texts of messages (for logs and tests)."""
    return [m.text for m in messages if isinstance(m, Message)]
