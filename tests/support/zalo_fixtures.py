"""Pytest fixtures for the fake Zalo servers. A test module imports the ones it uses
(``from tests.support.zalo_fixtures import zalo_open_api  # noqa: F401``), or conftest imports them
for everyone, as it does for the Telegram bench."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.zalo_api import FakeZaloBotAPI, FakeZaloOpenAPI


@pytest.fixture
async def zalo_bot_api() -> AsyncIterator[FakeZaloBotAPI]:
    """The Zalo Bot API; short long polls so that tests and shutdowns stay quick."""
    async with FakeZaloBotAPI(max_poll_timeout=0.5) as api:
        yield api


@pytest.fixture
async def zalo_open_api() -> AsyncIterator[FakeZaloOpenAPI]:
    """OA API + OAuth + ZNS on one server; the first refresh token is ``rt-0``."""
    async with FakeZaloOpenAPI(refresh_token="rt-0") as api:
        yield api
