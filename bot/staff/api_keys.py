"""API keys for the one-stop software: generation, hashing and checking.

A key is ``sk_`` followed by 32 random bytes (256 bits) in URL-safe base64. Only its SHA-256
hash and a short prefix (to tell keys apart in lists and revoke them) are stored.

Why a fast hash and not argon2 like passwords: a password is chosen by a person and is
guessable, so its hash must be slow to make a dictionary attack on a stolen database costly.
An API key is 256 bits from the operating system's random source: nobody can enumerate
2**256 candidates however fast each hash is, so a slow hash would only slow every API call
down without protecting anything. A plain SHA-256 also lets the lookup be a unique-index
query on the hash instead of trying each stored key.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.models import ApiKey, Unit
from storage.repos import api_keys, audit, units

KEY_MARK = "sk_"
PREFIX_LENGTH = len(KEY_MARK) + 8
MAX_KEY_LENGTH = 128


def new_key() -> str:
    return KEY_MARK + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def prefix_of(key: str) -> str:
    return key[:PREFIX_LENGTH]


@dataclass(frozen=True)
class IssuedKey:
    """A new key: ``key`` is shown once and never stored."""

    key: str
    prefix: str
    unit: str


async def issue(db: Database, unit_code: str, *, now: datetime, actor: str = "cli") -> IssuedKey:
    key = new_key()
    async with db.transaction() as session:
        unit = await units.require(session, unit_code)
        await api_keys.add(
            session, unit=unit, key_hash=hash_key(key), prefix=prefix_of(key), now=now
        )
        await audit.record(
            session,
            actor=actor,
            action="apikey.create",
            now=now,
            subject=prefix_of(key),
            detail={"unit": unit.code},
        )
    return IssuedKey(key=key, prefix=prefix_of(key), unit=unit.code)


async def revoke(db: Database, prefix: str, *, now: datetime, actor: str = "cli") -> ApiKey:
    async with db.transaction() as session:
        revoked = await api_keys.revoke(session, prefix, now=now)
        await audit.record(session, actor=actor, action="apikey.revoke", now=now, subject=prefix)
    return revoked


async def authenticate(db: Database, key: str) -> tuple[ApiKey, Unit] | None:
    """The active key and its unit, or None for an unknown, malformed or revoked key."""
    if not key.startswith(KEY_MARK) or len(key) > MAX_KEY_LENGTH:
        return None
    async with db.transaction() as session:
        return await api_keys.active_by_hash(session, hash_key(key))


async def may_serve(db: Database, key_unit: Unit, unit_code: str) -> bool:
    """Whether a key of ``key_unit`` may create links for ``unit_code``: its own unit or a
    unit below it (a province key for its communes), never a sibling or an unknown unit."""
    if unit_code == key_unit.code:
        return True
    async with db.transaction() as session:
        unit = await units.by_code(session, unit_code)
        return unit is not None and await units.is_within(session, unit, key_unit.id)
