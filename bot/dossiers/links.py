"""Survey links as people receive them: token, short code, channel links, QR code, text.

Used by the CLI, the staff pages, the HTTP API and the clerk's chat command, so the JSON of a
link (INTERFACES.md) is produced in exactly one place.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
import struct
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import segno

from bot.channels.directory import ChannelDirectory
from bot.staff.runtime_settings import RuntimeSettingsCache
from bot.texts import message
from storage.db import Database
from storage.models import Dossier, SurveyLink, Unit
from storage.repos import audit, flow_versions, link_batches, links, surveys, units
from storage.repos.errors import NotFound
from storage.repos.link_batches import BatchLink, NewDossier, Terms
from storage.repos.links import LinkRequest

if TYPE_CHECKING:
    from bot.dossiers.notices import NoticeState, ResultNotices

SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L look-alikes
SHORT_CODE_LENGTH = 6

TokenSource = Callable[[], str]
# The invitation text of each form (any other form gets the citizen's).
INVITATIONS = {"citizen": "invitation", "organization": "invitation_org"}


TOKEN_BYTES = 24


def new_token() -> str:
    """192 random bits as 32 URL-safe characters: fits a chat deep link's start payload."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_tokens(count: int) -> list[str]:
    """``count`` tokens as ``new_token`` draws them, from one read of the system's randomness
    (with a read a value, drawing was about a seventh of a bulk import's event loop). 24
    bytes are exactly 32 base64 characters, so each token is a slice of one encoding."""
    text = base64.urlsafe_b64encode(os.urandom(TOKEN_BYTES * count)).decode("ascii")
    width = TOKEN_BYTES * 4 // 3
    return [text[start : start + width] for start in range(0, width * count, width)]


_SHORT_CODES = len(SHORT_CODE_ALPHABET) ** SHORT_CODE_LENGTH
_BASE = len(SHORT_CODE_ALPHABET)
# Two letters at once: the code's low base-31 digit comes first, as it always did.
_PAIRS = [SHORT_CODE_ALPHABET[n % _BASE] + SHORT_CODE_ALPHABET[n // _BASE] for n in range(_BASE**2)]
_BELOW = 1 << 30  # the fewest bits above 31⁶ (887,503,681): 83 % of draws are kept


def _spelled(number: int) -> str:
    """A number below 31⁶ in six letters of the alphabet, in base 31, low digit first."""
    pair = _BASE**2
    middle, low = divmod(number, pair)
    high, middle = divmod(middle, pair)
    return _PAIRS[low] + _PAIRS[middle] + _PAIRS[high]


def new_short_code() -> str:
    """Six characters of the alphabet, uniformly at random: one draw of a number below
    31⁶, written in base 31 (a draw a character cost a bulk import 5 times as much)."""
    return _spelled(secrets.randbelow(_SHORT_CODES))


def new_short_codes(count: int) -> list[str]:
    """``count`` short codes as ``new_short_code`` draws them, uniformly, from a few reads of
    the system's randomness: 30 random bits a number, a number not below 31⁶ discarded."""
    codes: list[str] = []
    while len(codes) < count:
        wanted = count - len(codes)
        for (number,) in struct.iter_unpack("<I", os.urandom(4 * (wanted + wanted // 4 + 8))):
            number &= _BELOW - 1
            if number < _SHORT_CODES:
                codes.append(_spelled(number))
                if len(codes) == count:
                    break
    return codes


_MANY: dict[TokenSource, Callable[[int], list[str]]] = {
    new_token: new_tokens,
    new_short_code: new_short_codes,
}


def many(source: TokenSource) -> Callable[[int], list[str]]:
    """Draws of ``source``, ``count`` at a time: the product's own sources read the system's
    randomness once for all of them; any other source (a test's) is asked once a value, in
    order."""
    return _MANY.get(source) or (lambda count: [source() for _ in range(count)])


class ReissueRefused(ValueError):
    """The link cannot be reissued (its survey is completed)."""


@dataclass(frozen=True)
class LinkInfo:
    link: SurveyLink
    unit: Unit
    dossier: Dossier
    status: str
    created: bool
    notice: NoticeState | None = None  # the ZNS result notice (None: ZNS off or no phone)


class LinkService:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        *,
        public_url: str,
        expire_after: timedelta,
        zone: ZoneInfo,
        directory: ChannelDirectory,
        token_source: TokenSource = new_token,
        code_source: TokenSource = new_short_code,
        runtime: RuntimeSettingsCache | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.public_url = public_url.rstrip("/")
        self.expire_after = expire_after  # settings.toml's; an admin's run-time value wins
        # Read through the database, so an admin's change in another process applies here.
        self.runtime = runtime or RuntimeSettingsCache(db, lambda: self.clock())
        self.zone = zone
        self.directory = directory
        self.token_source = token_source
        self.code_source = code_source
        # set by the composition root when [zalo_zns] is configured
        self.notices: ResultNotices | None = None

    async def create(
        self,
        *,
        unit_code: str,
        dossier_code: str,
        form: str = "citizen",
        procedure: str | None = None,
        phone: str | None = None,
        actor: str = "cli",
        flow: str | None = None,
    ) -> LinkInfo:
        """The dossier's link; repeating the call returns the same link (idempotent).

        ``flow`` picks a published flow by id (its form replaces ``form``); raises NotFound
        for an unknown unit or flow."""
        runtime = await self.runtime.current()
        now = self.clock()
        async with self.db.transaction() as session:
            unit = await units.require(session, unit_code)
            if flow:
                version = await flow_versions.latest(session, flow)
                if version is None:
                    raise NotFound(f"no published flow {flow!r} (see: sipas-bot flows list)")
                form = version.form
            link, created = await links.create(
                session,
                LinkRequest(unit, dossier_code, form, procedure, phone, actor, flow or None),
                now=now,
                expires_at=now + runtime.expire_after(self.expire_after),
                new_token=self.token_source,
                new_short_code=self.code_source,
            )
            if created:
                await audit.record(
                    session,
                    actor=actor,
                    action="link.create",
                    now=now,
                    subject=f"{unit.code}/{dossier_code}",
                    detail={"form": form, "flow": flow} if flow else {"form": form},
                )
            dossier = await links.dossier_of(session, link)
            survey = await surveys.for_link(session, link.id)
            info = LinkInfo(link, unit, dossier, links.status(link, survey, now), created)
        # committed: the notice is claimed and sent outside the link's transaction, and its
        # trouble never undoes the link (repeating the call sends nothing new)
        if self.notices is not None and dossier.phone:
            info = replace(info, notice=await self.notices.request(link.id))
        return info

    async def create_chunk(
        self, unit: Unit, wanted: list[NewDossier], *, actor: str, source: str
    ) -> list[BatchLink]:
        """The links of many dossiers of ``unit`` (distinct codes), created where missing in
        one transaction with one audit entry for the chunk (``source``: the file it came
        from); result notices are requested after it commits, as ``create`` does."""
        runtime = await self.runtime.current()
        now = self.clock()
        async with self.db.transaction() as session:
            expires_at = now + runtime.expire_after(self.expire_after)
            terms = Terms(now, expires_at, actor, many(self.token_source), many(self.code_source))
            made = await link_batches.create_batch(session, unit, wanted, terms)
            if created := sum(link.created for link in made):
                detail = {"file": source[:200], "created": created}
                await audit.record(
                    session, actor=actor, action="link.create", now=now, subject=unit.code,
                    detail=detail,
                )  # fmt: skip
        if self.notices is not None:
            for link in made:
                if link.phone:
                    await self.notices.request(link.link_id)
        return made

    async def infos(self, unit: Unit, link_ids: list[int]) -> list[LinkInfo]:
        """The links of ``link_ids`` (in that order) with their dossier and status."""
        now = self.clock()
        async with self.db.transaction() as session:
            found = {
                link.id: (link, dossier, survey)
                for link, dossier, survey in await links.with_dossiers(session, link_ids)
            }
        return [
            LinkInfo(link, unit, dossier, links.status(link, survey, now), False)
            for link, dossier, survey in (found[i] for i in link_ids if i in found)
        ]

    async def reissue(self, token: str, *, actor: str) -> LinkInfo:
        """A new token and short code for the link behind ``token`` (the desk's answer to "this
        survey is being answered on another device"): the old ones stop working at once, an
        unfinished response started with them is discarded, and it is audited. A completed
        response is never reissued (``ReissueRefused``)."""
        runtime = await self.runtime.current()
        now = self.clock()
        async with self.db.transaction() as session:
            link = await links.by_token(session, token)
            if link is None:
                raise LookupError("no such link")
            survey = await surveys.for_link(session, link.id)
            if survey is not None and survey.completed_at is not None:
                raise ReissueRefused("the survey was already completed")
            discarded = await surveys.discard_unfinished(session, survey) if survey else None
            await links.reissue(
                session,
                link,
                expires_at=now + runtime.expire_after(self.expire_after),
                new_token=self.token_source,
                new_short_code=self.code_source,
            )
            unit = await session.get(Unit, link.unit_id)
            assert unit is not None  # a foreign key guarantees it
            dossier = await links.dossier_of(session, link)
            await audit.record(
                session,
                actor=actor,
                action="link.reissue",
                now=now,
                subject=f"{unit.code}/{dossier.code}",
                detail={"discarded": discarded},
            )
            return LinkInfo(link, unit, dossier, links.status(link, None, now), False)

    async def info(self, token: str) -> LinkInfo | None:
        """The link behind ``token`` with its unit, dossier and current status (or None)."""
        await self.runtime.current()  # as_json shows the channels an admin allows
        async with self.db.transaction() as session:
            link = await links.by_token(session, token)
            if link is None or link.dossier_id is None:  # a desk scan belongs to no dossier
                return None
            unit = await session.get(Unit, link.unit_id)
            assert unit is not None  # a foreign key guarantees it
            dossier = await links.dossier_of(session, link)
            survey = await surveys.for_link(session, link.id)
            info = LinkInfo(link, unit, dossier, links.status(link, survey, self.clock()), False)
        if self.notices is not None:
            info = replace(info, notice=await self.notices.state(link.id))
        return info

    def web_url(self, token: str) -> str:
        return f"{self.public_url}/s/{token}"

    def invitation(
        self, token: str, short_code: str, form: str, unit: Unit, dossier: str, locale: str
    ) -> dict[str, Any]:
        """What a person is given: the links of every channel shown, the QR code, the text."""
        return self.inviter(unit, locale)(token, short_code, form, dossier)

    def inviter(self, unit: Unit, locale: str) -> Callable[[str, str, str, str], dict[str, Any]]:
        """``invitation`` of many links of ``unit`` in ``locale`` (token, short code, form,
        dossier code): the settings, the channels and the texts are looked up once, not once
        a link (a bulk import's result has a line a row)."""
        runtime = self.runtime.last()  # refreshed by create() and info(), which come first
        links_for = self.directory.links_maker(runtime.hidden_channels)
        texts = {form: message(key, locale) for form, key in INVITATIONS.items()}
        default = texts["citizen"]

        def invite(token: str, short_code: str, form: str, dossier: str) -> dict[str, Any]:
            web = self.web_url(token)
            text = texts.get(form, default)
            return {
                "links": {"web": web, **links_for(token, short_code)},
                "qr_png": f"{web}/qr.png",
                "text": text.format(unit=unit.name, dossier=dossier, url=web),
            }

        return invite

    def as_json(self, info: LinkInfo, locale: str = "vi") -> dict[str, Any]:
        link = info.link
        given = self.invitation(
            link.token, link.short_code, link.form, info.unit, info.dossier.code, locale
        )
        return {
            "token": link.token,
            "unit": info.unit.code,
            "dossier": info.dossier.code,
            "form": link.form,
            "status": info.status,
            "expires_at": link.expires_at.astimezone(self.zone).isoformat(timespec="seconds"),
            **given,
            "notice": info.notice.as_json() if info.notice is not None else None,
        }


def qr_png(data: str, scale: int = 8) -> bytes:
    """A QR code image (PNG) that phones scan reliably from paper or a screen."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
