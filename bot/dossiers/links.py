"""Survey links as people receive them: token, short code, channel links, QR code, text.

Used by the CLI, the staff pages, the HTTP API and the clerk's chat command, so the JSON of a
link (INTERFACES.md) is produced in exactly one place.
"""

from __future__ import annotations

import io
import secrets
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


def new_token() -> str:
    """192 random bits as 32 URL-safe characters: fits a chat deep link's start payload."""
    return secrets.token_urlsafe(24)


_SHORT_CODES = len(SHORT_CODE_ALPHABET) ** SHORT_CODE_LENGTH


def new_short_code() -> str:
    """Six characters of the alphabet, uniformly at random: one draw of a number below
    31⁶, written in base 31 (a draw a character cost a bulk import 5 times as much)."""
    number = secrets.randbelow(_SHORT_CODES)
    base = len(SHORT_CODE_ALPHABET)
    letters = []
    for _ in range(SHORT_CODE_LENGTH):
        number, digit = divmod(number, base)
        letters.append(SHORT_CODE_ALPHABET[digit])
    return "".join(letters)


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
            terms = Terms(now, expires_at, actor, self.token_source, self.code_source)
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
        runtime = self.runtime.last()  # refreshed by create() and info(), which come first
        web = self.web_url(token)
        chats = self.directory.links_for(token, short_code, hidden=runtime.hidden_channels)
        key = "invitation_org" if form == "organization" else "invitation"
        return {
            "links": {"web": web, **chats},
            "qr_png": f"{web}/qr.png",
            "text": message(key, locale, unit=unit.name, dossier=dossier, url=web),
        }

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
