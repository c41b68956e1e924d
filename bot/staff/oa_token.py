"""Storing a fresh Zalo OA refresh token, from the CLI or the admin settings page.

Zalo's refresh token is single-use; when a refresh fails (the token was lost, refused or
access was withdrawn) an admin grants the app access again and pastes the new refresh token.
One place checks it and stores it, audited, so both ways behave the same. The token itself is
never logged, audited or shown back.
"""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.repos import audit, oa_tokens

MAX_LENGTH = 4096


class BadRefreshToken(ValueError):
    """The pasted text cannot be a refresh token; ``key`` names the reason (phrasebooks)."""

    def __init__(self, key: str, text: str) -> None:
        super().__init__(text)
        self.key = key


def clean(raw: str) -> str:
    """The token from what was pasted (surrounding blanks dropped), or BadRefreshToken."""
    token = raw.strip()
    if not token:
        raise BadRefreshToken("oa_token_missing", "no refresh token")
    if any(c.isspace() for c in token) or len(token) > MAX_LENGTH:
        raise BadRefreshToken(
            "oa_token_invalid", "that does not look like a Zalo refresh token (one line, no spaces)"
        )
    return token


async def store(db: Database, app_id: str, raw: str, *, now: datetime, actor: str) -> int:
    """Check and store the token (the next send refreshes with it); the new generation."""
    token = clean(raw)
    async with db.transaction() as session:
        generation = await oa_tokens.set_refresh_token(session, app_id, token, now)
        await audit.record(
            session,
            actor=actor,
            action="zalo_oa.set_token",
            now=now,
            subject=app_id,
            detail={"generation": generation},
        )
    return generation
