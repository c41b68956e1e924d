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

from bench import synthetic
from bench.dataset import prepare, sqlite_url
from bench.product import ROOT, UNIT, Product
from bench.results import Section
from bench.webchat_load import flat_out


def help_seconds(repeat: int = 3) -> float:
    script = Path(sys.executable).parent / "sipas-bot"
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        subprocess.run([str(script), "--help"], cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


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
            sample = tokens[:: max(1, len(tokens) // touched)]
            load = await flat_out([product.url], lambda: sample.pop() if sample else None, 20,
                                  3600.0)  # fmt: skip
            busy = product.rss()
        finally:
            await product.stop()
        section.add(
            f"server RSS, {sessions:,} sessions in progress ({load.answers:,} answers by "
            f"{touched:,} of them over HTTP)",
            f"{busy / 2**20:,.0f} MiB (idle after start {idle / 2**20:,.0f} MiB)",
            "≤ 200 MB",
            busy <= 200 * 10**6,
        )
        section.note(
            f"{sessions:,} in-progress sessions (5 answers each) written in {built:.1f} s; "
            "sessions live in the database, so the server's memory does not grow with them."
        )
    return section
