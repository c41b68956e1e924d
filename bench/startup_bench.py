"""Memory and start: ``sipas-bot --help``, ``run`` from spawn to a 200 on /healthz, and the
server's resident memory with 100,000 web-chat sessions in progress in its database."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench import findings, synthetic
from bench.dataset import UNIT, prepare, sqlite_url
from bench.product import ROOT, SECRET_KEY, Product
from bench.results import Section
from bench.webchat_load import Respondent, WebLoad, browser
from bot.web.chat_binding import COOKIE_NAME, sign


def help_seconds(repeat: int = 3) -> float:
    script = Path(sys.executable).parent / "sipas-bot"
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        subprocess.run([str(script), "--help"], cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


async def touch(base: str, tokens: list[str], concurrent: int = 20) -> int:
    """Each session's page loaded and one answer given, ``concurrent`` at a time, by the
    browser it is bound to (holding the signed cookie the product gave it)."""
    load = WebLoad()
    gate = asyncio.Semaphore(concurrent)
    connector = aiohttp.TCPConnector(limit=0)

    async def one(token: str) -> None:
        cookie = {COOKIE_NAME: sign(SECRET_KEY, token, synthetic.client_of(token))}
        async with gate, browser(connector, cookie) as http:
            person = Respondent(http, base, token, load)
            if await person.open() and not person.done:
                await person.answer()

    async with connector:
        await asyncio.gather(*(one(token) for token in tokens))
    return load.answers


async def bench_startup(sessions: int, touched: int) -> Section:
    section = Section("Memory and start")
    seconds = await asyncio.to_thread(help_seconds)
    section.add("`sipas-bot --help`", f"{seconds:.2f} s", "≤ 1 s", seconds <= 1.0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fresh = Product(sqlite_url(folder, "fresh.sqlite3"))
        await fresh.start()
        await fresh.stop()
        section.add("`run` on a new database (migrations) to serving", f"{fresh.started_in:.2f} s")
        url = sqlite_url(folder)
        await prepare(url, 0)
        began = time.perf_counter()
        tokens = synthetic.in_progress(folder / "bench.sqlite3", UNIT, sessions)
        built = time.perf_counter() - began
        product = await Product(url).start()
        try:
            section.add("`run` to serving", f"{product.started_in:.2f} s", "≤ 2 s",
                        product.started_in <= 2.0)  # fmt: skip
            idle = product.rss()
            answers = await touch(product.url, tokens[:: max(1, len(tokens) // touched)])
            busy = product.rss()
        finally:
            await product.stop()
        section.add(
            f"server RSS, {sessions:,} sessions in progress ({answers:,} of them loaded and "
            "answered over HTTP)",
            f"{busy / 2**20:,.0f} MiB (idle after start {idle / 2**20:,.0f} MiB)",
            "≤ 200 MB",
            busy <= 200 * 10**6,
        )
        section.note(
            f"{sessions:,} in-progress sessions (5 answers each) written in {built:.1f} s; "
            "sessions live in the database, so the server's memory does not grow with them."
        )
    section.findings(findings.STARTUP)
    return section
