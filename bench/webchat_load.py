"""Respondents using the web chat over HTTP, as a browser without JavaScript does: GET the
page, POST the chosen button, follow the 303 to the next page. One round trip = the POST
and the GET it redirects to; it is "acknowledged" when the POST answered 303."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Callable
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
    """The button a respondent presses: agree, a level for a question, skip or no after."""
    for preferred in ("yes", "4", "skip", "no"):
        if preferred in choices:
            return preferred
    return choices[0]


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

    async def one(number: int, http: aiohttp.ClientSession) -> None:
        base = bases[number % len(bases)]
        while time.perf_counter() < deadline and (token := take()) is not None:
            person = Respondent(http, base, token, load)
            await person.open_until(deadline)
            while not person.done and time.perf_counter() < deadline:
                if not await person.answer():
                    await asyncio.sleep(RETRY_AFTER)
                    await person.open()

    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(one(number, http) for number in range(concurrent)))
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

    async def one(number: int, token: str, http: aiohttp.ClientSession) -> None:
        person = Respondent(http, bases[number % len(bases)], token, load)
        await asyncio.sleep(rng.uniform(0, every))
        await person.open_until(end)
        moment = time.perf_counter() + every
        while moment < end and not person.done:
            await asyncio.sleep(max(0.0, moment - time.perf_counter()))
            if not await person.answer():
                await person.open()  # the next attempt comes at the next moment
            moment += every

    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(one(n, token, http) for n, token in enumerate(tokens)))
    return load
