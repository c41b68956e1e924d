"""Telegram: ours (polling and webhook) against python-telegram-bot + PicklePersistence and
aiogram 3 + MemoryStorage, the same citizens over the same fake Bot API, one after another
in the same run. Figures: the bot process's CPU per answer, press → next question p50/p99,
answers per second, and Bot API calls per answer."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from aiohttp import ClientSession

from bench import findings
from bench.dataset import prepare, sqlite_url
from bench.measure import CpuWindow, ms, percentile
from bench.product import Child, Product
from bench.profiling import summarise
from bench.results import Section
from bench.telegram_load import Deliver, LoadAPI, polling_delivery, run_citizens, webhook_delivery

SECRET = "bench-webhook-secret"


@dataclass
class BotRun:
    name: str
    cpu_per_answer: float
    p50: float
    p99: float
    rate: float
    calls_per_answer: float
    failures: int


async def _measure(
    name: str, api: LoadAPI, child: Child, tokens: list[str], answers: int, deliver: Deliver
) -> BotRun:
    before = api.method_counts()
    window = CpuWindow(child.pid)
    profiled = "SIPAS_BENCH_PROFILE" in child.env
    if profiled:
        child.profile(True)
    window.start()
    load = await run_citizens(api, tokens, answers, deliver, first_chat=7_000_000)
    window.stop()
    if profiled:
        child.profile(False)
    calls = sum((api.method_counts() - before).values())
    count = max(load.answers, 1)
    return BotRun(
        name,
        window.cpu / count,
        percentile(load.latencies, 0.5),
        percentile(load.latencies, 0.99),
        load.answers / window.wall if window.wall else 0.0,
        calls / count,
        len(load.failures),
    )


async def run_ours(
    mode: str, citizens: int, answers: int, folder: Path, profile: Path | None = None
) -> BotRun:
    db_url = sqlite_url(folder, f"telegram-{mode}{'-profiled' if profile else ''}.sqlite3")
    tokens = await prepare(db_url, citizens)
    async with LoadAPI() as api:
        product = Product(
            db_url,
            profile=profile,
            SIPAS__TELEGRAM__TOKEN=api.token,
            SIPAS__TELEGRAM__BASE_URL=api.base_url,
            SIPAS__TELEGRAM__MODE=mode,
            SIPAS__TELEGRAM__WEBHOOK_SECRET=SECRET,
        )
        await product.start()
        try:
            if mode == "webhook":
                await api.wait_ready("setWebhook")
                async with ClientSession() as http:
                    deliver = webhook_delivery(http, api)
                    return await _measure(f"ours ({mode})", api, product, tokens, answers, deliver)
            await api.wait_ready("getUpdates")
            return await _measure(
                f"ours ({mode})", api, product, tokens, answers, polling_delivery()
            )
        finally:
            await product.stop()


async def run_peer(
    module: str, name: str, citizens: int, answers: int, folder: Path, profile: Path | None = None
) -> BotRun:
    async with LoadAPI() as api:
        args = [api.base_url, api.token, str(folder / f"{module}.pickle")]
        child = Child(f"bench.peers.{module}", *args)
        if profile is not None:
            child.env["SIPAS_BENCH_PROFILE"] = str(profile)
        child.spawn()
        try:
            await api.wait_ready("getUpdates")
            tokens = [f"peer{number}" for number in range(citizens)]
            return await _measure(name, api, child, tokens, answers, polling_delivery())
        finally:
            await child.stop()


PEERS = (("ptb_bot", "PTB ConversationHandler + PicklePersistence"),
         ("aiogram_bot", "aiogram 3 FSM + MemoryStorage"))  # fmt: skip


async def bench_telegram(citizens: int, answers: int, profile_citizens: int) -> Section:
    section = Section("Telegram")
    section.note(
        f"{citizens} citizens × {answers} answers each, as fast as they can, over the fake Bot "
        "API on 127.0.0.1 (tests/fakes/telegram_api.py, in the bench process); each bot in its "
        "own process, one after another. Before this work (the issue's figures, measured from "
        "outside at 10 and 40 citizens): ours 19 ms of bot CPU per answer, press → next "
        "question p50 666 ms at 10 citizens and 2.7 s at 40, throughput flat at 14.6 answers/s "
        "whatever the concurrency; PTB+Pickle 6.6 ms, aiogram 4.05 ms."
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = [await run_ours(mode, citizens, answers, folder) for mode in ("polling", "webhook")]
        runs += [await run_peer(m, n, citizens, answers, folder) for m, n in PEERS]
        peers = runs[2:]
        best_cpu = min(run.cpu_per_answer for run in peers)
        best_p99 = min(run.p99 for run in peers)
        for run in runs:
            ours = run.name.startswith("ours")
            section.add(
                f"{run.name}: bot CPU per answer",
                ms(run.cpu_per_answer),
                f"≤ aiogram's ({ms(peers[1].cpu_per_answer)})" if ours else "",
                run.cpu_per_answer <= peers[1].cpu_per_answer if ours else None,
            )
            section.add(
                f"{run.name}: press → next question p50 / p99",
                f"{ms(run.p50)} / {ms(run.p99)}",
                f"p99 ≤ the peers' ({ms(best_p99)})" if ours else "",
                run.p99 <= best_p99 if ours else None,
            )
            section.add(
                f"{run.name}: answers/s, Bot API calls made per answer",
                f"{run.rate:,.1f}/s, {run.calls_per_answer:.2f}"
                + (f", {run.failures} citizens failed" if run.failures else ""),
            )
        if profile_citizens:
            await _profile(section, folder, profile_citizens, answers)
        section.note(
            f"CPU per answer = the bot process's user+system CPU while the citizens ran "
            f"(the /start, consent and closing presses included) ÷ answers. Cheapest peer: "
            f"{ms(best_cpu)}."
        )
    section.findings(findings.TELEGRAM)
    return section


async def _profile(section: Section, folder: Path, citizens: int, answers: int) -> None:
    """A smaller profiled run of ours (webhook) and of aiogram, summarised for RESULTS.md."""
    ours, peer = folder / "ours.prof", folder / "aiogram.prof"
    await run_ours("webhook", citizens, answers, folder, profile=ours)
    await run_peer("aiogram_bot", "aiogram", citizens, answers, folder, profile=peer)
    section.note(f"Profile of ours (webhook, {citizens} citizens, cProfile): {summarise(ours)}")
    section.note(f"Profile of aiogram (same load): {summarise(peer)}")
