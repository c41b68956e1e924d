"""The integrity checks run while a response is given (issue 15, sipas.md "Integrity rules").

What a web request reveals (a staff session cookie, an office address) is checked on every web
turn, so a clerk who answers most questions and hands over for the last one is still seen; what
needs the whole response (its pace, its chat's history) is checked when it completes, before it
is counted. Evidence keeps only what the flag needs: the median, the count, the matched network,
never an IP address, a chat id or an answer. Repeats are found by a keyed hash of the chat
(``chat_key``), which outlives a ``/xoadulieu`` but only for the 30 days the check looks back.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import ip_address, ip_network
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer, ChatBinding, SurveySession
from storage.repos import flags, system_settings

REPEAT_WINDOW = timedelta(days=30)  # scheduler.config.Schedule.keep_chat_ids drops chat_key
CHAT_KEY_SETTING = "integrity.chat_key"


@dataclass(frozen=True)
class Rules:
    """The ``[integrity]`` settings as plain values."""

    min_seconds_per_answer: float = 2.0
    max_dossiers_per_chat: int = 3
    staff_networks: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClientFacts:
    """What the web layer knows about the browser behind a turn (chat channels: nothing)."""

    staff_session: bool = False
    address: str | None = None


def median_gap(times: list[datetime]) -> float | None:
    """The median number of seconds between consecutive answers (None under two answers)."""
    ordered = sorted(times)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(ordered)]
    return float(median(gaps)) if gaps else None


def matched_network(address: str | None, networks: tuple[str, ...]) -> str | None:
    """The first of ``networks`` that holds ``address`` (None: none, or no usable address)."""
    if not address or not networks:
        return None
    try:
        found = ip_address(address)
    except ValueError:
        return None
    for network in networks:
        parsed = ip_network(network, strict=False)
        if found.version == parsed.version and found in parsed:
            return network
    return None


async def chat_key(session: AsyncSession, channel: str, chat_id: str, now: datetime) -> str:
    """HMAC-SHA256 of the chat under a key generated once and kept in the database: the same
    chat always gives the same value, and the value does not give the chat id back."""
    secret = await system_settings.get_or_create(
        session, CHAT_KEY_SETTING, secrets.token_urlsafe(32), now=now
    )
    message = f"{channel}\x00{chat_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


async def check_client(
    session: AsyncSession, session_id: int, client: ClientFacts, rules: Rules, now: datetime
) -> None:
    """Flags a web request can raise on any turn of response ``session_id``: staff_browser
    and staff_network."""
    if client.staff_session:
        await flags.raise_flag(
            session, session_id=session_id, flag="staff_browser", evidence={}, now=now
        )
    network = matched_network(client.address, rules.staff_networks)
    if network is not None:
        await flags.raise_flag(
            session,
            session_id=session_id,
            flag="staff_network",
            evidence={"network": network},
            now=now,
        )


async def check_completion(
    session: AsyncSession, survey: SurveySession, rules: Rules, now: datetime
) -> None:
    """Flags of a whole response, raised before it is counted: too_fast, staff_chat and
    repeat_chat."""
    times = list(
        await session.scalars(select(Answer.answered_at).where(Answer.session_id == survey.id))
    )
    gap = median_gap(times)
    if gap is not None and gap < rules.min_seconds_per_answer:
        evidence = {"median_seconds": round(gap, 1), "answers": len(times)}
        await flags.raise_flag(
            session, session_id=survey.id, flag="too_fast", evidence=evidence, now=now
        )
    if survey.chat_id is None or survey.channel == "web":
        return  # a web chat's "chat" is one browser for one link: nothing to compare
    survey.chat_key = await chat_key(session, survey.channel, survey.chat_id, now)
    staff = await session.scalar(
        select(ChatBinding.id).where(
            ChatBinding.channel == survey.channel, ChatBinding.chat_id == survey.chat_id
        )
    )
    if staff is not None:
        await flags.raise_flag(
            session,
            session_id=survey.id,
            flag="staff_chat",
            evidence={"channel": survey.channel},
            now=now,
        )
    recent = await session.scalar(
        select(func.count())
        .select_from(SurveySession)
        .where(
            SurveySession.chat_key == survey.chat_key,
            SurveySession.completed_at.is_not(None),
            SurveySession.completed_at >= now - REPEAT_WINDOW,
            SurveySession.id != survey.id,
        )
    )
    total = int(recent or 0) + 1
    if total > rules.max_dossiers_per_chat:
        evidence = {"responses": total, "days": REPEAT_WINDOW.days, "channel": survey.channel}
        await flags.raise_flag(
            session, session_id=survey.id, flag="repeat_chat", evidence=evidence, now=now
        )
