"""Measure the engine, the conversation glue on SQLite, and the web chat over HTTP."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.flow_admin.catalog import publish_defaults
from bot.services import build_services
from bot.settings import load_settings
from bot.web.server import build_app
from flows import engine
from flows.engine import CONSENT, Choose
from flows.loader import load_flow_file
from flows.outbound import ConversationRef, Message
from scheduler.clock import ManualClock
from storage.db import Database
from storage.repos import units

ROOT = Path(__file__).resolve().parent.parent


def bench_engine(rounds: int = 2000) -> None:
    flow = load_flow_file(ROOT / "flows" / "data" / "mau01.toml")
    started = time.perf_counter()
    steps = 0
    for _ in range(rounds):
        state = engine.step(flow, engine.initial_state(), Choose(CONSENT, "yes")).state
        for question in flow.questions:
            state = engine.step(flow, state, Choose(question.id, "4")).state
            steps += 1
    elapsed = time.perf_counter() - started
    print(f"engine: {steps / elapsed:,.0f} steps/s ({rounds} full surveys in {elapsed:.2f} s)")


async def bench_turns(url: str, surveys: int = 40) -> None:
    clock = ManualClock(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    db = Database(url)
    await db.migrate()
    async with db.transaction() as session:
        await publish_defaults(session, clock())
        await units.add(session, "XA-BENCH", "UBND xã Bench", now=clock())
    settings = load_settings(ROOT / "settings.toml", {"SIPAS__DATABASE__URL": url})
    services = build_services(settings, clock, db)
    latencies: list[float] = []
    started = time.perf_counter()
    for number in range(surveys):
        info = await services.links.create(unit_code="XA-BENCH", dossier_code=f"HS-{number}")
        ref = ConversationRef("bench", str(number))
        reply = await services.conversation.turn(ref, Choose(CONSENT, "yes"), token=info.link.token)
        for _ in range(22):
            prompt = [m for m in reply.messages if isinstance(m, Message) and m.prompt_id][-1]
            t0 = time.perf_counter()
            reply = await services.conversation.turn(ref, Choose(prompt.prompt_id or "", "4"))
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    p50 = statistics.median(latencies) * 1000
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000
    print(
        f"conversation turns on SQLite: {len(latencies) / elapsed:,.0f} answers/s, "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms ({surveys} surveys)"
    )
    port = 18765
    runner = web.AppRunner(build_app(services), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    info = await services.links.create(unit_code="XA-BENCH", dossier_code="HS-PAGE")
    async with aiohttp.ClientSession() as http:
        url_page = f"http://127.0.0.1:{port}/s/{info.link.token}"
        sizes = []
        t0 = time.perf_counter()
        for _ in range(300):
            async with http.get(url_page) as response:
                sizes.append(len(await response.read()))
        elapsed = time.perf_counter() - t0
    await runner.cleanup()
    await db.dispose()
    print(
        f"web chat page: {300 / elapsed:,.0f} requests/s sequential, "
        f"{sizes[0]:,} bytes for the first page (limit 51,200)"
    )


def main() -> None:
    bench_engine()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(bench_turns(f"sqlite+aiosqlite:///{folder}/bench.sqlite3"))


if __name__ == "__main__":
    main()
