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

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.complaints.desk import Alert, ComplaintDesk, Pending
from bot.conversation.integrity import ClientFacts, Rules, check_client, check_completion
from bot.conversation.rendering import fill_place
from bot.flow_admin.catalog import FlowCatalog
from bot.texts import message
from flows import engine
from flows.engine import Inbound, Phase, State
from flows.outbound import ConversationRef, Message, Outbound
from flows.texts import without_controls
from scheduler.clock import Clock, iso_week
from storage.db import Database, DatabaseUnavailable, is_retryable
from storage.models import FlowVersion, SurveyLink, SurveySession
from storage.repos import complaints, counters, dedupe, flags, flow_versions, survey_state, surveys
from storage.repos.survey_state import LinkState, SurveyState

log = logging.getLogger(__name__)

STALE_PROMPT = "_stale"
PHASES = {p.value: p for p in Phase}
MAX_ATTEMPTS = 4


class _Conflict(Exception):
    """Another turn changed the session first; the turn is replayed from a fresh read."""


@dataclass(frozen=True)
class Reply:
    messages: tuple[Outbound, ...]
    session_id: int | None = None
    duplicate: bool = False  # the inbound update was already processed: send nothing
    no_survey: bool = False  # the chat has no survey open: the channel says how to begin
    # complaint alerts claimed in the turn's transaction, sent once it has committed
    alerts: tuple[Pending, ...] = ()
    mails: tuple[Alert, ...] = ()


@dataclass(frozen=True)
class View:
    """A read-only look at a link for the web page: what to show, and the link's state."""

    messages: tuple[Outbound, ...]
    status: str  # unknown | expired | new | active | done | elsewhere (another client's)
    locale: str
    session_id: int | None = None
    unit_name: str | None = None  # who runs the survey, shown to build trust
    answers: tuple[str, ...] = ()  # the unit's answers to this response's report / petition


class Conversation:
    def __init__(
        self,
        db: Database,
        catalog: FlowCatalog,
        clock: Clock,
        *,
        zone: ZoneInfo,
        default_locale: str = "vi",
        rules: Rules | None = None,
    ) -> None:
        self.rules = rules or Rules()
        self.db = db
        self.catalog = catalog
        self.clock = clock
        self.zone = zone
        self.default_locale = default_locale
        self.complaints: ComplaintDesk | None = None  # set by the composition root

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
        client: ClientFacts | None = None,
    ) -> Reply:
        """Handle one inbound event. ``token`` resolves the survey by link (deep link, web
        page); otherwise the chat's open survey is used. ``session_id`` is the session a
        pressed button belonged to: a button of another session only re-shows the question.
        A survey belongs to the chat (``ref``) that started it: any other is refused.
        ``client`` is what the web layer knows of the browser (integrity checks).
        """
        if isinstance(event, engine.Text):  # typed by anyone, stored as is: no NUL, no escapes
            event = engine.Text(without_controls(event.text, keep_lines=True))
        for attempt in range(MAX_ATTEMPTS):
            try:
                async with self.db.transaction() as session:
                    reply = await self._turn(
                        session, ref, event, token, update_key, session_id, locale, client
                    )
            except _Conflict:
                continue
            except (OperationalError, DBAPIError, OSError) as exc:
                if is_retryable(exc):  # a deadlock or serialization failure: rolled back whole
                    log.info("turn retried after a %s", type(getattr(exc, "orig", exc)).__name__)
                    continue
                if getattr(exc, "connection_invalidated", False) and attempt == 0:
                    # The pooled connection had died (a database restart): the transaction
                    # died with it, and the pool hands out fresh connections from now on.
                    log.info("turn retried on a fresh connection after a disconnect")
                    continue
                log.error("database unavailable during a turn on %s: %s", ref.channel, exc)
                raise DatabaseUnavailable(str(exc)) from exc
            else:
                if self.complaints is not None and (reply.alerts or reply.mails):
                    await self.complaints.send(reply.alerts, reply.mails)
                return reply
        raise DatabaseUnavailable("the session kept changing under concurrent updates")

    async def view(
        self, token: str, locale: str | None = None, ref: ConversationRef | None = None
    ) -> View:
        """What the web page should show for ``token`` now to the client ``ref``; a survey
        started by another client shows nothing of it. It changes nothing but the link's
        first-opened time (the funnel's "opened").

        The usual page, a survey in progress shown to its own browser, is one SELECT sent
        straight to the driver without a transaction; the rest (a first opening, a finished
        survey, another browser's) read again in a read transaction, as they need more."""
        try:
            link, survey = await survey_state.read_by_token(self.db, token)
            quick = self._in_progress(link, survey, locale, ref)
            if quick is not None:
                return quick
            async with self.db.read() as session:
                view, first_open = await self._view(session, token, locale, ref)
            if first_open is not None:  # once per link: a short write of its own
                async with self.db.transaction() as session:
                    await survey_state.mark_opened(session, first_open, self.clock())
            return view
        except (OperationalError, DBAPIError, OSError) as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    # --- internals ------------------------------------------------------------------------
    def _in_progress(
        self,
        link: LinkState | None,
        survey: SurveyState | None,
        locale: str | None,
        ref: ConversationRef | None,
    ) -> View | None:
        """The page of a survey in progress for its own browser, from what one read returned
        (None: any other case, which ``_view`` handles). Gives the same view as ``_view``."""
        if (
            link is None
            or link.opened_at is None
            or survey is None
            or survey.completed_at is not None
            or survey.data_deleted_at is not None
            or ref is None
            or not owns(survey, ref)
            or self.clock() >= link.expires_at
        ):
            return None
        flow = self.catalog.cached(survey.flow_version_id)
        if flow is None:
            return None
        state = state_of(survey)
        if locale is not None and locale in flow.locales:
            state = replace(state, locale=locale)
        messages = fill_place(engine.render(flow, state), link.unit_place)
        return View(messages, "active", state.locale, survey.id, unit_name=link.unit_name)

    def _say(self, key: str, locale: str | None) -> tuple[Outbound, ...]:
        return (Message(message(key, locale or self.default_locale)),)

    def _elsewhere(self, survey: SurveyState, locale: str | None) -> tuple[Outbound, ...]:
        """What another client sees of a survey: that it is taken, and nothing of it."""
        key = "answered_elsewhere" if survey.completed_at is not None else "other_device"
        return self._say(key, locale)

    async def _view(
        self, session: AsyncSession, token: str, locale: str | None, ref: ConversationRef | None
    ) -> tuple[View, int | None]:
        """The view, and the link's id when this is its first opening (to be recorded)."""
        link, survey = await survey_state.by_token(session, token)
        if link is None:
            loc = locale or self.default_locale
            return View(self._say("unknown_link", loc), "unknown", loc), None
        view = await self._view_link(session, link, survey, locale, ref)
        answered: tuple[str, ...] = ()
        if view.status == "done" and view.session_id is not None:
            found = await complaints.answers_for_session(session, view.session_id)
            answered = tuple(c.answer for c in found if c.answer)
        messages = fill_place(view.messages, link.unit_place)
        named = replace(view, messages=messages, unit_name=link.unit_name, answers=answered)
        return named, (link.id if link.opened_at is None else None)

    async def _view_link(
        self,
        session: AsyncSession,
        link: LinkState,
        survey: SurveyState | None,
        locale: str | None,
        ref: ConversationRef | None,
    ) -> View:
        now = self.clock()
        if survey is not None and survey.data_deleted_at is None:
            if ref is not None and not owns(survey, ref):
                loc = locale or self.default_locale
                return View(self._elsewhere(survey, loc), "elsewhere", loc)
            flow = await self.catalog.get(session, survey.flow_version_id)
            state = state_of(survey)
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
        version = await self._version_for(session, await self._link(session, link))
        flow = await self.catalog.get(session, version.id)
        return View(engine.render(flow, engine.initial_state(loc)), "new", loc)

    async def _link(self, session: AsyncSession, link: LinkState) -> SurveyLink:
        """The link's ORM row, for the rare paths that need all of it (a new response)."""
        found = await session.get(SurveyLink, link.id)
        assert found is not None  # read in this transaction a moment ago
        return found

    async def _turn(
        self,
        session: AsyncSession,
        ref: ConversationRef,
        event: Inbound,
        token: str | None,
        update_key: str | None,
        session_id: int | None,
        locale: str | None,
        client: ClientFacts | None,
    ) -> Reply:
        now = self.clock()
        if update_key is not None and not await dedupe.claim(session, ref.channel, update_key, now):
            return Reply((), duplicate=True)
        survey: SurveyState | None
        if token is not None:
            link, survey = await survey_state.by_token(session, token)
            if link is None:
                return Reply(self._say("unknown_link", locale))
            if link.opened_at is None:
                await survey_state.mark_opened(session, link.id, now)
            if survey is not None and survey.data_deleted_at is not None:
                return Reply(self._say("expired_link", locale))
            if survey is None or survey.completed_at is None:
                if now >= link.expires_at:
                    return Reply(self._say("expired_link", survey.locale if survey else locale))
            if survey is None:
                survey = await self._open(session, link, ref, locale, now)
            elif not owns(survey, ref):
                return Reply(self._elsewhere(survey, locale))
        else:
            found = await survey_state.open_for_chat(session, ref.channel, ref.chat_id)
            if found is None:
                return Reply(self._say("no_survey", locale), no_survey=True)
            link, survey = found
            if now >= link.expires_at:
                return Reply(self._say("expired_link", survey.locale))
        flow = await self.catalog.get(session, survey.flow_version_id)
        state = state_of(survey)
        if locale is not None and locale in flow.locales:
            state = replace(state, locale=locale)
        if session_id is not None and session_id != survey.id:
            event = engine.Choose(STALE_PROMPT, "")
        result = engine.step(flow, state, event)
        alerts, mails = await self._apply(session, survey, result, now, client)
        return Reply(
            fill_place(result.messages, link.unit_place),
            survey.id,
            alerts=tuple(alerts),
            mails=tuple(mails),
        )

    async def _version_for(self, session: AsyncSession, link: SurveyLink) -> FlowVersion:
        """The flow a new response to ``link`` uses (``flow_versions.for_link``)."""
        version = await flow_versions.for_link(session, link)
        if version is None:
            raise LookupError(f"no flow is published for the link (form {link.form!r})")
        return version

    async def _open(
        self,
        session: AsyncSession,
        link: LinkState,
        ref: ConversationRef,
        locale: str | None,
        now: datetime,
    ) -> SurveyState:
        row = await self._link(session, link)
        version = await self._version_for(session, row)
        try:
            async with session.begin_nested():
                survey = await surveys.create(
                    session,
                    link=row,
                    flow_version_id=version.id,
                    channel=ref.channel,
                    chat_id=ref.chat_id,
                    locale=locale or self.default_locale,
                    phase=Phase.INTRO.value,
                    now=now,
                )
        except IntegrityError:
            # Another chat or browser opened the link at the same moment and won: replay,
            # and this one is told the survey is taken.
            raise _Conflict() from None
        await counters.started(session, link.unit_id, now.astimezone(self.zone).date(), ref.channel)
        return survey_state.of(survey)

    async def _apply(
        self,
        session: AsyncSession,
        survey: SurveyState,
        result: engine.Step,
        now: datetime,
        client: ClientFacts | None,
    ) -> tuple[list[Pending], list[Alert]]:
        answered = False
        completed = False
        for effect in result.effects:
            match effect:
                case engine.RecordAnswer(question_id=question_id, value=value, text=text):
                    await surveys.record_answer(session, survey.id, question_id, value, now, text)
                    answered = True
                case engine.ForgetAnswer(question_id=question_id):
                    await surveys.forget_answer(session, survey.id, question_id)
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
                case engine.RecordConsent(given=True):
                    await surveys.mark_consented(session, survey.id, now)
                case engine.RecordConsent():
                    pass  # a refusal: the phase change records it
        changed = (
            result.state.phase.value != survey.phase
            or result.state.position != survey.position
            or result.state.locale != survey.locale
            or result.effects
        )
        if changed and not await survey_state.move(
            session,
            survey,
            phase=result.state.phase.value,
            position=result.state.position,
            locale=result.state.locale,
            now=now,
            answered=answered,
        ):
            raise _Conflict()
        # Flags only after the compare-and-set won (the row is ours), and before counting.
        if client is not None and survey.completed_at is None:
            await check_client(session, survey.id, client, self.rules, now)
        if completed:
            return await self._complete(session, survey.id, now)
        return [], []

    async def _complete(
        self, session: AsyncSession, session_id: int, now: datetime
    ) -> tuple[list[Pending], list[Alert]]:
        """Flag the response (before it counts), then count it unless flagged; its report /
        petition, if any, becomes a work item. The session's ORM row, read fresh (the turn
        moved it with a Core statement), carries it through the flags and counters."""
        survey = await session.get(SurveySession, session_id, populate_existing=True)
        assert survey is not None  # moved in this transaction a moment ago
        await check_completion(session, survey, self.rules, now)
        await surveys.mark_completed(
            session, survey, now=now, iso_week=iso_week(now, self.zone), zone=self.zone
        )
        await flags.count_completion(session, survey)
        if self.complaints is None:
            return [], []
        comments = await surveys.comments_of(session, survey.id)
        return await self.complaints.intake(session, comments, now)


def state_of(survey: SurveyState) -> State:
    """The engine's state of a stored session (an unknown phase reads as done)."""
    phase = PHASES.get(survey.phase, Phase.DONE)
    return State(
        phase=phase, position=survey.position, answers=survey.answers, locale=survey.locale
    )


def owns(survey: SurveyState, ref: ConversationRef) -> bool:
    """Whether ``ref`` is the chat (or browser) that started ``survey``."""
    return survey.chat_id is not None and (survey.channel, survey.chat_id) == (
        ref.channel,
        ref.chat_id,
    )


def texts_of(messages: Sequence[Outbound]) -> list[str]:
    """The plain texts of messages (for logs and tests)."""
    return [m.text for m in messages if isinstance(m, Message)]
