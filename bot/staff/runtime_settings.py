"""Run-time settings an admin changes from the browser without a restart (how long new survey
links stay valid, which channels' links clerks hand out), as every process sees them.

They live in ``system_settings`` (they win over settings.toml once set). Every process reads
them through a ``RuntimeSettingsCache``: a value at most ``TTL`` old, so a change made through
one web process reaches every other process (web, channels, CLI) within ``TTL``; the process
that made the change sees it at once (it invalidates its cache).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError, OperationalError

from scheduler.clock import Clock
from storage.db import Database
from storage.repos import system_settings

log = logging.getLogger(__name__)

PREFIX = "runtime."
EXPIRE_DAYS = "runtime.links.expire_days"
CHANNEL_PREFIX = "runtime.channels."
MAX_DAYS = 90
TTL = timedelta(seconds=5)


def channel_key(name: str) -> str:
    """The key that switches a channel's links on or off (value ``on`` or ``off``)."""
    return CHANNEL_PREFIX + name


@dataclass(frozen=True)
class RuntimeSettings:
    """The current choices; ``expire_days`` None means settings.toml's value."""

    expire_days: int | None = None
    hidden_channels: frozenset[str] = frozenset()

    def shows(self, channel: str) -> bool:
        return channel not in self.hidden_channels

    def expire_after(self, configured: timedelta) -> timedelta:
        return timedelta(days=self.expire_days) if self.expire_days else configured

    @classmethod
    def parse(cls, stored: Mapping[str, str]) -> RuntimeSettings:
        """From stored values; a value that is no longer valid counts as not set."""
        days = stored.get(EXPIRE_DAYS, "")
        valid = days.isdigit() and 0 < int(days) <= MAX_DAYS
        hidden = frozenset(
            key.removeprefix(CHANNEL_PREFIX)
            for key, value in stored.items()
            if key.startswith(CHANNEL_PREFIX) and value == "off"
        )
        return cls(int(days) if valid else None, hidden)


class RuntimeSettingsCache:
    """The settings read from the database at most ``ttl`` ago (the injected clock decides)."""

    def __init__(self, db: Database, clock: Clock, ttl: timedelta = TTL) -> None:
        self.db = db
        self.clock = clock
        self.ttl = ttl
        self._value = RuntimeSettings()
        self._loaded_at: datetime | None = None

    async def current(self) -> RuntimeSettings:
        """Fresh within ``ttl``; if the database does not answer, the last known values."""
        now = self.clock()
        if self._loaded_at is not None and now - self._loaded_at < self.ttl:
            return self._value
        try:
            async with self.db.transaction() as session:
                stored = await system_settings.all_values(session, PREFIX)
        except (OperationalError, DBAPIError, OSError) as exc:
            log.warning("run-time settings not reloaded (database unavailable): %s", exc)
            return self._value
        self._value = RuntimeSettings.parse(stored)
        self._loaded_at = now
        return self._value

    def last(self) -> RuntimeSettings:
        """The values of the last ``current()`` call, without waiting (for sync code)."""
        return self._value

    def invalidate(self) -> None:
        """This process changed them: the next ``current()`` reads the database."""
        self._loaded_at = None
