"""Which browser a web-chat survey belongs to, and what the integrity checks learn of it.

A browser gets a random client id the first time it opens a link, in a cookie scoped to that
link's path (``/s/<token>``), HttpOnly and SameSite=Lax, signed with the server's secret over
the token and the id (HMAC-SHA256; the secrets are the staff signing keys of ``[web]
secret_key`` or ``secret_key_file``, under their own purpose label). The client id is the
web chat's chat id: the survey is bound to it when its first answer is given, exactly as a
Telegram survey is bound to its chat, so another browser holding the same link sees nothing
and changes nothing. A cookie copied to another link, or edited, does not verify and is
replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from aiohttp import web

from bot.conversation.integrity import ClientFacts
from bot.services import Services
from bot.web.keys import SERVICES
from storage.models import User

COOKIE_NAME = "sipas_chat"
COOKIE_MAX_AGE = 180 * 86400
PURPOSE = b"sipas web chat binding\x00"


async def _secrets(services: Services) -> list[str]:
    """The staff signing keys, newest first: a cookie signed before a key rotation still
    opens its survey."""
    # Imported here: the staff package imports the web chat (the flow preview renders it).
    from bot.web.staff.security import keys_of

    return await keys_of(services)


def _key(secret: str) -> bytes:
    return hashlib.sha256(PURPOSE + secret.encode("utf-8")).digest()


def sign(secret: str, token: str, client_id: str) -> str:
    mac = hmac.new(_key(secret), f"{token}\x00{client_id}".encode(), hashlib.sha256)
    return f"{client_id}.{mac.hexdigest()}"


def verify(secret: str, token: str, value: str | None) -> str | None:
    """The client id in a cookie value, if it was signed by us for this token."""
    if not value or "." not in value:
        return None
    client_id = value.rsplit(".", 1)[0]
    if not client_id or not hmac.compare_digest(sign(secret, token, client_id), value):
        return None
    return client_id


async def client_id(request: web.Request, token: str) -> tuple[str, bool]:
    """This browser's client id for ``token``, and whether it is new (a cookie must be set)."""
    value = request.cookies.get(COOKIE_NAME)
    for secret in await _secrets(request.app[SERVICES]):
        found = verify(secret, token, value)
        if found is not None:
            return found, False
    return secrets.token_urlsafe(18), True


async def remember(
    request: web.Request, response: web.StreamResponse, token: str, client: str
) -> None:
    """Set the signed cookie that binds this browser to the link (kept longer than any link
    lives, whatever an admin sets at run time; the link's own expiry decides what it opens)."""
    services = request.app[SERVICES]
    newest = (await _secrets(services))[0]
    response.set_cookie(
        COOKIE_NAME,
        sign(newest, token, client),
        path=f"/s/{token}",
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=services.settings.web.public_url.startswith("https://"),
    )


async def client_facts(request: web.Request) -> ClientFacts:
    """A live staff session in the browser and the client's address, for the flags (the
    address is compared with the staff networks and never stored)."""
    return ClientFacts(
        staff_session=await _live_staff(request.app[SERVICES], request),
        address=request.remote,
    )


async def _live_staff(services: Services, request: web.Request) -> bool:
    from bot.web.staff.security import staff_user_id  # see _secrets

    user_id = await staff_user_id(request)
    if user_id is None:
        return False
    async with services.db.transaction() as session:
        user = await session.get(User, user_id)
    return user is not None and user.active
