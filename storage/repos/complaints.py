"""Reports / petitions (phản ánh, kiến nghị) as work items of a unit.

A complaint row is opened when a response that carries one is completed; it moves
new → in_progress → answered. Nothing here returns the citizen's identity: the way back to
their chat (``SurveySession.channel``/``chat_id``) is read by ``reply_route`` only, when the
answer is sent, and is never shown on a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Comment, Complaint, SurveySession, User

NEW = "new"
IN_PROGRESS = "in_progress"
ANSWERED = "answered"
STATUSES = (NEW, IN_PROGRESS, ANSWERED)
OPEN = (NEW, IN_PROGRESS)
PAGE_SIZE = 50


@dataclass(frozen=True)
class Item:
    """A complaint as a work list shows it: its text, never who sent it."""

    complaint: Complaint
    text: str
    assignee: str | None

    def overdue(self, now: datetime) -> bool:
        return self.complaint.status != ANSWERED and self.complaint.due_at < now


async def open_for_comment(
    session: AsyncSession, comment: Comment, *, now: datetime, answer_within: timedelta
) -> Complaint | None:
    """The work item of a complaint comment (once: None when it already has one)."""
    found = await session.scalar(select(Complaint).where(Complaint.comment_id == comment.id))
    if found is not None:
        return None
    complaint = Complaint(
        comment_id=comment.id,
        unit_id=comment.unit_id,
        session_id=comment.session_id,
        status=NEW,
        received_at=now,
        due_at=now + answer_within,
        public=False,
        updated_at=now,
    )
    session.add(complaint)
    await session.flush()
    return complaint


def _items(
    query: Select[tuple[Complaint, str, str | None]],
) -> Select[tuple[Complaint, str, str | None]]:
    return query.join(Comment, Comment.id == Complaint.comment_id).outerjoin(
        User, User.id == Complaint.assignee_id
    )


def _listing() -> Select[tuple[Complaint, str, str | None]]:
    return _items(select(Complaint, Comment.text, User.username))


async def get(session: AsyncSession, complaint_id: int) -> Item | None:
    row = (await session.execute(_listing().where(Complaint.id == complaint_id))).first()
    return Item(row[0], row[1], row[2]) if row else None


async def work_list(
    session: AsyncSession,
    *,
    unit_ids: list[int],
    assignee_id: int | None = None,
    status: str | None = None,
    overdue_at: datetime | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> tuple[list[Item], int]:
    """One page of the complaints of ``unit_ids`` (or assigned to ``assignee_id``), the most
    urgent first, and the total count. ``overdue_at`` keeps the open ones due before it.
    """
    scope = Complaint.unit_id.in_(unit_ids)
    if assignee_id is not None:
        scope = or_(scope, Complaint.assignee_id == assignee_id)
    conditions = [scope]
    if status in STATUSES:
        conditions.append(Complaint.status == status)
    if overdue_at is not None:
        conditions += [Complaint.status.in_(OPEN), Complaint.due_at < overdue_at]
    total = await session.scalar(select(func.count(Complaint.id)).where(*conditions))
    rows = await session.execute(
        _listing()
        .where(*conditions)
        .order_by((Complaint.status == ANSWERED), Complaint.due_at, Complaint.id)
        .offset(max(page - 1, 0) * page_size)
        .limit(page_size)
    )
    return [Item(c, text, name) for c, text, name in rows], int(total or 0)


async def open_counts(session: AsyncSession, unit_ids: list[int], now: datetime) -> tuple[int, int]:
    """(open, overdue) complaints of ``unit_ids``."""
    if not unit_ids:
        return 0, 0
    row = (
        await session.execute(
            select(
                func.count(Complaint.id),
                func.count(Complaint.id).filter(Complaint.due_at < now),
            ).where(Complaint.unit_id.in_(unit_ids), Complaint.status.in_(OPEN))
        )
    ).one()
    return int(row[0]), int(row[1])


async def assign(
    session: AsyncSession, complaint: Complaint, assignee_id: int | None, now: datetime
) -> None:
    complaint.assignee_id = assignee_id
    if complaint.status == NEW and assignee_id is not None:
        complaint.status = IN_PROGRESS
    complaint.updated_at = now
    await session.flush()


async def start(session: AsyncSession, complaint: Complaint, now: datetime) -> None:
    if complaint.status == NEW:
        complaint.status = IN_PROGRESS
        complaint.updated_at = now
        await session.flush()


async def record_answer(
    session: AsyncSession,
    complaint: Complaint,
    *,
    answer: str,
    actor: str,
    route: str,
    now: datetime,
) -> bool:
    """Record the answer unless another one got there first (compare-and-set on the status,
    so two people answering at once send one answer); False when it was already answered."""
    result = await session.execute(
        update(Complaint)
        .where(Complaint.id == complaint.id, Complaint.status != ANSWERED)
        .values(
            answer=answer,
            answered_by=actor,
            answered_at=now,
            answer_route=route,
            status=ANSWERED,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    await session.refresh(complaint)
    return True


async def set_public(
    session: AsyncSession, complaint: Complaint, *, public: bool, text: str | None, now: datetime
) -> None:
    """Publish (with the complaint's text as the chair chose to publish it) or withdraw."""
    complaint.public = public
    complaint.public_text = text if public else complaint.public_text
    complaint.updated_at = now
    await session.flush()


async def reply_route(session: AsyncSession, complaint: Complaint) -> tuple[str, str | None]:
    """(channel, chat id) of the response the complaint came with; chat id None when the
    citizen's chat is no longer known (data deleted, or kept past its time)."""
    if complaint.session_id is None:
        return "", None
    survey = await session.get(SurveySession, complaint.session_id)
    if survey is None:
        return "", None
    return survey.channel, survey.chat_id


async def answers_for_session(session: AsyncSession, session_id: int) -> list[Complaint]:
    """The answered complaints of one response (shown on the citizen's web link page)."""
    return list(
        await session.scalars(
            select(Complaint)
            .where(Complaint.session_id == session_id, Complaint.status == ANSWERED)
            .order_by(Complaint.id)
        )
    )


async def public_answers(
    session: AsyncSession,
    unit_id: int,
    start: date,
    end: date,
    *,
    zone: ZoneInfo | None = None,
) -> list[dict[str, object]]:
    """The unit's answers marked public whose answer falls in ``start``..``end`` (inclusive
    local dates; ``zone`` defaults to Asia/Ho_Chi_Minh), oldest first, for the public page:
    ``{"complaint": text as the chair published it, "answer": text, "answered_at": datetime}``.
    Never the citizen's identity, never the original text when the chair edited it.
    """
    local = zone or ZoneInfo("Asia/Ho_Chi_Minh")
    since = datetime.combine(start, time.min, tzinfo=local)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=local)
    rows = await session.scalars(
        select(Complaint)
        .where(
            Complaint.unit_id == unit_id,
            Complaint.public.is_(True),
            Complaint.status == ANSWERED,
            Complaint.answered_at >= since,
            Complaint.answered_at < until,
        )
        .order_by(Complaint.answered_at, Complaint.id)
    )
    return [
        {"complaint": c.public_text or "", "answer": c.answer or "", "answered_at": c.answered_at}
        for c in rows
    ]


async def unit_staff(session: AsyncSession, unit_id: int) -> list[User]:
    """The active staff of a unit: whom its chair may assign a complaint to."""
    return list(
        await session.scalars(
            select(User)
            .where(User.unit_id == unit_id, User.active.is_(True))
            .order_by(User.username)
        )
    )


async def history(session: AsyncSession, complaint_id: int) -> list[AuditEntry]:
    """The audit entries about one complaint (who assigned, answered, published), oldest first."""
    return list(
        await session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.action.startswith("complaint.", autoescape=True),
                AuditEntry.subject == str(complaint_id),
            )
            .order_by(AuditEntry.id)
        )
    )
