"""Short codes typed as a first message, for channels that cannot carry a start payload.

A survey link has a 6-character code and a staff binding an 8-character one, both from an
alphabet without look-alikes (no 0/O, 1/I/L), printed on the slip and the landing page
(``/z/<code>``). A code-shaped text is a code only when it matches one, or when the chat has no
survey open (then it was a wrong code, and guesses are limited per chat); otherwise it is an
ordinary answer (a short comment that happens to look like a code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.conversation.guard import guarded
from flows.outbound import ConversationRef
from storage.models import BindingCode
from storage.repos import links, rate_limits, surveys

if TYPE_CHECKING:
    from bot.services import Services

from bot.dossiers.links import SHORT_CODE_ALPHABET as ALPHABET
from bot.dossiers.links import SHORT_CODE_LENGTH as LINK_CODE_LENGTH
from bot.staff.accounts import TYPED_BINDING_LENGTH as BINDING_CODE_LENGTH

GUESS_WINDOW = timedelta(minutes=15)
GUESS_LIMIT = 5  # wrong codes per chat per window
_SHAPE = re.compile(rf"[{ALPHABET}]{{{LINK_CODE_LENGTH}}}|[{ALPHABET}]{{{BINDING_CODE_LENGTH}}}")


def parse(text: str) -> str | None:
    """The code in ``text`` (spaces and dashes ignored, any case), or None."""
    candidate = re.sub(r"[\s\-.]", "", text).upper()
    return candidate if _SHAPE.fullmatch(candidate) else None


@dataclass(frozen=True)
class Binding:
    code: str


@dataclass(frozen=True)
class Survey:
    token: str


@dataclass(frozen=True)
class Throttled:
    minutes: int


class _Answer:
    """The text is an answer to the open survey, not a code."""


ANSWER = _Answer()
WRONG = object()


async def resolve(
    services: Services, ref: ConversationRef, code: str
) -> Binding | Survey | Throttled | _Answer | object:
    now = services.now()
    async with guarded(services.db) as session:
        if len(code) == BINDING_CODE_LENGTH:
            binding = await session.get(BindingCode, code)
            if binding is not None and binding.channel == ref.channel:
                return Binding(code)
        else:
            link = await links.by_short_code(session, code)
            if link is not None:
                return Survey(link.token)
        if await surveys.latest_open_for_chat(session, ref.channel, ref.chat_id) is not None:
            return ANSWER
        allowed = await rate_limits.hit(
            session,
            f"code:{ref.channel}:{ref.chat_id}",
            now=now,
            window=GUESS_WINDOW,
            limit=GUESS_LIMIT,
        )
        if not allowed:
            return Throttled(int(GUESS_WINDOW.total_seconds() // 60))
    return WRONG
