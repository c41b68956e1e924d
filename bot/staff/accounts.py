"""Staff accounts as the CLI and the admin pages both manage them: adding a user, creating a
one-time chat binding link, deactivating. One place, so both entry points audit the same way.
A password reset and a deactivation end every web session of the account.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.dossiers.links import SHORT_CODE_ALPHABET
from bot.staff.passwords import MIN_LENGTH, hash_password
from bot.staff.roles import ADMIN, ROLES
from storage.models import ChatBinding, User
from storage.repos import audit, units, users
from storage.repos.errors import StorageUserError

if TYPE_CHECKING:
    from bot.services import Services

BINDING_LIFETIME = timedelta(days=2)
TYPED_BINDING_LENGTH = 8  # typed by hand where a channel has no start payload


class AccountError(StorageUserError):
    """A request about an account that cannot be done; the message is for a person."""


@dataclass(frozen=True)
class BindingLink:
    username: str
    channel: str
    code: str
    link: str | None  # None when the channel is not configured: the code is typed instead
    expires_at: datetime


def check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError(f"the password must have at least {MIN_LENGTH} characters")


async def add_user(
    services: Services,
    *,
    username: str,
    password: str,
    role: str,
    unit_code: str | None,
    actor: str,
    locale: str = "vi",
) -> User:
    """A new active account; every role but admin needs a unit."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if role != ADMIN and not unit_code:
        raise AccountError(f"a {role} needs a unit")
    check_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)  # slow by design
    now = services.now()
    async with services.db.transaction() as session:
        unit = await units.require(session, unit_code) if unit_code else None
        user = await users.add(
            session,
            username=username,
            password_hash=password_hash,
            role=role,
            unit_id=unit.id if unit else None,
            now=now,
            locale=locale,
        )
        await audit.record(
            session,
            actor=actor,
            action="user.add",
            now=now,
            subject=user.username,
            detail={"role": user.role, "unit": unit.code if unit else None},
        )
    return user


async def new_binding(
    services: Services, *, username: str, channel: str, actor: str
) -> BindingLink:
    """A one-time code (and link) that binds the chat which opens it to ``username``."""
    plugin = services.plugins.get(channel)
    if plugin is None or not plugin.bindable:
        known = ", ".join(services.plugins.bindable())
        raise AccountError(f"unknown channel {channel!r} (expected one of: {known})")
    now = services.now()
    if plugin.capabilities.start_payload:
        code = "b_" + secrets.token_urlsafe(24)
    else:  # typed as a first message: short, no look-alike characters
        code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(TYPED_BINDING_LENGTH))
    async with services.db.transaction() as session:
        user = await users.require(session, username)
        if not user.active:
            raise AccountError(f"user {username!r} is deactivated")
        await users.add_binding_code(
            session,
            user=user,
            channel=channel,
            code=code,
            now=now,
            expires_at=now + BINDING_LIFETIME,
        )
        await audit.record(
            session,
            actor=actor,
            action="user.bind",
            now=now,
            subject=user.username,
            detail={"channel": channel},
        )
    return BindingLink(
        username, channel, code, services.binding_link(channel, code), now + BINDING_LIFETIME
    )


async def set_active(services: Services, *, username: str, active: bool, actor: str) -> None:
    now = services.now()
    async with services.db.transaction() as session:
        user = await users.require(session, username)
        user.active = active
        if not active:
            await users.end_sessions(session, user.id)
        await audit.record(
            session,
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            now=now,
            subject=username,
        )


async def set_password(services: Services, *, username: str, password: str, actor: str) -> None:
    """A new password chosen by an admin (the person changes nothing else)."""
    check_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)
    now = services.now()
    async with services.db.transaction() as session:
        user = await users.require(session, username)
        user.password_hash = password_hash
        await users.end_sessions(session, user.id)  # whoever knew the old one is out
        await audit.record(session, actor=actor, action="user.password", now=now, subject=username)


async def unbind(services: Services, *, username: str, binding_id: int, actor: str) -> None:
    """Remove one of the user's chat bindings (e.g. a chair's old phone)."""
    now = services.now()
    async with services.db.transaction() as session:
        user = await users.require(session, username)
        binding = await session.get(ChatBinding, binding_id)
        if binding is None or binding.user_id != user.id:
            raise AccountError("this chat is not bound to the account")
        await users.unbind(session, binding.channel, binding.chat_id)
        await audit.record(
            session,
            actor=actor,
            action="user.unbind",
            now=now,
            subject=username,
            detail={"channel": binding.channel},
        )
