"""Respondents using the web chat over HTTP, as a browser without JavaScript does: GET the
page, POST the chosen button, follow the 303 to the next page. One round trip = the POST
and the GET it redirects to; it is "acknowledged" when the POST answered 303.

A survey is bound to the browser that started it (the signed ``sipas_chat`` cookie, scoped
to ``/s/<token>``), so every respondent is its own browser: its own cookie jar, which keeps
cookies of 127.0.0.1 as a browser does, over a connection pool shared by all of them."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp

PROMPT = re.compile(r'name="prompt" value="([^"]*)"')
CHOICE = re.compile(r'name="choice" value="([^"]*)"')
RETRY_AFTER = 0.1  # seconds a respondent waits after an error before trying again


@dataclass
class WebLoad:
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[tuple[str, str, str]] = field(default_factory=list)  # token, prompt, value
    errors: list[str] = field(default_factory=list)
    first_page_bytes: int = 0

    @property
    def answers(self) -> int:
        return len(self.latencies)


def pick(prompt: str, choices: list[str]) -> str:
    """The button a respondent presses: agree, a level for a question, then skip (send)."""
    for preferred in ("yes", "4", "skip"):
        if preferred in choices:
            return preferred
    return choices[0]


@asynccontextmanager
async def browser(
    connector: aiohttp.BaseConnector, cookies: dict[str, str] | None = None
) -> AsyncIterator[aiohttp.ClientSession]:
    """One simulated browser: its own cookie jar (``unsafe``: aiohttp's default jar refuses
    cookies of IP addresses), connections from the shared ``connector``; ``cookies`` are
    cookies it already holds (a returning respondent)."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(
        connector=connector, connector_owner=False, cookie_jar=jar, cookies=cookies
    ) as http:
        yield http


class Respondent:
    """One person with one link; ``answer`` makes one round trip."""

    def __init__(self, http: aiohttp.ClientSession, base: str, token: str, load: WebLoad):
        self.http, self.url, self.token, self.load = http, f"{base}/s/{token}", token, load
        self.prompt: str | None = None
        self.choices: list[str] = []

    def _read(self, html: str) -> None:
        found = PROMPT.search(html)
        self.prompt = found.group(1) if found else None
        self.choices = CHOICE.findall(html)

    async def _call(self, method: str, expected: int, **options: Any) -> str | None:
        """One request: its body when the status is ``expected``, else None (recorded)."""
        try:
            async with self.http.request(method, self.url, **options) as response:
                body = await response.text()
                if response.status == expected:
                    return body
                self.load.errors.append(f"{method} {response.status}")
        except aiohttp.ClientError as exc:
            self.load.errors.append(type(exc).__name__)
        return None

    async def open(self) -> bool:
        """Load the page; on failure the last question seen stays (pressing it again is
        what a person does after an error page)."""
        html = await self._call("GET", 200)
        if html is None:
            return False
        if not self.load.first_page_bytes:
            self.load.first_page_bytes = len(html.encode())
        self._read(html)
        return True

    async def open_until(self, deadline: float) -> None:
        """Load the page, trying again after errors until ``deadline``."""
        while time.perf_counter() < deadline:
            if await self.open():
                return
            await asyncio.sleep(RETRY_AFTER)

    @property
    def done(self) -> bool:
        return self.prompt is None or not self.choices

    async def answer(self) -> bool:
        """One round trip; False when it failed (the error is recorded)."""
        assert self.prompt is not None
        value = pick(self.prompt, self.choices)
        began = time.perf_counter()
        form = {"prompt": self.prompt, "choice": value}
        if await self._call("POST", 303, data=form, allow_redirects=False) is None:
            return False
        self.load.acknowledged.append((self.token, self.prompt, value))
        html = await self._call("GET", 200)
        if html is None:
            return False
        self.load.latencies.append(time.perf_counter() - began)
        self._read(html)
        return True


async def flat_out(
    bases: list[str], take: Callable[[], str | None], concurrent: int, seconds: float
) -> WebLoad:
    """``concurrent`` respondents answering without pauses for ``seconds``; each takes a new
    link from ``take`` when its survey ends (none left: it stops). Respondent n uses server
    ``bases[n % len]``."""
    load = WebLoad()
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=0)

    async def one(number: int) -> None:
        base = bases[number % len(bases)]
        while time.perf_counter() < deadline and (token := take()) is not None:
            async with browser(connector) as http:
                person = Respondent(http, base, token, load)
                await person.open_until(deadline)
                while not person.done and time.perf_counter() < deadline:
                    if not await person.answer():
                        await asyncio.sleep(RETRY_AFTER)
                        await person.open()

    async with connector:
        await asyncio.gather(*(one(number) for number in range(concurrent)))
    return load


async def paced(
    bases: list[str], tokens: list[str], every: float, seconds: float, seed: int = 1
) -> WebLoad:
    """One respondent per token: each opens the page at a random moment of the first period
    (people do not all arrive at the same instant), then answers once every ``every`` seconds
    until ``seconds`` have passed."""
    load = WebLoad()
    rng = random.Random(seed)
    began = time.perf_counter()
    end = began + seconds
    connector = aiohttp.TCPConnector(limit=0)

    async def one(number: int, token: str) -> None:
        async with browser(connector) as http:
            person = Respondent(http, bases[number % len(bases)], token, load)
            await asyncio.sleep(rng.uniform(0, every))
            await person.open_until(end)
            moment = time.perf_counter() + every
            while moment < end and not person.done:
                await asyncio.sleep(max(0.0, moment - time.perf_counter()))
                if not await person.answer():
                    await person.open()  # the next attempt comes at the next moment
                moment += every

    async with connector:
        await asyncio.gather(*(one(n, token) for n, token in enumerate(tokens)))
    return load
