"""Staff accounts, their chat bindings and one-time binding codes.

Password hashing happens in bot.auth (argon2); this module stores only the hash.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BindingCode, ChatBinding, User
from storage.repos.errors import AlreadyExists, NotFound

# The names only (storage may not import bot): what each role may do is decided in
# bot/staff/roles.py, whose test keeps this copy equal to its ROLES.
ROLES = ("admin", "clerk", "chair", "viewer")


async def by_username(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(select(User).where(User.username == username))


async def require(session: AsyncSession, username: str) -> User:
    user = await by_username(session, username)
    if user is None:
        raise NotFound(f"unknown user {username!r}")
    return user


async def add(
    session: AsyncSession,
    *,
    username: str,
    password_hash: str,
    role: str,
    unit_id: int | None,
    now: datetime,
    locale: str = "vi",
) -> User:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if await by_username(session, username) is not None:
        raise AlreadyExists(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=password_hash,
        role=role,
        unit_id=unit_id,
        locale=locale,
        active=True,
        created_at=now,
    )
    session.add(user)
    await session.flush()
    return user


async def add_binding_code(
    session: AsyncSession,
    *,
    user: User,
    channel: str,
    code: str,
    now: datetime,
    expires_at: datetime,
) -> BindingCode:
    binding = BindingCode(
        code=code, user_id=user.id, channel=channel, created_at=now, expires_at=expires_at
    )
    session.add(binding)
    await session.flush()
    return binding


async def consume_binding_code(
    session: AsyncSession, *, code: str, channel: str, chat_id: str, now: datetime
) -> User | None:
    """Bind ``chat_id`` to the code's user if the code is valid, unused and unexpired."""
    binding = await session.get(BindingCode, code)
    if (
        binding is None
        or binding.channel != channel
        or binding.used_at is not None
        or now >= binding.expires_at
    ):
        return None
    user = await session.get(User, binding.user_id)
    if user is None or not user.active:
        return None
    binding.used_at = now
    existing = await session.scalar(
        select(ChatBinding).where(ChatBinding.channel == channel, ChatBinding.chat_id == chat_id)
    )
    if existing is None:
        session.add(ChatBinding(user_id=user.id, channel=channel, chat_id=chat_id, bound_at=now))
    else:
        existing.user_id = user.id
        existing.bound_at = now
    await session.flush()
    return user


async def end_sessions(session: AsyncSession, user_id: int) -> None:
    """Every staff session of the user is refused from now on (one atomic UPDATE)."""
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_generation=User.session_generation + 1)
    )


async def user_for_chat(session: AsyncSession, channel: str, chat_id: str) -> User | None:
    """The active staff account bound to this chat, if any."""
    return await session.scalar(
        select(User)
        .join(ChatBinding, ChatBinding.user_id == User.id)
        .where(
            ChatBinding.channel == channel, ChatBinding.chat_id == chat_id, User.active.is_(True)
        )
    )


async def bound_chats(
    session: AsyncSession, *, unit_id: int, role: str
) -> list[tuple[User, ChatBinding]]:
    """Chats of the unit's active users with ``role`` (e.g. the chairs who get digests)."""
    rows = await session.execute(
        select(User, ChatBinding)
        .join(ChatBinding, ChatBinding.user_id == User.id)
        .where(User.unit_id == unit_id, User.role == role, User.active.is_(True))
        .order_by(User.id, ChatBinding.id)
    )
    return [(user, binding) for user, binding in rows]


async def unbind(session: AsyncSession, channel: str, chat_id: str) -> None:
    binding = await session.scalar(
        select(ChatBinding).where(ChatBinding.channel == channel, ChatBinding.chat_id == chat_id)
    )
    if binding is None:
        raise NotFound("this chat is not bound to any account")
    await session.delete(binding)
    await session.flush()


async def staff_chats(
    session: AsyncSession, *, roles: tuple[str, ...]
) -> list[tuple[User, ChatBinding]]:
    """Every bound chat of active users with one of ``roles`` and a unit (digest recipients),
    in one query rather than one per unit.
    """
    rows = await session.execute(
        select(User, ChatBinding)
        .join(ChatBinding, ChatBinding.user_id == User.id)
        .where(User.role.in_(roles), User.active.is_(True), User.unit_id.is_not(None))
        .order_by(User.unit_id, User.id, ChatBinding.id)
    )
    return [(user, binding) for user, binding in rows]


async def all_users(session: AsyncSession) -> list[User]:
    return list(await session.scalars(select(User).order_by(User.username)))


async def bindings_of(session: AsyncSession, user_ids: list[int]) -> dict[int, list[ChatBinding]]:
    """Each user's bound chats (channel and chat id), for the admin's account list."""
    rows = await session.scalars(
        select(ChatBinding).where(ChatBinding.user_id.in_(user_ids)).order_by(ChatBinding.id)
    )
    found: dict[int, list[ChatBinding]] = {}
    for binding in rows:
        found.setdefault(binding.user_id, []).append(binding)
    return found
