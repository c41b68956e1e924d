"""``python -m bench [--quick] [--only NAME ...]``: measure, print a table, write RESULTS.md.

Sizes are the issue's in a full run and small in ``--quick`` (for development). Only a
whole full run writes RESULTS.md; a quick run or a run of some benches (``--only``) leaves
it as it is unless ``--write`` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bench import machine
from bench.dataset import Postgres
from bench.results import Section, markdown, print_table
from bench.webchat_bench import WebSizes

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


FULL_WEB = WebSizes(200, 3.0, 15.0, (1, 10, 50, 200), 4.0, 900, 3.0)


@dataclass(frozen=True)
class Sizes:
    """The issue's sizes; ``QUICK`` shrinks them for development."""

    engine_rounds: int = 2000
    tg_citizens: int = 60
    tg_answers: int = 22
    tg_profile_citizens: int = 10
    web: WebSizes = FULL_WEB
    responses: int = 1_000_000
    communes: int = 100
    raw_share: int = 20
    dossiers: int = 100_000
    sessions: int = 100_000
    touched: int = 1000
    durable_respondents: int = 50
    durable_seconds: float = 30.0  # long enough for respondents to complete


FULL = Sizes()
QUICK = Sizes(
    engine_rounds=200,
    tg_citizens=4,
    tg_profile_citizens=0,
    web=WebSizes(20, 1.0, 4.0, (1, 10), 2.0, 80, 0.0),
    responses=50_000,
    communes=10,
    raw_share=10,
    dossiers=5_000,
    sessions=5_000,
    touched=20,
    durable_respondents=10,
    durable_seconds=4.0,
)


def benches(sizes: Sizes, postgres: Postgres | None) -> dict[str, Callable[[], Awaitable[Section]]]:
    from bench.durability_bench import bench_durability
    from bench.engine import bench_engine
    from bench.imports_bench import bench_imports
    from bench.reports_bench import bench_reports
    from bench.startup_bench import bench_startup
    from bench.telegram_bench import bench_telegram
    from bench.webchat_bench import bench_webchat

    async def engine() -> Section:
        return bench_engine(sizes.engine_rounds)

    return {
        "engine": engine,
        "startup": lambda: bench_startup(sizes.sessions, sizes.touched),
        "telegram": lambda: bench_telegram(
            sizes.tg_citizens, sizes.tg_answers, sizes.tg_profile_citizens
        ),
        "webchat": lambda: bench_webchat(sizes.web, postgres),
        "imports": lambda: asyncio.to_thread(bench_imports, sizes.dossiers),
        "durability": lambda: bench_durability(
            sizes.durable_respondents, sizes.durable_seconds, postgres
        ),
        "reports": lambda: bench_reports(sizes.responses, sizes.communes, 52, sizes.raw_share),
    }


async def run(names: list[str] | None, sizes: Sizes, postgres: Postgres | None) -> list[Section]:
    sections = []
    for name, bench in benches(sizes, postgres).items():
        if names and name not in names:
            continue
        began = time.perf_counter()
        print(f"… {name}", flush=True)
        section = await bench()
        print(f"  done in {time.perf_counter() - began:.1f} s", flush=True)
        sections.append(section)
    return sections


POSTGRES_BENCHES = {"webchat", "durability"}


def needs_postgres(names: list[str] | None) -> bool:
    return not names or bool(POSTGRES_BENCHES & set(names))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benches")
    parser.add_argument(
        "--write", action="store_true", help="write RESULTS.md after --quick or --only too"
    )
    args = parser.parse_args()
    machine_rows = machine.describe()
    postgres = Postgres.start() if needs_postgres(args.only) else None
    if postgres is not None:
        machine_rows.append(("PostgreSQL", postgres.version()))
    try:
        sections = asyncio.run(run(args.only, QUICK if args.quick else FULL, postgres))
    finally:
        if postgres is not None:
            postgres.stop()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    machine_rows.append(("CPU speed at end", f"{machine.cpu_speed()} (load average: {load})"))
    print()
    print_table(sections)
    if (not args.quick and not args.only) or args.write:
        RESULTS.write_text(markdown(sections, machine_rows), encoding="utf-8")
        print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
