"""The complaint desk: opens a work item when a response with a report / petition is
completed, alerts the unit's chairs at once, and sends the chair's answer back to the citizen.

Every chat send is claimed in ``deliveries`` in the same transaction that records what it is
about (the complaint, the answer), then sent after the commit; what fails is retried by the
scheduler's retry job like any other delivery, so nothing is lost and nothing sent twice.
E-mail copies (``[email]``) are best effort: a failure is logged, the chat send stands.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.complaints.texts import say
from bot.mail import Mailer
from bot.staff.roles import CHAIR
from flows.outbound import ConversationRef, Message, Outbound, to_payload
from reports.formatting import day
from reports.plain import printable
from scheduler.clock import Clock
from scheduler.sending import Sender, send_claimed
from storage.db import Database
from storage.models import Comment, SurveySession, Unit
from storage.repos import audit, deliveries, users
from storage.repos import complaints as repo

log = logging.getLogger(__name__)

WEB = "web"
# Sends to a respondent's chat: the scheduler's housekeeping forgets their chat id once sent.
ANSWER_PREFIX = "complaint-answer:"


class ComplaintError(ValueError):
    """A staff action that cannot be done (already answered, empty answer): ``key`` names
    the staff page's phrase that explains it."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Pending:
    """A chat send claimed in the database, to be sent once the transaction has committed."""

    key: str
    ref: ConversationRef
    messages: tuple[Outbound, ...]


@dataclass(frozen=True)
class Alert:
    """An e-mail copy of an alert, sent after the commit."""

    subject: str
    body: str


class ComplaintDesk:
    def __init__(
        self,
        db: Database,
        sender: Sender,
        clock: Clock,
        *,
        zone: ZoneInfo,
        answer_within: timedelta,
        public_url: str,
        mailer: Mailer | None = None,
    ) -> None:
        self.db = db
        self.sender = sender
        self.clock = clock
        self.zone = zone
        self.answer_within = answer_within
        self.public_url = public_url
        self.mailer = mailer

    def list_url(self) -> str:
        """The staff work list (linked from digests)."""
        return f"{self.public_url}/staff/complaints"

    def work_url(self, complaint_id: int) -> str:
        return f"{self.list_url()}/{complaint_id}"

    # --- intake (inside the survey turn's transaction) -----------------------------------
    async def intake(
        self, session: AsyncSession, comments: Sequence[Comment], now: datetime
    ) -> tuple[list[Pending], list[Alert]]:
        """Open a work item for each complaint among ``comments`` and claim the chairs'
        alerts; the caller sends them with ``send`` after its commit."""
        pending: list[Pending] = []
        mails: list[Alert] = []
        chairs = await users.staff_chats(session, roles=(CHAIR,))
        for comment in comments:
            if not comment.is_complaint:
                continue
            complaint = await repo.open_for_comment(
                session, comment, now=now, answer_within=self.answer_within
            )
            if complaint is None:
                continue
            unit = await session.get(Unit, complaint.unit_id)
            unit_name = unit.name if unit else ""
            values = {
                "unit": unit_name,
                "text": printable(comment.text).strip(),
                "due": day(complaint.due_at.astimezone(self.zone)),
                "url": self.work_url(complaint.id),
            }
            for user, binding in chairs:
                if user.unit_id != complaint.unit_id:
                    continue
                ref = ConversationRef(binding.channel, binding.chat_id)
                key = f"complaint:{complaint.id}:alert:{user.id}:{ref.channel}:{ref.chat_id}"
                messages = (Message(say("alert", user.locale, **values)),)
                if await self._claim(session, key, ref, messages, now):
                    pending.append(Pending(key, ref, messages))
            mails.append(
                Alert(say("alert_subject", "vi", unit=unit_name), say("alert", "vi", **values))
            )
        return pending, mails

    async def send(self, pending: Sequence[Pending], mails: Sequence[Alert] = ()) -> None:
        """Send claimed chat messages (failures stay for the retry job) and e-mail copies."""
        for item in pending:
            await send_claimed(self.db, self.sender, self.clock, item.key, item.ref, item.messages)
        if self.mailer is not None:
            for mail in mails:
                await self.mailer.alert(mail.subject, mail.body)

    # --- staff actions --------------------------------------------------------------------
    async def answer(self, complaint_id: int, *, text: str, actor: str) -> str:
        """Record the answer and send it back the way the complaint came; returns the route:
        ``chat`` (sent to the citizen's chat), ``web`` (shown on their link page) or
        ``none`` (the citizen's chat is no longer known)."""
        answer = printable(text).strip()
        if not answer:
            raise ComplaintError("complaint_answer_empty")
        now = self.clock()
        pending: Pending | None = None
        async with self.db.transaction() as session:
            item = await repo.get(session, complaint_id)
            if item is None:
                raise LookupError(complaint_id)
            complaint = item.complaint
            if complaint.status == repo.ANSWERED:
                raise ComplaintError("complaint_already_answered")
            channel, chat_id = await repo.reply_route(session, complaint)
            route = WEB if channel == WEB else ("chat" if chat_id else "none")
            if route == "chat" and chat_id:
                survey = await session.get(SurveySession, complaint.session_id)
                unit = await session.get(Unit, complaint.unit_id)
                locale = survey.locale if survey else "vi"
                body = say(
                    "answer",
                    locale,
                    unit=unit.name if unit else "",
                    text=printable(item.text).strip(),
                    answer=answer,
                )
                ref = ConversationRef(channel, chat_id)
                key = f"{ANSWER_PREFIX}{complaint.id}"
                messages = (Message(body),)
                if await self._claim(session, key, ref, messages, now):
                    pending = Pending(key, ref, messages)
            if not await repo.record_answer(
                session, complaint, answer=answer, actor=actor, route=route, now=now
            ):
                raise ComplaintError("complaint_already_answered")
            await audit.record(
                session,
                actor=actor,
                action="complaint.answer",
                now=now,
                subject=str(complaint.id),
                detail={"route": route},
            )
        if pending is not None:
            await self.send([pending])
        return route

    async def _claim(
        self,
        session: AsyncSession,
        key: str,
        ref: ConversationRef,
        messages: Sequence[Outbound],
        now: datetime,
    ) -> bool:
        claimed = await deliveries.claim(
            session,
            key=key,
            channel=ref.channel,
            chat_id=ref.chat_id,
            payload=to_payload(list(messages)),
            now=now,
        )
        return claimed is not None
