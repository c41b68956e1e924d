"""Web chat over HTTP against ``sipas-bot run`` in a child process, on SQLite and on
PostgreSQL: respondents at a human pace (round-trip p99), flat-out throughput at several
concurrencies (answers/s, the server's CPU per answer), and several web processes on
PostgreSQL."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import findings
from bench.dataset import Postgres, prepare, sqlite_url
from bench.measure import CpuWindow, ms, percentile
from bench.product import Product
from bench.profiling import summarise
from bench.results import Section
from bench.webchat_load import WebLoad, flat_out, paced

# The figures for the code before this work (SQLite, 12.7–19 ms server CPU/answer).
TODAY_CPU_PER_ANSWER = 0.0127
PAGE_LIMIT = 50 * 1024


@dataclass(frozen=True)
class WebSizes:
    paced_respondents: int
    paced_every: float
    paced_seconds: float
    levels: tuple[int, ...]
    level_seconds: float
    pool: int
    profile_seconds: float


def pool_of(tokens: list[str]) -> Callable[[], str | None]:
    def take() -> str | None:
        return tokens.pop() if tokens else None

    return take


def _latency(load: WebLoad) -> str:
    text = f"{ms(percentile(load.latencies, 0.5))} / {ms(percentile(load.latencies, 0.99))}"
    return text + (f" ({len(load.errors)} errors)" if load.errors else "")


async def _flat(
    section: Section, label: str, products: list[Product], take: Callable[[], str | None],
    concurrent: int, seconds: float,
) -> tuple[float, float]:  # fmt: skip
    """One flat-out level; returns (answers/s, server CPU seconds per answer)."""
    windows = [CpuWindow(product.pid) for product in products]
    for window in windows:
        window.start()
    load = await flat_out([p.url for p in products], take, concurrent, seconds)
    for window in windows:
        window.stop()
    rate = load.answers / windows[0].wall
    cpu = sum(window.cpu for window in windows) / max(load.answers, 1)
    section.add(
        f"{label}: flat out, {concurrent} at once",
        f"{rate:,.0f} answers/s; p50/p99 {_latency(load)}; server CPU {ms(cpu)}/answer",
    )
    return rate, cpu


async def _backend(section: Section, backend: str, db_url: str, sizes: WebSizes) -> None:
    tokens = await prepare(db_url, sizes.paced_respondents + sizes.pool)
    paced_tokens, pool = tokens[: sizes.paced_respondents], tokens[sizes.paced_respondents :]
    product = await Product(db_url).start()
    try:
        load = await paced([product.url], paced_tokens, sizes.paced_every, sizes.paced_seconds)
        p99 = percentile(load.latencies, 0.99)
        section.add(
            f"{backend}: {sizes.paced_respondents} respondents, one answer every "
            f"{sizes.paced_every:g} s: round trip p50 / p99",
            _latency(load),
            "p99 ≤ 50 ms",
            p99 <= 0.050 and not load.errors,
        )
        if backend == "SQLite":
            section.add(
                "first question page", f"{load.first_page_bytes / 1024:.1f} KiB", "≤ 50 KiB",
                load.first_page_bytes <= PAGE_LIMIT,
            )  # fmt: skip
        cpus = []
        for level in sizes.levels:
            _rate, cpu = await _flat(section, backend, [product], pool_of(pool), level,
                                     sizes.level_seconds)  # fmt: skip
            cpus.append(cpu)
        best = min(cpus)
        section.add(
            f"{backend}: answers per server CPU-second (best level)",
            f"{1 / best:,.0f} ({ms(best)} CPU/answer)",
            f"≥ 4× today ({4 / TODAY_CPU_PER_ANSWER:,.0f})",
            1 / best >= 4 / TODAY_CPU_PER_ANSWER,
        )
    finally:
        await product.stop()
    if backend == "PostgreSQL":
        await _several(section, db_url, pool, sizes)


async def _several(section: Section, db_url: str, pool: list[str], sizes: WebSizes) -> None:
    """Two ``run --role web`` processes behind a client that alternates between them."""
    level = sizes.levels[-2] if len(sizes.levels) > 1 else sizes.levels[0]
    products = [await Product(db_url, role="web").start() for _ in range(2)]
    try:
        await _flat(section, "PostgreSQL, 2 web processes", products, pool_of(pool), level,
                    sizes.level_seconds)  # fmt: skip
    finally:
        for product in products:
            await product.stop()


async def _profile(section: Section, folder: Path, sizes: WebSizes) -> None:
    db_url = sqlite_url(folder, "profiled.sqlite3")
    pool = await prepare(db_url, 200)
    path = folder / "web.prof"
    product = await Product(db_url, profile=path).start()
    try:
        product.profile(True)
        await flat_out([product.url], pool_of(pool), 10, sizes.profile_seconds)
        product.profile(False)
    finally:
        await product.stop()
    section.note(f"Profile of the web server (SQLite, 10 at once, cProfile): {summarise(path)}")


async def bench_webchat(sizes: WebSizes, postgres: Postgres | None) -> Section:
    section = Section("Web chat")
    section.note(
        "Before this work (the issue's figures, SQLite, no pauses): one respondent p50 8.9 ms; "
        "55–75 answers/s at 1, 10, 50 or 200 at once, 12.7–19 ms of server CPU per answer; at "
        "200 at once p50 2.3–3.0 s, p99 4.0–5.3 s; at 10 at once p99 1.0 s. A round trip here "
        "is the POST of an answer and the GET of the page it redirects to; the load generator "
        "runs on the same machine."
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        await _backend(section, "SQLite", sqlite_url(folder), sizes)
        if postgres is not None:
            await _backend(section, "PostgreSQL", postgres.url, sizes)
        else:
            section.note("PostgreSQL is not installed here: its figures are missing.")
        if sizes.profile_seconds:
            await _profile(section, folder, sizes)
    section.findings(findings.WEBCHAT)
    return section
