"""Staff commands in a chat, independent of the platform.

A staff account is bound to a chat by a one-time code (``sipas-bot users bind``); a bound
clerk asks for a dossier's survey link (``/link``), a bound chair for the unit's current
figures (``/baocao``). Unbound chats get a polite refusal and nothing else. Replies are
outbound messages; the adapter renders and sends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.guard import claim, guarded
from bot.dossiers import fields as dossier_fields
from bot.dossiers.links import qr_png
from bot.staff.roles import MAKE_LINKS as LINK_ROLES
from bot.staff.roles import READ_REPORTS as REPORT_ROLES
from bot.texts import message
from flows.outbound import ConversationRef, Message, Outbound, Photo
from scheduler.clock import iso_week
from storage.models import Unit, User
from storage.repos import audit, links, users

if TYPE_CHECKING:
    from bot.services import Services
ORGANIZATION_WORDS = frozenset({"to chuc", "tochuc", "to-chuc", "org", "organization"})


@dataclass(frozen=True)
class StaffReply:
    messages: tuple[Outbound, ...] = ()
    duplicate: bool = False  # the update was handled before: send nothing


def _say(key: str, locale: str, **values: object) -> StaffReply:
    return StaffReply((Message(message(key, locale, **values)),))


async def is_staff(services: Services, ref: ConversationRef) -> bool:
    async with guarded(services.db) as session:
        return await users.user_for_chat(session, ref.channel, ref.chat_id) is not None


async def bind(
    services: Services, ref: ConversationRef, code: str, *, update_key: str | None, locale: str
) -> StaffReply | None:
    """``/start <code>`` with a binding code; None when ``code`` is a survey token instead."""
    async with guarded(services.db) as session:
        if await links.by_token(session, code) is not None:
            return None
        if not await claim(services, session, ref, update_key):
            return StaffReply(duplicate=True)
        now = services.now()
        user = await users.consume_binding_code(
            session, code=code, channel=ref.channel, chat_id=ref.chat_id, now=now
        )
        if user is None:
            return _say("bind_failed", locale)
        await audit.record(
            session, actor=user.username, action="user.bound", now=now, subject=ref.channel
        )
        return _say("bound", user.locale or locale, username=user.username)


async def _authorised(
    services: Services,
    session: AsyncSession,
    ref: ConversationRef,
    update_key: str | None,
    roles: Sequence[str],
    locale: str,
) -> tuple[User, int] | StaffReply:
    """The bound user allowed to run the command and their unit, or what to answer instead
    (nothing for a re-delivered update, else a refusal)."""
    if not await claim(services, session, ref, update_key):
        return StaffReply(duplicate=True)
    user = await users.user_for_chat(session, ref.channel, ref.chat_id)
    if user is None:
        return _say("staff_only", locale)
    locale = user.locale or locale
    if user.role not in roles:
        return _say("staff_role", locale)
    if user.unit_id is None:
        return _say("staff_no_unit", locale)
    return user, user.unit_id


def parse_link_argument(argument: str) -> tuple[str, str] | None:
    """``HS-2026-000123 [to chuc]`` -> (dossier code, form); None when it is not that."""
    parts = argument.split(maxsplit=1)
    if not parts:
        return None
    try:
        dossier_fields.dossier_code(parts[0])
    except dossier_fields.FieldProblem:
        return None
    rest = dossier_fields.fold(parts[1]) if len(parts) > 1 else ""
    if not rest:
        return parts[0], "citizen"
    if rest in ORGANIZATION_WORDS:
        return parts[0], "organization"
    return None


async def link_command(
    services: Services,
    ref: ConversationRef,
    argument: str,
    *,
    update_key: str | None,
    locale: str,
) -> StaffReply:
    """``/link HS-2026-000123 [to chuc]``: the link, its QR code and a ready-to-send text."""
    async with guarded(services.db) as session:
        found = await _authorised(services, session, ref, update_key, LINK_ROLES, locale)
        if isinstance(found, StaffReply):
            return found
        user, unit_id = found
        locale = user.locale or locale
        unit = await session.get(Unit, unit_id)
        assert unit is not None  # a foreign key guarantees it
    parsed = parse_link_argument(argument)
    if parsed is None:
        return _say("link_usage", locale)
    dossier, form = parsed
    info = await services.links.create(
        unit_code=unit.code, dossier_code=dossier, form=form, actor=user.username
    )
    data = services.links.as_json(info, locale)
    plugin = services.plugins.get(ref.channel)  # the QR opens the survey in this same app
    shown = (data["links"].get(plugin.link_key) if plugin else None) or data["links"]["web"]
    listing = "\n".join(f"{name}: {url}" for name, url in data["links"].items() if url)
    expires = info.link.expires_at.astimezone(services.zone).strftime("%d/%m/%Y")
    summary = message(
        "link_ready",
        locale,
        dossier=data["dossier"],
        form=message(f"form_{form}", locale),
        existing="" if info.created else message("link_existing", locale),
        links=listing,
        expires=expires,
    )
    caption = message("qr_caption", locale, dossier=data["dossier"])
    return StaffReply((Message(summary), Photo(qr_png(shown), caption), Message(data["text"])))


async def report_command(
    services: Services, ref: ConversationRef, *, update_key: str | None, locale: str
) -> StaffReply:
    """``/baocao``: the current figures of the chair's unit."""
    async with guarded(services.db) as session:
        found = await _authorised(services, session, ref, update_key, REPORT_ROLES, locale)
        if isinstance(found, StaffReply):
            return found
        user, unit_id = found
        report = await unit_report(services, session, unit_id, user.locale or locale)
    return StaffReply(report)


async def unit_report(
    services: Services, session: AsyncSession, unit_id: int, locale: str
) -> tuple[Outbound, ...]:
    """The weekly digest of the chair's unit for the week still running (provisional):
    the same content and numbers as the Monday digest, on demand.
    """
    unit = await session.get(Unit, unit_id)
    assert unit is not None
    now = services.now()
    digest = await services.digest(session, unit, iso_week(now, services.zone), locale, now)
    return tuple(digest.messages())
