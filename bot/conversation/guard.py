"""What every chat adapter needs besides the survey glue: de-duplicated commands and the
respondent's right to have their data deleted.

Commands that are not survey answers (``/help``, ``/xoadulieu``, staff commands) are claimed
by update id like survey turns, so a re-delivered update is answered once. Database failures
surface as ``DatabaseUnavailable`` so that a webhook can ask the platform to re-deliver.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from flows.outbound import ConversationRef
from storage.db import Database, DatabaseUnavailable
from storage.repos import audit, dedupe, personal_data

if TYPE_CHECKING:
    from bot.services import Services

DB_ERRORS = (OperationalError, DBAPIError, OSError)


@asynccontextmanager
async def guarded(db: Database) -> AsyncIterator[AsyncSession]:
    """A transaction whose database failures become ``DatabaseUnavailable``."""
    try:
        async with db.transaction() as session:
            yield session
    except DB_ERRORS as exc:
        raise DatabaseUnavailable(str(exc)) from exc


async def claim(
    services: Services, session: AsyncSession, ref: ConversationRef, update_key: str | None
) -> bool:
    """True the first time ``update_key`` is seen on the channel (always True without a key)."""
    if update_key is None:
        return True
    return await dedupe.claim(session, ref.channel, update_key, services.now())


async def first_time(services: Services, ref: ConversationRef, update_key: str | None) -> bool:
    """Claim an update in its own transaction (for commands that store nothing else)."""
    async with guarded(services.db) as session:
        return await claim(services, session, ref, update_key)


async def forget_chat(services: Services, ref: ConversationRef) -> int:
    """``/xoadulieu`` confirmed: delete what links the chat to its answers; the number of
    survey sessions affected (0: there was nothing to delete).
    """
    now = services.now()
    async with guarded(services.db) as session:
        count = await personal_data.forget_chat(session, ref.channel, ref.chat_id, now)
        if count:
            # No chat id in the audit log: the point is that the chat is forgotten.
            await audit.record(
                session,
                actor=f"respondent:{ref.channel}",
                action="respondent.forget",
                now=now,
                detail={"sessions": count},
            )
    return count
