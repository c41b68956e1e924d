"""Adding desks and turning a scan of a desk's QR code into a fresh survey link.

Used by the CLI, the staff pages and the public ``/d/<code>`` routes, so a desk's JSON
(INTERFACES.md, ``desks add --json``) and its URLs are produced in one place.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.dossiers.links import SHORT_CODE_ALPHABET, TokenSource, new_short_code, new_token
from bot.settings import DesksSettings
from storage.db import Database
from storage.models import Desk, Unit
from storage.repos import audit, desks, flow_versions, links, rate_limits, surveys, units
from storage.repos.errors import StorageUserError

DESK_CODE_LENGTH = 8
DEFAULT_FLOW = "desk"
MAX_NAME = 120


def new_desk_code() -> str:
    """Eight characters without look-alikes: printed under the QR code, typed by hand at need."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(DESK_CODE_LENGTH))


class DeskProblem(StorageUserError):
    """A desk cannot be added as asked (bad name, unknown flow); the text says why."""

    def __init__(self, key: str, text: str) -> None:
        super().__init__(text)
        self.key = key  # the staff pages' phrasebook key for the same problem


def desk_name(text: str) -> str:
    """The desk's name as people read it on the poster: trimmed, 1 to 120 characters."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise DeskProblem("name_missing", 'the desk needs a name, e.g. "Quầy 1 - Tư pháp"')
    if len(name) > MAX_NAME or any(unicodedata.category(c) == "Cc" for c in name):
        raise DeskProblem("name_bad", f"a desk name is at most {MAX_NAME} printable characters")
    return name


@dataclass(frozen=True)
class DeskInfo:
    desk: Desk
    unit: Unit


@dataclass(frozen=True)
class Scan:
    """What a scan of a desk's QR code leads to: a survey token, or why not."""

    token: str | None = None
    refused: str | None = None  # "unknown" (no such desk) or "limited" (too many scans)


class DeskService:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        *,
        public_url: str,
        settings: DesksSettings,
        token_source: TokenSource = new_token,
        code_source: TokenSource = new_short_code,
        desk_code_source: TokenSource = new_desk_code,
    ) -> None:
        self.db = db
        self.clock = clock
        self.public_url = public_url.rstrip("/")
        self.settings = settings
        self.token_source = token_source
        self.code_source = code_source
        self.desk_code_source = desk_code_source

    # --- staff ----------------------------------------------------------------------------
    async def add(
        self, *, unit_code: str, name: str, flow_key: str = DEFAULT_FLOW, actor: str = "cli"
    ) -> DeskInfo:
        name = desk_name(name)
        now = self.clock()
        async with self.db.transaction() as session:
            unit = await units.require(session, unit_code)
            if await flow_versions.latest(session, flow_key) is None:
                raise DeskProblem("flow_unknown", f"unknown flow {flow_key!r}")
            desk = await desks.add(
                session,
                unit_id=unit.id,
                name=name,
                flow_key=flow_key,
                now=now,
                new_code=self.desk_code_source,
                by=actor,
            )
            await audit.record(
                session,
                actor=actor,
                action="desk.add",
                now=now,
                subject=f"{unit.code}/{desk.code}",
                detail={"name": name, "flow": flow_key},
            )
        return DeskInfo(desk, unit)

    async def find(self, code: str) -> DeskInfo | None:
        async with self.db.transaction() as session:
            desk = await desks.by_code(session, code)
            if desk is None:
                return None
            unit = await session.get(Unit, desk.unit_id)
            assert unit is not None  # a foreign key guarantees it
            return DeskInfo(desk, unit)

    def url(self, code: str) -> str:
        return f"{self.public_url}/d/{code}"

    def as_json(self, info: DeskInfo) -> dict[str, Any]:
        url = self.url(info.desk.code)
        return {
            "code": info.desk.code,
            "url": url,
            "qr_png": f"{url}/qr.png",
            "poster_pdf": f"{url}/poster.pdf",
            "unit": info.unit.code,
            "name": info.desk.name,
            "flow": info.desk.flow_key,
        }

    # --- citizens -------------------------------------------------------------------------
    async def scan(self, code: str, client: str, previous_token: str | None = None) -> Scan:
        """A new response for the desk, or the one this browser left unfinished.

        ``client`` (the network address) is only ever stored hashed, as a rate-limit key.
        """
        now = self.clock()
        async with self.db.transaction() as session:
            desk = await desks.by_code(session, code)
            if desk is None:
                return Scan(refused="unknown")
            if previous_token and await self._unfinished(session, desk, previous_token, now):
                return Scan(token=previous_token)
            key = f"desk:{desk.code}:{hashlib.sha256(client.encode()).hexdigest()[:32]}"
            allowed = await rate_limits.hit(
                session,
                key,
                limit=self.settings.scans_per_client,
                window=self.settings.scan_window,
                now=now,
            )
            if not allowed:
                return Scan(refused="limited")
            version = await flow_versions.latest(session, desk.flow_key)
            if version is None:
                return Scan(refused="unknown")
            link = await desks.open_link(
                session,
                desk,
                form=version.form,
                now=now,
                expires_at=now + self.settings.answer_within,
                new_token=self.token_source,
                new_short_code=self.code_source,
            )
            return Scan(token=link.token)

    @staticmethod
    async def _unfinished(session: Any, desk: Desk, token: str, now: datetime) -> bool:
        link = await links.by_token(session, token)
        if link is None or link.desk_id != desk.id or now >= link.expires_at:
            return False
        survey = await surveys.for_link(session, link.id)
        return survey is None or (survey.completed_at is None and survey.data_deleted_at is None)
